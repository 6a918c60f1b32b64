"""API: The morning page of the customer-service assistant: yesterday's log, open work, today's rounds."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from propdesk.core.errors import PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.duty.selectors.logs import person_name
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..selectors import morning as selectors

router = Router(tags=["stewardship"])


class MorningCommentOut(Schema):
    author: str
    body: str
    created_at: datetime


class MorningLogOut(Schema):
    id: int
    kind: str
    author: str
    department: str | None
    shift: str | None
    status: str
    signed: bool
    signed_by: str | None
    acknowledged: bool
    body: str
    open_items: list[str]
    comments: list[MorningCommentOut]


class MorningWorkOut(Schema):
    id: int
    number: str
    kind: str = Field(..., description="request or work_order")
    status: str
    resolve_by: datetime | None
    where: str


class MorningOut(Schema):
    project_id: int
    project: str
    day: date
    yesterday: date
    logs: list[MorningLogOut]
    requests_open: int
    requests_overdue: int
    orders_live: int
    orders_overdue: int
    overdue: list[MorningWorkOut] = Field(..., description="The first 10 overdue requests, then work orders.")
    visits: list[dict] = Field(..., description="Today's home visits (keys: stewardship.selectors.visits).")
    rounds: list[dict] = Field(..., description="Today's patrol rounds (keys: stewardship.selectors.patrols).")


class MorningErrorOut(Schema):
    message: str
    extra: dict


class MorningQuery(Schema):
    project: int | None = Field(None, ge=1, le=2**62, description="A project in scope (default: one's own); "
                                                                    "another is a 404.")


def _log(log) -> dict:
    return {"id": log.pk, "kind": log.kind, "author": person_name(log.author),
            "department": log.department.name if log.department else None,
            "shift": str(log.shift) if log.shift else None, "status": log.status, "signed": log.is_signed,
            "signed_by": person_name(log.signed_by) if log.signed_by_id else None,
            "acknowledged": log.acknowledged_at is not None, "body": log.body,
            "open_items": [item.text for item in log.open_item_list],
            "comments": [{"author": person_name(c.author), "body": c.body, "created_at": c.created_at}
                         for c in log.comments.all()]}


@router.get("morning", response={200: MorningOut, 404: MorningErrorOut},
            summary="The morning page: yesterday's logs and comments, open and overdue work, today's visits and "
                    "rounds (VIEW_LOGS)")
def morning_get(request, filters: Query[MorningQuery]):
    if not user_can(request.user, Capability.VIEW_LOGS):
        raise PermissionDenied(_("Your role may not see the morning page."))
    now = timezone.now()
    with scoped_404():
        project = selectors.morning_project(user=request.user, project_id=filters.project)
    page = selectors.morning(user=request.user, project=project, day=timezone.localdate(now), now=now)
    overdue = [{"id": r.pk, "number": r.number, "kind": "request", "status": r.status, "resolve_by": r.resolve_by,
                "where": r.location_label} for r in page.overdue_requests]
    overdue += [{"id": o.pk, "number": o.number, "kind": "work_order", "status": o.status,
                 "resolve_by": o.resolve_by, "where": o.department.name} for o in page.overdue_orders]
    return {"project_id": project.pk, "project": project.name, "day": page.day, "yesterday": page.yesterday,
            "logs": [_log(log) for log in page.logs], "requests_open": page.requests_open,
            "requests_overdue": page.requests_overdue, "orders_live": page.orders_live,
            "orders_overdue": page.orders_overdue, "overdue": overdue,
            "visits": [dict(v) for v in page.visits], "rounds": [dict(r) for r in page.rounds]}
