"""Slots, bookings and the handover through the services: the rules a desk or a buyer meets."""

import pytest

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import sh
from propdesk.customers.models import Occupancy, Resident
from propdesk.movein.models import BookingStatus, Handover, HandoverBooking, HandoverDefect
from propdesk.movein.services.buyers import buyer_create, buyer_from_token, buyer_token
from propdesk.movein.services.handover import handover_complete
from propdesk.movein.services.slots import booking_cancel, booking_create, slot_create, slots_batch
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Room
from propdesk.servicedesk.choices import ComplaintCategory, Kind
from propdesk.stewardship.models import ContactTask

from .conftest import checklist_input

pytestmark = pytest.mark.django_db
NOW = sh(2026, 11, 23, 10, 0)


def test_a_day_of_slots_skips_those_already_open(movein):
    from datetime import date, time

    pm = movein.users["pm_a"]
    made = slots_batch(actor=pm, project=movein.project_a, day=date(2026, 11, 24), first=time(9, 0),
                       last_end=time(11, 0), minutes=30, capacity=3, now=NOW)
    assert len(made) == 3  # 9:00 is open already (the fixture's)
    with pytest.raises(ApplicationError) as error:  # Saturday
        slots_batch(actor=pm, project=movein.project_a, day=date(2026, 11, 28), first=time(9, 0),
                    last_end=time(11, 0), minutes=30, capacity=3, now=NOW)
    assert "starts_at" in error.value.field_errors


def test_a_slot_in_the_past_or_ending_before_it_starts_is_refused(movein):
    pm = movein.users["pm_a"]
    with pytest.raises(ApplicationError) as error:
        slot_create(actor=pm, project=movein.project_a, starts_at=sh(2026, 11, 23, 9, 0),
                    ends_at=sh(2026, 11, 23, 9, 30), capacity=2, now=NOW)
    assert error.value.field_errors["starts_at"]
    with pytest.raises(ApplicationError) as error:
        slot_create(actor=pm, project=movein.project_a, starts_at=sh(2026, 11, 26, 9, 0),
                    ends_at=sh(2026, 11, 26, 8, 30), capacity=0, now=NOW)
    assert set(error.value.field_errors) >= {"ends_at", "capacity"}


def test_booking_twice_and_a_full_slot_are_refused_with_409(movein):
    b101, b102, slot = movein.buyers["101"], movein.buyers["102"], movein.slots["tue"]
    booking_create(actor=None, buyer=b101, slot_id=slot.pk, now=NOW)
    with pytest.raises(ApplicationError) as error:
        booking_create(actor=None, buyer=b101, slot_id=slot.pk, now=NOW)
    assert error.value.status_code == 409 and "已预约了这个时段" in error.value.message
    with pytest.raises(ApplicationError) as error:
        booking_create(actor=None, buyer=b101, slot_id=movein.slots["wed"].pk, now=NOW)
    assert error.value.status_code == 409
    booking_create(actor=None, buyer=b102, slot_id=slot.pk, now=NOW)
    third = buyer_create(actor=movein.users["pm_a"], room=movein.room(movein.project_a, "5-1-103"), name="孙悦",
                         mobile="13600003333", now=NOW)
    with pytest.raises(ApplicationError) as error:
        booking_create(actor=None, buyer=third, slot_id=slot.pk, now=NOW)
    assert error.value.status_code == 409 and "已约满" in error.value.message
    slot.refresh_from_db()
    assert slot.booked == 2 and HandoverBooking.objects.filter(slot=slot).count() == 2


def test_cancel_until_the_day_before_frees_the_place(movein):
    booking = booking_create(actor=None, buyer=movein.buyers["101"], slot_id=movein.slots["tue"].pk, now=NOW)
    with pytest.raises(ApplicationError):
        booking_cancel(actor=None, booking=booking, now=sh(2026, 11, 24, 8, 0))  # the day itself
    booking_cancel(actor=None, booking=booking, now=NOW)
    movein.slots["tue"].refresh_from_db()
    assert movein.slots["tue"].booked == 0
    assert HandoverBooking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def test_the_link_names_its_buyer_and_a_tampered_one_nobody(movein):
    buyer = movein.buyers["101"]
    token = buyer_token(buyer)
    assert buyer_from_token(token) == buyer
    assert buyer_from_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
    assert buyer_from_token("nonsense") is None


def test_the_handover_makes_the_owner_routes_defects_and_closes_the_booking(movein):
    a, steward = movein.project_a, movein.users["steward_a"]
    booking = booking_create(actor=None, buyer=movein.buyers["101"], slot_id=movein.slots["tue"].pk, now=NOW)
    at = sh(2026, 11, 24, 9, 10)
    handover = handover_complete(actor=steward, room_id=booking.room_id, now=at, data=checklist_input(
        {"卫生间": "地漏倒坡，积水", "主卧": "墙面空鼓"}))
    room = Room.objects.get(pk=booking.room_id)
    assert room.status == RoomStatus.OCCUPIED and str(room.handed_over_on) == "2026-11-24"
    resident = Resident.objects.get(pk=handover.resident_id)
    assert resident.name == "林晓峰" and resident.archive_no.startswith("20261124")
    assert Occupancy.objects.filter(resident=resident, room=room, relation="owner").exists()
    assert handover.steward == steward
    assert ContactTask.objects.filter(resident=resident, steward=steward).exists()  # first contact started
    assert HandoverBooking.objects.get(pk=booking.pk).status == BookingStatus.DONE
    defects = list(HandoverDefect.objects.filter(handover=handover).select_related("request"))
    assert {d.area for d in defects} == {"卫生间", "主卧"}
    for defect in defects:
        request = defect.request
        assert request.kind == Kind.REPAIR and request.complaint_category == ComplaintCategory.ENGINEERING
        work_order = request.work_orders.get()
        assert work_order.department == movein.developer_department
        assert work_order.assignee == movein.users["developer_a"]
        assert work_order.resolve_by == defect.fix_by == request.resolve_by
        assert defect.fix_by.date() > at.date()
    with pytest.raises(ApplicationError) as error:
        handover_complete(actor=steward, room_id=room.pk, now=at, data=checklist_input())
    assert error.value.status_code == 409
    del a


def test_an_existing_resident_with_the_same_mobile_is_reused(movein):
    a = movein.project_a
    owner = movein.residents["a_owner"]  # 周美玲 13812345678 owns 3-2-1802
    buyer = buyer_create(actor=movein.users["pm_a"], room=movein.room(a, "5-1-201"), name="周美玲",
                         mobile="13812345678", now=NOW)
    handover = handover_complete(actor=movein.users["steward_a"], room_id=buyer.room_id, now=NOW,
                                 data=checklist_input(moves_in=False))
    assert handover.resident_id == owner.pk
    assert Room.objects.get(pk=buyer.room_id).status == RoomStatus.VACANT


def test_bad_checklists_write_nothing(movein):
    room_id, steward = movein.buyers["101"].room_id, movein.users["steward_a"]
    before = Resident.objects.count()
    cases = [
        (checklist_input(documents=["身份证"]), "documents"),
        (checklist_input(readings={"water": "十二", "power": "305"}), "water_reading"),
        (checklist_input(readings={"water": "12", "power": ""}), "power_reading"),
        (checklist_input(keys={"入户门钥匙": "两把"}), "keys"),
        (checklist_input({"厨房": ""}), "area_4"),
    ]
    for data, name in cases:
        with pytest.raises(ApplicationError) as error:
            handover_complete(actor=steward, room_id=room_id, now=NOW, data=data)
        assert name in error.value.field_errors, (name, error.value.field_errors)
    assert Resident.objects.count() == before and not Handover.objects.exists()
    assert Room.objects.get(pk=room_id).status == RoomStatus.VACANT


def test_the_readings_open_the_homes_metered_items(movein):
    from propdesk.fees.models import FeeItem, MeterReading

    water = FeeItem.objects.create(project=movein.project_a, code="water", name="水费", kind="metered", unit="m³")
    room_id = movein.buyers["101"].room_id
    handover_complete(actor=movein.users["steward_a"], room_id=room_id, now=NOW, data=checklist_input())
    reading = MeterReading.objects.get(room_id=room_id, item=water)
    assert str(reading.reading) == "12.50" and reading.period_key == "2026-10" and reading.consumption == 0
    assert not MeterReading.objects.filter(room_id=room_id).exclude(item=water).exists()  # no power item
