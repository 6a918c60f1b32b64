from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.servicedesk.rules.escalation import (
    DEFAULT_ACCEPT_LADDER,
    DEFAULT_LADDER,
    INTAKE_RULES,
    LadderConfigError,
    Rung,
    due_rungs,
    fire_at,
    intake_rule,
    ladder_from_config,
    ladder_to_config,
    may_acknowledge,
    next_fire_at,
    notice_is_overdue,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
MINUTE = timedelta(minutes=1)


def run_clock(ladder, *, start, deadline, until, warn_fraction=0.8):
    """A sweep every minute from ``start`` to ``until``: returns [(key, minute it was sent)] and checks on every
    tick that next_fire_at agrees with due_rungs."""
    sent: list[tuple[str, datetime]] = []
    now = start
    while now <= until:
        already = frozenset(key for key, _ in sent)
        upcoming = next_fire_at(ladder=ladder, start=start, deadline=deadline, already_sent=already,
                                warn_fraction=warn_fraction)
        due = due_rungs(ladder=ladder, start=start, deadline=deadline, now=now, already_sent=already,
                        warn_fraction=warn_fraction)
        assert bool(due) == (upcoming is not None and upcoming <= now)
        sent.extend((rung.key, now) for rung in due)
        # a second sweep in the same minute (another worker, a retry) finds nothing new
        assert due_rungs(ladder=ladder, start=start, deadline=deadline, now=now,
                         already_sent=already | {rung.key for rung in due}, warn_fraction=warn_fraction) == []
        now += MINUTE
    return sent


def test_default_ladder_fires_each_rung_once_in_order_at_its_minute():
    deadline = START + timedelta(hours=24)
    sent = run_clock(DEFAULT_LADDER, start=START, deadline=deadline, until=deadline + timedelta(hours=10))
    assert sent == [
        ("warn_assignee", START + timedelta(hours=19, minutes=12)),  # 80 % of 24 h
        ("breach_department_head", deadline),
        ("breach_project_manager", deadline + timedelta(hours=2)),
        ("breach_branch_leader", deadline + timedelta(hours=8)),
    ]


def test_warn_point_between_minutes_fires_at_the_next_sweep():
    deadline = START + timedelta(minutes=25)  # 80 % = 20 min; 70 % = 17.5 min
    sent = run_clock(DEFAULT_LADDER[:2], start=START, deadline=deadline, until=deadline + timedelta(hours=1),
                     warn_fraction=0.7)
    assert sent == [("warn_assignee", START + timedelta(minutes=18)), ("breach_department_head", deadline)]


def test_accept_ladder_tells_the_dispatcher_at_breach():
    respond_by = START + timedelta(minutes=30)
    sent = run_clock(DEFAULT_ACCEPT_LADDER, start=START, deadline=respond_by, until=respond_by + timedelta(hours=3))
    assert sent == [("unaccepted_dispatcher", respond_by)]
    assert DEFAULT_ACCEPT_LADDER[0].recipient == "dispatcher"


@pytest.mark.parametrize(("severity", "acknowledger", "told_when_missed", "rung"), [
    ("major", "branch_leader", "quality", "unacknowledged_quality"),
    ("important", "project_manager", "branch_leader", "unacknowledged_branch_leader"),
])
def test_a_missed_acknowledgement_goes_one_level_up(severity, acknowledger, told_when_missed, rung):
    rule = intake_rule(severity)
    assert rule.needs_acknowledgement and acknowledger in rule.acknowledgers
    assert (rule.unacknowledged, rule.ack_rung()) == (told_when_missed, rung)


def test_a_sweep_that_was_down_sends_everything_overdue_at_once_in_ladder_order():
    deadline = START + timedelta(hours=4)
    due = due_rungs(ladder=DEFAULT_LADDER, start=START, deadline=deadline, now=deadline + timedelta(hours=3),
                    already_sent=frozenset())
    assert [rung.key for rung in due] == ["warn_assignee", "breach_department_head", "breach_project_manager"]
    assert next_fire_at(ladder=DEFAULT_LADDER, start=START, deadline=deadline,
                        already_sent=frozenset(rung.key for rung in due)) == deadline + timedelta(hours=8)


def test_sent_rungs_stay_sent_when_the_deadline_moves():
    # warned at 80 %, then the order was on hold for 5 h and its deadline moved: the warning is not repeated
    deadline = START + timedelta(hours=10) + timedelta(hours=5)
    due = due_rungs(ladder=DEFAULT_LADDER, start=START, deadline=deadline, now=START + timedelta(hours=13),
                    already_sent=frozenset({"warn_assignee"}))
    assert due == []
    assert next_fire_at(ladder=DEFAULT_LADDER, start=START, deadline=deadline,
                        already_sent=frozenset({"warn_assignee"})) == deadline


def test_next_fire_at_is_none_when_everything_was_sent():
    keys = frozenset(rung.key for rung in DEFAULT_LADDER)
    assert next_fire_at(ladder=DEFAULT_LADDER, start=START, deadline=START + MINUTE, already_sent=keys) is None
    assert next_fire_at(ladder=(), start=START, deadline=START + MINUTE, already_sent=frozenset()) is None


def test_times_in_different_zones_compare_as_instants():
    deadline_utc = (START + timedelta(hours=1)).astimezone(UTC)
    assert fire_at(DEFAULT_LADDER[1], start=START, deadline=deadline_utc) == START + timedelta(hours=1)
    assert due_rungs(ladder=DEFAULT_LADDER[1:2], start=START, deadline=deadline_utc,
                     now=deadline_utc.astimezone(SHANGHAI), already_sent=frozenset())


@pytest.mark.parametrize(("start", "deadline", "fraction"), [
    (START, START - MINUTE, 0.8),  # deadline before start
    (START.replace(tzinfo=None), START.replace(tzinfo=None) + MINUTE, 0.8),  # naive
    (START, START + MINUTE, 0),
    (START, START + MINUTE, 1.5),
])
def test_bad_times_are_refused(start, deadline, fraction):
    with pytest.raises(ValueError):
        next_fire_at(ladder=DEFAULT_LADDER, start=start, deadline=deadline, already_sent=frozenset(),
                     warn_fraction=fraction)


@given(
    minutes=st.integers(min_value=0, max_value=60 * 24 * 10),
    fraction=st.floats(min_value=0.05, max_value=1.0),
    elapsed=st.integers(min_value=0, max_value=60 * 24 * 12),
    sent=st.frozensets(st.sampled_from([rung.key for rung in DEFAULT_LADDER])),
)
def test_next_fire_at_agrees_with_due_rungs(minutes, fraction, elapsed, sent):
    deadline = START + timedelta(minutes=minutes)
    now = START + timedelta(minutes=elapsed)
    upcoming = next_fire_at(ladder=DEFAULT_LADDER, start=START, deadline=deadline, already_sent=sent,
                            warn_fraction=fraction)
    due = due_rungs(ladder=DEFAULT_LADDER, start=START, deadline=deadline, now=now, already_sent=sent,
                    warn_fraction=fraction)
    assert bool(due) == (upcoming is not None and upcoming <= now)
    assert not {rung.key for rung in due} & sent
    if upcoming is not None:
        assert upcoming >= START
        if upcoming <= now:
            assert min(fire_at(r, start=START, deadline=deadline, warn_fraction=fraction) for r in due) == upcoming


def test_config_round_trip_of_the_defaults():
    for ladder in (DEFAULT_LADDER, DEFAULT_ACCEPT_LADDER):
        assert ladder_from_config(ladder_to_config(ladder)) == ladder
    assert ladder_to_config(DEFAULT_LADDER)[2] == {"key": "breach_project_manager", "recipient": "project_manager",
                                                   "anchor": "deadline", "offset_minutes": 120}


def test_config_accepts_a_company_ladder():
    ladder = ladder_from_config([
        {"key": "warn_assignee", "recipient": "assignee", "anchor": "warn"},
        {"key": "before_breach_head", "recipient": "department_head", "anchor": "deadline", "offset_minutes": -30},
        {"key": "breach_pm", "recipient": "project_manager", "anchor": "deadline", "offset_minutes": 60},
    ])
    assert ladder[0] == Rung("warn_assignee", "assignee", "warn", timedelta(0))
    assert ladder[1].offset == timedelta(minutes=-30)
    assert ladder_from_config([]) == ()


GOOD = {"key": "breach_pm", "recipient": "project_manager", "anchor": "deadline", "offset_minutes": 120}


@pytest.mark.parametrize("config", [
    None,
    {"rungs": []},
    ["breach_pm"],
    [{k: v for k, v in GOOD.items() if k != "key"}],
    [{**GOOD, "key": ""}],
    [{**GOOD, "key": "Breach PM"}],
    [{**GOOD, "key": 7}],
    [GOOD, {**GOOD, "offset_minutes": 240}],  # duplicate key
    [{**GOOD, "recipient": "ceo"}],
    [{k: v for k, v in GOOD.items() if k != "recipient"}],
    [{**GOOD, "anchor": "start"}],
    [{**GOOD, "offset_minutes": "120"}],
    [{**GOOD, "offset_minutes": 1.5}],
    [{**GOOD, "offset_minutes": True}],
    [{**GOOD, "offset_minutes": 60 * 24 * 31}],
    [{**GOOD, "anchor": "warn", "offset_minutes": -10}],
    [{**GOOD, "offset_hours": 2}],  # a typo'd field is refused, not ignored
])
def test_config_refuses_bad_input(config):
    with pytest.raises(LadderConfigError):
        ladder_from_config(config)


def test_config_error_names_the_rung():
    with pytest.raises(LadderConfigError, match="Rung 2"):
        ladder_from_config([GOOD, {**GOOD, "key": "x", "recipient": "mayor"}])


@pytest.mark.parametrize(("severity", "notify"), [
    ("major", ("branch_leader", "project_manager")),  # same day to the branch leadership; the manager does the work
    ("important", ("project_manager",)),
    ("minor", ()),
])
def test_who_is_told_at_intake(severity, notify):
    assert intake_rule(severity).notify == notify


def test_a_minor_complaint_waits_for_no_acknowledgement():
    assert not intake_rule("minor").needs_acknowledgement and intake_rule("minor").ack_rung() is None
    assert not any(may_acknowledge("minor", role) for role in ("project_manager", "branch_leader", "admin"))


def test_intake_rule_refuses_unknown_severity():
    with pytest.raises(ValueError):
        intake_rule("catastrophic")


@pytest.mark.parametrize(("severity", "role", "allowed"), [
    ("major", "branch_leader", True),
    ("major", "project_manager", False),  # the handbook sends a major complaint to the branch leadership
    ("major", "agent", False),
    ("major", "admin", True),
    ("important", "project_manager", True),
    ("important", "branch_leader", True),  # a leader may take an important complaint too
    ("important", "quality", False),
    ("important", None, False),
])
def test_who_may_acknowledge(severity, role, allowed):
    assert may_acknowledge(severity, role) is allowed


def test_every_missed_acknowledgement_goes_to_a_known_recipient():
    for rule in INTAKE_RULES.values():
        if rule.needs_acknowledgement:
            ladder_from_config([{"key": rule.ack_rung(), "recipient": rule.unacknowledged, "anchor": "deadline"}])


# -- a warning whose moment was missed (issue 9, defect 15) -------------------------------------------------------

def test_a_warning_sent_before_the_deadline_is_a_warning():
    deadline = START + timedelta(hours=4)
    warn = DEFAULT_LADDER[0]
    assert fire_at(warn, start=START, deadline=deadline) == START + timedelta(minutes=192)
    assert notice_is_overdue(deadline=deadline, now=START + timedelta(minutes=192)) is False
    assert notice_is_overdue(deadline=deadline, now=deadline - MINUTE) is False


def test_a_warning_first_sent_after_the_deadline_is_the_overdue_notice():
    deadline = START + timedelta(hours=4)
    warn = DEFAULT_LADDER[0]
    # The sweep was down: at deadline + 3 h the warning is due, but "due soon" would be false.
    now = deadline + timedelta(hours=3)
    assert warn in due_rungs(ladder=DEFAULT_LADDER, start=START, deadline=deadline, now=now, already_sent=frozenset())
    assert notice_is_overdue(deadline=deadline, now=now) is True
    assert notice_is_overdue(deadline=deadline, now=deadline) is True


def test_deadline_rungs_are_overdue_notices_and_a_reminder_before_breach_is_not():
    deadline = START + timedelta(hours=4)
    reminder = Rung("reminder_assignee", "assignee", "deadline", -timedelta(minutes=30))
    for rung in DEFAULT_LADDER[1:]:
        assert notice_is_overdue(deadline=deadline, now=fire_at(rung, start=START, deadline=deadline)) is True
    assert notice_is_overdue(deadline=deadline, now=fire_at(reminder, start=START, deadline=deadline)) is False


def test_notice_is_overdue_wants_aware_times():
    with pytest.raises(ValueError):
        notice_is_overdue(deadline=START, now=datetime(2026, 3, 2, 9, 0))
