"""When a resident's next home visit 拜访 is due. Pure: no database, no clock (the caller passes ``today``).

The plans that apply to a resident (by flag or segment) each give a date; the earliest wins, so the most frequent
plan decides. A periodic plan is due its interval after the last visit (never visited: due ``today``); an "after each
complaint" plan is due its days after the first complaint the resident reported since the last visit."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, time, timedelta

MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
AFTER_COMPLAINT = "after_complaint"
SEGMENT_PREFIX = "segment:"
FLAG_FIELDS = {"elderly_alone": "is_elderly_alone", "vip": "is_vip",
               "frequent_complainant": "is_frequent_complainant", "former_committee": "is_former_committee"}


@dataclass(frozen=True)
class PlanRule:
    target: str
    frequency: str
    after_days: int = 3


@dataclass(frozen=True)
class Due:
    due_on: date
    target: str  # the plan that decided
    frequency: str


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, the month's last day where it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def targets_of(*, segment: str, flags: set[str]) -> set[str]:
    """The plan targets a resident falls under: their flags (``vip``…) and ``segment:<segment>``."""
    found = {target for target, field in FLAG_FIELDS.items() if field in flags or target in flags}
    if segment:
        found.add(SEGMENT_PREFIX + segment)
    return found


def next_due(*, plans: list[PlanRule], targets: set[str], last_visit: date | None,
             first_complaint_since: date | None, today: date) -> Due | None:
    """The earliest date the plans that apply ask for a visit; None when no plan applies or nothing is asked (only an
    after-complaint plan and no complaint since the last visit)."""
    candidates: list[Due] = []
    for plan in plans:
        if plan.target not in targets:
            continue
        if plan.frequency == AFTER_COMPLAINT:
            if first_complaint_since is not None:
                candidates.append(Due(first_complaint_since + timedelta(days=max(plan.after_days, 0)),
                                      plan.target, plan.frequency))
        elif plan.frequency in MONTHS:
            due_on = today if last_visit is None else add_months(last_visit, MONTHS[plan.frequency])
            candidates.append(Due(due_on, plan.target, plan.frequency))
    if not candidates:
        return None
    return min(candidates, key=lambda due: (due.due_on, MONTHS.get(due.frequency, 0)))


def status(due_on: date, today: date) -> str:
    """``overdue`` before today, ``due`` today, ``upcoming`` later."""
    if due_on < today:
        return "overdue"
    return "due" if due_on == today else "upcoming"


def month_bounds(day: date) -> tuple[date, date]:
    """The first and the last day of ``day``'s month."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def in_quiet_hours(moment: time, start: time, end: time) -> bool:
    """Whether a local time of day falls in the quiet hours [start, end) (they may span midnight; equal: none)."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end
