"""Schedule arithmetic of patrols: windows, tolerance, frequencies and the working calendar (pure, no database)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from propdesk.stewardship.rules.patrols import (
    TOLERANCE,
    Schedule,
    Window,
    due_rounds,
    may_start,
    parse_window,
    round_status,
    schedule_problems,
    window_problems,
)

SH = ZoneInfo("Asia/Shanghai")
HANDBOOK = (Window(time(9, 30), time(11)), Window(time(15), time(17)))


def sh(*args):
    return datetime(*args, tzinfo=SH)


def weekends_off(day: date) -> bool:
    return day.weekday() < 5


def test_the_handbook_windows_make_two_rounds_a_day_in_shanghai_time():
    rounds = due_rounds(Schedule(windows=HANDBOOK), date(2026, 11, 23), date(2026, 11, 24))
    assert [(r.day, r.index) for r in rounds] == [(date(2026, 11, 23), 0), (date(2026, 11, 23), 1),
                                                  (date(2026, 11, 24), 0), (date(2026, 11, 24), 1)]
    assert rounds[0].window_start == sh(2026, 11, 23, 9, 30) and rounds[0].window_start.tzinfo == UTC
    assert rounds[0].window_start.hour == 1 and rounds[0].window_start.minute == 30  # 09:30 +08:00 is 01:30 UTC
    assert rounds[1].window_end == sh(2026, 11, 23, 17)


def test_working_days_only_skips_the_weekend_and_a_statutory_holiday():
    holiday = date(2026, 10, 1)

    def workday(day):
        return day != holiday and weekends_off(day)

    schedule = Schedule(windows=HANDBOOK[:1], working_days_only=True)
    days = [r.day for r in due_rounds(schedule, date(2026, 9, 28), date(2026, 10, 4), is_workday=workday)]
    assert days == [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 2)]
    every_day = [r.day for r in due_rounds(Schedule(windows=HANDBOOK[:1]), date(2026, 9, 28), date(2026, 10, 4),
                                           is_workday=workday)]
    assert len(every_day) == 7


def test_weekly_on_chosen_weekdays():
    schedule = Schedule(windows=HANDBOOK[:1], frequency="weekly", weekdays=frozenset({0, 3}))
    days = [r.day for r in due_rounds(schedule, date(2026, 11, 23), date(2026, 12, 6))]
    assert days == [date(2026, 11, 23), date(2026, 11, 26), date(2026, 11, 30), date(2026, 12, 3)]


def test_monthly_uses_the_last_day_of_a_short_month_and_moves_off_a_weekend():
    schedule = Schedule(windows=HANDBOOK[:1], frequency="monthly", day_of_month=31)
    assert [r.day for r in due_rounds(schedule, date(2026, 2, 1), date(2026, 3, 31))] == [
        date(2026, 2, 28), date(2026, 3, 31)]
    on_workdays = Schedule(windows=HANDBOOK[:1], frequency="monthly", day_of_month=28, working_days_only=True)
    # 2026-11-28 is a Saturday: the inspection moves to Monday the 30th
    assert [r.day for r in due_rounds(on_workdays, date(2026, 11, 1), date(2026, 11, 30),
                                      is_workday=weekends_off)] == [date(2026, 11, 30)]
    # 2026-02-28 is a Saturday and the month ends: back to Friday the 27th
    assert [r.day for r in due_rounds(on_workdays, date(2026, 2, 1), date(2026, 2, 28),
                                      is_workday=weekends_off)] == [date(2026, 2, 27)]


def test_tolerance_decides_on_time_late_and_missed():
    start, end = sh(2026, 11, 23, 9, 30), sh(2026, 11, 23, 11)
    kwargs = {"window_start": start, "window_end": end}
    assert round_status(**kwargs, started_at=None, finished_at=None, now=sh(2026, 11, 23, 11, 15)) == "due"
    assert round_status(**kwargs, started_at=None, finished_at=None, now=sh(2026, 11, 23, 11, 16)) == "missed"
    assert round_status(**kwargs, started_at=start, finished_at=sh(2026, 11, 23, 11, 15), now=end) == "on_time"
    assert round_status(**kwargs, started_at=start, finished_at=sh(2026, 11, 23, 11, 16), now=end) == "late"
    assert round_status(**kwargs, started_at=start, finished_at=None, now=sh(2026, 11, 23, 12)) == "overdue"
    assert round_status(**kwargs, started_at=start, finished_at=None, now=sh(2026, 11, 23, 10)) == "in_progress"
    assert may_start(**kwargs, at=sh(2026, 11, 23, 9, 15))
    assert not may_start(**kwargs, at=sh(2026, 11, 23, 9, 14))
    assert may_start(**kwargs, at=sh(2026, 11, 23, 11, 15))
    assert not may_start(**kwargs, at=sh(2026, 11, 23, 11, 15, 1))


def test_window_problems():
    assert window_problems(HANDBOOK) == []
    assert window_problems([]) == ["At least one window."]
    assert window_problems([Window(time(11), time(9, 30))])
    assert window_problems([Window(time(9, 30), time(11)), Window(time(11, 20), time(12))])  # 20 min apart
    assert window_problems([Window(time(9, 30), time(11)), Window(time(11, 30), time(12))]) == []
    assert schedule_problems(Schedule(windows=HANDBOOK, frequency="weekly")) == ["Pick at least one weekday."]
    assert parse_window("9:30-11:00") == HANDBOOK[0]
    assert parse_window(" 15:00–17:00 ") == HANDBOOK[1]


# Properties ---------------------------------------------------------------------------------------------------

minutes = st.integers(min_value=0, max_value=23 * 60 + 59)


@st.composite
def schedules(draw):
    count = draw(st.integers(min_value=1, max_value=3))
    starts = sorted(draw(st.lists(minutes, min_size=count, max_size=count, unique=True)))
    windows = []
    for start in starts:
        length = draw(st.integers(min_value=1, max_value=180))
        end = min(start + length, 23 * 60 + 59)
        if end > start:
            windows.append(Window(time(start // 60, start % 60), time(end // 60, end % 60)))
    frequency = draw(st.sampled_from(["daily", "weekly", "monthly"]))
    return Schedule(windows=tuple(windows) or HANDBOOK, frequency=frequency,
                    weekdays=frozenset(draw(st.sets(st.integers(0, 6), min_size=1))),
                    day_of_month=draw(st.integers(1, 31)), working_days_only=draw(st.booleans()),
                    tz=draw(st.sampled_from(["Asia/Shanghai", "Asia/Urumqi", "UTC"])))


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
holidays = st.sets(days, max_size=40)


@given(schedules(), days, st.integers(0, 62), holidays)
def test_every_round_lies_in_its_window_on_its_local_day_and_on_a_working_day(schedule, first, span, off):
    def workday(day):
        return day not in off and day.weekday() < 5

    last = first + timedelta(days=span)
    rounds = due_rounds(schedule, first, last, is_workday=workday)
    zone = ZoneInfo(schedule.tz)
    by_start = {(w.start, w.end) for w in schedule.windows}
    for r in rounds:
        assert first <= r.day <= last
        local_start, local_end = r.window_start.astimezone(zone), r.window_end.astimezone(zone)
        assert local_start.date() == r.day and (local_start.time(), local_end.time()) in by_start
        assert r.window_start < r.window_end
        if schedule.working_days_only:
            assert workday(r.day)
        # a round started inside its window ± tolerance may start; a minute outside may not
        assert may_start(window_start=r.window_start, window_end=r.window_end, at=r.window_start - TOLERANCE)
        assert not may_start(window_start=r.window_start, window_end=r.window_end,
                             at=r.window_end + TOLERANCE + timedelta(seconds=1))
    keys = [(r.day, r.index) for r in rounds]
    assert len(keys) == len(set(keys))
    assert [r.window_start for r in rounds] == sorted(r.window_start for r in rounds)


@given(schedules(), days, holidays)
def test_a_monthly_plan_patrols_at_most_once_a_month(schedule, first, off):
    if schedule.frequency != "monthly":
        return
    rounds = due_rounds(schedule, first, first + timedelta(days=400),
                        is_workday=lambda day: day not in off and day.weekday() < 5)
    months = [(r.day.year, r.day.month) for r in rounds if r.index == 0]
    assert len(months) == len(set(months))


@given(st.lists(st.tuples(minutes, st.integers(1, 240)), min_size=1, max_size=4))
def test_accepted_windows_never_overlap_even_with_the_tolerance(pairs):
    windows = [Window(time(s // 60, s % 60), time(min(s + n, 1439) // 60, min(s + n, 1439) % 60)) for s, n in pairs]
    if window_problems(windows):
        return
    schedule = Schedule(windows=tuple(windows))
    rounds = due_rounds(schedule, date(2026, 11, 23), date(2026, 11, 23))
    for a, b in zip(rounds, rounds[1:], strict=False):
        assert a.window_end + TOLERANCE < b.window_start - TOLERANCE


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)),
       st.integers(1, 600), st.integers(-120, 900))
def test_status_agrees_with_the_tolerance(start, length, finish_after):
    start = start.replace(tzinfo=UTC)
    end = start + timedelta(minutes=length)
    finished = start + timedelta(minutes=finish_after)
    status = round_status(window_start=start, window_end=end, started_at=start, finished_at=finished,
                          now=finished)
    assert status == ("on_time" if finished <= end + TOLERANCE else "late")
