"""The visit windows a report form offers: two-hour windows in the project's working slots on the next three working
days, none started. Pure: no database, the time passed in."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.portal.windows import day_windows, visit_windows, window_at
from propdesk.servicedesk.rules.calendar import WorkingCalendar, from_config

SH = ZoneInfo("Asia/Shanghai")
DEFAULT = WorkingCalendar()


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def hours(windows) -> list[str]:
    return [f"{w.start:%m-%d %H:%M}–{w.end:%H:%M}" for w in windows]


def test_the_rest_of_today_and_two_more_working_days_in_two_hour_windows():
    windows = visit_windows(calendar=DEFAULT, now=at(2026, 11, 23, 10, 0))  # a Monday, mid-morning
    assert hours(windows) == [
        # 08:30–10:30 has started; 17:30–18:00 is too short to offer
        "11-23 10:30–12:00", "11-23 13:30–15:30", "11-23 15:30–17:30",
        "11-24 08:30–10:30", "11-24 10:30–12:00", "11-24 13:30–15:30", "11-24 15:30–17:30",
        "11-25 08:30–10:30", "11-25 10:30–12:00", "11-25 13:30–15:30", "11-25 15:30–17:30"]


def test_a_window_starting_now_has_started_and_after_work_today_is_not_a_day():
    assert hours(visit_windows(calendar=DEFAULT, now=at(2026, 11, 23, 15, 30)))[0] == "11-24 08:30–10:30"
    late = visit_windows(calendar=DEFAULT, now=at(2026, 11, 23, 19, 0))
    assert sorted({w.day for w in late}) == [date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]


def test_weekends_and_company_holidays_are_skipped_and_an_added_working_saturday_counts():
    friday_evening = at(2026, 11, 27, 20, 0)
    assert sorted({w.day for w in visit_windows(calendar=DEFAULT, now=friday_evening)}) == [
        date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)]
    calendar = WorkingCalendar(extra_holidays={date(2026, 11, 30)}, extra_workdays={date(2026, 11, 28)})
    assert sorted({w.day for w in visit_windows(calendar=calendar, now=friday_evening)}) == [
        date(2026, 11, 28), date(2026, 12, 1), date(2026, 12, 2)]


def test_the_project_s_own_slots_are_cut_the_same_way():
    calendar = from_config({"slots": [["09:00", "12:00"], ["14:00", "17:00"], ["19:00", "24:00"]]})
    assert hours(day_windows(calendar, date(2026, 11, 24))) == [
        "11-24 09:00–11:00", "11-24 11:00–12:00", "11-24 14:00–16:00", "11-24 16:00–17:00",
        "11-24 19:00–21:00", "11-24 21:00–23:00", "11-24 23:00–00:00"]


def test_a_start_the_form_offered_is_found_and_any_other_is_not():
    windows = visit_windows(calendar=DEFAULT, now=at(2026, 11, 23, 10, 0))
    assert window_at(windows, at(2026, 11, 24, 8, 30)).end == at(2026, 11, 24, 10, 30)
    assert window_at(windows, at(2026, 11, 23, 8, 30)) is None  # started
    assert window_at(windows, at(2026, 11, 24, 9, 0)) is None  # not a window start
    assert window_at(windows, at(2026, 11, 26, 8, 30)) is None  # a fourth day


def test_now_must_be_aware():
    with pytest.raises(ValueError):
        visit_windows(calendar=DEFAULT, now=datetime(2026, 11, 23, 10, 0))


@given(now=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(SH)),
       days=st.integers(min_value=1, max_value=5))
def test_every_offered_window_is_ahead_inside_a_slot_of_a_working_day_and_no_working_day_is_skipped(now, days):
    windows = visit_windows(calendar=DEFAULT, now=now, days=days)
    offered_days = sorted({w.day for w in windows})
    assert len(offered_days) == days
    for window in windows:
        assert window.start > now
        assert timedelta(hours=1) <= window.end - window.start <= timedelta(hours=2)
        assert DEFAULT.is_working_time(window.start)
        assert DEFAULT.is_working_time(window.end - timedelta(seconds=1))
    assert [w.start for w in windows] == sorted(w.start for w in windows)
    day = now.date()
    while day < offered_days[-1]:  # every working day up to the last one offered has its windows offered
        if DEFAULT.is_workday(day) and any(w.start > now for w in day_windows(DEFAULT, day)):
            assert day in offered_days
        day += timedelta(days=1)
    assert all(t.tzinfo is not None for w in windows for t in (w.start, w.end))
