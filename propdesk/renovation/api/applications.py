"""API: renovation applications 装修申请 — list and detail (staff in scope with VIEW_RENOVATIONS; a resident: their
households'), apply (a resident for their home, the desk with RECORD_RENOVATIONS for a named resident), withdraw,
decide (APPROVE_RENOVATIONS), and the project's rules (get: VIEW_RENOVATIONS; put: EDIT_RENOVATION_RULES). Another
scope's or household's renovation or home is a 404."""

from datetime import date, datetime, time

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..selectors import applications as selectors
from ..services.applications import (
    ApplicationInput,
    WorkerInput,
    renovation_apply,
    renovation_decide,
    renovation_settings_update,
    renovation_withdraw,
)

router = Router(tags=["renovation"])
MAX_ROWS = 200


def _reader(request) -> None:
    if not (selectors.is_resident(request.user) or user_can(request.user, Capability.VIEW_RENOVATIONS)):
        raise PermissionDenied(_("Your role may not see renovations."))


class RenovationItemOut(Schema):
    code: str
    label: str
    flagged: bool


class RenovationWorkerOut(Schema):
    id: int
    name: str
    trade: str
    id_number_masked: str = Field(..., description="Masked like residents' ID numbers.")
    pass_number: str


class RenovationFlagOut(Schema):
    code: str
    label: str
    rule: str


class RenovationBillOut(Schema):
    bill_id: int
    amount_fen: int
    open_fen: int
    paid: bool


class RenovationOut(Schema):
    id: int
    number: str
    project_id: int
    room_id: int
    room_code: str
    status: str
    channel: str
    applicant_name: str
    contractor_name: str
    contractor_contact: str
    contractor_phone: str
    planned_start: date
    planned_end: date
    description: str
    flags: list[RenovationFlagOut]
    decision: str
    conditions: str
    decision_note: str
    decided_at: datetime | None
    permit_number: str
    deposit: RenovationBillOut | None
    fee: RenovationBillOut | None
    created_at: datetime


class RenovationDetailOut(RenovationOut):
    items: list[RenovationItemOut]
    workers: list[RenovationWorkerOut]
    photo_ids: list[int]


def _bill(bill) -> dict | None:
    if bill is None:
        return None
    return {"bill_id": bill.pk, "amount_fen": bill.amount_fen, "open_fen": bill.open_fen, "paid": bill.open_fen == 0}


def _out(r) -> dict:
    return {"id": r.pk, "number": r.number, "project_id": r.project_id, "room_id": r.room_id,
            "room_code": r.room.code, "status": r.status, "channel": r.channel, "applicant_name": r.applicant_name,
            "contractor_name": r.contractor_name, "contractor_contact": r.contractor_contact,
            "contractor_phone": r.contractor_phone, "planned_start": r.planned_start, "planned_end": r.planned_end,
            "description": r.description, "flags": [{"code": f.get("code", ""), "label": f.get("label", ""),
                                                     "rule": f.get("rule", "")} for f in r.flags or []],
            "decision": r.decision, "conditions": r.conditions, "decision_note": r.decision_note,
            "decided_at": r.decided_at, "permit_number": r.permit_number, "deposit": _bill(r.deposit_bill),
            "fee": _bill(r.fee_bill), "created_at": r.created_at}


def _detail_out(r) -> dict:
    return {**_out(r), "items": [{"code": i.code, "label": i.label, "flagged": i.flagged} for i in r.items.all()],
            "workers": [{"id": w.pk, "name": w.name, "trade": w.trade, "id_number_masked": w.masked_id_number,
                         "pass_number": w.pass_number} for w in r.workers.all()],
            "photo_ids": [p.pk for p in r.photos.all()]}


class RenovationFilters(Schema):
    status: str = Field("", max_length=24, description="A status, or 'open'.")
    building: int | None = Field(None, ge=1, le=2**63 - 1)
    project: int | None = Field(None, ge=1, le=2**63 - 1)
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(50, ge=1, le=MAX_ROWS)


@router.get("applications", response=list[RenovationOut],
            summary="Renovations in scope, newest first (VIEW_RENOVATIONS; a resident: their households')")
def renovation_list_api(request, filters: Query[RenovationFilters]):
    _reader(request)
    rows = selectors.renovation_list(user=request.user, filters=selectors.RenovationFilters(
        status=filters.status, building_id=filters.building, project_id=filters.project)).select_related(
        "deposit_bill", "fee_bill")
    return [_out(r) for r in rows[filters.offset:filters.offset + filters.limit]]


@router.get("applications/{renovation_id}", response=RenovationDetailOut,
            summary="A renovation with its items, workers (ID numbers masked) and photos")
def renovation_detail_api(request, renovation_id: int):
    _reader(request)
    with scoped_404():
        return _detail_out(selectors.renovation_detail(user=request.user, renovation_id=renovation_id))


class RenovationWorkerIn(Schema):
    name: str = Field(..., max_length=50)
    id_number: str = Field("", max_length=18, description="Required: a worker without an ID number is refused.")
    trade: str = Field("", max_length=30)
    phone: str = Field("", max_length=24)


class RenovationApplyIn(Schema):
    room_id: int = Field(..., ge=1, le=2**63 - 1)
    applicant_id: int | None = Field(None, ge=1, le=2**63 - 1,
                                     description="The desk: the resident applied for. Ignored for a resident.")
    items: list[str] = Field(..., max_length=20, description="Work item codes (see renovation.rules.items).")
    contractor_name: str = Field(..., max_length=100)
    contractor_licence: str = Field("", max_length=50)
    contractor_contact: str = Field(..., max_length=50)
    contractor_phone: str = Field(..., max_length=24)
    planned_start: date
    planned_end: date
    description: str = Field("", max_length=2000)
    workers: list[RenovationWorkerIn] = Field(..., max_length=30)


@router.post("applications", response={201: RenovationDetailOut},
             summary="Apply for a renovation (a resident for their home; the desk: RECORD_RENOVATIONS)")
def renovation_apply_api(request, payload: RenovationApplyIn):
    data = ApplicationInput(
        room_id=payload.room_id, applicant_id=payload.applicant_id, items=payload.items,
        contractor_name=payload.contractor_name, contractor_licence=payload.contractor_licence,
        contractor_contact=payload.contractor_contact, contractor_phone=payload.contractor_phone,
        planned_start=payload.planned_start, planned_end=payload.planned_end, description=payload.description,
        workers=[WorkerInput(name=w.name, id_number=w.id_number, trade=w.trade, phone=w.phone)
                 for w in payload.workers])
    with scoped_404():
        renovation = renovation_apply(actor=request.user, data=data, now=timezone.now())
        return Status(201, _detail_out(selectors.renovation_detail(user=request.user, renovation_id=renovation.pk)))


class RenovationWithdrawIn(Schema):
    reason: str = Field("", max_length=1000)


@router.post("applications/{renovation_id}/withdraw", response=RenovationDetailOut,
             summary="Withdraw an application (the household, or the desk: RECORD_RENOVATIONS)")
def renovation_withdraw_api(request, renovation_id: int, payload: RenovationWithdrawIn):
    with scoped_404():
        renovation_withdraw(actor=request.user, renovation_id=renovation_id, reason=payload.reason,
                            now=timezone.now())
        return _detail_out(selectors.renovation_detail(user=request.user, renovation_id=renovation_id))


class RenovationDecideIn(Schema):
    decision: str = Field(..., description="approved, conditions or refused")
    conditions: str = Field("", max_length=1000, description="Required to approve with conditions.")
    note: str = Field("", max_length=1000, description="The reasons of a refusal (required then).")


@router.post("applications/{renovation_id}/decide", response=RenovationDetailOut,
             summary="Approve, approve with conditions or refuse (APPROVE_RENOVATIONS); approval charges the "
                     "deposit and the debris fee")
def renovation_decide_api(request, renovation_id: int, payload: RenovationDecideIn):
    with scoped_404():
        renovation_decide(actor=request.user, renovation_id=renovation_id, decision=payload.decision,
                          conditions=payload.conditions, note=payload.note, now=timezone.now())
        return _detail_out(selectors.renovation_detail(user=request.user, renovation_id=renovation_id))


class RenovationSettingsOut(Schema):
    project_id: int
    saved: bool = Field(..., description="False: the defaults, never saved for this project.")
    forbidden_items: list[str]
    flagged_items: list[str]
    balcony_closing_banned: bool
    work_start: str = Field(..., description="HH:MM, Beijing time")
    work_end: str = Field(..., description="HH:MM, Beijing time")
    noon_quiet_start: str = Field(..., description="HH:MM, Beijing time")
    noon_quiet_end: str = Field(..., description="HH:MM, Beijing time")
    quiet_days: list[date]
    max_days: int
    deposit_fen: int
    fee_fen: int
    inspect_every_days: int
    checklist: list[str]


class RenovationSettingsQuery(Schema):
    project_id: int = Field(..., ge=1, le=2**63 - 1)


def _settings_out(row) -> dict:
    return {"project_id": row.project_id, "saved": row.pk is not None,
            "forbidden_items": row.forbidden_items or [], "flagged_items": row.flagged_items or [],
            "balcony_closing_banned": row.balcony_closing_banned, "work_start": f"{row.work_start:%H:%M}",
            "work_end": f"{row.work_end:%H:%M}", "noon_quiet_start": f"{row.noon_quiet_start:%H:%M}",
            "noon_quiet_end": f"{row.noon_quiet_end:%H:%M}",
            "quiet_days": [date.fromisoformat(d) for d in row.quiet_days or []], "max_days": row.max_days,
            "deposit_fen": row.deposit_fen, "fee_fen": row.fee_fen, "inspect_every_days": row.inspect_every_days,
            "checklist": row.checklist or []}


def _project(request, project_id: int) -> Project:
    try:
        return Project.objects.restrict(request.user).get(pk=project_id)
    except ObjectDoesNotExist:
        message = _("No such project in your scope.")
        raise ApplicationError(message, {"fields": {"project_id": [message]}}) from None


@router.get("settings", response=RenovationSettingsOut, summary="A project's renovation rules (VIEW_RENOVATIONS)")
def renovation_settings_get(request, query: Query[RenovationSettingsQuery]):
    if not user_can(request.user, Capability.VIEW_RENOVATIONS):
        raise PermissionDenied(_("Your role may not see renovations."))
    return _settings_out(selectors.settings_of(_project(request, query.project_id).pk))


class RenovationSettingsIn(Schema):
    project_id: int = Field(..., ge=1, le=2**63 - 1)
    forbidden_items: list[str] | None = Field(None, max_length=20)
    flagged_items: list[str] | None = Field(None, max_length=20)
    balcony_closing_banned: bool | None = None
    work_start: str | None = Field(None, pattern=r"^\d{2}:\d{2}$", description="HH:MM")
    work_end: str | None = Field(None, pattern=r"^\d{2}:\d{2}$", description="HH:MM")
    noon_quiet_start: str | None = Field(None, pattern=r"^\d{2}:\d{2}$", description="HH:MM")
    noon_quiet_end: str | None = Field(None, pattern=r"^\d{2}:\d{2}$", description="HH:MM")
    quiet_days: list[date] | None = Field(None, max_length=100)
    max_days: int | None = Field(None, ge=1, le=366)
    deposit_fen: int | None = Field(None, ge=0, le=10_000_000)
    fee_fen: int | None = Field(None, ge=0, le=10_000_000)
    inspect_every_days: int | None = Field(None, ge=1, le=30)
    checklist: list[str] | None = Field(None, max_length=50)


@router.put("settings", response=RenovationSettingsOut,
            summary="Set a project's renovation rules; only the fields given change (EDIT_RENOVATION_RULES)")
def renovation_settings_put(request, payload: RenovationSettingsIn):
    if not user_can(request.user, Capability.EDIT_RENOVATION_RULES):
        raise PermissionDenied(_("Your role may not change the renovation rules."))
    project = _project(request, payload.project_id)
    values = {k: v for k, v in payload.dict(exclude={"project_id"}).items() if v is not None}
    for name in ("work_start", "work_end", "noon_quiet_start", "noon_quiet_end"):
        if name in values:
            try:
                values[name] = time.fromisoformat(values[name])
            except ValueError:
                values[name] = None  # the service names the field
    row = renovation_settings_update(actor=request.user, project_id=project.pk, values=values, now=timezone.now())
    return _settings_out(row)
