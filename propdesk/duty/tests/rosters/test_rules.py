"""Roster arithmetic, pure: a shift's instants on a day (overnight, across a daylight-saving change), overlap, the
shifts short of people, the working day. Property tests with hypothesis."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from propdesk.duty.rules.rosters import (
    ShiftNeed,
    coverage_gaps,
    days_from,
    in_working_day,
    overlaps,
    shift_instants,
    week_start,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")  # a zone with daylight saving, to prove the arithmetic does not rely on none
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
zones = st.sampled_from([SHANGHAI, NEW_YORK, ZoneInfo("Europe/Berlin"), UTC])


def test_the_handbook_shifts_on_a_day_in_shanghai():
    day = date(2026, 11, 23)
    assert shift_instants(day, time(8), time(16), SHANGHAI) == (
        datetime(2026, 11, 23, 0, tzinfo=UTC), datetime(2026, 11, 23, 8, tzinfo=UTC))
    # 中班 16:00–24:00 is stored as 16:00–00:00 and ends at midnight of the next day
    assert shift_instants(day, time(16), time(0), SHANGHAI) == (
        datetime(2026, 11, 23, 8, tzinfo=UTC), datetime(2026, 11, 23, 16, tzinfo=UTC))
    # 夜班 20:00–08:00 ends the next morning
    start, end = shift_instants(day, time(20), time(8), SHANGHAI)
    assert start.astimezone(SHANGHAI) == datetime(2026, 11, 23, 20, tzinfo=SHANGHAI)
    assert end.astimezone(SHANGHAI) == datetime(2026, 11, 24, 8, tzinfo=SHANGHAI)
    # 00:00–00:00 is a whole day
    start, end = shift_instants(day, time(0), time(0), SHANGHAI)
    assert end - start == timedelta(hours=24)


def test_a_night_shift_across_a_daylight_saving_change_lasts_what_the_wall_clock_says():
    # New York springs forward on 2026-03-08 at 02:00: 20:00–08:00 is 11 hours that night, 13 in autumn
    start, end = shift_instants(date(2026, 3, 7), time(20), time(8), NEW_YORK)
    assert end - start == timedelta(hours=11)
    start, end = shift_instants(date(2026, 10, 31), time(20), time(8), NEW_YORK)
    assert end - start == timedelta(hours=13)


@given(day=days, starts=times, ends=times, tz=zones)
def test_a_shift_starts_on_its_day_and_ends_after_it_starts(day, starts, ends, tz):
    start, end = shift_instants(day, starts, ends, tz)
    assert start.tzinfo is not None and end > start
    assert end - start <= timedelta(hours=25)  # one day at most, plus a daylight-saving hour
    local_start = start.astimezone(tz)
    assert local_start.date() == day or (local_start - timedelta(hours=1)).date() == day  # a skipped hour


@given(day=days, starts=times, ends=times)
def test_in_a_zone_without_daylight_saving_the_length_is_the_clock_difference(day, starts, ends):
    start, end = shift_instants(day, starts, ends, SHANGHAI)
    minutes = (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)
    if minutes <= 0:
        minutes += 24 * 60
    assert end - start == timedelta(minutes=minutes)
    assert start.astimezone(SHANGHAI).time() == starts and end.astimezone(SHANGHAI).time() == ends


@given(day=days, starts=times, ends=times)
def test_the_same_shift_on_consecutive_days_overlaps_only_when_longer_than_a_day(day, starts, ends):
    a = shift_instants(day, starts, ends, SHANGHAI)
    b = shift_instants(day + timedelta(days=1), starts, ends, SHANGHAI)
    assert not overlaps(*a, *b)  # a shift is at most 24 hours: back to back, never overlapping


intervals = st.tuples(st.integers(0, 1000), st.integers(1, 500)).map(
    lambda p: (datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=p[0]),
               datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=p[0] + p[1])))


@given(a=intervals, b=intervals)
def test_overlap_is_symmetric_and_means_a_shared_minute(a, b):
    assert overlaps(*a, *b) == overlaps(*b, *a)
    shared = min(a[1], b[1]) - max(a[0], b[0])
    assert overlaps(*a, *b) == (shared > timedelta(0))


def test_a_night_shift_ending_at_eight_does_not_overlap_the_day_shift_starting_at_eight():
    night = shift_instants(date(2026, 11, 23), time(20), time(8), SHANGHAI)
    day = shift_instants(date(2026, 11, 24), time(8), time(20), SHANGHAI)
    assert not overlaps(*night, *day)
    early = shift_instants(date(2026, 11, 24), time(7, 30), time(16), SHANGHAI)
    assert overlaps(*night, *early)


needs = st.lists(st.builds(ShiftNeed, shift_id=st.integers(1, 50), starts=times, ends=times,
                           min_people=st.integers(1, 4)), max_size=6, unique_by=lambda s: s.shift_id)


@given(shifts=needs, first=days, count=st.integers(1, 10), data=st.data())
def test_coverage_gaps_are_exactly_the_shift_days_short_of_people(shifts, first, count, data):
    week = days_from(first, count)
    counts = {(s.shift_id, d): data.draw(st.integers(0, 5)) for s in shifts for d in week}
    gaps = coverage_gaps(shifts, week, counts)
    short = {(s.shift_id, d) for s in shifts for d in week if counts[(s.shift_id, d)] < s.min_people}
    assert {(g.shift_id, g.day) for g in gaps} == short
    assert len(gaps) == len(short)
    assert all(g.have < g.need for g in gaps)
    assert [g.day for g in gaps] == sorted(g.day for g in gaps)
    # fully staffed: no gap
    full = {(s.shift_id, d): s.min_people for s in shifts for d in week}
    assert coverage_gaps(shifts, week, full) == []


@given(day=days)
def test_a_week_starts_on_monday(day):
    monday = week_start(day)
    assert monday.weekday() == 0 and timedelta(0) <= day - monday < timedelta(days=7)


SLOTS = ((time(8, 30), time(12)), (time(13, 30), time(17, 30)))


def test_the_working_day_runs_from_the_first_slot_to_the_last_lunch_included():
    at = lambda h, m=0: datetime(2026, 11, 23, h, m, tzinfo=SHANGHAI)  # noqa: E731
    assert in_working_day(at(10), workday=True, slots=SLOTS)
    assert in_working_day(at(12, 30), workday=True, slots=SLOTS)  # lunch: the day holders are at work
    assert not in_working_day(at(8, 29), workday=True, slots=SLOTS)
    assert not in_working_day(at(17, 30), workday=True, slots=SLOTS)
    assert not in_working_day(at(23), workday=True, slots=SLOTS)
    assert not in_working_day(at(10), workday=False, slots=SLOTS)  # weekend, holiday
    assert in_working_day(at(23), workday=True, slots=((time(8), time(0)),))  # a slot ending at midnight


@given(t=times, workday=st.booleans())
def test_outside_a_workday_nothing_is_working_time(t, workday):
    local = datetime.combine(date(2026, 11, 23), t, tzinfo=SHANGHAI)
    result = in_working_day(local, workday=workday, slots=SLOTS)
    assert result == (workday and time(8, 30) <= t < time(17, 30))
