"""The demo's findings on the small test world: several writers and months, nothing in the future, all in the
report of the quality department."""

import pytest

from propdesk.console.demo.wording import build_wording
from propdesk.core.testing import TEST_NOW
from propdesk.wording.models import WordingFinding
from propdesk.wording.selectors import wording_report

from .conftest import repair

pytestmark = pytest.mark.django_db


def test_the_demo_spreads_findings_over_writers_and_months(world):
    repair(world)
    counts = build_wording(today=TEST_NOW.date())
    assert counts["wording_findings"] == WordingFinding.objects.count() > 5
    assert not WordingFinding.objects.filter(created_at__gt=TEST_NOW).exists()
    assert set(WordingFinding.objects.values_list("user__username", flat=True)) == {"agent_a", "steward_a"}
    report = wording_report(user=world.users["quality"], today=TEST_NOW.date())
    assert report["total"] == counts["wording_findings"]
    assert len({row["month"] for row in report["rows"]}) > 2 and len(report["phrases"]) > 3
