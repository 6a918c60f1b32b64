"""API: vacant homes 空置房 — the list, the project's checklist (get, update), inspections (list; create as multipart
with photos per not-fine item), a home's record. VIEW_VACANT reads, INSPECT_VACANT inspects, EDIT_VACANT_CHECKLIST
updates the checklist; another scope's home is a 404, another scope's project a 400 on project_id."""

import json
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Form, Query, Router, Schema, Status
from pydantic import ValidationError

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..rules.vacant import ItemAnswer
from ..selectors import vacant as selectors
from ..services.vacant import InspectionInput, vacant_checklist_update, vacant_inspection_record

router = Router(tags=["stewardship"])
MAX_ROWS = 500


def _need(request, capability: Capability, message: str) -> None:
    if not user_can(request.user, capability):
        raise PermissionDenied(message)


def _viewer(request) -> None:
    _need(request, Capability.VIEW_VACANT, _("Your role may not see vacant homes."))


def _name(user) -> str | None:
    if user is None:
        return None
    profile = getattr(user, "staff_profile", None)
    return (profile.display_name if profile else "") or user.get_username()


class VacantHomeOut(Schema):
    room_id: int
    project_id: int
    code: str
    building_id: int
    handed_over_on: date | None = Field(..., description="Empty: never handed over (or before PropDesk).")
    owners: list[str] = Field(..., description="Current owners and co-owners on record; a home with an owner and "
                                               "nobody living there is still vacant.")
    steward_id: int | None
    steward: str | None
    last_inspected_on: date | None
    last_result: str | None = Field(..., description="fine or findings")
    last_findings: int | None
    next_due: date | None = Field(..., description="Empty: never inspected (due now).")
    overdue: bool


def _home_out(room) -> dict:
    return {"room_id": room.pk, "project_id": room.project_id, "code": room.code, "building_id": room.building_id,
            "handed_over_on": room.handed_over_on, "owners": [o.resident.name for o in room.owners],
            "steward_id": room.steward.pk if room.steward else None, "steward": _name(room.steward),
            "last_inspected_on": room.last_day, "last_result": room.last_result,
            "last_findings": room.last_findings, "next_due": room.next_due, "overdue": room.overdue}


class VacantHomeFilters(Schema):
    project: int | None = Field(None, description="A project id.")
    building: int | None = None
    steward: int | None = Field(None, description="A steward's user id: the homes of their zone.")
    overdue: bool = False
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(100, ge=1, le=MAX_ROWS)


@router.get("vacant/homes", response=list[VacantHomeOut], summary="Vacant homes in scope (VIEW_VACANT)")
def vacant_homes(request, filters: Query[VacantHomeFilters]):
    _viewer(request)
    today = timezone.localdate()
    rooms = selectors.vacant_home_list(user=request.user, today=today, filters=selectors.VacantFilters(
        building_id=filters.building, steward_id=filters.steward, overdue=filters.overdue,
        project_id=filters.project))
    return [_home_out(room) for room in selectors.decorate(
        rooms[filters.offset:filters.offset + filters.limit], today=today)]


class VacantChecklistOut(Schema):
    project_id: int
    items: list[str]
    interval_days: int
    saved: bool = Field(..., description="False: the defaults, never saved for this project.")


class VacantChecklistQuery(Schema):
    project_id: int


def _project(request, project_id):
    try:
        return selectors.checklist_detail(user=request.user, project_id=project_id)
    except ObjectDoesNotExist:
        message = _("No such project in your scope.")
        raise ApplicationError(message, {"fields": {"project_id": [message]}}) from None


def _checklist_out(checklist) -> dict:
    return {"project_id": checklist.project_id, "items": checklist.items, "interval_days": checklist.interval_days,
            "saved": checklist.saved}


@router.get("vacant/checklist", response=VacantChecklistOut,
            summary="A project's vacant-home checklist and frequency (VIEW_VACANT)")
def vacant_checklist_get(request, query: Query[VacantChecklistQuery]):
    _viewer(request)
    return _checklist_out(_project(request, query.project_id)[1])


class VacantChecklistIn(Schema):
    project_id: int
    items: list[str] = Field(..., max_length=100, description="The items in order; blanks and repeats dropped.")
    interval_days: int = Field(..., description="Inspect each vacant home every so many days (1–366).")


@router.put("vacant/checklist", response=VacantChecklistOut,
            summary="Set a project's vacant-home checklist and frequency (EDIT_VACANT_CHECKLIST)")
def vacant_checklist_put(request, payload: VacantChecklistIn):
    _need(request, Capability.EDIT_VACANT_CHECKLIST, _("Your role may not change the vacant-home checklist."))
    project, _checklist = _project(request, payload.project_id)
    vacant_checklist_update(actor=request.user, project=project, items=payload.items,
                            interval_days=payload.interval_days, now=timezone.now())
    return _checklist_out(selectors.checklist_of(project.pk))


class VacantItemOut(Schema):
    position: int
    item: str
    fine: bool
    note: str
    request_id: int | None
    request_number: str | None
    request_status: str | None


class VacantInspectionOut(Schema):
    id: int
    room_id: int
    room_code: str
    day: date
    inspected_at: datetime
    inspector: str | None
    result: str
    findings: int
    water_reading: Decimal | None
    power_reading: Decimal | None
    note: str
    items: list[VacantItemOut]


def _inspection_out(inspection) -> dict:
    return {"id": inspection.pk, "room_id": inspection.room_id, "room_code": inspection.room.code,
            "day": inspection.day, "inspected_at": inspection.inspected_at, "inspector": _name(inspection.inspector),
            "result": inspection.result, "findings": inspection.findings, "water_reading": inspection.water_reading,
            "power_reading": inspection.power_reading, "note": inspection.note,
            "items": [{"position": item.position, "item": item.label, "fine": item.fine, "note": item.note,
                       "request_id": item.request_id, "request_number": item.request.number if item.request else None,
                       "request_status": item.request.status if item.request else None}
                      for item in inspection.items.all()]}


class VacantInspectionFilters(Schema):
    project: int | None = None
    room: int | None = None
    since: date | None = None
    until: date | None = None
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(100, ge=1, le=MAX_ROWS)


@router.get("vacant/inspections", response=list[VacantInspectionOut],
            summary="Vacant-home inspections in scope, newest first, with items and requests (VIEW_VACANT)")
def vacant_inspections(request, filters: Query[VacantInspectionFilters]):
    _viewer(request)
    rows = selectors.inspection_list(user=request.user, project_id=filters.project, room_id=filters.room,
                                     since=filters.since, until=filters.until)
    return [_inspection_out(row) for row in rows[filters.offset:filters.offset + filters.limit]]


class VacantAnswerIn(Schema):
    item: str = Field(..., max_length=100, description="The checklist item, as the checklist names it.")
    fine: bool | None = None
    note: str = Field("", max_length=500, description="What was found; needed when not fine.")


class VacantInspectionIn(Schema):
    items: list[VacantAnswerIn] = Field(..., max_length=100, description="Every item of the checklist, once.")
    water_reading: str = Field("", max_length=20)
    power_reading: str = Field("", max_length=20)
    note: str = Field("", max_length=500)


DATA_HELP = ('The inspection as JSON: {"items": [{"item": "门窗关闭", "fine": true}, {"item": "无异味", "fine": '
             'false, "note": "厨房地漏返味"}], "water_reading": "123.5"}. Photos of the item at position n of the '
             "checklist go in the file field photo_<n> (photo_2); they go with its request.")


class VacantInspectionForm(Schema):
    data: str = Field(..., max_length=20000, description=DATA_HELP)


def _parse(data: str) -> VacantInspectionIn:
    try:
        return VacantInspectionIn.model_validate(json.loads(data))
    except (ValueError, ValidationError) as error:
        message = _("The field data must be the inspection as JSON.")
        detail = str(error).splitlines()[:3]
        raise ApplicationError(message, {"fields": {"data": [message, *detail]}}) from None


@router.post("vacant/homes/{int:room_id}/inspections", response={201: VacantInspectionOut},
             summary="Record the inspection of a vacant home today; not-fine items become requests (INSPECT_VACANT)",
             description="multipart/form-data: the field `data` (JSON, below) and photos as `photo_<n>`. A home "
                         "inspected today already is a 409; a home that is not vacant, an item unanswered or not fine "
                         "without a note a 400 naming the field (item_<n>).")
def vacant_inspection_create(request, room_id: int, form: Form[VacantInspectionForm]):
    _need(request, Capability.INSPECT_VACANT, _("Your role may not inspect vacant homes."))
    with scoped_404():
        room = selectors.home_detail(user=request.user, room_id=room_id)
    payload = _parse(form.data)
    checklist = selectors.checklist_of(room.project_id).items
    photos = {label: request.FILES.getlist(f"photo_{position}")[:5] for position, label in enumerate(checklist)}
    inspection = vacant_inspection_record(actor=request.user, room_id=room.pk, now=timezone.now(), data=InspectionInput(
        answers=[ItemAnswer(label=a.item, fine=a.fine, note=a.note) for a in payload.items], photos=photos,
        water_reading=payload.water_reading, power_reading=payload.power_reading, note=payload.note))
    row = selectors.inspection_list(user=request.user, room_id=room.pk).get(pk=inspection.pk)
    return Status(201, _inspection_out(row))


class VacantRecordOut(Schema):
    home: VacantHomeOut
    status: str = Field(..., description="The archive's status of the home now (vacant, occupied, renovating).")
    inspections: list[VacantInspectionOut]


@router.get("vacant/homes/{int:room_id}", response=VacantRecordOut,
            summary="A home's vacant-inspection record: every inspection with items and requests (VIEW_VACANT)")
def vacant_home_record(request, room_id: int):
    _viewer(request)
    with scoped_404():
        room, inspections = selectors.home_record(user=request.user, room_id=room_id, today=timezone.localdate())
    for inspection in inspections:
        inspection.room = room
    return {"home": _home_out(room), "status": room.status,
            "inspections": [_inspection_out(inspection) for inspection in inspections]}
