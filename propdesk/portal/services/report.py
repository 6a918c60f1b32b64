"""A resident reports from the app: the same intake the console records (``request_submit``, channel ``app``,
numbered, the same deadlines), the photos on it, then dispatched by the project's rules as the intake page does with
"by rule". One transaction: a refused photo, a place or a time the form does not offer write nothing."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, NotFound
from propdesk.customers.models import Occupancy
from propdesk.org.models import CommonArea
from propdesk.servicedesk.choices import Channel, ComplaintCategory, Kind, Severity
from propdesk.servicedesk.models import IdempotencyKey, ServiceRequest
from propdesk.servicedesk.services.attachments import attachments_add, photos_prepare
from propdesk.servicedesk.services.dispatch import request_dispatch_by_rule
from propdesk.servicedesk.services.requests import RequestInput, request_check, request_submit

from ..selectors.home import offered_windows
from ..windows import window_at

# The one-tap buttons of the home screen, in the order residents look for them: 报修 投诉 咨询 求助 建议 表扬.
REPORT_KINDS = (Kind.REPAIR, Kind.COMPLAINT, Kind.INQUIRY, Kind.HELP, Kind.SUGGESTION, Kind.PRAISE)
# Kinds that ask someone to come to the home: the form offers them a visit time.
VISIT_KINDS = frozenset({Kind.REPAIR})
# The resident does not judge a complaint's severity: it is recorded as minor (solved within two days, the
# handbook's commitment) and read by the agent at once; an important or major one is the agent's call.
RESIDENT_SEVERITY = Severity.MINOR
# The service's field names as the resident's form and the API call them.
FIELD_NAMES = {"appointment_at": "visit_at", "room_id": "home_id", "contact_name": "home_id",
               "reporter_id": "home_id", "contact_phone": "home_id"}


@dataclass
class ReportInput:
    kind: str
    description: str
    common_area_id: int | None = None  # None: the home itself
    visit_at: datetime | None = None  # the start of a window the form offered (repairs)
    urgent: bool = False  # repairs: the resident's tick
    complaint_category: str = ""


def _fail(errors: dict[str, list[str]], status: int = 400):
    raise ApplicationError(_("Please correct the marked fields."), {"fields": errors}, status_code=status)


def _request_input(*, resident, home: Occupancy, data: ReportInput, window) -> RequestInput:
    wish = ""
    if window is not None:
        wish = _("Preferred visit time: %(window)s") % {
            "window": f"{window.start:%Y-%m-%d %H:%M}–{window.end:%H:%M}"}
    complaint = data.kind == Kind.COMPLAINT
    return RequestInput(
        channel=Channel.APP, kind=data.kind, description=data.description or "", contact_name=resident.name,
        reporter_id=resident.pk, room_id=None if data.common_area_id else home.room_id,
        common_area_id=data.common_area_id, resident_request=wish,
        appointment_at=window.start if window is not None else None,
        urgent=bool(data.urgent) if data.kind == Kind.REPAIR else False,
        complaint_category=(data.complaint_category or ComplaintCategory.OTHER) if complaint else "",
        severity=RESIDENT_SEVERITY if complaint else "")


def request_report(*, user, resident, home: Occupancy, data: ReportInput, photos=(), idempotency_key: str = "",
                   fingerprint: str = "", now: datetime | None = None) -> tuple[ServiceRequest, bool]:
    """Record what the resident reports for ``home`` (one of their current homes) and dispatch it by the project's
    rules. Returns the request and whether this call created it: with an ``idempotency_key`` already used, the
    request recorded the first time (a retry of the same submission; another submission under it is a 422)."""
    now = now or timezone.now()
    if home.resident_id != resident.pk:
        raise NotFound(_("Not found."))
    retry = bool(idempotency_key) and IdempotencyKey.objects.filter(user=user, key=idempotency_key).exists()
    window = None
    prepared = []
    if not retry:  # a retry is answered with what was recorded, even when its visit time has passed meanwhile
        if data.kind not in Kind.values:
            _fail({"kind": [_("Choose the kind of request.")]})
        if data.common_area_id is not None and not CommonArea.objects.filter(
                pk=data.common_area_id, project_id=home.project_id).exists():
            _fail({"common_area_id": [_("Choose a common area of your community.")]}, status=422)
        errors: dict[str, list[str]] = {}
        if data.visit_at is not None and data.kind in VISIT_KINDS:
            window = window_at(offered_windows(project=home.project, now=now), data.visit_at)
            if window is None:
                errors["visit_at"] = [_("This time is no longer offered: choose another.")]
        prepared, problems = photos_prepare(list(photos))
        if problems:
            errors["photos"] = problems
        found = request_check(actor=user, project=home.project, now=now,
                              data=_request_input(resident=resident, home=home, data=data, window=window))
        for name, messages in found.items():
            errors.setdefault(FIELD_NAMES.get(name, name), []).extend(messages)
        if errors:
            _fail(errors)
    request_data = _request_input(resident=resident, home=home, data=data, window=window)
    with transaction.atomic():
        sr = request_submit(actor=user, project=home.project, data=request_data, idempotency_key=idempotency_key,
                            idempotency_fingerprint=fingerprint, now=now)
        created = sr.received_at == now
        if created:
            if prepared:
                attachments_add(request=sr, files=prepared, actor=user)
            _dispatch(sr)
    return sr, created


def _dispatch(sr: ServiceRequest) -> None:
    """By the project's rules, as the intake page's "by rule"; a rule that cannot be followed (its person left)
    leaves the request in the dispatch queue rather than losing the resident's report."""
    try:
        with transaction.atomic():
            request_dispatch_by_rule(request=sr, actor=None)
    except ApplicationError:
        pass
