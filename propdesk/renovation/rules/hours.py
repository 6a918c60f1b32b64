"""Permitted work hours 施工时间 and the planned period (pure: no models).

Noisy work is permitted on the working days of the project's calendar, from ``work_start`` to ``work_end`` less the
noon quiet hours; never on rest days or the project's quiet days (高考, 春节 …)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Hours:
    work_start: time
    work_end: time
    noon_quiet_start: time
    noon_quiet_end: time
    quiet_days: frozenset[date] = frozenset()


def hours_of(settings) -> Hours:
    quiet = set()
    for value in settings.quiet_days or ():
        try:
            quiet.add(date.fromisoformat(str(value)))
        except ValueError:
            continue
    return Hours(settings.work_start, settings.work_end, settings.noon_quiet_start, settings.noon_quiet_end,
                 frozenset(quiet))


def windows(hours: Hours) -> list[tuple[time, time]]:
    """The windows of a working day: work_start–work_end less the noon quiet hours (which may lie outside)."""
    start, end = hours.work_start, hours.work_end
    if start >= end:
        return []
    q_start, q_end = hours.noon_quiet_start, hours.noon_quiet_end
    if q_start >= q_end or q_end <= start or q_start >= end:
        return [(start, end)]
    parts = []
    if q_start > start:
        parts.append((start, q_start))
    if q_end < end:
        parts.append((q_end, end))
    return parts


def day_windows(day: date, hours: Hours, is_workday: Callable[[date], bool]) -> list[tuple[time, time]]:
    """The permitted windows on ``day``: none on rest days and quiet days."""
    if day in hours.quiet_days or not is_workday(day):
        return []
    return windows(hours)


def permitted_days(start: date, end: date, hours: Hours, is_workday: Callable[[date], bool]) -> list[date]:
    days, day = [], start
    while day <= end:
        if day_windows(day, hours, is_workday):
            days.append(day)
        day += timedelta(days=1)
    return days


def windows_text(hours: Hours) -> str:
    return "、".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in windows(hours))


def period_problems(start: date | None, end: date | None, *, today: date, hours: Hours, max_days: int,
                    is_workday: Callable[[date], bool]) -> dict[str, list[str]]:
    """Field errors of a planned period: it must be ordered, not start in the past, last at most ``max_days`` and
    contain working days with permitted hours."""
    problems: dict[str, list[str]] = {}
    if start is None:
        problems["planned_start"] = [_("Enter the planned start.")]
    if end is None:
        problems["planned_end"] = [_("Enter the planned end.")]
    if problems:
        return problems
    if start < today:
        problems["planned_start"] = [_("The work cannot start in the past.")]
    if end < start:
        problems["planned_end"] = [_("The end comes before the start.")]
        return problems
    length = (end - start).days + 1
    if length > max_days:
        problems.setdefault("planned_end", []).append(
            _("The project permits at most %(n)d days of work; this period has %(length)d.")
            % {"n": max_days, "length": length})
        return problems
    if not permitted_days(start, end, hours, is_workday):
        problems.setdefault("planned_start", []).append(
            _("Work is permitted only on working days outside the project's quiet days; this period has none."))
    return problems


def quiet_days_in(start: date, end: date, days: Iterable[date]) -> list[date]:
    return sorted(d for d in days if start <= d <= end)
