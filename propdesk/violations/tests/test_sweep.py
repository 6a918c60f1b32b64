"""The hourly sweep: notices past their deadline and not put right are escalated to the PM, once."""

from datetime import timedelta

import pytest

from propdesk.core.testing import TEST_NOW
from propdesk.notify.models import Notification
from propdesk.violations.services import violations_sweep

from .conftest import notify, record

pytestmark = pytest.mark.django_db


def test_the_sweep_escalates_past_deadlines_once(world):
    late = record(world, now=TEST_NOW - timedelta(days=9))
    notify(world, late, days=3, now=TEST_NOW - timedelta(days=9))
    on_time = record(world, room_code="5-1-101")
    notify(world, on_time, days=3)
    assert violations_sweep(now=TEST_NOW) == 1
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.status == "escalated" and late.escalated_by is None and on_time.status == "notified"
    assert Notification.objects.filter(recipient=world.users["pm_a"], kind="violation_escalated").count() == 1
    assert violations_sweep(now=TEST_NOW + timedelta(hours=1)) == 0
    assert Notification.objects.filter(kind="violation_escalated").count() == 1


def test_the_deadline_day_itself_is_not_late(world):
    violation = record(world, now=TEST_NOW - timedelta(days=3))
    notify(world, violation, days=3, now=TEST_NOW - timedelta(days=3))
    assert violations_sweep(now=TEST_NOW) == 0
