"""JSON API of notices: /api/notices….

Residents: ``GET /api/notices`` (the notices of their current homes, pinned first, then newest, with ``read``),
``GET /api/notices/{id}`` (marks it read) and ``POST /api/notices/{id}/read``. Staff who publish (PUBLISH_NOTICES):
``/api/notices/manage`` to list and publish, ``/api/notices/manage/{id}`` and ``…/withdraw``. Staff on the resident
endpoints and residents on the staff endpoints get 403; a notice outside the caller's homes or scope is a 404.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.pagination import paginate

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.org.api import Pagination
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from . import rules, selectors
from .choices import NoticeKind, NoticeScope
from .services import NoticeInput, notice_mark_read, notice_publish, notice_withdraw

router = Router(tags=["notices"])


def _resident(request) -> None:
    if user_role(request.user) != "resident":
        raise PermissionDenied(_("These are the residents' notices; staff use /api/notices/manage."))


def _publisher(request) -> None:
    if not user_can(request.user, Capability.PUBLISH_NOTICES):
        raise PermissionDenied(_("Your role may not publish notices."))


class NoticeCardOut(Schema):
    id: int
    kind: NoticeKind
    kind_label: str
    title: str
    body: str
    pinned: bool
    urgent: bool
    published_at: datetime
    revised_at: datetime | None
    valid_from: datetime
    valid_until: datetime | None
    expected_restore_at: datetime | None
    read: bool = Field(..., description="The resident has read the current version (a revised notice is unread "
                                        "again).")

    @staticmethod
    def resolve_kind_label(notice) -> str:
        return str(notice.get_kind_display())


class TargetOut(Schema):
    building_id: int | None
    unit_id: int | None
    label: str


class NoticeStaffOut(Schema):
    id: int
    project_id: int
    project: str
    kind: NoticeKind
    title: str
    body: str
    scope: NoticeScope
    targets: list[TargetOut]
    pinned: bool
    urgent: bool
    valid_from: datetime
    valid_until: datetime | None
    expected_restore_at: datetime | None
    state: str = Field(..., description="scheduled, active, expired or withdrawn, now.")
    version: int
    published_at: datetime
    published_by: str
    withdrawn_at: datetime | None
    audience: int = Field(..., description="Residents living in the notice's scope today.")
    read_count: int = Field(..., description="Resident users who have read the current version.")
    sms_queued: int


def _staff_out(notice, now) -> dict:
    targets = []
    for t in notice.targets.all():
        if t.unit_id:
            targets.append({"building_id": None, "unit_id": t.unit_id, "label": f"{t.unit.building} {t.unit}"})
        elif t.building_id:
            targets.append({"building_id": t.building_id, "unit_id": None, "label": str(t.building)})
    profile = getattr(notice.published_by, "staff_profile", None)
    return {**{name: getattr(notice, name) for name in (
        "id", "project_id", "kind", "title", "body", "scope", "pinned", "urgent", "valid_from", "valid_until",
        "expected_restore_at", "version", "published_at", "withdrawn_at", "audience", "read_count", "sms_queued")},
        "project": notice.project.name, "targets": targets, "state": notice.state_at(now),
        "published_by": profile.display_name if profile else notice.published_by.get_username()}


class _Rows:
    """A queryset for the paginator whose slices come back as dicts (count and slicing stay in the database)."""

    def __init__(self, queryset, convert):
        self.queryset, self.convert = queryset, convert

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return [self.convert(item) for item in self.queryset[index]]


class NoticeReadFilters(Schema):
    unread: bool = Field(False, description="Only notices not read yet.")


# --- residents -----------------------------------------------------------------------------------------------------

@router.get("", response=list[NoticeCardOut],
            summary="The signed-in resident's notices (their current homes), pinned first, then newest")
@paginate(Pagination)
def my_notices(request, filters: Query[NoticeReadFilters]):
    _resident(request)
    now = timezone.now()
    homes = list(selectors.resident_homes(user=request.user, now=now))
    return selectors.resident_notices(user=request.user, homes=homes, now=now, unread_only=filters.unread)


class UnreadOut(Schema):
    unread_count: int


@router.get("/unread-count", response=UnreadOut, summary="How many of the resident's notices are unread")
def my_unread_count(request):
    _resident(request)
    now = timezone.now()
    homes = list(selectors.resident_homes(user=request.user, now=now))
    return {"unread_count": selectors.resident_unread_count(user=request.user, homes=homes, now=now)}


def _my_notice(request, notice_id: int):
    _resident(request)
    now = timezone.now()
    with scoped_404():
        notice = selectors.resident_notice(user=request.user, notice_id=notice_id, now=now)
    notice_mark_read(notice=notice, user=request.user, now=now)
    notice.read = True
    return notice


@router.get("/{int:notice_id}", response=NoticeCardOut, summary="One of the resident's notices; marks it read")
def my_notice(request, notice_id: int):
    return _my_notice(request, notice_id)


@router.post("/{int:notice_id}/read", response=NoticeCardOut, summary="Mark one of the resident's notices read")
def my_notice_read(request, notice_id: int):
    return _my_notice(request, notice_id)


# --- staff ---------------------------------------------------------------------------------------------------------

class NoticeManageFilters(Schema):
    project: int | None = Field(None, description="A project id in the caller's scope.")
    state: str = Field("all", description="active, scheduled, expired, withdrawn or all.")
    kind: NoticeKind | None = None


@router.get("/manage", response=list[NoticeStaffOut],
            summary="Notices in the caller's scope, newest first, with audience and read count (PUBLISH_NOTICES)")
@paginate(Pagination)
def manage_list(request, filters: Query[NoticeManageFilters]):
    _publisher(request)
    now = timezone.now()
    chosen = {"state": filters.state, "kind": filters.kind or "", "project_id": filters.project}
    return _Rows(selectors.notice_list(user=request.user, now=now, filters=chosen), lambda n: _staff_out(n, now))


class NoticeIn(Schema):
    project_id: int
    kind: NoticeKind
    title: str = Field(..., max_length=rules.LIMITS["title"])
    body: str = Field(..., max_length=rules.LIMITS["body"])
    scope: NoticeScope = Field(..., description="project: every resident of the project; buildings: those of "
                                                "building_ids; units: those of unit_ids.")
    building_ids: list[int] = Field(default_factory=list, max_length=2000)
    unit_ids: list[int] = Field(default_factory=list, max_length=2000)
    valid_from: datetime | None = Field(None, description="Empty: now.")
    valid_until: datetime | None = Field(None, description="Empty: until withdrawn.")
    expected_restore_at: datetime | None = None
    pinned: bool = False
    urgent: bool = Field(False, description="Also an SMS to every resident in scope with a mobile, once, outside "
                                            "quiet hours.")


API_FIELDS = {"project": "project_id", "buildings": "building_ids", "units": "unit_ids"}


@router.post("/manage", response={200: NoticeStaffOut, 201: NoticeStaffOut},
             summary="Publish a notice to a project, buildings or units (PUBLISH_NOTICES)",
             description="With an `Idempotency-Key` header a retried publication creates nothing and sends no SMS "
                         "again: the first call answers 201, a retry 200 with the same notice.")
def manage_publish(request, payload: NoticeIn,
                   idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100)):
    _publisher(request)
    now = timezone.now()
    project = Project.objects.restrict(request.user).filter(pk=payload.project_id).first()
    if project is None:
        raise ApplicationError(_("Please correct the marked fields."),
                               {"fields": {"project_id": [_("No such project in your scope.")]}})
    data = NoticeInput(**payload.dict(exclude={"project_id"}))
    try:
        notice = notice_publish(project=project, data=data, actor=request.user, idempotency_key=idempotency_key,
                                now=now)
    except ApplicationError as error:
        fields = error.extra.get("fields")
        if fields:
            error.extra["fields"] = {API_FIELDS.get(name, name): messages for name, messages in fields.items()}
        raise
    notice = selectors.notice_detail(user=request.user, notice_id=notice.pk, now=now)
    return Status(201 if notice.published_at == now else 200, _staff_out(notice, now))


def _managed(request, notice_id: int, now):
    _publisher(request)
    with scoped_404():
        return selectors.notice_detail(user=request.user, notice_id=notice_id, now=now)


@router.get("/manage/{int:notice_id}", response=NoticeStaffOut,
            summary="One notice in the caller's scope with audience and read count (PUBLISH_NOTICES)")
def manage_detail(request, notice_id: int):
    now = timezone.now()
    return _staff_out(_managed(request, notice_id, now), now)


@router.post("/manage/{int:notice_id}/withdraw", response=NoticeStaffOut,
             summary="Withdraw a notice (kept for the record; 409 when withdrawn already) (PUBLISH_NOTICES)")
def manage_withdraw(request, notice_id: int):
    now = timezone.now()
    notice = _managed(request, notice_id, now)
    notice_withdraw(notice=notice, actor=request.user, now=now)
    return _staff_out(selectors.notice_detail(user=request.user, notice_id=notice.pk, now=now), now)
