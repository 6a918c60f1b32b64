"""The pure rules: work items refused or flagged, permitted windows and the planned period."""

from datetime import date, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from propdesk.renovation.rules import items as rules
from propdesk.renovation.rules.hours import Hours, day_windows, period_problems, windows, windows_text

HOURS = Hours(time(8), time(18), time(12), time(14))


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def test_always_forbidden_items_are_refused_with_their_rule():
    check = rules.items_check(["wall_finish", "bearing_wall", "gas_pipe", "facade"])
    assert [v.code for v in check.refused] == ["bearing_wall", "gas_pipe", "facade"]
    assert all(v.rule for v in check.refused) and not check.flagged


def test_balcony_follows_the_project_and_flags_and_unknown_codes():
    assert not rules.items_check(["balcony_closing"]).refused
    assert rules.items_check(["balcony_closing"], balcony_closing_banned=True).refused[0].code == "balcony_closing"
    check = rules.items_check(["plumbing", "ceiling", "teleporter"], flagged_items=["plumbing"],
                              forbidden_items=["ceiling"])
    assert [v.code for v in check.flagged] == ["plumbing"] and [v.code for v in check.refused] == ["ceiling"]
    assert check.unknown == ("teleporter",)


@given(st.lists(st.sampled_from(rules.CODES + ("x",)), max_size=20), st.booleans(),
       st.sets(st.sampled_from(rules.CODES)), st.sets(st.sampled_from(rules.CODES)))
def test_every_chosen_code_lands_once_at_most(codes, banned, forbidden, flagged):
    check = rules.items_check(codes, forbidden_items=forbidden, flagged_items=flagged, balcony_closing_banned=banned)
    seen = [v.code for v in check.refused] + [v.code for v in check.flagged] + list(check.unknown)
    assert len(seen) == len(set(seen)) and set(seen) <= set(codes)
    assert {"bearing_wall", "gas_pipe", "facade"} & set(codes) <= {v.code for v in check.refused}


def test_windows_leave_out_the_noon_quiet_hours():
    assert windows(HOURS) == [(time(8), time(12)), (time(14), time(18))]
    assert windows_text(HOURS) == "08:00–12:00、14:00–18:00"
    assert windows(Hours(time(8), time(11), time(12), time(14))) == [(time(8), time(11))]
    assert day_windows(date(2026, 11, 28), HOURS, weekdays) == []  # a Saturday
    quiet = Hours(time(8), time(18), time(12), time(14), frozenset({date(2026, 11, 30)}))
    assert day_windows(date(2026, 11, 30), quiet, weekdays) == []


@given(st.times(), st.times(), st.times(), st.times())
def test_windows_are_ordered_inside_the_working_hours_and_outside_quiet(a, b, c, d):
    hours = Hours(a, b, c, d)
    for start, end in windows(hours):
        assert a <= start < end <= b
        assert not (c < d and start < d and c < end and (start >= c and end <= d))


def test_period_checks():
    today = date(2026, 11, 23)
    ok = period_problems(date(2026, 11, 30), date(2026, 12, 18), today=today, hours=HOURS, max_days=90,
                         is_workday=weekdays)
    assert ok == {}
    assert "planned_start" in period_problems(today - timedelta(days=1), today, today=today, hours=HOURS,
                                              max_days=90, is_workday=weekdays)
    assert "planned_end" in period_problems(today, today + timedelta(days=100), today=today, hours=HOURS,
                                            max_days=90, is_workday=weekdays)
    assert "planned_start" in period_problems(date(2026, 11, 28), date(2026, 11, 29), today=today, hours=HOURS,
                                              max_days=90, is_workday=weekdays)
    assert "planned_end" in period_problems(date(2026, 12, 2), date(2026, 12, 1), today=today, hours=HOURS,
                                            max_days=90, is_workday=weekdays)
