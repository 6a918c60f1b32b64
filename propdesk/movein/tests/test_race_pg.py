"""Two buyers taking the last place of a slot at the same instant (PostgreSQL, real threads): one booking, one
clear refusal, the slot's count at its capacity."""

import pytest
from django.db import connection

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import run_together, sh
from propdesk.movein.models import HandoverBooking, HandoverSlot
from propdesk.movein.services.buyers import buyer_create
from propdesk.movein.services.slots import booking_create, slot_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
NOW = sh(2026, 11, 23, 10, 0)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and ignores SELECT … FOR UPDATE, so there is no "
                    "race to test (CI runs this on PostgreSQL)")


def test_two_buyers_taking_the_last_place_at_once_one_wins(world):
    a, pm = world.project_a, world.users["pm_a"]
    slot = slot_create(actor=pm, project=a, starts_at=sh(2026, 11, 24, 9, 0), ends_at=sh(2026, 11, 24, 9, 30),
                       capacity=1, now=NOW)
    buyers = [buyer_create(actor=pm, room=world.room(a, code), name=name, mobile=mobile, now=NOW)
              for code, name, mobile in (("5-1-101", "林晓峰", "13600001111"), ("5-1-102", "何静", "13600002222"))]

    results = run_together(*(lambda buyer=buyer: booking_create(actor=None, buyer=buyer, slot_id=slot.pk, now=NOW)
                             for buyer in buyers))

    booked = [r for r in results if isinstance(r, HandoverBooking)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(booked) == 1 and len(refused) == 1, results
    assert refused[0].status_code == 409 and "slot" in refused[0].field_errors
    assert HandoverSlot.objects.get(pk=slot.pk).booked == 1
    assert HandoverBooking.objects.filter(slot=slot).count() == 1


def test_one_buyer_booking_two_slots_at_once_keeps_one(world):
    a, pm = world.project_a, world.users["pm_a"]
    slots = [slot_create(actor=pm, project=a, starts_at=sh(2026, 11, 24, h, 0), ends_at=sh(2026, 11, 24, h, 30),
                         capacity=3, now=NOW) for h in (9, 10)]
    buyer = buyer_create(actor=pm, room=world.room(a, "5-1-101"), name="林晓峰", mobile="13600001111", now=NOW)

    results = run_together(*(lambda slot=slot: booking_create(actor=None, buyer=buyer, slot_id=slot.pk, now=NOW)
                             for slot in slots))

    assert sum(isinstance(r, HandoverBooking) for r in results) == 1, results
    assert sum(HandoverSlot.objects.filter(pk__in=[s.pk for s in slots]).values_list("booked", flat=True)) == 1
