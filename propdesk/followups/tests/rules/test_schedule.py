"""The handbook's follow-up table 回访 as pure rules: when each kind of handled request is visited, by whom, the rate it
must reach, the company's overrides, and the residents' rest hours. Plain tests, no database."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.followups.rules.schedule import (
    DEFAULT_RULES,
    handover_due,
    in_calling_window,
    is_late,
    next_calling_time,
    rule_for,
    rules_from_config,
    visitor_for,
    window,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
HANDLED = datetime(2026, 3, 10, 16, 20, tzinfo=SHANGHAI)  # a Tuesday afternoon


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


# -- the default table ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "opens", "closes", "target"), [
    ("complaint", timedelta(0), timedelta(days=3), 100),
    ("repair", timedelta(days=7), timedelta(days=30), 90),
    ("help", timedelta(days=7), timedelta(days=30), 90),
    ("inquiry", timedelta(0), timedelta(days=7), None),  # other management work: the supervisor sets the rate
    ("suggestion", timedelta(0), timedelta(days=7), None),
])
def test_each_default_rule_gives_the_handbook_window_and_target(kind, opens, closes, target):
    rule = rule_for(kind)
    assert window(HANDLED, rule) == (HANDLED + opens, HANDLED + closes)
    assert rule.target_rate == target


def test_a_complaint_is_visited_within_three_days_of_handling():
    due_from, due_by = window(HANDLED, rule_for("complaint"))
    assert due_from == HANDLED and due_by == sh(2026, 3, 13, 16, 20)


def test_a_repair_is_visited_from_one_week_to_one_month_after_completion():
    due_from, due_by = window(HANDLED, rule_for("repair"))
    assert due_from == sh(2026, 3, 17, 16, 20) and due_by == sh(2026, 4, 9, 16, 20)


@pytest.mark.parametrize(("kind", "allowed"), [("complaint", False), ("repair", True), ("help", True),
                                                ("praise", True)])
def test_only_complaints_refuse_an_online_rating_as_their_visit(kind, allowed):
    assert rule_for(kind).online_allowed is allowed


@pytest.mark.parametrize(("kind", "severity", "visitor"), [
    ("complaint", "major", "branch_leader"),
    ("complaint", "important", "project_manager"),
    ("complaint", "minor", "project_manager"),
    ("repair", "", "customer_service"),
    ("help", "", "customer_service"),
    ("inquiry", "", "customer_service"),
    ("repair", "major", "customer_service"),  # severity only matters for complaints
])
def test_visitor_by_case(kind, severity, visitor):
    assert visitor_for(kind, severity) == visitor


def test_late_only_after_the_window_closes():
    due_by = sh(2026, 3, 13, 16, 20)
    assert not is_late(due_by, due_by)
    assert is_late(due_by + timedelta(minutes=1), due_by)


def test_handover_three_days_after_the_due_time_to_the_minute():
    due_by = sh(2026, 3, 13, 16, 20)
    assert not handover_due(due_by, now=due_by + timedelta(days=3, minutes=-1))
    assert handover_due(due_by, now=due_by + timedelta(days=3))


# -- the company's overrides ---------------------------------------------------------------------------------------

def test_config_overlays_the_defaults_field_by_field():
    rules = rules_from_config({"repair": {"closes_after_days": 14, "target_rate": 95},
                               "other": {"target_rate": 80, "online_allowed": False}})
    assert rules["repair"].opens_after == timedelta(days=7)  # kept from the default
    assert rules["repair"].closes_after == timedelta(days=14)
    assert rules["repair"].target_rate == 95
    assert rules["other"].target_rate == 80 and rules["other"].online_allowed is False
    assert rules["complaint"] == DEFAULT_RULES["complaint"]  # untouched
    assert window(HANDLED, rule_for("inquiry", rules))[1] == HANDLED + timedelta(days=7)
    assert rule_for("help", rules) == DEFAULT_RULES["help"]
    assert DEFAULT_RULES["repair"].closes_after == timedelta(days=30)  # the defaults themselves are not changed


def test_empty_config_gives_the_defaults():
    assert rules_from_config(None) == DEFAULT_RULES
    assert rules_from_config({}) == DEFAULT_RULES


def test_a_target_may_be_cleared_to_be_set_by_the_supervisor():
    assert rules_from_config({"repair": {"target_rate": None}})["repair"].target_rate is None


@pytest.mark.parametrize(("config", "message"), [
    ({"renovation": {"target_rate": 90}}, "unknown follow-up rule"),
    ({"repair": 30}, "must be an object"),
    ({"repair": {"closes_after_days": -1}}, "from 0 to 366"),
    ({"repair": {"closes_after_days": 400}}, "from 0 to 366"),
    ({"repair": {"closes_after_days": "30"}}, "from 0 to 366"),
    ({"repair": {"closes_after_days": True}}, "from 0 to 366"),
    ({"repair": {"target_rate": 101}}, "whole percent"),
    ({"repair": {"target_rate": 90.5}}, "whole percent"),
    ({"repair": {"target_rate": True}}, "whole percent"),
    ({"repair": {"online_allowed": "yes"}}, "true or false"),
    ({"repair": {"visitor": "pm"}}, "unknown field repair.visitor"),
    ({"repair": {"opens_after_days": 40}}, "closes before it opens"),  # closes after 30 by default
    ({"complaint": {"opens_after_days": 2, "closes_after_days": 1}}, "closes before it opens"),
])
def test_bad_config_is_refused_with_a_message_naming_the_fault(config, message):
    with pytest.raises(ValueError, match=message):
        rules_from_config(config)


# -- residents' rest hours ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("local", "expected"), [
    (sh(2026, 3, 10, 10, 15), sh(2026, 3, 10, 10, 15)),  # inside: now
    (sh(2026, 3, 10, 9, 0), sh(2026, 3, 10, 9, 0)),  # the window opens at 09:00
    (sh(2026, 3, 10, 7, 40), sh(2026, 3, 10, 9, 0)),  # too early
    (sh(2026, 3, 10, 12, 0), sh(2026, 3, 10, 14, 0)),  # lunch rest starts at 12:00
    (sh(2026, 3, 10, 12, 30), sh(2026, 3, 10, 14, 0)),
    (sh(2026, 3, 10, 19, 59), sh(2026, 3, 10, 19, 59)),
    (sh(2026, 3, 10, 20, 0), sh(2026, 3, 11, 9, 0)),  # evening rest from 20:00
    (sh(2026, 3, 10, 21, 0), sh(2026, 3, 11, 9, 0)),
    (sh(2026, 3, 10, 23, 59), sh(2026, 3, 11, 9, 0)),
])
def test_next_calling_time_skips_rest_hours(local, expected):
    assert next_calling_time(local) == expected


def test_a_project_window_replaces_the_default():
    slots = ((time(10), time(11, 30)),)
    assert not in_calling_window(sh(2026, 3, 10, 9, 30), slots)
    assert next_calling_time(sh(2026, 3, 10, 9, 30), slots) == sh(2026, 3, 10, 10, 0)
    assert next_calling_time(sh(2026, 3, 10, 14, 0), slots) == sh(2026, 3, 11, 10, 0)


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)))
def test_the_suggested_time_is_never_earlier_in_a_rest_hour_or_more_than_13_hours_away(naive):
    local = naive.replace(tzinfo=SHANGHAI)
    suggested = next_calling_time(local)
    assert suggested >= local
    assert in_calling_window(suggested)
    assert suggested - local <= timedelta(hours=13)  # 20:00 → 09:00 is the longest wait
