"""JSON API of the resident portal: /api/portal/…. The same reads as the pages: the signed-in resident's homes and
requests, open first, with the status in plain words and each request's resident steps only. Staff get 403 (they
have the desk API); another household's request is a 404."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from propdesk.core.errors import PermissionDenied
from propdesk.org.api import Pagination
from propdesk.stewardship.selectors.zones import steward_by_room, steward_mobile, steward_name

from .. import rules, selectors

router = Router(tags=["portal"])


def _resident(request):
    resident = selectors.resident_of(request.user)
    if resident is None:
        raise PermissionDenied(_("Your role may not do this."))
    return resident


class HomeStewardOut(Schema):
    name: str
    mobile: str = Field(..., description="In full: the resident may call their steward.")


class HomeOut(Schema):
    project: str
    room: str
    relation: str
    relation_label: str
    steward: HomeStewardOut | None = Field(None, description="The steward 管家 of the home's building, if any.")


class ResidentMeOut(Schema):
    name: str
    homes: list[HomeOut]
    service_phone: str


class RequestCardOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    description: str
    location: str
    received_at: datetime
    status: str = Field(..., description="Plain-word status code: " + ", ".join(sorted(selectors.STATUS_WORDS)))
    status_label: str
    is_open: bool
    to_rate: bool = Field(..., description="A follow-up visit waits for the resident's rating.")


def _card(item) -> dict:
    status = selectors.plain_status(item)
    return {"id": item.pk, "number": item.number, "kind": item.kind, "kind_label": item.get_kind_display(),
            "description": item.description, "location": item.location_label, "received_at": item.received_at,
            "status": status, "status_label": str(selectors.STATUS_WORDS[status]),
            "is_open": status in rules.OPEN_STATUSES, "to_rate": item.to_rate}


@router.get("/me", response=ResidentMeOut, summary="The signed-in resident: name, current homes, service phone")
def me(request):
    resident = _resident(request)
    homes = list(selectors.resident_homes(resident=resident, on=timezone.localdate()))
    phone = next((o.project.service_phone for o in homes if o.project.service_phone), "")
    stewards = steward_by_room([o.room for o in homes])
    return {"name": resident.name, "service_phone": phone or resident.project.service_phone,
            "homes": [{"project": o.project.name, "room": o.room.code, "relation": o.relation,
                       "relation_label": o.get_relation_display(),
                       "steward": _steward_out(stewards.get(o.room_id))} for o in homes]}


def _steward_out(steward) -> dict | None:
    return {"name": steward_name(steward), "mobile": steward_mobile(steward)} if steward else None


@router.get("/requests", response=list[RequestCardOut], summary="The resident's requests, open first, newest first")
@paginate(Pagination)
def request_list(request):
    _resident(request)
    return _Cards(selectors.resident_requests(user=request.user))


# One request in full, and the resident's actions on it: api/follow.py.


class _Cards:
    """A queryset wrapper for the paginator: slices come back as card dicts (count and slicing stay in the DB)."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return [_card(item) for item in self.queryset[index]]


from . import report  # noqa: E402,F401  POST /requests (portal/api/report.py) on this router
