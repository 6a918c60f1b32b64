"""The handover 交房: one step, one transaction. The documents checked, the keys counted, the meters read (the
opening reading of the home's metered fee items), the home inspected room by room. Completing it:

- each defect becomes a repair request marked 工程质量 (engineering quality), dispatched to the project's developer
  after-sales department (its person, or its pool) with the project's own deadline (15 working days unless set);
- the buyer enters the archive as owner (an existing resident of the project with the same mobile is reused), which
  gives the archive number and, through the occupancy hook, the building steward's first-contact task;
- the home becomes occupied (or vacant when the buyer does not move in yet) with its handover date;
- the booking is done. Anything refused: nothing written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.customers.choices import Relation
from propdesk.customers.models import Occupancy, Resident
from propdesk.customers.services.residents import ResidentData, occupancy_add, resident_create
from propdesk.fees.choices import FeeKind
from propdesk.fees.models import FeeItem
from propdesk.fees.rules import periods
from propdesk.fees.services.readings import reading_record, reading_value
from propdesk.org.choices import DepartmentKind, RoomStatus
from propdesk.org.models import Department, Room
from propdesk.servicedesk.choices import Channel, ComplaintCategory, Kind
from propdesk.servicedesk.models import ServiceRequest, WorkOrder
from propdesk.servicedesk.services.attachments import attachments_add
from propdesk.servicedesk.services.dispatch import request_dispatch
from propdesk.servicedesk.services.policy import policy_for
from propdesk.servicedesk.services.pools import pool_has_grabbers
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability
from propdesk.stewardship.selectors.zones import steward_by_building

from ..models import BookingStatus, Handover, HandoverBooking, HandoverBuyer, HandoverDefect, HandoverSettings
from ..models.handovers import DEFAULT_DEFECT_DAYS
from ..rules.handover import DOCUMENTS, KEYS, MAX_AREAS, MAX_KEYS, MAX_NOTE, METER_ITEM_CODES, METERS, REQUIRED_METERS


@dataclass
class AreaInput:
    area: str
    ok: bool | None
    note: str = ""
    photos: list = field(default_factory=list)


@dataclass
class HandoverInput:
    documents: list[str]
    keys: dict[str, object]
    readings: dict[str, str]
    areas: list[AreaInput]
    moves_in: bool = True
    note: str = ""


def area_field(position: int) -> str:
    return f"area_{position}"


def _fail(errors: dict[str, list[str]], status_code: int = 400):
    raise ApplicationError(_("Please correct the marked fields."), {"fields": errors}, status_code=status_code)


def _check(data: HandoverInput) -> tuple[dict, dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    missing = [d for d in DOCUMENTS if d not in data.documents]
    if missing:
        errors["documents"] = [_("Check every document before handing over the keys; missing: %(list)s.") % {
            "list": "、".join(missing)}]
    keys = {}
    for label in KEYS:
        raw = str(data.keys.get(label, "0") if data.keys.get(label, "") != "" else "0").strip()
        if not raw.isdigit() or int(raw) > MAX_KEYS:
            errors.setdefault("keys", []).append(_("%(key)s: a count from 0 to %(n)d.") % {"key": label,
                                                                                         "n": MAX_KEYS})
        else:
            keys[label] = int(raw)
    readings = {}
    for meter in METERS:
        raw = str(data.readings.get(meter) or "").strip()
        if not raw:
            if meter in REQUIRED_METERS:
                errors[f"{meter}_reading"] = [_("Read this meter: it starts the home's fees.")]
            continue
        try:
            readings[meter] = reading_value(raw, field=f"{meter}_reading")
        except ApplicationError as error:
            errors.update(error.field_errors)
    if not data.areas:
        errors["areas"] = [_("Inspect the home room by room.")]
    if len(data.areas) > MAX_AREAS:
        errors["areas"] = [_("At most %(n)d rooms.") % {"n": MAX_AREAS}]
    seen = set()
    for position, area in enumerate(data.areas[:MAX_AREAS]):
        name = area_field(position)
        label = (area.area or "").strip()
        if not label or len(label) > 20:
            errors.setdefault(name, []).append(_("Name the room (at most 20 characters)."))
        elif label in seen:
            errors.setdefault(name, []).append(_("“%(area)s” is listed twice.") % {"area": label})
        seen.add(label)
        if area.ok is None:
            errors.setdefault(name, []).append(_("“%(area)s”: say whether it is fine.") % {"area": label})
        elif not area.ok and not area.note.strip():
            errors.setdefault(name, []).append(_("“%(area)s” has a defect: say what it is.") % {"area": label})
        if len(area.note) > MAX_NOTE:
            errors.setdefault(name, []).append(_("A note has at most %(n)d characters.") % {"n": MAX_NOTE})
    if len(data.note) > MAX_NOTE:
        errors["note"] = [_("A note has at most %(n)d characters.") % {"n": MAX_NOTE}]
    return keys, readings, errors


def defect_days(project_id: int) -> int:
    found = HandoverSettings.objects.filter(project_id=project_id).values_list("defect_days", flat=True).first()
    return found or DEFAULT_DEFECT_DAYS


def fix_deadline(project, now: datetime) -> datetime:
    """``defect_days`` working days of the project's calendar after ``now``."""
    calendar = policy_for(project).calendar
    return calendar.add_working_time(now, calendar.working_day_length * defect_days(project.pk))


def developer_department(project_id: int) -> Department | None:
    return Department.objects.filter(project_id=project_id, kind=DepartmentKind.DEVELOPER).order_by("id").first()


def developer_contact(department: Department):
    """The department's after-sales contact: its first active member."""
    return (get_user_model().objects.filter(is_active=True, staff_profile__is_active=True,
                                            staff_profile__department=department).order_by("id").first())


def _buyer_resident(buyer: HandoverBuyer, room: Room, today) -> Resident:
    resident = (Resident.objects.filter(project_id=buyer.project_id, phones__number=buyer.mobile).order_by("id")
                .first())
    if resident is None:
        resident = resident_create(project=room.project, data=ResidentData(
            name=buyer.name, phones=[buyer.mobile], id_number=buyer.id_number), registered_on=today)
    if not Occupancy.objects.current().filter(resident=resident, room=room).exists():
        occupancy_add(resident=resident, room=room, relation=Relation.OWNER, start_date=today)
    return resident


def _open_readings(*, actor, room: Room, readings: dict, today, now) -> None:
    """Each reading as the opening reading of the home's metered item (last period's: this period's reading then
    gives the first consumption). Homes without such an item keep the reading on the handover only."""
    codes = {code: meter for meter, item_codes in METER_ITEM_CODES.items() for code in item_codes if meter in readings}
    items = FeeItem.objects.filter(project_id=room.project_id, kind=FeeKind.METERED, active=True, code__in=codes)
    for item in items:
        key = periods.period_key(periods.add_months(today, -1), item.cycle)
        try:
            reading_record(room=room, item=item, period_key=key, reading=readings[codes[item.code]], actor=actor,
                           now=now, confirm_unusual=True)
        except ApplicationError as error:
            name = f"{codes[item.code]}_reading"
            raise ApplicationError(error.message, {"fields": {name: [error.message]}}) from None


def _defect_request(*, actor, room, resident, area: AreaInput, position: int, department, contact, deadline, now):
    request = request_submit(actor=actor, project=room.project, now=now, data=RequestInput(
        channel=Channel.STAFF, kind=Kind.REPAIR, room_id=room.pk, reporter_id=resident.pk, urgent=False,
        description=_("Handover defect, %(code)s %(area)s: %(note)s") % {
            "code": room.code, "area": area.area.strip(), "note": area.note.strip()}))
    ServiceRequest.objects.filter(pk=request.pk).update(complaint_category=ComplaintCategory.ENGINEERING,
                                                        resolve_by=deadline)
    if area.photos:
        try:
            attachments_add(request=request, actor=actor, files=list(area.photos))
        except ApplicationError as error:
            raise ApplicationError(error.message, {"fields": {area_field(position): [error.message]}}) from None
    if department is not None and (contact is not None or pool_has_grabbers(department)):
        # A steward may not dispatch by hand (no DISPATCH): the handover routes its defects by itself, as the
        # project's rules dispatch a steward's findings (stewardship.services.findings).
        dispatcher = actor if user_can(actor, Capability.DISPATCH) else None
        work_order = request_dispatch(request=request, actor=dispatcher, department_id=department.pk,
                                      assignee_id=contact.pk if contact else None, now=now)
        WorkOrder.objects.filter(pk=work_order.pk).update(resolve_by=deadline)
    return request


def handover_complete(*, actor, room_id: int, data: HandoverInput, booking_id: int | None = None,
                      now: datetime | None = None) -> Handover:
    """Complete the handover of a home (``room_id`` in the actor's scope: the caller fetched it). Refused: a home
    without a buyer, a home handed over already (409), a booking not of this home or not active, a document not
    checked, a key count or reading that is not a number, a room not answered or a defect without a note."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _complete(actor=actor, room_id=room_id, data=data, booking_id=booking_id, now=now)
    except IntegrityError:  # the other tablet's handover of the same home committed first
        _fail({"room": [_("This home is handed over already.")]}, status_code=409)


def _complete(*, actor, room_id, data, booking_id, now) -> Handover:
    room = Room.objects.select_for_update().select_related("project").get(pk=room_id)
    if Handover.objects.filter(room=room).exists():
        _fail({"room": [_("This home is handed over already.")]}, status_code=409)
    buyer = HandoverBuyer.objects.filter(room=room).first()
    if buyer is None:
        _fail({"room": [_("Enter the buyer of %(code)s first.") % {"code": room.code}]})
    booking = None
    if booking_id is not None:
        booking = HandoverBooking.objects.select_for_update().filter(pk=booking_id, room=room).first()
        if booking is None or booking.status != BookingStatus.BOOKED:
            _fail({"booking": [_("This booking is not an active booking of this home.")]})
    else:
        booking = HandoverBooking.objects.select_for_update().filter(room=room, status=BookingStatus.BOOKED).first()
    keys, readings, errors = _check(data)
    if errors:
        _fail(errors)
    today = timezone.localtime(now, policy_for(room.project).calendar.tz).date()
    resident = _buyer_resident(buyer, room, today)
    room.status = RoomStatus.OCCUPIED if data.moves_in else RoomStatus.VACANT
    room.handed_over_on = today
    room.save(update_fields=["status", "handed_over_on", "updated_at"])
    _open_readings(actor=actor, room=room, readings=readings, today=today, now=now)
    steward = steward_by_building([room.building_id]).get(room.building_id)
    handover = Handover.objects.create(
        project=room.project, building_id=room.building_id, room=room, buyer=buyer, booking=booking,
        resident=resident, steward=steward, handed_over_by=actor, completed_at=now, moves_in=data.moves_in,
        documents=[d for d in DOCUMENTS if d in data.documents], keys=keys,
        readings={meter: str(value) for meter, value in readings.items()},
        areas=[{"area": a.area.strip(), "ok": bool(a.ok)} for a in data.areas], note=data.note.strip())
    defects = [(position, area) for position, area in enumerate(data.areas) if not area.ok]
    if defects:
        department = developer_department(room.project_id)
        contact = developer_contact(department) if department else None
        deadline = fix_deadline(room.project, now)
        for position, area in defects:
            request = _defect_request(actor=actor, room=room, resident=resident, area=area, position=position,
                                      department=department, contact=contact, deadline=deadline, now=now)
            HandoverDefect.objects.create(project=room.project, building_id=room.building_id, handover=handover,
                                          area=area.area.strip(), note=area.note.strip(), request=request,
                                          found_at=now, fix_by=deadline)
    if booking is not None:
        booking.status = BookingStatus.DONE
        booking.save(update_fields=["status"])
    HandoverBuyer.objects.filter(pk=buyer.pk).update(resident=resident)
    return handover

