"""Roster arithmetic, pure Python: a shift's instants on a day, overlap of two shifts, the shifts short of people,
and whether an instant falls in the working day of a calendar (who holds a role then: the day holder or the person
on duty).

A shift runs from ``starts`` on its day to ``ends`` the same day, or the next day when ``ends`` is at or before
``starts`` (夜班 20:00–08:00; 中班 16:00–24:00 is stored as 16:00–00:00; 00:00–00:00 is a 24-hour shift). The wall
times are read in the project's zone and turned into UTC instants, so a shift across a daylight-saving change lasts
what the clock on the wall says (Asia/Shanghai has none, but the arithmetic does not rely on it)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ONE_DAY = timedelta(days=1)


def shift_instants(day: date, starts: time, ends: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC start and end of a shift worked on local ``day``. A wall time that does not exist (skipped by a
    daylight-saving jump) is read with the offset before the jump, as zoneinfo does; the end is never before the
    start."""
    end_day = day + ONE_DAY if ends <= starts else day
    begin = datetime.combine(day, starts, tzinfo=tz).astimezone(UTC)
    finish = datetime.combine(end_day, ends, tzinfo=tz).astimezone(UTC)
    if finish <= begin:  # only when a jump swallows a short shift: keep it one minute long rather than negative
        finish = begin + timedelta(minutes=1)
    return begin, finish


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals [start, end): a night shift ending at 08:00 and a day shift starting at 08:00 do not
    overlap."""
    return a_start < b_end and b_start < a_end


@dataclass(frozen=True)
class ShiftNeed:
    shift_id: int
    starts: time
    ends: time
    min_people: int


@dataclass(frozen=True)
class Gap:
    shift_id: int
    day: date
    have: int
    need: int


def days_from(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def coverage_gaps(shifts: Iterable[ShiftNeed], days: Iterable[date],
                  counts: Mapping[tuple[int, date], int]) -> list[Gap]:
    """Each (shift, day) with fewer people scheduled than the shift needs, by day then shift start. ``counts``:
    people per (shift id, day); a missing key is nobody."""
    shifts = sorted(shifts, key=lambda s: (s.starts, s.shift_id))
    gaps = []
    for day in sorted(set(days)):
        for shift in shifts:
            have = counts.get((shift.shift_id, day), 0)
            if have < shift.min_people:
                gaps.append(Gap(shift.shift_id, day, have, shift.min_people))
    return gaps


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (the roster grid runs Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def in_working_day(local: datetime, *, workday: bool, slots: Iterable[tuple[time, time]]) -> bool:
    """Whether a local wall time is in the working day: a workday (the calendar's, with statutory holidays and
    调休), from the start of its first slot to the end of its last slot. The lunch break between slots counts as
    working time: the day holders are at work then, nobody is on a night roster. ``time(0)`` as a slot's end is
    midnight."""
    slots = list(slots)
    if not workday or not slots:
        return False
    first, last = slots[0][0], slots[-1][1]
    t = local.time().replace(tzinfo=None)
    if last == time(0):
        return first <= t
    return first <= t < last
