"""API: renovation inspections 巡检, rectifications 整改, acceptance 验收 and the deposit refund, complaint links.
VIEW_RENOVATIONS reads, INSPECT_RENOVATIONS inspects and records acceptance, APPROVE_RENOVATIONS decides refunds (not
its own inspection); a resident may ask for the acceptance of their own home's renovation. Another scope's renovation,
acceptance or link is a 404."""

import json
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Form, Query, Router, Schema, Status
from pydantic import ValidationError

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.portal.selectors import resident_of
from propdesk.servicedesk.models import ServiceRequest
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import (
    Renovation,
    RenovationAcceptance,
    RenovationComplaint,
    RenovationInspection,
    RenovationRectification,
)
from ..selectors import inspections as selectors
from ..services.inspections import (
    AcceptanceInput,
    Deduction,
    InspectionInput,
    ItemAnswer,
    acceptance_decide,
    acceptance_record,
    acceptance_request,
    complaint_link,
    complaint_unlink,
    inspection_record,
)

router = Router(tags=["renovation-inspections"])
MAX_ROWS = 500


def _need(request, capability: Capability) -> None:
    if not user_can(request.user, capability):
        raise PermissionDenied(_("Your role may not do this."))


def _name(user) -> str | None:
    if user is None:
        return None
    profile = getattr(user, "staff_profile", None)
    return (profile.display_name if profile else "") or user.get_username()


def _renovation(request, renovation_id: int) -> Renovation:
    with scoped_404():
        return selectors.renovation_for_inspection(user=request.user, renovation_id=renovation_id)


class RenovationInspectionItemOut(Schema):
    position: int
    item: str
    passed: bool
    note: str


class RenovationInspectionOut(Schema):
    id: int
    renovation_id: int
    day: date
    inspected_at: datetime
    inspector: str | None
    kind: str = Field(..., description="routine, reinspection or acceptance")
    passed: bool
    note: str
    items: list[RenovationInspectionItemOut]
    photo_ids: list[int]


def _inspection_out(row: RenovationInspection) -> dict:
    return {"id": row.pk, "renovation_id": row.renovation_id, "day": row.day, "inspected_at": row.inspected_at,
            "inspector": _name(row.inspector), "kind": row.kind, "passed": row.passed, "note": row.note,
            "items": [{"position": i.position, "item": i.label, "passed": i.passed, "note": i.note}
                      for i in row.items.all()],
            "photo_ids": [p.pk for p in row.photos.all()]}


class RenovationRectificationOut(Schema):
    id: int
    renovation_id: int
    number: str
    room_code: str
    items: list[dict] = Field(..., description='[{"label", "note"}]: what must be fixed')
    deadline: date
    status: str = Field(..., description="open, fixed or overdue")
    closed_by_inspection_id: int | None


def _rect_out(row: RenovationRectification) -> dict:
    return {"id": row.pk, "renovation_id": row.renovation_id, "number": row.number,
            "room_code": row.renovation.room.code, "items": row.items, "deadline": row.deadline,
            "status": row.status, "closed_by_inspection_id": row.closed_by_id}


class RenovationDeductionOut(Schema):
    reason: str
    amount_fen: int


class RenovationAcceptanceOut(Schema):
    id: int
    renovation_id: int
    requested_at: datetime
    inspected_at: datetime | None
    inspector: str | None
    passed: bool | None
    deductions: list[RenovationDeductionOut]
    held_fen: int
    deductions_fen: int
    refund_fen: int = Field(..., description="The deposit held less the deductions, paid back when approved.")
    approval: str = Field(..., description="waiting (not inspected), pending, approved or refused")
    decision_note: str
    refund_entry_id: int | None


def _acceptance_out(row: RenovationAcceptance) -> dict:
    return {"id": row.pk, "renovation_id": row.renovation_id, "requested_at": row.requested_at,
            "inspected_at": row.inspected_at, "inspector": _name(row.inspector), "passed": row.passed,
            "deductions": row.deductions, "held_fen": row.held_fen, "deductions_fen": row.deductions_fen,
            "refund_fen": row.refund_fen, "approval": row.approval, "decision_note": row.decision_note,
            "refund_entry_id": row.refund_entry_id}


class RenovationDueOut(Schema):
    renovation_id: int
    number: str
    room_code: str
    due_since: date
    overdue: bool


class RenovationWorklistOut(Schema):
    due: list[RenovationDueOut]
    rectifications: list[RenovationRectificationOut]
    acceptance_requested: list[int] = Field(..., description="Ids of renovations waiting for acceptance.")


class RenovationWorklistQuery(Schema):
    mine: bool = Field(False, description="Only the buildings of the caller's zone.")


@router.get("inspections/worklist", response=RenovationWorklistOut,
            summary="Renovations due an inspection today, open rectifications, acceptance requests (VIEW_RENOVATIONS)")
def renovation_worklist(request, query: Query[RenovationWorklistQuery]):
    _need(request, Capability.VIEW_RENOVATIONS)
    work = selectors.worklist(user=request.user, today=timezone.localdate(),
                              steward_id=request.user.pk if query.mine else None)
    return {"due": [{"renovation_id": r.renovation.pk, "number": r.renovation.number,
                     "room_code": r.renovation.room.code, "due_since": r.due_since, "overdue": r.overdue}
                    for r in work.due],
            "rectifications": [_rect_out(r) for r in work.overdue_rectifications + work.open_rectifications],
            "acceptance_requested": [r.pk for r in work.acceptance_requests]}


@router.get("{int:renovation_id}/inspections", response=list[RenovationInspectionOut],
            summary="A renovation's inspections, newest first (VIEW_RENOVATIONS)")
def renovation_inspections(request, renovation_id: int):
    _need(request, Capability.VIEW_RENOVATIONS)
    renovation = _renovation(request, renovation_id)
    rows = (RenovationInspection.objects.filter(renovation=renovation).select_related("inspector")
            .prefetch_related("items", "photos")[:MAX_ROWS])
    return [_inspection_out(row) for row in rows]


class RenovationAnswerIn(Schema):
    item: str = Field(..., max_length=100, description="The checklist item, as the project's checklist names it.")
    passed: bool | None = None
    note: str = Field("", max_length=500, description="What must be fixed; needed when it fails.")


class RenovationInspectionIn(Schema):
    items: list[RenovationAnswerIn] = Field(..., max_length=100, description="Every item of the checklist, once.")
    note: str = Field("", max_length=500)


INSPECTION_HELP = ('The inspection as JSON: {"items": [{"item": "施工时间符合规定", "passed": true}, {"item": '
                   '"出入证（施工人员佩戴出入证）", "passed": false, "note": "两人未带证"}]}. '
                   "Photos go in the file field photos.")


class RenovationInspectionForm(Schema):
    data: str = Field(..., max_length=20000, description=INSPECTION_HELP)


@router.post("{int:renovation_id}/inspections", response={201: RenovationInspectionOut},
             summary="Record today's inspection; a failed one issues a rectification, a passed re-inspection closes "
                     "it (INSPECT_RENOVATIONS)",
             description="multipart/form-data: `data` (JSON) and `photos`. A second routine inspection the same day "
                         "is a 409; an item unanswered or failed without a note a 400 naming item_<n>.")
def renovation_inspection_create(request, renovation_id: int, form: Form[RenovationInspectionForm]):
    _need(request, Capability.INSPECT_RENOVATIONS)
    renovation = _renovation(request, renovation_id)
    try:
        payload = RenovationInspectionIn.model_validate(json.loads(form.data))
    except (ValueError, ValidationError) as error:
        message = _("The field data must be the inspection as JSON.")
        raise ApplicationError(message, {"fields": {"data": [message, *str(error).splitlines()[:3]]}}) from None
    inspection = inspection_record(actor=request.user, renovation_id=renovation.pk, now=timezone.now(),
                                   data=InspectionInput(answers=[ItemAnswer(a.item, a.passed, a.note)
                                                                 for a in payload.items], note=payload.note,
                                                        photos=request.FILES.getlist("photos")[:6]))
    row = (RenovationInspection.objects.select_related("inspector").prefetch_related("items", "photos")
           .get(pk=inspection.pk))
    return Status(201, _inspection_out(row))


class RenovationRectificationQuery(Schema):
    status: str | None = Field(None, description="open, fixed or overdue", max_length=16)
    renovation: int | None = None
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(100, ge=1, le=MAX_ROWS)


@router.get("rectifications", response=list[RenovationRectificationOut],
            summary="Rectification notices in scope, newest first (VIEW_RENOVATIONS)")
def renovation_rectifications(request, query: Query[RenovationRectificationQuery]):
    _need(request, Capability.VIEW_RENOVATIONS)
    rows = RenovationRectification.objects.restrict(request.user).select_related("renovation__room")
    if query.status:
        rows = rows.filter(status=query.status)
    if query.renovation:
        rows = rows.filter(renovation_id=query.renovation)
    return [_rect_out(r) for r in rows[query.offset:query.offset + query.limit]]


@router.post("{int:renovation_id}/acceptance/request", response={201: RenovationAcceptanceOut},
             summary="Ask for the completion acceptance: the household (their own home) or a steward "
                     "(INSPECT_RENOVATIONS)")
def renovation_acceptance_request(request, renovation_id: int):
    resident = resident_of(request.user)
    if resident is None:
        _need(request, Capability.INSPECT_RENOVATIONS)
    with scoped_404():
        renovation = Renovation.objects.restrict(request.user).get(pk=renovation_id)
    row = acceptance_request(actor=request.user, renovation_id=renovation.pk, resident=resident, now=timezone.now())
    return Status(201, _acceptance_out(row))


class RenovationDeductionIn(Schema):
    reason: str = Field(..., max_length=100)
    amount_fen: int = Field(..., ge=1, le=100_000_000)


class RenovationAcceptanceIn(Schema):
    passed: bool
    note: str = Field("", max_length=500, description="What must be fixed; needed when it fails.")
    deductions: list[RenovationDeductionIn] = Field([], max_length=20,
                                                    description="Only with passed: at most the deposit held.")


@router.post("{int:renovation_id}/acceptance", response=RenovationAcceptanceOut,
             summary="Record the acceptance inspection with deductions (INSPECT_RENOVATIONS)",
             description="Deductions above the deposit held are a 400 on `deductions`; failed sends the renovation "
                         "back to approved with a rectification.")
def renovation_acceptance_record(request, renovation_id: int, payload: RenovationAcceptanceIn):
    _need(request, Capability.INSPECT_RENOVATIONS)
    renovation = _renovation(request, renovation_id)
    row = acceptance_record(actor=request.user, renovation_id=renovation.pk, now=timezone.now(),
                            data=AcceptanceInput(passed=payload.passed, note=payload.note, deductions=[
                                Deduction(d.reason, d.amount_fen) for d in payload.deductions]))
    return _acceptance_out(row)


class RenovationAcceptanceQuery(Schema):
    approval: str = Field("pending", max_length=16, description="waiting, pending, approved or refused")
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(100, ge=1, le=MAX_ROWS)


@router.get("acceptances", response=list[RenovationAcceptanceOut],
            summary="Acceptances in scope by approval state, oldest first (VIEW_RENOVATIONS)")
def renovation_acceptances(request, query: Query[RenovationAcceptanceQuery]):
    _need(request, Capability.VIEW_RENOVATIONS)
    rows = (RenovationAcceptance.objects.restrict(request.user).filter(approval=query.approval)
            .select_related("inspector").order_by("requested_at", "id"))
    return [_acceptance_out(r) for r in rows[query.offset:query.offset + query.limit]]


class RenovationDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=500, description="Needed to refuse.")


@router.post("acceptances/{int:acceptance_id}/decision", response=RenovationAcceptanceOut,
             summary="Approve the deposit refund (paid now, the renovation closed) or refuse it "
                     "(APPROVE_RENOVATIONS, not the inspector)")
def renovation_acceptance_decide(request, acceptance_id: int, payload: RenovationDecisionIn):
    _need(request, Capability.APPROVE_RENOVATIONS)
    with scoped_404():
        row = selectors.acceptance_detail(user=request.user, acceptance_id=acceptance_id)
    row = acceptance_decide(actor=request.user, acceptance_id=row.pk, approve=payload.approve, note=payload.note,
                            now=timezone.now())
    return _acceptance_out(row)


class RenovationComplaintOut(Schema):
    id: int | None = Field(..., description="The link's id; empty for a candidate.")
    request_id: int
    request_number: str
    room_code: str | None
    description: str
    received_at: datetime


class RenovationComplaintsOut(Schema):
    linked: list[RenovationComplaintOut]
    candidates: list[RenovationComplaintOut] = Field(..., description="Requests in the building mentioning "
                                                                      "装修/噪音/电钻/敲打, not linked yet.")


def _complaint_out(req: ServiceRequest, link_id: int | None) -> dict:
    return {"id": link_id, "request_id": req.pk, "request_number": req.number,
            "room_code": req.room.code if req.room_id else None, "description": req.description[:500],
            "received_at": req.received_at}


@router.get("{int:renovation_id}/complaints", response=RenovationComplaintsOut,
            summary="Complaints linked to a renovation and candidates (VIEW_RENOVATIONS)")
def renovation_complaints(request, renovation_id: int):
    _need(request, Capability.VIEW_RENOVATIONS)
    renovation = _renovation(request, renovation_id)
    links = RenovationComplaint.objects.filter(renovation=renovation).select_related("request__room")
    return {"linked": [_complaint_out(link.request, link.pk) for link in links],
            "candidates": [_complaint_out(req, None) for req in
                           selectors.complaint_candidates(user=request.user, renovation=renovation)]}


class RenovationComplaintIn(Schema):
    request_id: int = Field(..., ge=1, le=2**62)


@router.post("{int:renovation_id}/complaints", response={201: RenovationComplaintOut},
             summary="Link a complaint or noise request of the building to the renovation (INSPECT_RENOVATIONS)")
def renovation_complaint_link(request, renovation_id: int, payload: RenovationComplaintIn):
    _need(request, Capability.INSPECT_RENOVATIONS)
    renovation = _renovation(request, renovation_id)
    req = ServiceRequest.objects.restrict(request.user).select_related("room").filter(pk=payload.request_id).first()
    if req is None:
        message = _("No such request in your scope.")
        raise ApplicationError(message, {"fields": {"request_id": [message]}}, status_code=404)
    link = complaint_link(actor=request.user, renovation_id=renovation.pk, request=req, now=timezone.now())
    return Status(201, _complaint_out(req, link.pk))


@router.delete("complaints/{int:link_id}", response={204: None},
               summary="Unlink a complaint from its renovation (INSPECT_RENOVATIONS)")
def renovation_complaint_unlink(request, link_id: int):
    _need(request, Capability.INSPECT_RENOVATIONS)
    with scoped_404():
        link = RenovationComplaint.objects.restrict(request.user).get(pk=link_id)
    complaint_unlink(actor=request.user, link=link)
    return Status(204, None)
