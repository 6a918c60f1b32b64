"""The demo's rosters at small scale: shift kinds for engineering, security, customer service and the duty
managers of every project; four weeks of roster with nobody's shifts overlapping; next Monday's engineering night
shift left empty on purpose, which the coverage sweep reports to the project manager."""

from collections import defaultdict
from datetime import date, timedelta

import pytest

from propdesk.console.demo import build_demo, plan_demo
from propdesk.console.demo.rosters import build_rosters
from propdesk.core.testing import sh
from propdesk.duty.models import RosterEntry, ShiftKind
from propdesk.duty.rules.rosters import overlaps
from propdesk.duty.services.rosters import coverage_sweep
from propdesk.notify.models import Notification

TODAY = date(2026, 11, 23)


@pytest.mark.django_db
def test_the_demo_roster_has_one_deliberate_gap_next_week():
    build_demo(seed=42, scale=0.02, today=TODAY)
    counts = build_rosters(plan_demo(seed=42, scale=0.02, today=TODAY), today=TODAY)
    assert counts["shift_kinds"] == 4 * 6 and counts["roster_entries"] == RosterEntry.objects.count() > 0
    assert set(ShiftKind.objects.filter(department__isnull=True).values_list("name", flat=True)) == {"值班经理"}
    per_user = defaultdict(list)
    for entry in RosterEntry.objects.all():
        per_user[entry.user_id].append((entry.starts_at, entry.ends_at))
    for spans in per_user.values():
        spans.sort()
        assert not any(overlaps(*a, *b) for a, b in zip(spans, spans[1:], strict=False))
    gap = TODAY + timedelta(days=7)
    assert not RosterEntry.objects.filter(day=gap, shift__name="夜班", department__kind="engineering").exists()
    assert coverage_sweep(now=sh(2026, 11, 23, 10)) == 4  # one per project
    assert Notification.objects.filter(kind="roster_gap", recipient__username="pm_cuihu",
                                       title__contains="2026-11-30").count() == 1
