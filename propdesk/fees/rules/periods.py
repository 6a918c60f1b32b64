"""Billing periods 计费周期: which periods cover a date range, their keys, due dates and the prorated first period.

Rules:
- A cycle is monthly, quarterly (calendar quarters: Jan–Mar …) or yearly (calendar years). A period is the whole
  calendar month/quarter/year, ``start`` inclusive, ``end`` exclusive; its key is "2026-11", "2026-Q4" or "2026".
- Bills start from the handover date (交房日期): the first period is prorated by days — days the home was handed over
  in that period (handover day included) over the days of the period. A home handed over on the 1st pays the whole
  period. The fraction is exact (``Fraction``); the charge rule rounds the money once.
- The due day of a period: the ``due_day`` of the period's first month (1–31), clamped to the month's last day
  (due day 31 in February → 28 or 29). ``offset_months`` moves it later (e.g. due on the 15th of the month after).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction


class Cycle(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


MONTHS = {Cycle.MONTHLY: 1, Cycle.QUARTERLY: 3, Cycle.YEARLY: 12}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the end of the target month (Jan 31 + 1 → Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, order=True)
class Period:
    start: date  # first day, inclusive
    end: date  # first day of the next period, exclusive
    cycle: Cycle

    @property
    def key(self) -> str:
        return period_key(self.start, self.cycle)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def months(self) -> int:
        return MONTHS[self.cycle]

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end


def period_of(day: date, cycle: Cycle | str) -> Period:
    """The period of ``cycle`` that contains ``day``."""
    cycle = Cycle(cycle)
    if cycle is Cycle.MONTHLY:
        start = date(day.year, day.month, 1)
    elif cycle is Cycle.QUARTERLY:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    else:
        start = date(day.year, 1, 1)
    return Period(start, add_months(start, MONTHS[cycle]), cycle)


def period_key(day: date, cycle: Cycle | str) -> str:
    """"2026-11" (monthly), "2026-Q4" (quarterly), "2026" (yearly) for the period containing ``day``."""
    cycle = Cycle(cycle)
    if cycle is Cycle.MONTHLY:
        return f"{day.year:04d}-{day.month:02d}"
    if cycle is Cycle.QUARTERLY:
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


_KEYS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), Cycle.MONTHLY),
    (re.compile(r"^(\d{4})-Q([1-4])$"), Cycle.QUARTERLY),
    (re.compile(r"^(\d{4})$"), Cycle.YEARLY),
)


def parse_period_key(key: str) -> Period:
    """The inverse of ``period_key``; ``ValueError`` for anything else ("2026-13", "2026-Q5")."""
    for pattern, cycle in _KEYS:
        match = pattern.match(key)
        if not match:
            continue
        year = int(match.group(1))
        if cycle is Cycle.MONTHLY:
            month = int(match.group(2))
        elif cycle is Cycle.QUARTERLY:
            month = (int(match.group(2)) - 1) * 3 + 1
        else:
            month = 1
        if not (1 <= month <= 12) or year < 1:
            break
        return period_of(date(year, month, 1), cycle)
    raise ValueError(f"not a period key: {key!r}")


def periods_between(start: date, end: date, cycle: Cycle | str) -> list[Period]:
    """The periods covering [start, end) — every period that has at least one day in the range, in order."""
    if end <= start:
        return []
    periods = [period_of(start, cycle)]
    while periods[-1].end < end:
        periods.append(period_of(periods[-1].end, cycle))
    return periods


def due_date(period: Period, due_day: int, *, offset_months: int = 0) -> date:
    """The due date: day ``due_day`` of the period's first month (+ ``offset_months``), clamped to the month end."""
    if not 1 <= due_day <= 31:
        raise ValueError("due_day must be 1–31")
    first = add_months(period.start, offset_months)
    return date(first.year, first.month, min(due_day, calendar.monthrange(first.year, first.month)[1]))


def billable_fraction(period: Period, handover: date | None) -> Fraction:
    """Share of ``period`` billed for a home handed over on ``handover`` (交房日期), by days: 1 when handed over on
    or before the period's first day, 0 when handed over after it (or never), else days left / days of period."""
    if handover is None or handover >= period.end:
        return Fraction(0)
    if handover <= period.start:
        return Fraction(1)
    return Fraction((period.end - handover).days, period.days)


def billable_periods(handover: date, start: date, end: date, cycle: Cycle | str) -> list[tuple[Period, Fraction]]:
    """The periods covering [start, end) with the share of each to bill, skipping those before the handover."""
    return [(period, share) for period in periods_between(start, end, cycle)
            if (share := billable_fraction(period, handover))]
