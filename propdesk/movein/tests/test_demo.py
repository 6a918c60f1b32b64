import pytest

from propdesk.console.demo.movein import build_movein
from propdesk.core.testing import TEST_NOW
from propdesk.movein.models import Handover, HandoverBooking, HandoverDefect

pytestmark = pytest.mark.django_db


def test_the_demo_building_is_being_handed_over(world):
    counts = build_movein(today=TEST_NOW.date(), project=world.project_a)
    assert counts["handover_buyers"] == 44 and counts["handovers"] == 14
    assert Handover.objects.filter(project=world.project_a).count() == 14
    assert HandoverDefect.objects.exists()
    assert HandoverBooking.objects.filter(status="booked").count() == counts["handover_bookings"] > 10
    again = build_movein(today=TEST_NOW.date(), project=world.project_a)  # a second run adds no buyers
    assert again["handover_buyers"] == 0
