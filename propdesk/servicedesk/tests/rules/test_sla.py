"""SLA deadlines 时效: the handbook's numbers, the resident's own date, appointments, holds, the policy as JSON.

Plain tests, no database. 2026-03-04 is a Wednesday, 2026-03-06 a Friday, 2026-03-07/08 a weekend.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propdesk.servicedesk.rules.calendar import WorkingCalendar
from propdesk.servicedesk.rules.sla import (
    DEFAULT_POLICY,
    Deadlines,
    Target,
    compute_deadlines,
    extend_for_hold,
    looks_urgent,
    policy_from_config,
    policy_to_config,
    rule_key,
    warn_at,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = WorkingCalendar()  # 08:30–12:00, 13:30–18:00


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def deadlines(key: str, received_at: datetime, **kwargs) -> Deadlines:
    return compute_deadlines(target=DEFAULT_POLICY[key], received_at=received_at, calendar=CAL, **kwargs)


# -- the default policy ----------------------------------------------------------------------------------------------

def test_major_complaint_goes_to_the_branch_leader_and_into_handling_the_same_day():
    target = DEFAULT_POLICY["complaint.major"]
    assert target.escalate_to == "branch_leader"
    # Saturday night: the same day still means the same calendar day; the leadership's 2 hours end with it.
    assert deadlines("complaint.major", sh(2026, 3, 7, 22, 0)) == Deadlines(
        respond_by=sh(2026, 3, 7, 23, 59, 59), arrive_by=None, resolve_by=sh(2026, 3, 7, 23, 59, 59))


@pytest.mark.parametrize(("received", "respond_by"), [
    (sh(2026, 3, 10, 15, 0), sh(2026, 3, 10, 17, 0)),  # a Tuesday afternoon: 2 hours
    (sh(2026, 3, 7, 9, 30), sh(2026, 3, 7, 11, 30)),  # a Saturday: round the clock, 2 hours
    (sh(2026, 3, 10, 22, 30), sh(2026, 3, 10, 23, 59, 59)),  # late evening: bounded by the end of the day
    (sh(2026, 3, 10, 23, 59, 59, 500000), sh(2026, 3, 11, 1, 59, 59, 500000)),  # the day's last instant: 2 hours
])
def test_major_complaint_is_taken_into_handling_within_2_hours_of_the_same_day(received, respond_by):
    result = deadlines("complaint.major", received)
    assert result.respond_by == respond_by
    # Never the intake instant itself: a major complaint is not overdue the moment it is saved.
    assert result.respond_by > received


def test_important_complaint_reaches_the_project_manager_within_an_hour_even_after_hours():
    assert DEFAULT_POLICY["complaint.important"].escalate_to == "project_manager"
    result = deadlines("complaint.important", sh(2026, 3, 6, 17, 30))  # Friday 17:30
    assert result.respond_by == sh(2026, 3, 6, 18, 30)
    # Resolution: 2 working days (16 working hours): 0.5 h Friday, 8 h Monday, 7.5 h Tuesday.
    assert result.resolve_by == sh(2026, 3, 10, 17, 30)


def test_minor_complaint_is_solved_within_48_hours_weekend_included():
    result = deadlines("complaint.minor", sh(2026, 3, 6, 10, 0))
    assert result == Deadlines(respond_by=None, arrive_by=None, resolve_by=sh(2026, 3, 8, 10, 0))
    assert DEFAULT_POLICY["complaint.minor"].escalate_to is None


def test_an_earlier_resident_deadline_wins_a_later_one_does_not():
    received = sh(2026, 3, 6, 10, 0)
    assert deadlines("complaint.minor", received, resident_deadline=sh(2026, 3, 7, 12, 0)).resolve_by \
        == sh(2026, 3, 7, 12, 0)
    assert deadlines("complaint.minor", received, resident_deadline=sh(2026, 3, 9, 12, 0)).resolve_by \
        == sh(2026, 3, 8, 10, 0)
    # Where the policy sets no resolution time the resident's date becomes it; the result is in the calendar zone.
    asked = datetime(2026, 3, 6, 8, 0, tzinfo=UTC)
    praise = deadlines("praise", received, resident_deadline=asked)
    assert praise.resolve_by == sh(2026, 3, 6, 16, 0) and praise.resolve_by.tzinfo is SHANGHAI


def test_urgent_repair_on_site_within_30_minutes_at_night():
    result = deadlines("repair.urgent", sh(2026, 3, 8, 3, 0))  # Sunday 03:00
    assert result == Deadlines(respond_by=sh(2026, 3, 8, 3, 10), arrive_by=sh(2026, 3, 8, 3, 30),
                               resolve_by=sh(2026, 3, 9, 3, 0))


def test_normal_repair_answered_in_working_time_on_site_in_24_hours_done_in_48():
    result = deadlines("repair.normal", sh(2026, 3, 7, 10, 0))  # Saturday
    assert result == Deadlines(respond_by=sh(2026, 3, 9, 9, 0),  # 30 working minutes: Monday 09:00
                               arrive_by=sh(2026, 3, 8, 10, 0), resolve_by=sh(2026, 3, 9, 10, 0))


def test_an_appointment_sets_arrival_and_starts_the_resolution_time():
    result = deadlines("repair.normal", sh(2026, 3, 7, 10, 0), appointment=sh(2026, 3, 10, 14, 0))
    assert result.arrive_by == sh(2026, 3, 10, 14, 0)
    assert result.resolve_by == sh(2026, 3, 12, 14, 0)
    assert result.respond_by == sh(2026, 3, 9, 9, 0)  # answering the call is still due


@pytest.mark.parametrize(("key", "received", "expected"), [
    # 4 working hours: 2 on Wednesday afternoon, 2 on Thursday morning.
    ("inquiry", sh(2026, 3, 4, 16, 0), Deadlines(resolve_by=sh(2026, 3, 5, 10, 30))),
    # Round the clock, on a public holiday too.
    ("help", sh(2026, 10, 1, 20, 0), Deadlines(respond_by=sh(2026, 10, 1, 20, 30), resolve_by=sh(2026, 10, 2, 20, 0))),
    ("suggestion", sh(2026, 3, 4, 10, 0), Deadlines(resolve_by=sh(2026, 3, 9, 10, 0))),
    # 1 working day = 8 working hours: 3 on Friday, 5 on Monday.
    ("praise", sh(2026, 3, 6, 15, 0), Deadlines(respond_by=sh(2026, 3, 9, 15, 0))),
])
def test_defaults_for_the_other_kinds(key, received, expected):
    assert deadlines(key, received) == expected


def test_every_request_kind_has_a_default_rule():
    keys = {rule_key("complaint", severity=s) for s in ("major", "important", "minor")}
    keys |= {rule_key("repair", urgent=u) for u in (True, False)}
    keys |= {rule_key(kind) for kind in ("inquiry", "help", "suggestion", "praise")}
    assert keys == set(DEFAULT_POLICY)


def test_the_default_policy_is_read_only():
    with pytest.raises(TypeError):
        DEFAULT_POLICY["inquiry"] = Target()


# -- bad input -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["resident_deadline", "appointment"])
def test_a_deadline_in_the_past_is_refused(field):
    with pytest.raises(ValueError, match="a deadline in the past"):
        deadlines("repair.normal", sh(2026, 3, 4, 10, 0), **{field: sh(2026, 3, 4, 9, 59)})


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        deadlines("inquiry", datetime(2026, 3, 4, 10, 0))
    with pytest.raises(ValueError, match="aware"):
        deadlines("inquiry", sh(2026, 3, 4, 10, 0), resident_deadline=datetime(2026, 3, 5, 10, 0))


# -- rule keys and urgency -----------------------------------------------------------------------------------------

def test_rule_key():
    assert rule_key("complaint", severity="major") == "complaint.major"
    assert rule_key("repair") == "repair.normal"
    assert rule_key("repair", urgent=True) == "repair.urgent"
    assert rule_key("help", urgent=True) == "help"
    assert rule_key("inquiry", severity="") == "inquiry"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"kind": "gossip"}, "unknown request kind"),
    ({"kind": "complaint"}, "needs a severity"),
    ({"kind": "complaint", "severity": "huge"}, "needs a severity"),
    ({"kind": "repair", "severity": "major"}, "complaints only"),
])
def test_rule_key_refuses_bad_input(kwargs, message):
    kind = kwargs.pop("kind")
    with pytest.raises(ValueError, match=message):
        rule_key(kind, **kwargs)


@pytest.mark.parametrize("text", ["3栋2单元1802厨房水管爆裂", "楼上跑水了", "整栋楼停电", "小区停 水", "电梯困人！",
                                  "有人被困电梯", "楼道里有很重的燃气味", "闻到煤气味", "卫生间漏水"])
def test_urgent_repairs_are_recognised(text):
    assert looks_urgent(text)


@pytest.mark.parametrize("text", ["楼道灯不亮", "咨询物业费怎么交", "门禁卡丢了", "", None])
def test_ordinary_repairs_are_not_flagged(text):
    assert not looks_urgent(text)


# -- holds -----------------------------------------------------------------------------------------------------------

def test_a_hold_pushes_a_working_clock_deadline_by_the_working_time_held():
    target = DEFAULT_POLICY["complaint.important"]  # resolves on the working clock
    resolve_by = sh(2026, 3, 10, 17, 30)
    # Friday 17:00 → Monday 09:30 covers 2 working hours (17:00–18:00, 08:30–09:30), not 64.5 clock hours.
    extended = extend_for_hold(resolve_by=resolve_by, held_from=sh(2026, 3, 6, 17, 0),
                               held_until=sh(2026, 3, 9, 9, 30), target=target, calendar=CAL)
    assert extended == sh(2026, 3, 11, 10, 0)  # 0.5 h Tuesday + 1.5 h Wednesday


def test_a_hold_outside_working_time_leaves_a_working_deadline_alone():
    target = DEFAULT_POLICY["complaint.important"]
    resolve_by = sh(2026, 3, 10, 18, 0)  # at a slot end: must not be moved to the next morning
    assert extend_for_hold(resolve_by=resolve_by, held_from=sh(2026, 3, 7, 10, 0), held_until=sh(2026, 3, 8, 18, 0),
                           target=target, calendar=CAL) == resolve_by


def test_a_hold_pushes_a_round_the_clock_deadline_by_the_elapsed_time():
    target = DEFAULT_POLICY["complaint.minor"]
    extended = extend_for_hold(resolve_by=sh(2026, 3, 8, 10, 0), held_from=sh(2026, 3, 7, 10, 0),
                               held_until=sh(2026, 3, 7, 15, 0), target=target, calendar=CAL)
    assert extended == sh(2026, 3, 8, 15, 0)


def test_a_hold_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        extend_for_hold(resolve_by=sh(2026, 3, 8, 10, 0), held_from=sh(2026, 3, 7, 15, 0),
                        held_until=sh(2026, 3, 7, 10, 0), target=DEFAULT_POLICY["complaint.minor"], calendar=CAL)


# -- warning -------------------------------------------------------------------------------------------------------

def test_warn_at_80_percent_of_the_elapsed_span():
    assert warn_at(sh(2026, 3, 4, 10, 0), sh(2026, 3, 4, 20, 0)) == sh(2026, 3, 4, 18, 0)
    assert warn_at(sh(2026, 3, 4, 10, 0), sh(2026, 3, 4, 20, 0), fraction=0.5) == sh(2026, 3, 4, 15, 0)
    assert warn_at(datetime(2026, 3, 4, 2, 0, tzinfo=UTC), sh(2026, 3, 4, 20, 0)) == sh(2026, 3, 4, 18, 0)
    assert warn_at(sh(2026, 3, 4, 10, 0), sh(2026, 3, 4, 9, 0)) == sh(2026, 3, 4, 9, 0)


@pytest.mark.parametrize("fraction", [1.5, -0.1, True, "0.8"])
def test_warn_at_refuses_a_bad_fraction(fraction):
    with pytest.raises(ValueError, match="fraction"):
        warn_at(sh(2026, 3, 4, 10, 0), sh(2026, 3, 4, 20, 0), fraction=fraction)


# -- the policy as JSON -------------------------------------------------------------------------------------------

def test_policy_from_config_overlays_the_defaults():
    policy = policy_from_config({
        "complaint.minor": {"resolve_minutes": 1440, "clock": "working"},
        "repair.urgent": {"arrive_minutes": 20, "respond_minutes": None, "escalate_to": "project_manager"},
    })
    assert policy["complaint.minor"] == Target(resolve=timedelta(hours=24), clock="working")
    assert policy["repair.urgent"].arrive == timedelta(minutes=20)
    assert policy["repair.urgent"].respond is None
    assert policy["repair.urgent"].resolve == timedelta(hours=24)  # untouched field kept
    assert policy["repair.urgent"].escalate_to == "project_manager"
    assert policy["inquiry"] == DEFAULT_POLICY["inquiry"]  # untouched rule kept
    assert DEFAULT_POLICY["complaint.minor"].resolve == timedelta(hours=48)  # the defaults are not changed
    # The overlaid rule drives the deadlines: 24 working hours (3 working days) from Wednesday 10:00 is Monday 10:00.
    result = compute_deadlines(target=policy["complaint.minor"], received_at=sh(2026, 3, 4, 10, 0), calendar=CAL)
    assert result.resolve_by == sh(2026, 3, 9, 10, 0)


def test_policy_round_trips_through_json():
    assert policy_from_config(None) == dict(DEFAULT_POLICY)
    assert policy_from_config(policy_to_config(DEFAULT_POLICY)) == dict(DEFAULT_POLICY)
    assert policy_to_config(DEFAULT_POLICY)["repair.urgent"]["arrive_minutes"] == 30


@pytest.mark.parametrize(("config", "message"), [
    ({"complaint.tiny": {"resolve_minutes": 60}}, "unknown rule 'complaint.tiny'"),
    ({"inquiry": {"resolve_hours": 4}}, "unknown field"),
    ({"inquiry": {"resolve_minutes": -5}}, "minutes ≥ 0"),
    ({"inquiry": {"resolve_minutes": "240"}}, "minutes ≥ 0"),
    ({"inquiry": {"resolve_minutes": True}}, "minutes ≥ 0"),
    ({"inquiry": {"resolve_minutes": float("nan")}}, "minutes ≥ 0"),
    ({"inquiry": {"resolve_minutes": 10**9}}, "longer than"),
    ({"inquiry": {"clock": "office"}}, "clock must be one of"),
    ({"inquiry": {"resolve_clock": "24x7"}}, "resolve_clock must be one of"),
    ({"inquiry": {"escalate_to": "The Boss"}}, "escalate_to"),
    ({"inquiry": {"same_day": "yes"}}, "same_day"),
    ({"inquiry": 240}, "expected an object"),
    ([["inquiry", 240]], "object keyed by rule"),
])
def test_policy_from_config_refuses_bad_input(config, message):
    with pytest.raises(ValueError, match=message):
        policy_from_config(config)


def test_a_step_clock_overrides_the_target_clock():
    target = Target(respond=timedelta(minutes=30), resolve=timedelta(hours=2), clock="round_the_clock",
                    respond_clock="working")
    assert target.clock_for("respond") == "working" and target.clock_for("resolve") == "round_the_clock"
    result = compute_deadlines(target=target, received_at=sh(2026, 3, 4, 20, 0), calendar=CAL)
    assert result.respond_by == sh(2026, 3, 5, 9, 0) and result.resolve_by == sh(2026, 3, 4, 22, 0)


# -- properties ------------------------------------------------------------------------------------------------------

RECEIVED = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31),
                        timezones=st.just(SHANGHAI))


@settings(max_examples=100, deadline=None)
@given(key=st.sampled_from(sorted(DEFAULT_POLICY)), received=RECEIVED,
       asked_after=st.one_of(st.none(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10))))
def test_property_deadlines_never_precede_intake_and_respect_the_resident(key, received, asked_after):
    resident_deadline = None if asked_after is None else received + asked_after
    result = deadlines(key, received, resident_deadline=resident_deadline)
    for value in (result.respond_by, result.arrive_by, result.resolve_by):
        assert value is None or value >= received
    if resident_deadline is not None:
        assert result.resolve_by <= resident_deadline


@settings(max_examples=200)
@given(received=RECEIVED)
def test_property_a_major_complaint_has_time_to_be_taken_into_handling_within_its_day(received):
    respond_by = deadlines("complaint.major", received).respond_by
    day_end = datetime.combine(received.astimezone(SHANGHAI).date(), datetime.max.time(), tzinfo=SHANGHAI)
    assert received < respond_by <= received + timedelta(hours=2)
    assert respond_by <= day_end or respond_by == received + timedelta(hours=2)
