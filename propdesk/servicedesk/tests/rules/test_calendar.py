"""Working-calendar arithmetic: lunch breaks, weekends, statutory holidays, 调休 days, company overrides, 24×7.

Plain tests, no database. Dates checked against chinese_calendar 1.11: 2026-02-14 (Sat) and 2026-10-10 (Sat) are
调休 working days, 2026-02-15..23 is the Spring Festival break, 2026-10-01..07 National Day.
"""

import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propdesk.servicedesk.rules.calendar import WorkingCalendar, from_config

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
CAL = WorkingCalendar()  # 08:30–12:00, 13:30–18:00, Shanghai


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


# -- within a day ----------------------------------------------------------------------------------------------------

def test_the_lunch_break_does_not_count():
    # 2026-03-04 is an ordinary Wednesday.
    assert CAL.add_working_time(sh(2026, 3, 4, 11, 30), hours(1)) == sh(2026, 3, 4, 14, 0)


def test_starting_before_opening_begins_at_the_first_slot():
    assert CAL.add_working_time(sh(2026, 3, 4, 7, 0), hours(1)) == sh(2026, 3, 4, 9, 30)


def test_starting_in_the_lunch_break_begins_after_it():
    assert CAL.add_working_time(sh(2026, 3, 4, 12, 30), timedelta(minutes=30)) == sh(2026, 3, 4, 14, 0)


def test_a_job_that_fills_the_morning_ends_at_noon_not_after_lunch():
    assert CAL.add_working_time(sh(2026, 3, 4, 11, 0), hours(1)) == sh(2026, 3, 4, 12, 0)


def test_time_left_at_closing_carries_over_to_the_next_morning():
    assert CAL.add_working_time(sh(2026, 3, 4, 17, 30), hours(1)) == sh(2026, 3, 5, 9, 0)


def test_zero_duration_clamps_to_the_next_working_instant():
    assert CAL.add_working_time(sh(2026, 3, 4, 10, 0), timedelta(0)) == sh(2026, 3, 4, 10, 0)
    assert CAL.next_working_instant(sh(2026, 3, 4, 12, 0)) == sh(2026, 3, 4, 13, 30)
    assert CAL.next_working_instant(sh(2026, 3, 4, 18, 0)) == sh(2026, 3, 5, 8, 30)
    assert CAL.next_working_instant(sh(2026, 3, 7, 10, 0)) == sh(2026, 3, 9, 8, 30)  # Saturday → Monday


def test_is_working_time():
    assert CAL.is_working_time(sh(2026, 3, 4, 8, 30))
    assert not CAL.is_working_time(sh(2026, 3, 4, 12, 0))
    assert not CAL.is_working_time(sh(2026, 3, 7, 10, 0))


def test_a_full_day_is_the_sum_of_its_slots():
    assert CAL.working_day_length == hours(8)
    assert CAL.working_time_between(sh(2026, 3, 4, 0, 0), sh(2026, 3, 5, 0, 0)) == hours(8)
    assert CAL.add_working_time(sh(2026, 3, 4, 8, 30), hours(8)) == sh(2026, 3, 4, 18, 0)


# -- days off ----------------------------------------------------------------------------------------------------------

def test_weekends_are_skipped():
    # Friday 17:00 + 2 h: one hour on Friday, one on Monday.
    assert CAL.add_working_time(sh(2026, 3, 6, 17, 0), hours(2)) == sh(2026, 3, 9, 9, 30)
    assert CAL.working_time_between(sh(2026, 3, 6, 17, 0), sh(2026, 3, 9, 9, 30)) == hours(2)


def test_national_day_is_skipped():
    for day in range(1, 8):
        assert not CAL.is_workday(date(2026, 10, day))
    assert CAL.is_workday(date(2026, 9, 30)) and CAL.is_workday(date(2026, 10, 8))
    assert CAL.add_working_time(sh(2026, 9, 30, 17, 0), hours(2)) == sh(2026, 10, 8, 9, 30)


def test_spring_festival_is_skipped():
    assert not CAL.is_workday(date(2026, 2, 17))
    # Friday 2026-02-20 is inside the break; work resumes on Tuesday 2026-02-24.
    assert CAL.add_working_time(sh(2026, 2, 20, 10, 0), hours(1)) == sh(2026, 2, 24, 9, 30)


def test_adjusted_working_saturdays_count():
    assert CAL.is_workday(date(2026, 2, 14))  # Saturday 调休 before Spring Festival
    assert CAL.is_workday(date(2026, 10, 10))  # Saturday 调休 after National Day
    assert not CAL.is_workday(date(2026, 2, 21))  # a Saturday inside the festival break
    # Friday 2026-02-13 17:00 + 2 h: one hour on Friday, one on the working Saturday.
    assert CAL.add_working_time(sh(2026, 2, 13, 17, 0), hours(2)) == sh(2026, 2, 14, 9, 30)
    # Friday 2026-10-09 17:00 + 2 h ends on Saturday 10-10, not on Monday 10-12.
    assert CAL.add_working_time(sh(2026, 10, 9, 17, 0), hours(2)) == sh(2026, 10, 10, 9, 30)


def test_company_holidays_and_workdays_override_the_statutory_calendar():
    cal = WorkingCalendar(extra_holidays=frozenset({date(2026, 3, 5)}),
                          extra_workdays=frozenset({date(2026, 3, 7), date(2026, 10, 1)}))
    assert not cal.is_workday(date(2026, 3, 5))  # a Thursday the company gives off
    assert cal.is_workday(date(2026, 3, 7))  # a Saturday the company works
    assert cal.is_workday(date(2026, 10, 1))  # the company staffs the desk on National Day
    assert cal.add_working_time(sh(2026, 3, 4, 17, 0), hours(2)) == sh(2026, 3, 6, 9, 30)
    assert cal.add_working_time(sh(2026, 3, 6, 17, 0), hours(2)) == sh(2026, 3, 7, 9, 30)


def test_a_day_cannot_be_both_extra_holiday_and_extra_workday():
    with pytest.raises(ValueError, match="both"):
        WorkingCalendar(extra_holidays=frozenset({date(2026, 3, 5)}), extra_workdays=frozenset({date(2026, 3, 5)}))


def test_years_unknown_to_the_package_fall_back_to_monday_to_friday():
    assert CAL.is_workday(date(2027, 1, 1))  # a Friday: really New Year's Day, unknown to chinese_calendar 1.11
    assert not CAL.is_workday(date(2027, 1, 2))  # Saturday
    assert CAL.is_workday(date(2003, 6, 2)) and not CAL.is_workday(date(2003, 6, 1))
    # The company adds the year's holidays itself until the package is upgraded.
    cal = WorkingCalendar(extra_holidays=frozenset({date(2027, 1, 1)}))
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.add_working_time(sh(2026, 12, 31, 17, 0), hours(2)) == sh(2027, 1, 4, 9, 30)


# -- round the clock, other zones -------------------------------------------------------------------------------------

def test_round_the_clock_counts_nights_weekends_and_holidays():
    cal = WorkingCalendar(round_the_clock=True)
    assert cal.add_working_time(sh(2026, 10, 3, 23, 0), hours(2)) == sh(2026, 10, 4, 1, 0)
    assert cal.working_time_between(sh(2026, 10, 3, 23, 0), sh(2026, 10, 4, 1, 0)) == hours(2)
    assert cal.next_working_instant(sh(2026, 10, 3, 3, 0)) == sh(2026, 10, 3, 3, 0)
    assert WorkingCalendar(slots=(), round_the_clock=True).working_day_length == hours(24)


def test_any_input_zone_result_in_the_calendar_zone():
    start = datetime(2026, 3, 4, 3, 30, tzinfo=UTC)  # 11:30 in Shanghai
    result = CAL.add_working_time(start, hours(1))
    assert result == sh(2026, 3, 4, 14, 0)
    assert result.tzinfo is SHANGHAI and result.hour == 14


def test_slots_keep_local_hours_across_a_daylight_saving_switch():
    berlin = WorkingCalendar(slots=((time(9), time(17)),), tz=BERLIN)
    # Friday 16:00 + 2 h → Monday 10:00 Berlin time, although the clocks went forward on Sunday 2026-03-29.
    result = berlin.add_working_time(datetime(2026, 3, 27, 16, 0, tzinfo=BERLIN), hours(2))
    assert result == datetime(2026, 3, 30, 10, 0, tzinfo=BERLIN)
    assert result.astimezone(UTC).hour == 8  # CEST, UTC+2
    # A slot spanning the switch is an hour shorter in real time.
    night = WorkingCalendar(slots=((time(0), time(0)),), tz=BERLIN,  # 00:00–24:00
                            extra_workdays=frozenset({date(2026, 3, 29)}))  # the Sunday of the switch
    assert night.working_time_between(datetime(2026, 3, 29, tzinfo=BERLIN), datetime(2026, 3, 30, tzinfo=BERLIN)) \
        == hours(23)


# -- between, validation, config ---------------------------------------------------------------------------------------

def test_working_time_between():
    assert CAL.working_time_between(sh(2026, 3, 4, 11, 30), sh(2026, 3, 4, 14, 0)) == hours(1)
    assert CAL.working_time_between(sh(2026, 3, 4, 14, 0), sh(2026, 3, 4, 11, 30)) == timedelta(0)
    assert CAL.working_time_between(sh(2026, 3, 4, 12, 5), sh(2026, 3, 4, 13, 0)) == timedelta(0)
    # b in the lunch break: adding the result back lands on the last working instant before b, 12:00.
    between = CAL.working_time_between(sh(2026, 3, 4, 9, 0), sh(2026, 3, 4, 12, 45))
    assert between == hours(3)
    assert CAL.add_working_time(sh(2026, 3, 4, 9, 0), between) == sh(2026, 3, 4, 12, 0)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="aware"):
        CAL.add_working_time(datetime(2026, 3, 4, 10, 0), hours(1))
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_time(sh(2026, 3, 4, 10, 0), hours(-1))
    with pytest.raises(TypeError):
        CAL.is_workday(sh(2026, 3, 4, 10, 0))


@pytest.mark.parametrize("slots", [
    ((time(13, 30), time(18)), (time(8, 30), time(12))),  # not sorted
    ((time(8, 30), time(14)), (time(13, 30), time(18))),  # overlapping
    ((time(12), time(8, 30)),),  # ends before it starts
    ((time(9), time(9)),),  # empty
    (),  # no slot at all
])
def test_bad_slots_are_refused(slots):
    with pytest.raises(ValueError):
        WorkingCalendar(slots=slots)


def test_from_config_reads_json_and_round_trips():
    cal = from_config({"slots": [["08:00", "12:00"], ["13:00", "24:00"]], "tz": "Asia/Urumqi",
                       "extra_holidays": ["2027-01-01"], "extra_workdays": ["2026-03-07"], "round_the_clock": False})
    assert cal.slots == ((time(8), time(12)), (time(13), time(0)))
    assert cal.tz == ZoneInfo("Asia/Urumqi")
    assert cal.extra_holidays == {date(2027, 1, 1)} and cal.extra_workdays == {date(2026, 3, 7)}
    assert cal.working_day_length == hours(15)
    assert from_config(cal.to_config()) == cal
    assert from_config({}) == from_config(None) == CAL
    assert from_config({"round_the_clock": True}).round_the_clock


@pytest.mark.parametrize(("config", "message"), [
    ({"slots": [["8.30", "12:00"]]}, "slot 1 start"),
    ({"slots": [["08:30", "25:00"]]}, "slot 1 end"),
    ({"slots": [["24:00", "12:00"]]}, "slot 1 start"),
    ({"slots": [["08:30"]]}, "pair"),
    ({"slots": [["13:30", "18:00"], ["08:30", "12:00"]]}, "overlaps or precedes"),
    ({"slots": "08:30-18:00"}, "list"),
    ({"tz": "Mars/Olympus"}, "time zone"),
    ({"extra_holidays": ["2027-13-01"]}, "extra_holidays"),
    ({"extra_workdays": "2026-03-07"}, "extra_workdays"),
    ({"round_the_clock": "yes"}, "round_the_clock"),
    ({"holidays": []}, "unknown key"),
    (["08:30", "12:00"], "object"),
])
def test_from_config_refuses_bad_input(config, message):
    with pytest.raises(ValueError, match=message):
        from_config(config)


def test_a_thousand_working_hours_is_fast():
    start = sh(2025, 3, 4, 11, 30)
    best = float("inf")
    for offset in range(3):  # different starts, so a warm cache alone cannot make it fast
        began = clock.perf_counter()
        CAL.add_working_time(start + timedelta(days=offset), hours(1000))
        CAL.working_time_between(start, start + timedelta(days=200 + offset))
        best = min(best, clock.perf_counter() - began)
    assert best < 0.05


# -- properties ------------------------------------------------------------------------------------------------------

CALENDARS = st.sampled_from([
    CAL,
    WorkingCalendar(slots=((time(9), time(12)), (time(13), time(17, 30)), (time(19), time(21))),
                    extra_holidays=frozenset({date(2026, 5, 6)}), extra_workdays=frozenset({date(2025, 6, 7)})),
    WorkingCalendar(slots=((time(9), time(17)),), tz=BERLIN),
])
STARTS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31, 23, 59),
                      timezones=st.sampled_from([SHANGHAI, UTC, ZoneInfo("America/New_York")]), allow_imaginary=False)
DURATIONS = st.timedeltas(min_value=timedelta(0), max_value=hours(200))
PROPERTY = settings(max_examples=150, deadline=None)


def in_working_time_or_at_a_slot_end(cal: WorkingCalendar, t: datetime) -> bool:
    local = t.astimezone(cal.tz)
    if not cal.is_workday(local.date()):
        # only the end of a slot that closes at midnight lands on the next (possibly free) day
        return local.time() == time(0) and any(end == time(0) for _, end in cal.slots) \
            and cal.is_workday(local.date() - timedelta(days=1))
    return any(start <= local.time() and (end == time(0) or local.time() <= end) for start, end in cal.slots)


@PROPERTY
@given(cal=CALENDARS, start=STARTS, duration=DURATIONS)
def test_property_adding_working_time(cal, start, duration):
    result = cal.add_working_time(start, duration)
    assert result >= start  # (a)
    assert cal.working_time_between(start, result) == duration  # (b)
    assert in_working_time_or_at_a_slot_end(cal, result)  # (d)
    assert result.tzinfo is cal.tz


@PROPERTY
@given(cal=CALENDARS, start=STARTS, durations=st.lists(DURATIONS, min_size=2, max_size=2))
def test_property_monotonic_in_duration(cal, start, durations):
    shorter, longer = sorted(durations)
    assert cal.add_working_time(start, shorter) <= cal.add_working_time(start, longer)  # (c)


@PROPERTY
@given(cal=CALENDARS, a=STARTS, gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)))
def test_property_adding_back_the_time_between_lands_at_or_before_b(cal, a, gap):
    b = a + gap
    between = cal.working_time_between(a, b)
    back = cal.add_working_time(a, between)
    if between:
        assert back <= b  # the last working instant at or before b
        assert cal.working_time_between(back, b) == timedelta(0)
    else:
        assert back == cal.next_working_instant(a)
    if cal.is_working_time(b):
        assert back == b
