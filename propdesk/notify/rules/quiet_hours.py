"""Quiet hours 免打扰时段: when a message to a resident may go out. Pure Python: no Django, no ``now()``.

The company sets a window of local clock times (default 21:00–08:00) in which residents are not disturbed. A message
that is not urgent and falls inside the window waits for its end, on the right day, in the project's time zone; an
urgent one (a technician on the way, a code the technician is waiting for) goes at once. A window whose start equals
its end means no quiet hours. A window may cross midnight (21:00–08:00) or not (12:00–14:00, a siesta).
"""

from datetime import datetime, time, timedelta, tzinfo

DEFAULT_START = time(21, 0)
DEFAULT_END = time(8, 0)


def is_quiet(local: time, *, start: time, end: time) -> bool:
    """Is the local clock time inside the window [start, end)?"""
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def deliver_at(*, now: datetime, zone: tzinfo, start: time = DEFAULT_START, end: time = DEFAULT_END,
               urgent: bool = False) -> datetime:
    """The earliest time a message written at ``now`` may be delivered: ``now`` itself when it is urgent or outside
    the quiet window, otherwise the end of the window (local ``end`` on the day it comes), as an aware datetime."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if urgent or not is_quiet(clock, start=start, end=end):
        return now
    day = local.date()
    if clock >= end:  # a window crossing midnight, in its evening part: it ends tomorrow morning
        day += timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone)
