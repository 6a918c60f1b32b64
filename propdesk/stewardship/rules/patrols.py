"""Patrol schedules 巡检排程: pure arithmetic, no Django, no clock.

A plan's schedule is a list of daily windows (the handbook's 9:30–11:00 and 15:00–17:00) on the days its frequency
picks: every day, some weekdays, or one day of the month; "working days only" drops the days the working calendar
(a callable the caller passes) says are not working days — a monthly round moves to the next working day of its
month (or the last one before it). A round started up to ``TOLERANCE`` before its window or finished up to
``TOLERANCE`` after it is on time; finished later is late; never started is missed. Times are stored in UTC and the
windows are wall-clock times in the project's zone (Asia/Shanghai has no DST; the zone is applied anyway).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TOLERANCE = timedelta(minutes=15)
FREQUENCIES = ("daily", "weekly", "monthly")
MAX_WINDOWS = 6


@dataclass(frozen=True)
class Window:
    start: time
    end: time

    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class Schedule:
    windows: tuple[Window, ...]
    frequency: str = "daily"
    weekdays: frozenset[int] = field(default_factory=frozenset)  # 0 = Monday … 6 = Sunday (weekly)
    day_of_month: int = 1  # 1–31 (monthly); a short month uses its last day
    working_days_only: bool = False
    tz: str = "Asia/Shanghai"


@dataclass(frozen=True)
class DueRound:
    day: date  # the local day
    index: int  # which window of the day, 0-based
    window_start: datetime  # aware, UTC
    window_end: datetime


def parse_window(text: str) -> Window:
    """ "09:30-11:00" (or with – or ~) → Window; ValueError on anything else."""
    cleaned = text.strip().replace("–", "-").replace("~", "-").replace("—", "-")
    parts = [p.strip() for p in cleaned.split("-")]
    if len(parts) != 2:
        raise ValueError(text)
    start, end = (time.fromisoformat(p if len(p) >= 5 else p.zfill(5)) for p in parts)
    return Window(start, end)


def window_problems(windows: Iterable[Window]) -> list[str]:
    """English problem texts (the caller translates): empty, too many, a window ending before it starts, or two
    windows that overlap once widened by the tolerance (their rounds would compete for the same scans)."""
    ordered = sorted(windows, key=lambda w: w.start)
    problems = []
    if not ordered:
        problems.append("At least one window.")
    if len(ordered) > MAX_WINDOWS:
        problems.append("At most six windows a day.")
    for window in ordered:
        if window.end <= window.start:
            problems.append(f"The window {window.label()} ends before it starts.")
    for first, second in zip(ordered, ordered[1:], strict=False):
        gap = _minutes(second.start) - _minutes(first.end)
        if gap < 2 * TOLERANCE.total_seconds() / 60:
            problems.append(f"The windows {first.label()} and {second.label()} overlap (with ±15 minutes).")
    return problems


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def schedule_problems(schedule: Schedule) -> list[str]:
    problems = window_problems(schedule.windows)
    if schedule.frequency not in FREQUENCIES:
        problems.append("Unknown frequency.")
    if schedule.frequency == "weekly" and (not schedule.weekdays or not schedule.weekdays <= set(range(7))):
        problems.append("Pick at least one weekday.")
    if schedule.frequency == "monthly" and not 1 <= schedule.day_of_month <= 31:
        problems.append("The day of the month is between 1 and 31.")
    return problems


def _monthly_day(year: int, month: int, wanted: int, is_workday: Callable[[date], bool] | None) -> date | None:
    last = calendar.monthrange(year, month)[1]
    target = date(year, month, min(wanted, last))
    if is_workday is None or is_workday(target):
        return target
    for offset in range(1, last):
        later = target + timedelta(days=offset)
        if later.month == month and is_workday(later):
            return later
    for offset in range(1, last):
        earlier = target - timedelta(days=offset)
        if earlier.month == month and is_workday(earlier):
            return earlier
    return None


def is_due_day(schedule: Schedule, day: date, is_workday: Callable[[date], bool]) -> bool:
    """Whether the plan patrols on ``day``."""
    check = is_workday if schedule.working_days_only else None
    if schedule.frequency == "monthly":
        return _monthly_day(day.year, day.month, schedule.day_of_month, check) == day
    if check is not None and not check(day):
        return False
    if schedule.frequency == "weekly":
        return day.weekday() in schedule.weekdays
    return True


def due_rounds(schedule: Schedule, first: date, last: date, *,
               is_workday: Callable[[date], bool] = lambda day: True) -> list[DueRound]:
    """Every round due from ``first`` to ``last`` (local days, both included), in time order."""
    zone = ZoneInfo(schedule.tz)
    windows = sorted(schedule.windows, key=lambda w: w.start)
    rounds = []
    day = first
    while day <= last:
        if is_due_day(schedule, day, is_workday):
            for index, window in enumerate(windows):
                rounds.append(DueRound(
                    day=day, index=index,
                    window_start=datetime.combine(day, window.start, zone).astimezone(UTC),
                    window_end=datetime.combine(day, window.end, zone).astimezone(UTC)))
        day += timedelta(days=1)
    return rounds


def may_start(*, window_start: datetime, window_end: datetime, at: datetime,
              tolerance: timedelta = TOLERANCE) -> bool:
    """A round may be started and its checkpoints scanned from ``tolerance`` before its window to ``tolerance``
    after it."""
    return window_start - tolerance <= at <= window_end + tolerance


def finish_status(*, window_end: datetime, finished_at: datetime, tolerance: timedelta = TOLERANCE) -> str:
    """"on_time" or "late", for a round finished at ``finished_at``."""
    return "on_time" if finished_at <= window_end + tolerance else "late"


def round_status(*, window_start: datetime, window_end: datetime, started_at: datetime | None,
                 finished_at: datetime | None, now: datetime, tolerance: timedelta = TOLERANCE) -> str:
    """"due" (not started, still time), "in_progress", "overdue" (started, not finished, window over), "on_time",
    "late" or "missed" (never started and the window is over)."""
    if finished_at is not None:
        return finish_status(window_end=window_end, finished_at=finished_at, tolerance=tolerance)
    over = now > window_end + tolerance
    if started_at is None:
        return "missed" if over else "due"
    return "overdue" if over else "in_progress"
