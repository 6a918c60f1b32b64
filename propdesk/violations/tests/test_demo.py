"""The demo module on the small test world: every state and several months, through the services."""

from collections import Counter

import pytest

from propdesk.console.demo.violations import PER_PROJECT, build
from propdesk.core.testing import TEST_NOW
from propdesk.violations.models import Violation, ViolationFollowUp, ViolationNotice
from propdesk.violations.selectors import month_counts

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_and_several_months(world):
    counts = build(today=TEST_NOW.date())
    assert counts["violations"] == PER_PROJECT  # only project A has an occupied home in the test world
    states = Counter(Violation.objects.values_list("status", flat=True))
    assert {"open", "notified", "rectified", "closed", "escalated", "referred"} <= set(states)
    assert Violation.objects.filter(recorded_at__gt=TEST_NOW).count() == 0
    assert not ViolationFollowUp.objects.filter(at__gt=TEST_NOW).exists()
    assert not ViolationNotice.objects.filter(sent_at__gt=TEST_NOW).exists()
    report = month_counts(user=world.users["admin"], today=TEST_NOW.date())
    assert report["total"] == PER_PROJECT and len({row["month"] for row in report["rows"]}) > 3
