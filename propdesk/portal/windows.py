"""When a resident may ask us to come: visit windows offered on the report form. Pure Python: no Django, no ``now()``.

A project offers visits in its working slots (servicedesk.models.WorkingHours, on the working calendar with the
statutory holidays and 调休): each slot is cut into two-hour windows from its start (08:30–10:30, 10:30–12:00 …);
a remainder shorter than an hour is not offered (nobody books 17:30–18:00). The form offers the windows of the next
``days`` working days that still have one, today included while a window of today has not started yet. A window that
has started is in the past: the earliest one offered starts after ``now``.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from propdesk.servicedesk.rules.calendar import MIDNIGHT, WorkingCalendar

WINDOW = timedelta(hours=2)
SHORTEST = timedelta(hours=1)
DAYS = 3
# How far to look for working days (a Spring Festival week plus weekends is well inside): the loop always ends.
LOOK_AHEAD_DAYS = 30


@dataclass(frozen=True)
class Window:
    start: datetime  # aware, in the calendar's zone
    end: datetime

    @property
    def day(self) -> date:
        return self.start.date()


def day_windows(calendar: WorkingCalendar, day: date, *, length: timedelta = WINDOW,
                shortest: timedelta = SHORTEST) -> list[Window]:
    """The windows of one local ``day`` (none on a day off), in order."""
    if not calendar.is_workday(day):
        return []
    windows = []
    for slot_start, slot_end in calendar.slots:
        begin = datetime.combine(day, slot_start, tzinfo=calendar.tz)
        finish = datetime.combine(day + timedelta(days=1) if slot_end == MIDNIGHT else day, slot_end,
                                  tzinfo=calendar.tz)
        cursor = begin
        while cursor < finish:
            end = min(cursor + length, finish)
            if end - cursor >= shortest:
                windows.append(Window(cursor, end))
            cursor = end
    return windows


def visit_windows(*, calendar: WorkingCalendar, now: datetime, days: int = DAYS) -> list[Window]:
    """The windows to offer at ``now`` (aware): those of the next ``days`` working days, none started yet."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    day = now.astimezone(calendar.tz).date()
    offered: list[Window] = []
    found = 0
    for _step in range(LOOK_AHEAD_DAYS):
        upcoming = [w for w in day_windows(calendar, day) if w.start > now]
        if upcoming:
            offered += upcoming
            found += 1
            if found == days:
                break
        day += timedelta(days=1)
    return offered


def window_at(windows: list[Window], start: datetime) -> Window | None:
    """The offered window starting at ``start``, or None (a time the form never offered, or no longer does)."""
    return next((w for w in windows if w.start == start), None)
