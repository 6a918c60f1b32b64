"""API: Work logs and duty logs 工作日志 / 值班记录, handover 交接班, the supervisor's comments 批示.

VIEW_LOGS reads, WRITE_LOGS starts, edits (drafts only, the author), submits and acknowledges, SIGN_LOGS comments
and signs. A status that refuses the action is a 409 (editing a signed log, signing a draft, acknowledging twice);
another scope's log is a 404."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from propdesk.core.errors import PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import Log, LogKind, LogStatus, RosterEntry, ShiftKind
from ..selectors import logs as selectors
from ..services import logs as services

router = Router(tags=["duty"])


def _need(request, capability: Capability) -> None:
    if not user_can(request.user, capability):
        raise PermissionDenied(_("Your role may not do this with logs."))


class LogItemOut(Schema):
    id: int
    text: str
    request_number: str
    done: bool
    started_on: date
    carried: bool = Field(..., description="Carried over 延续 from the previous log of the series.")


class LogCommentOut(Schema):
    id: int
    author: str
    body: str
    created_at: datetime


class LogBriefOut(Schema):
    id: int
    kind: LogKind
    project_id: int
    day: date
    author_id: int
    author: str
    department_id: int | None
    department: str | None
    shift: str | None
    status: LogStatus
    open_items: int
    comment_count: int
    acknowledged_at: datetime | None
    signed_at: datetime | None


class LogOut(LogBriefOut):
    body: str
    starts_at: datetime
    ends_at: datetime
    roster_entry_id: int | None
    previous_id: int | None
    previous_acknowledged: bool | None = Field(..., description="Duty logs: whether the previous shift's log was "
                                                                "acknowledged (null: there is none).")
    submitted_at: datetime | None
    acknowledged_by: str | None
    signed_by: str | None
    items: list[LogItemOut]
    comments: list[LogCommentOut]


def _brief(log: Log) -> dict:
    return {"id": log.pk, "kind": log.kind, "project_id": log.project_id, "day": log.day, "author_id": log.author_id,
            "author": selectors.person_name(log.author), "department_id": log.department_id,
            "department": log.department.name if log.department else None,
            "shift": str(log.shift) if log.shift else None, "status": log.status,
            "open_items": log.open_items, "comment_count": log.comment_count,
            "acknowledged_at": log.acknowledged_at, "signed_at": log.signed_at}


def _full(request, log_id: int) -> dict:
    with scoped_404():
        log = selectors.log_detail(user=request.user, log_id=log_id)
    previous, _following = selectors.log_neighbours(log)
    return {**_brief(log), "body": log.body, "starts_at": log.starts_at, "ends_at": log.ends_at,
            "roster_entry_id": log.roster_entry_id, "previous_id": log.previous_id,
            "previous_acknowledged": None if previous is None else previous.acknowledged_at is not None,
            "submitted_at": log.submitted_at,
            "acknowledged_by": selectors.person_name(log.acknowledged_by) if log.acknowledged_by_id else None,
            "signed_by": selectors.person_name(log.signed_by) if log.signed_by_id else None,
            "items": [{"id": i.pk, "text": i.text, "request_number": i.request_number, "done": i.done,
                       "started_on": i.started_on, "carried": i.carried} for i in log.items.all()],
            "comments": [{"id": c.pk, "author": selectors.person_name(c.author), "body": c.body,
                          "created_at": c.created_at} for c in log.comments.all()]}


class LogFilters(Schema):
    project: int | None = Field(None, ge=1, le=2**62)
    author: int | None = Field(None, ge=1, le=2**62)
    department: int | None = Field(None, ge=1, le=2**62)
    kind: LogKind | None = None
    day: date | None = None
    unsigned: bool = False
    limit: int = Field(50, ge=1, le=200)


@router.get("logs", response=list[LogBriefOut], summary="Work and duty logs in scope, newest first (VIEW_LOGS)")
def log_list(request, filters: Query[LogFilters]):
    _need(request, Capability.VIEW_LOGS)
    rows = selectors.log_list(user=request.user, filters={
        "project_id": filters.project, "author_id": filters.author, "department_id": filters.department,
        "kind": filters.kind, "day": filters.day, "unsigned": filters.unsigned})
    return [_brief(log) for log in rows[:filters.limit]]


class LogStartIn(Schema):
    kind: LogKind
    roster_entry_id: int | None = Field(None, ge=1, le=2**62, description="Duty log of one's own roster entry.")
    shift_id: int | None = Field(None, ge=1, le=2**62, description="Duty log without a roster entry: the shift…")
    day: date | None = Field(None, description="…and its day (default today). A work log is always today's.")


@router.post("logs", response={200: LogOut, 201: LogOut},
             summary="Start today's work log or a shift's duty log; an existing one is returned (200) (WRITE_LOGS)")
def log_start(request, payload: LogStartIn):
    _need(request, Capability.WRITE_LOGS)
    now = timezone.now()
    if payload.kind == LogKind.WORK:
        log = services.work_log_start(actor=request.user, day=timezone.localdate(now), now=now)
    else:
        entry = shift = None
        with scoped_404():
            if payload.roster_entry_id:
                entry = RosterEntry.objects.restrict(request.user).get(pk=payload.roster_entry_id)
            elif payload.shift_id:
                shift = ShiftKind.objects.restrict(request.user).get(pk=payload.shift_id)
        log = services.duty_log_start(actor=request.user, now=now, roster_entry=entry, shift=shift,
                                      day=payload.day or timezone.localdate(now))
    created = log.created_at >= now
    return Status(201 if created else 200, _full(request, log.pk))


@router.get("logs/{int:log_id}", response=LogOut, summary="A log with its items and comments (VIEW_LOGS)")
def log_get(request, log_id: int):
    _need(request, Capability.VIEW_LOGS)
    return _full(request, log_id)


class LogItemIn(Schema):
    id: int | None = Field(None, ge=1, le=2**62, description="An item of this log to keep; none: a new item.")
    text: str = Field(..., max_length=300)
    request_number: str = Field("", max_length=32)
    done: bool = False


class LogUpdateIn(Schema):
    body: str = Field(..., max_length=4000)
    items: list[LogItemIn] = Field(default_factory=list, max_length=30,
                                   description="The whole list: items left out are removed.")


def _log(request, log_id: int) -> Log:
    with scoped_404():
        return selectors.log_detail(user=request.user, log_id=log_id)


@router.put("logs/{int:log_id}", response=LogOut,
            summary="Replace a draft's body and items; a submitted or signed log answers 409 (WRITE_LOGS, author)")
def log_update(request, log_id: int, payload: LogUpdateIn):
    _need(request, Capability.WRITE_LOGS)
    services.log_update(log=_log(request, log_id), actor=request.user, body=payload.body,
                        items=[item.dict() for item in payload.items], now=timezone.now())
    return _full(request, log_id)


@router.post("logs/{int:log_id}/submit", response=LogOut,
             summary="Submit a draft; a duty log only once the previous shift's log was acknowledged (WRITE_LOGS)")
def log_submit(request, log_id: int):
    _need(request, Capability.WRITE_LOGS)
    services.log_submit(log=_log(request, log_id), actor=request.user, now=timezone.now())
    return _full(request, log_id)


@router.post("logs/{int:log_id}/acknowledge", response=LogOut,
             summary="The next shift has read this duty log (交接班); twice is a 409 (WRITE_LOGS)")
def log_acknowledge(request, log_id: int):
    _need(request, Capability.WRITE_LOGS)
    services.log_acknowledge(log=_log(request, log_id), actor=request.user, now=timezone.now())
    return _full(request, log_id)


class LogCommentIn(Schema):
    body: str = Field(..., max_length=1000)


@router.post("logs/{int:log_id}/comments", response={201: LogOut},
             summary="Add a supervisor's comment 批示, also to a signed log (SIGN_LOGS)")
def log_comment(request, log_id: int, payload: LogCommentIn):
    _need(request, Capability.SIGN_LOGS)
    services.log_comment(log=_log(request, log_id), actor=request.user, body=payload.body, now=timezone.now())
    return Status(201, _full(request, log_id))


@router.post("logs/{int:log_id}/sign", response=LogOut,
             summary="Sign a submitted log 签阅; from then on it is append-only (SIGN_LOGS)")
def log_sign(request, log_id: int):
    _need(request, Capability.SIGN_LOGS)
    services.log_sign(log=_log(request, log_id), actor=request.user, now=timezone.now())
    return _full(request, log_id)
