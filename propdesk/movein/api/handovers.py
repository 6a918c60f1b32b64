"""API: move-in 入伙/交房 — slots (list, open one, open a day's), buyers (list, enter), bookings (list, book, cancel),
the handover (complete as multipart with photos per defect; read), the open-defects report, the project's defect
deadline. VIEW_HANDOVERS reads, MANAGE_HANDOVER_SLOTS opens slots and sets the deadline, HANDOVER enters buyers,
books and hands over. Another scope's object is a 404; another scope's id in a body a 400 on its field."""

import json
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Form, Query, Router, Schema, Status
from pydantic import ValidationError

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.org.models import Building, Project, Room
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import BookingChannel, HandoverBooking, HandoverBuyer
from ..rules.handover import AREAS
from ..selectors import handovers as selectors
from ..services.buyers import buyer_create
from ..services.handover import AreaInput, HandoverInput, defect_days, handover_complete
from ..services.slots import booking_cancel, booking_create, settings_update, slot_create, slots_batch

router = Router(tags=["movein"])
MAX_ROWS = 500


def _need(request, capability: Capability, message: str) -> None:
    if not user_can(request.user, capability):
        raise PermissionDenied(message)


def _viewer(request) -> None:
    _need(request, Capability.VIEW_HANDOVERS, _("Your role may not see handovers."))


def _in_scope(queryset, pk, name: str, message: str):
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if pk is not None and found is None:
        raise ApplicationError(message, {"fields": {name: [message]}})
    return found


def _project(request, project_id):
    return _in_scope(Project.objects.restrict(request.user), project_id, "project_id",
                     _("No such project in your scope."))


def _building(request, building_id):
    return _in_scope(Building.objects.restrict(request.user), building_id, "building_id",
                     _("No such building in your scope."))


class HandoverSlotOut(Schema):
    id: int
    project_id: int
    building_id: int | None = Field(..., description="Empty: for every building of the project.")
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int
    places_left: int


def _slot_out(slot) -> dict:
    return {"id": slot.pk, "project_id": slot.project_id, "building_id": slot.building_id,
            "starts_at": slot.starts_at, "ends_at": slot.ends_at, "capacity": slot.capacity, "booked": slot.booked,
            "places_left": slot.places_left}


class HandoverSlotFilters(Schema):
    project: int | None = None
    building: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(100, ge=1, le=MAX_ROWS)


@router.get("slots", response=list[HandoverSlotOut], summary="Handover slots in scope (VIEW_HANDOVERS)")
def slot_list(request, filters: Query[HandoverSlotFilters]):
    _viewer(request)
    rows = selectors.slot_list(user=request.user, project_id=filters.project, building_id=filters.building,
                               since=filters.since, until=filters.until)
    return [_slot_out(s) for s in rows[filters.offset:filters.offset + filters.limit]]


class HandoverSlotIn(Schema):
    project_id: int
    building_id: int | None = None
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(..., ge=1, le=50)


@router.post("slots", response={201: HandoverSlotOut},
             summary="Open a slot on a working day of the project's calendar (MANAGE_HANDOVER_SLOTS)")
def slot_open(request, payload: HandoverSlotIn):
    _need(request, Capability.MANAGE_HANDOVER_SLOTS, _("Your role may not open handover slots."))
    slot = slot_create(actor=request.user, project=_project(request, payload.project_id),
                       building=_building(request, payload.building_id), starts_at=payload.starts_at,
                       ends_at=payload.ends_at, capacity=payload.capacity, now=timezone.now())
    return Status(201, _slot_out(slot))


class HandoverSlotBatchIn(Schema):
    project_id: int
    building_id: int | None = None
    day: date
    first: time = Field(..., description="The first slot's start (project time), 09:00.")
    last_end: time = Field(..., description="The last slot ends at the latest then, 11:30.")
    minutes: int = Field(30, ge=10, le=240)
    capacity: int = Field(3, ge=1, le=50)


@router.post("slots/batch", response={201: list[HandoverSlotOut]},
             summary="Open a day's slots; times already open are skipped (MANAGE_HANDOVER_SLOTS)")
def slot_batch(request, payload: HandoverSlotBatchIn):
    _need(request, Capability.MANAGE_HANDOVER_SLOTS, _("Your role may not open handover slots."))
    made = slots_batch(actor=request.user, project=_project(request, payload.project_id),
                       building=_building(request, payload.building_id), day=payload.day, first=payload.first,
                       last_end=payload.last_end, minutes=payload.minutes, capacity=payload.capacity,
                       now=timezone.now())
    return Status(201, [_slot_out(s) for s in made])


class HandoverBuyerOut(Schema):
    id: int
    project_id: int
    room_id: int
    room_code: str
    name: str
    mobile: str = Field(..., description="Masked.")
    id_number: str = Field(..., description="Masked.")
    resident_id: int | None = Field(..., description="The archive's resident once handed over.")


def _buyer_out(buyer) -> dict:
    return {"id": buyer.pk, "project_id": buyer.project_id, "room_id": buyer.room_id, "room_code": buyer.room.code,
            "name": buyer.name, "mobile": buyer.masked_mobile, "id_number": buyer.masked_id_number,
            "resident_id": buyer.resident_id}


class HandoverBuyerFilters(Schema):
    project: int | None = None
    building: int | None = None
    q: str = Field("", max_length=50)
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(100, ge=1, le=MAX_ROWS)


@router.get("buyers", response=list[HandoverBuyerOut], summary="Buyers in scope (VIEW_HANDOVERS)")
def buyer_list(request, filters: Query[HandoverBuyerFilters]):
    _viewer(request)
    rows = selectors.buyer_list(user=request.user, project_id=filters.project, building_id=filters.building,
                                q=filters.q.strip())
    return [_buyer_out(b) for b in rows[filters.offset:filters.offset + filters.limit]]


class HandoverBuyerIn(Schema):
    room_id: int
    name: str = Field(..., max_length=50)
    mobile: str = Field(..., max_length=20)
    id_number: str = Field("", max_length=32)


@router.post("buyers", response={201: HandoverBuyerOut}, summary="Enter the buyer of a home (HANDOVER)")
def buyer_enter(request, payload: HandoverBuyerIn):
    _need(request, Capability.HANDOVER, _("Your role may not enter buyers."))
    room = _in_scope(Room.objects.restrict(request.user), payload.room_id, "room_id", _("No such home in your scope."))
    buyer = buyer_create(actor=request.user, room=room, name=payload.name, mobile=payload.mobile,
                         id_number=payload.id_number, now=timezone.now())
    return Status(201, _buyer_out(HandoverBuyer.objects.select_related("room").get(pk=buyer.pk)))


class HandoverBookingOut(Schema):
    id: int
    slot_id: int
    starts_at: datetime
    room_id: int
    room_code: str
    buyer: str
    status: str = Field(..., description="booked, cancelled or done (handed over)")
    channel: str = Field(..., description="link (the buyer) or desk")
    booked_at: datetime


def _booking_out(b) -> dict:
    return {"id": b.pk, "slot_id": b.slot_id, "starts_at": b.slot.starts_at, "room_id": b.room_id,
            "room_code": b.room.code, "buyer": b.buyer.name, "status": b.status, "channel": b.channel,
            "booked_at": b.booked_at}


class HandoverBookingFilters(Schema):
    project: int | None = None
    day: date | None = None
    status: str = Field("", max_length=16)
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(100, ge=1, le=MAX_ROWS)


@router.get("bookings", response=list[HandoverBookingOut], summary="Handover bookings in scope (VIEW_HANDOVERS)")
def booking_list(request, filters: Query[HandoverBookingFilters]):
    _viewer(request)
    rows = selectors.booking_list(user=request.user, project_id=filters.project, day=filters.day,
                                  status=filters.status)
    return [_booking_out(b) for b in rows[filters.offset:filters.offset + filters.limit]]


class HandoverBookingIn(Schema):
    buyer_id: int
    slot_id: int


@router.post("bookings", response={201: HandoverBookingOut},
             summary="Book a slot for a buyer at the desk (HANDOVER); booked twice or full: 409")
def booking_book(request, payload: HandoverBookingIn):
    _need(request, Capability.HANDOVER, _("Your role may not book handovers."))
    buyer = _in_scope(HandoverBuyer.objects.restrict(request.user).select_related("room"), payload.buyer_id,
                      "buyer_id", _("No such buyer in your scope."))
    booking = booking_create(actor=request.user, buyer=buyer, slot_id=payload.slot_id, channel=BookingChannel.DESK,
                             now=timezone.now())
    return Status(201, _booking_out(selectors.booking_list(user=request.user).get(pk=booking.pk)))


@router.post("bookings/{int:booking_id}/cancel", response=HandoverBookingOut,
             summary="Cancel a booking, at the latest the day before (HANDOVER)")
def booking_cancel_api(request, booking_id: int):
    _need(request, Capability.HANDOVER, _("Your role may not cancel handover bookings."))
    with scoped_404():
        booking = HandoverBooking.objects.restrict(request.user).get(pk=booking_id)
    booking_cancel(actor=request.user, booking=booking, now=timezone.now())
    return _booking_out(selectors.booking_list(user=request.user).get(pk=booking.pk))


class HandoverDefectOut(Schema):
    id: int
    room_id: int
    room_code: str
    building_id: int
    area: str
    note: str
    request_id: int
    request_number: str
    request_status: str
    found_at: datetime
    fix_by: datetime


def _defect_out(d, room) -> dict:
    return {"id": d.pk, "room_id": room.pk, "room_code": room.code, "building_id": d.building_id, "area": d.area,
            "note": d.note, "request_id": d.request_id, "request_number": d.request.number,
            "request_status": d.request.status, "found_at": d.found_at, "fix_by": d.fix_by}


class HandoverOut(Schema):
    id: int
    room_id: int
    room_code: str
    resident_id: int
    archive_no: str
    steward_id: int | None
    completed_at: datetime
    moves_in: bool
    documents: list[str]
    keys: dict[str, int]
    readings: dict[str, str]
    areas: list[dict]
    defects: list[HandoverDefectOut]


def _handover_out(h) -> dict:
    return {"id": h.pk, "room_id": h.room_id, "room_code": h.room.code, "resident_id": h.resident_id,
            "archive_no": h.resident.archive_no, "steward_id": h.steward_id, "completed_at": h.completed_at,
            "moves_in": h.moves_in, "documents": h.documents, "keys": h.keys, "readings": h.readings,
            "areas": h.areas, "defects": [_defect_out(d, h.room) for d in h.defects.all()]}


class HandoverAreaIn(Schema):
    area: str = Field(..., max_length=20)
    ok: bool | None = None
    note: str = Field("", max_length=500)


class HandoverIn(Schema):
    documents: list[str] = Field(..., max_length=10)
    keys: dict[str, int | str] = Field(default_factory=dict)
    readings: dict[str, str] = Field(default_factory=dict)
    areas: list[HandoverAreaIn] = Field(..., max_length=20)
    moves_in: bool = True
    note: str = Field("", max_length=500)
    booking_id: int | None = None


DATA_HELP = ('The checklist as JSON: {"documents": ["购房合同", "身份证", "交房通知书", "维修基金/契税收据"], '
             '"keys": {"入户门钥匙": 3}, "readings": {"water": "12.5", "power": "305"}, "areas": [{"area": "客厅", '
             '"ok": true}, {"area": "卫生间", "ok": false, "note": "地漏倒坡"}], "moves_in": true}. Photos of the '
             f"area at position n go in the file field photo_<n>. The usual areas: {'、'.join(AREAS)}.")


class HandoverForm(Schema):
    data: str = Field(..., max_length=20000, description=DATA_HELP)


def _parse(data: str) -> HandoverIn:
    try:
        return HandoverIn.model_validate(json.loads(data))
    except (ValueError, ValidationError) as error:
        message = _("The field data must be the checklist as JSON.")
        raise ApplicationError(message, {"fields": {"data": [message, *str(error).splitlines()[:3]]}}) from None


@router.post("rooms/{int:room_id}/handover", response={201: HandoverOut},
             summary="Complete the handover of a home (HANDOVER): defects become developer requests",
             description="multipart/form-data: the field `data` (JSON) and photos as `photo_<n>`. A home handed over "
                         "already is a 409; a document not checked, a reading that is not a number, an area without "
                         "an answer or a defect without a note a 400 naming the field.")
def handover_create(request, room_id: int, form: Form[HandoverForm]):
    _need(request, Capability.HANDOVER, _("Your role may not hand over homes."))
    with scoped_404():
        room = Room.objects.restrict(request.user).get(pk=room_id)
    payload = _parse(form.data)
    areas = [AreaInput(area=a.area, ok=a.ok, note=a.note, photos=request.FILES.getlist(f"photo_{i}")[:5])
             for i, a in enumerate(payload.areas)]
    handover = handover_complete(actor=request.user, room_id=room.pk, booking_id=payload.booking_id,
                                 now=timezone.now(), data=HandoverInput(
                                     documents=payload.documents, keys=payload.keys, readings=payload.readings,
                                     areas=areas, moves_in=payload.moves_in, note=payload.note))
    return Status(201, _handover_out(selectors.handover_detail(user=request.user, handover_id=handover.pk)))


@router.get("handovers/{int:handover_id}", response=HandoverOut, summary="A handover's record (VIEW_HANDOVERS)")
def handover_read(request, handover_id: int):
    _viewer(request)
    with scoped_404():
        return _handover_out(selectors.handover_detail(user=request.user, handover_id=handover_id))


class HandoverDefectBuildingOut(Schema):
    building_id: int
    project: str
    building: str
    open: int
    overdue: int
    fixed: int


class HandoverDefectReportOut(Schema):
    total: int
    overdue: int
    buildings: list[HandoverDefectBuildingOut]
    areas: dict[str, int]
    ages: dict[str, int] = Field(..., description="Open defects by days since found: ≤7, 8–15, 16–30, >30.")
    defects: list[HandoverDefectOut]


class HandoverDefectFilters(Schema):
    project: int | None = None
    building: int | None = None
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(100, ge=1, le=MAX_ROWS)


@router.get("defects", response=HandoverDefectReportOut,
            summary="Open handover defects per building, room part and age, and the list (VIEW_HANDOVERS, or the "
                    "developer's after-sales user: their department's)")
def defect_report(request, filters: Query[HandoverDefectFilters]):
    if not (user_can(request.user, Capability.VIEW_HANDOVERS) or selectors.developer_department_id(request.user)):
        raise PermissionDenied(_("Your role may not see handover defects."))
    now = timezone.now()
    report = selectors.defect_report(user=request.user, now=now, project_id=filters.project)
    rows = selectors.open_defects(user=request.user, project_id=filters.project, building_id=filters.building)
    return {"total": report.total, "overdue": report.overdue,
            "buildings": [{"building_id": r["building_id"], "project": r["project__name"],
                           "building": r["building__number"], "open": r["open"], "overdue": r["overdue"],
                           "fixed": r["fixed"]} for r in report.buildings],
            "areas": {r["area"]: r["n"] for r in report.areas}, "ages": {r["age"]: r["n"] for r in report.ages},
            "defects": [_defect_out(d, d.handover.room) for d in rows[filters.offset:filters.offset + filters.limit]]}


class HandoverSettingsOut(Schema):
    project_id: int
    defect_days: int = Field(..., description="Working days the developer has to fix a handover defect.")


class HandoverSettingsQuery(Schema):
    project_id: int


@router.get("settings", response=HandoverSettingsOut, summary="A project's handover settings (VIEW_HANDOVERS)")
def settings_read(request, query: Query[HandoverSettingsQuery]):
    _viewer(request)
    project = _project(request, query.project_id)
    return {"project_id": project.pk, "defect_days": defect_days(project.pk)}


class HandoverSettingsIn(Schema):
    project_id: int
    defect_days: int = Field(..., ge=1, le=120)


@router.put("settings", response=HandoverSettingsOut,
            summary="Set a project's working days to fix a handover defect (MANAGE_HANDOVER_SLOTS)")
def settings_write(request, payload: HandoverSettingsIn):
    _need(request, Capability.MANAGE_HANDOVER_SLOTS, _("Your role may not change the handover settings."))
    project = _project(request, payload.project_id)
    found = settings_update(actor=request.user, project=project, defect_days=payload.defect_days, now=timezone.now())
    return {"project_id": project.pk, "defect_days": found.defect_days}


