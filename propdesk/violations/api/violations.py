"""API: violations 违章 — list and detail, record (multipart with photos), notice, follow-up (multipart), escalate,
refer, close, and the counts per building and month. VIEW_VIOLATIONS reads, RECORD_VIOLATIONS records,
HANDLE_VIOLATIONS issues notices, follows up and closes, ESCALATE_VIOLATIONS escalates and refers. Another scope's
violation is a 404; a state that refuses the step a 409."""

import json
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Form, Query, Router, Schema, Status
from pydantic import ValidationError

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..selectors import ViolationFilters, decorate, month_counts, timeline, violation_detail, violation_list
from ..services import (
    ViolationInput,
    follow_up_record,
    notice_issue,
    violation_close,
    violation_escalate,
    violation_link_renovation,
    violation_record,
    violation_refer,
)

router = Router(tags=["violations"])
MAX_ROWS = 500
MAX_PHOTOS = 6


def _need(request, capability, message):
    if not user_can(request.user, capability):
        raise PermissionDenied(message)


def _viewer(request):
    _need(request, Capability.VIEW_VIOLATIONS, _("Your role may not see violations."))


def _name(user) -> str | None:
    if user is None:
        return None
    profile = getattr(user, "staff_profile", None)
    return (profile.display_name if profile else "") or user.get_username()


class ViolationOut(Schema):
    id: int
    number: str
    project_id: int
    building_id: int | None
    room_id: int | None
    room_code: str | None
    common_area_id: int | None
    location: str
    kind: str = Field(..., description="construction, fire_lane, parking, pets, noise, littering, group_rental, other")
    description: str
    source: str = Field(..., description="staff, patrol (finding_id) or resident (request_id)")
    finding_id: int | None
    request_id: int | None
    renovation_id: int | None
    status: str = Field(..., description="open, notified, rectified, escalated, referred, closed")
    deadline: date | None
    overdue: bool
    recorded_at: datetime
    recorded_by: str | None
    escalated_at: datetime | None
    escalation_reason: str
    referral_authority: str
    referral_note: str
    referred_at: datetime | None
    closed_at: datetime | None
    outcome: str


def _out(v) -> dict:
    return {"id": v.pk, "number": v.number, "project_id": v.project_id, "building_id": v.building_id,
            "room_id": v.room_id, "room_code": v.room.code if v.room_id else None,
            "common_area_id": v.common_area_id, "location": v.location, "kind": v.kind,
            "description": v.description, "source": v.source, "finding_id": v.finding_id,
            "request_id": v.request_id, "renovation_id": v.renovation_id, "status": v.status,
            "deadline": v.deadline, "overdue": v.overdue, "recorded_at": v.recorded_at,
            "recorded_by": _name(v.recorded_by), "escalated_at": v.escalated_at,
            "escalation_reason": v.escalation_reason, "referral_authority": v.referral_authority,
            "referral_note": v.referral_note, "referred_at": v.referred_at, "closed_at": v.closed_at,
            "outcome": v.outcome}


class ViolationNoticeOut(Schema):
    id: int
    text: str
    deadline: date
    channel: str = Field(..., description="app, sms or paper")
    sent_at: datetime
    sent_by: str | None


class ViolationFollowUpOut(Schema):
    id: int
    at: datetime
    by: str | None
    fixed: bool
    note: str
    photo_ids: list[int]


class ViolationEventOut(Schema):
    at: datetime
    what: str = Field(..., description="recorded, notice, follow_up, escalated, referred, closed")
    by: str | None


class ViolationDetailOut(ViolationOut):
    photo_ids: list[int]
    notices: list[ViolationNoticeOut]
    follow_ups: list[ViolationFollowUpOut]
    timeline: list[ViolationEventOut]


def _detail_out(request, pk: int) -> dict:
    with scoped_404():
        v = violation_detail(user=request.user, violation_id=pk)
    decorate([v], today=timezone.localdate())
    return {**_out(v), "photo_ids": [p.pk for p in v.own_photos],
            "notices": [{"id": n.pk, "text": n.text, "deadline": n.deadline, "channel": n.channel,
                         "sent_at": n.sent_at, "sent_by": _name(n.sent_by)} for n in v.notices.all()],
            "follow_ups": [{"id": f.pk, "at": f.at, "by": _name(f.by), "fixed": f.fixed, "note": f.note,
                            "photo_ids": [p.pk for p in f.photos.all()]} for f in v.follow_ups.all()],
            "timeline": [{"at": e["at"], "what": e["what"], "by": _name(e["by"])} for e in timeline(v)]}


class ViolationListFilters(Schema):
    project: int | None = Field(None, ge=1, le=2**62)
    kind: str = Field("", max_length=16)
    status: str = Field("", max_length=16, description="A status, or `open` for every one not closed.")
    building: int | None = Field(None, ge=1, le=2**62)
    overdue: bool = False
    q: str = Field("", max_length=50)
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(100, ge=1, le=MAX_ROWS)


@router.get("", response=list[ViolationOut], summary="Violations in scope, newest first (VIEW_VIOLATIONS)")
def violations_list(request, filters: Query[ViolationListFilters]):
    _viewer(request)
    today = timezone.localdate()
    rows = violation_list(user=request.user, today=today, filters=ViolationFilters(
        kind=filters.kind, status=filters.status, building_id=filters.building, project_id=filters.project,
        overdue=filters.overdue, q=filters.q.strip()))
    return [_out(v) for v in decorate(list(rows[filters.offset:filters.offset + filters.limit]), today=today)]


@router.get("{int:violation_id}", response=ViolationDetailOut,
            summary="A violation with its photos, notices, follow-ups and timeline (VIEW_VIOLATIONS)")
def violations_detail(request, violation_id: int):
    _viewer(request)
    return _detail_out(request, violation_id)


class ViolationRecordIn(Schema):
    kind: str = Field(..., max_length=16)
    description: str = Field(..., max_length=2000)
    project_id: int | None = Field(None, ge=1, le=2**62, description="Needed when your scope has several projects.")
    room_code: str = Field("", max_length=50, description="The home, as 3-2-1802.")
    room_id: int | None = Field(None, ge=1, le=2**62)
    common_area_id: int | None = Field(None, ge=1, le=2**62)
    building_id: int | None = Field(None, ge=1, le=2**62)
    location: str = Field("", max_length=200)
    finding_id: int | None = Field(None, ge=1, le=2**62, description="The patrol finding it comes from.")
    request_id: int | None = Field(None, ge=1, le=2**62, description="The resident's report it comes from.")
    renovation_id: int | None = Field(None, ge=0, le=2**62,
                                      description="Empty: the home's active renovation, if any; 0: none.")


class ViolationRecordForm(Schema):
    data: str = Field(..., max_length=10000, description='The violation as JSON: {"kind": "fire_lane", '
                      '"description": "3号楼消防通道堆放纸箱", "location": "3号楼东侧"}. Photos (at least one) in '
                      "the file field `photos`.")


def _parse(data: str, schema):
    try:
        return schema.model_validate(json.loads(data))
    except (ValueError, ValidationError) as error:
        message = _("The field data must be JSON as described.")
        raise ApplicationError(message, {"fields": {"data": [message, *str(error).splitlines()[:3]]}}) from None


@router.post("", response={201: ViolationDetailOut},
             summary="Record a violation with photos (RECORD_VIOLATIONS)",
             description="multipart/form-data: `data` (JSON) and at least one photo in `photos`. A home's "
                         "violation is linked to its active renovation and its household told in the app.")
def violations_create(request, form: Form[ViolationRecordForm]):
    _need(request, Capability.RECORD_VIOLATIONS, _("Your role may not record violations."))
    payload = _parse(form.data, ViolationRecordIn)
    violation = violation_record(actor=request.user, now=timezone.now(), data=ViolationInput(
        **payload.model_dump(), photos=request.FILES.getlist("photos")[:MAX_PHOTOS + 1]))
    if not user_can(request.user, Capability.VIEW_VIOLATIONS):  # a technician records but does not read
        return Status(201, {**_out(_plain(violation)), "photo_ids": [], "notices": [], "follow_ups": [],
                            "timeline": []})
    return Status(201, _detail_out(request, violation.pk))


def _plain(violation):
    violation.overdue = False
    return violation


def _in_scope(request, violation_id: int) -> None:
    with scoped_404():
        violation_detail(user=request.user, violation_id=violation_id)


class ViolationNoticeIn(Schema):
    text: str = Field(..., max_length=2000)
    deadline: date = Field(..., description="After today; the page suggests working days of the project.")
    channel: str = Field("app", max_length=8, description="app, sms or paper")


@router.post("{int:violation_id}/notices", response={201: ViolationDetailOut},
             summary="Issue a notice to the household (HANDLE_VIOLATIONS)")
def violations_notice(request, violation_id: int, payload: ViolationNoticeIn):
    _need(request, Capability.HANDLE_VIOLATIONS, _("Your role may not issue violation notices."))
    _in_scope(request, violation_id)
    notice_issue(actor=request.user, violation_id=violation_id, text=payload.text, deadline=payload.deadline,
                 channel=payload.channel, now=timezone.now())
    return Status(201, _detail_out(request, violation_id))


class ViolationFollowUpForm(Schema):
    fixed: bool
    note: str = Field("", max_length=500)


@router.post("{int:violation_id}/follow-ups", response={201: ViolationDetailOut},
             summary="Record a follow-up inspection (HANDLE_VIOLATIONS)",
             description="multipart/form-data: `fixed`, `note`, photos in `photos`. Put right: rectified; not put "
                         "right after the deadline: escalated to the PM. A closed violation is a 409.")
def violations_follow_up(request, violation_id: int, form: Form[ViolationFollowUpForm]):
    _need(request, Capability.HANDLE_VIOLATIONS, _("Your role may not record follow-ups of violations."))
    _in_scope(request, violation_id)
    follow_up_record(actor=request.user, violation_id=violation_id, fixed=form.fixed, note=form.note,
                     photos=request.FILES.getlist("photos")[:MAX_PHOTOS + 1], now=timezone.now())
    return Status(201, _detail_out(request, violation_id))


class ViolationEscalateIn(Schema):
    reason: str = Field(..., max_length=500)


@router.post("{int:violation_id}/escalate", response=ViolationDetailOut,
             summary="Escalate to the project manager (ESCALATE_VIOLATIONS)")
def violations_escalate(request, violation_id: int, payload: ViolationEscalateIn):
    _need(request, Capability.ESCALATE_VIOLATIONS, _("Your role may not escalate violations."))
    _in_scope(request, violation_id)
    violation_escalate(actor=request.user, violation_id=violation_id, reason=payload.reason, now=timezone.now())
    return _detail_out(request, violation_id)


class ViolationReferIn(Schema):
    authority: str = Field(..., max_length=12, description="chengguan, police, fire, street or housing")
    note: str = Field(..., max_length=1000)


@router.post("{int:violation_id}/refer", response=ViolationDetailOut,
             summary="Flag an escalated violation for referral to an authority (ESCALATE_VIOLATIONS)")
def violations_refer(request, violation_id: int, payload: ViolationReferIn):
    _need(request, Capability.ESCALATE_VIOLATIONS, _("Your role may not refer violations to the authorities."))
    _in_scope(request, violation_id)
    violation_refer(actor=request.user, violation_id=violation_id, authority=payload.authority, note=payload.note,
                    now=timezone.now())
    return _detail_out(request, violation_id)


class ViolationCloseIn(Schema):
    outcome: str = Field(..., max_length=1000)


@router.post("{int:violation_id}/close", response=ViolationDetailOut,
             summary="Close a violation with its outcome (HANDLE_VIOLATIONS; escalated ones: ESCALATE_VIOLATIONS)")
def violations_close(request, violation_id: int, payload: ViolationCloseIn):
    _need(request, Capability.HANDLE_VIOLATIONS, _("Your role may not close violations."))
    _in_scope(request, violation_id)
    violation_close(actor=request.user, violation_id=violation_id, outcome=payload.outcome, now=timezone.now())
    return _detail_out(request, violation_id)


class ViolationRenovationIn(Schema):
    renovation_id: int | None = Field(None, ge=1, le=2**62, description="A renovation of the same home; empty: none.")


@router.post("{int:violation_id}/renovation", response=ViolationDetailOut,
             summary="Link the violation to a renovation of its home, or unlink it (HANDLE_VIOLATIONS)")
def violations_renovation(request, violation_id: int, payload: ViolationRenovationIn):
    _need(request, Capability.HANDLE_VIOLATIONS, _("Your role may not change violations."))
    _in_scope(request, violation_id)
    violation_link_renovation(actor=request.user, violation_id=violation_id, renovation_id=payload.renovation_id,
                              now=timezone.now())
    return _detail_out(request, violation_id)


class ViolationReportRowOut(Schema):
    project: str
    building_id: int | None
    building: str
    month: date
    counts: dict[str, int]
    total: int


class ViolationReportOut(Schema):
    start: date
    rows: list[ViolationReportRowOut]
    totals: dict[str, int]
    total: int


class ViolationReportQuery(Schema):
    project: int | None = Field(None, ge=1, le=2**62)
    months: int = Field(12, ge=1, le=36)


@router.get("report", response=ViolationReportOut,
            summary="Violations recorded per building and month, by kind (VIEW_VIOLATIONS)")
def violations_report(request, query: Query[ViolationReportQuery]):
    _viewer(request)
    report = month_counts(user=request.user, today=timezone.localdate(), project_id=query.project,
                          months=query.months)
    return {"start": report["start"], "total": report["total"], "totals": report["totals"],
            "rows": [{k: row[k] for k in ("project", "building_id", "building", "month", "counts", "total")}
                     for row in report["rows"]]}
