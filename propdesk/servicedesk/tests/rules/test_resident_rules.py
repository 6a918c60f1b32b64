"""rules/resident.py: when a resident may cancel, hurry and confirm from the app. Pure, no database."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from propdesk.servicedesk.rules import resident as rules

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_cancel_only_before_anyone_is_on_the_way():
    assert rules.cancel_refusal("open", []) is None
    assert rules.cancel_refusal("open", ["pending", "pooled"]) is None
    assert rules.cancel_refusal("in_progress", ["dispatched", "cancelled"]) is None
    for under_way in ("accepted", "on_site", "on_hold", "completed"):
        assert rules.cancel_refusal("in_progress", ["dispatched", under_way]) == "under_way"
    assert rules.cancel_refusal("resolved", []) == "under_way"
    assert rules.cancel_refusal("closed", []) == "closed"
    assert rules.cancel_refusal("cancelled", ["cancelled"]) == "cancelled"


def test_hurry_at_most_once_per_half_hour_and_never_on_a_finished_request():
    assert rules.hurry_refusal("open", last_hurried_at=None, now=NOW) is None
    just = NOW - timedelta(minutes=29, seconds=59)
    assert rules.hurry_refusal("in_progress", last_hurried_at=just, now=NOW) == "too_soon"
    assert rules.hurry_refusal("in_progress", last_hurried_at=NOW - timedelta(minutes=30), now=NOW) is None
    assert rules.next_hurry_at(just) == just + timedelta(minutes=30) and rules.next_hurry_at(None) is None
    assert rules.hurry_refusal("resolved", last_hurried_at=None, now=NOW) == "done"
    assert rules.hurry_refusal("closed", last_hurried_at=None, now=NOW) == "closed"
    assert rules.hurry_refusal("cancelled", last_hurried_at=None, now=NOW) == "cancelled"


def test_only_the_second_hurry_escalates():
    assert [rules.hurry_escalates(n) for n in (1, 2, 3, 4)] == [False, True, False, False]


def test_confirm_finished_work_without_a_confirmation_once():
    assert rules.confirm_refusal("completed", "") is None
    assert rules.confirm_refusal("completed", "signature") == "confirmed"
    assert rules.confirm_refusal("completed", "app") == "confirmed"
    assert rules.confirm_refusal("on_site", "") == "not_done"
