"""Report periods and report filters, shared by every register, report, dashboard and API endpoint.

A period is a half-open range of local calendar days ``[start, end)``. People choose one of:

- ``month=2026-10`` (what ``<input type=month>`` sends): the calendar month;
- ``quarter=2026-Q3``: the calendar quarter;
- ``week=2026-11-16`` (any day of the week): the Monday-to-Sunday week;
- ``from=2026-10-01&to=2026-10-15`` (inclusive dates): any range of at most MAX_DAYS.

A period that starts after today, that ends before it starts, or that is longer than MAX_DAYS is refused with a
field-level ApplicationError; the current month (or quarter, week) is allowed and counts up to now.

A period that has not ended yet (today falls in it) is **running**: ``parse_period`` marks it with ``until`` (the day
after today). Its label says so ("2026年12月 · 截至12月2日") and it is compared like with like: ``previous()`` and
``year_before()`` of a running period are the same number of days from the start of the period before (month to date
on 2 December against 1–2 November, clipped to the length of the month before), not the whole of it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.core.months import add_months, parse_month

MAX_DAYS = 3 * 366
GRAINS = ("week", "month", "quarter", "range")
# The period type a filter bar's selector sends (``period=quarter``) and the fields that belong to it: the fields of
# the other types are ignored, so a form whose hidden inputs still hold values (no JavaScript) means what it shows.
PERIOD_TYPES = {"month": ("month",), "quarter": ("quarter",), "week": ("week",), "range": ("from", "to")}


def _at_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class Period:
    start: date  # first day, inclusive
    end: date  # the day after the last day (exclusive)
    grain: str = "range"  # week, month, quarter or range
    until: date | None = None  # a running period: the day after today (exclusive); None: the period is over

    # --- bounds ---------------------------------------------------------------------------------------------
    @property
    def starts_at(self) -> datetime:
        """Local midnight of the first day, as an aware datetime: filter ``field__gte=period.starts_at``."""
        return _at_midnight(self.start)

    @property
    def ends_at(self) -> datetime:
        """Local midnight after the last day: filter ``field__lt=period.ends_at``."""
        return _at_midnight(self.end)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def running(self) -> bool:
        """Today falls in the period: its figures are a part of the whole (no verdict against a target yet)."""
        return self.until is not None

    @property
    def elapsed_days(self) -> int:
        """Days counted so far, today included (all of them once the period is over)."""
        return ((self.until or self.end) - self.start).days

    def as_of(self, today: date) -> Period:
        """The same period seen on ``today``: running when today falls in it, else as it is."""
        running = self.start <= today < self.end
        return replace(self, until=today + timedelta(days=1) if running else None)

    # --- names ----------------------------------------------------------------------------------------------
    @property
    def key(self) -> str:
        """The value a form or URL sends for this period: 2026-10, 2026-Q3, 2026-11-16 (a week's Monday), or
        2026-10-01..2026-10-15."""
        if self.grain == "month":
            return f"{self.start:%Y-%m}"
        if self.grain == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.grain == "week":
            return f"{self.start:%Y-%m-%d}"
        return f"{self.start:%Y-%m-%d}..{self.last_day:%Y-%m-%d}"

    @property
    def label(self) -> str:
        if self.running:
            return _("%(period)s · to date, as of %(day)s") % {
                "period": self.calendar_label, "day": date_format(self.until - timedelta(days=1), "MONTH_DAY_FORMAT")}
        return self.calendar_label

    @property
    def calendar_label(self) -> str:
        """The period's name whether it is over or not: 2026年12月, 2026年第4季度, 2026/11/16 – 2026/11/22."""
        if self.grain == "month":
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.grain == "quarter":
            return _("%(year)d Q%(quarter)d") % {"year": self.start.year, "quarter": (self.start.month - 1) // 3 + 1}
        return f"{date_format(self.start, 'SHORT_DATE_FORMAT')} – {date_format(self.last_day, 'SHORT_DATE_FORMAT')}"

    def query(self) -> dict[str, str]:
        """The GET parameters that select this period (for links: drill-down, previous/next)."""
        if self.grain in ("month", "quarter", "week"):
            return {self.grain: self.key}
        return {"from": f"{self.start:%Y-%m-%d}", "to": f"{self.last_day:%Y-%m-%d}"}

    # --- neighbours -----------------------------------------------------------------------------------------
    def shifted(self, *, months: int = 0, days: int = 0) -> Period:
        if months:
            return Period(add_months(self.start, months), add_months(self.end, months), self.grain) \
                if self.start.day == 1 and self.end.day == 1 else \
                Period(_shift_day(self.start, months), _shift_day(self.end, months), self.grain)
        return Period(self.start + timedelta(days=days), self.end + timedelta(days=days), self.grain)

    def previous(self) -> Period:
        """The period just before, of the same length: last month, last quarter, last week. For a running period,
        the same number of days from the start of the period before (like with like)."""
        if self.grain == "month":
            return self._so_far(self.shifted(months=-1))
        if self.grain == "quarter":
            return self._so_far(self.shifted(months=-3))
        return self._so_far(self.shifted(days=-self.days))

    def year_before(self) -> Period:
        """The same period a year earlier (same month last year); for a running period its first days only."""
        return self._so_far(self.shifted(months=-12))

    def _so_far(self, whole: Period) -> Period:
        """``whole`` (an earlier period) cut to as many days as this one has run, clipped to its length: a range
        of whole days, so that its links (``query()``) select exactly what was counted."""
        if not self.running:
            return whole
        return Period(whole.start, min(whole.start + timedelta(days=self.elapsed_days), whole.end), "range")

    # --- buckets --------------------------------------------------------------------------------------------
    def months(self) -> list[date]:
        """First days of the months the period touches."""
        out, current = [], self.start.replace(day=1)
        while current < self.end:
            out.append(current)
            current = add_months(current, 1)
        return out

    def weeks(self) -> list[date]:
        """Mondays of the weeks the period touches."""
        out, current = [], self.start - timedelta(days=self.start.weekday())
        while current < self.end:
            out.append(current)
            current += timedelta(days=7)
        return out


def _shift_day(day: date, months: int) -> date:
    first = add_months(day.replace(day=1), months)
    following = add_months(first, 1)
    return min(first.replace(day=day.day) if day.day <= 28 else first + timedelta(days=day.day - 1),
               following - timedelta(days=1))


def month_period(day: date) -> Period:
    first = day.replace(day=1)
    return Period(first, add_months(first, 1), "month")


def quarter_period(day: date) -> Period:
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return Period(first, add_months(first, 3), "quarter")


def week_period(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=7), "week")


def _parse_date(text: str) -> date | None:
    try:
        parsed = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return parsed if 2000 <= parsed.year <= 2100 else None


def _parse_quarter(text: str) -> date | None:
    try:
        year, quarter = text.strip().upper().split("-Q")
        year, quarter = int(year), int(quarter)
    except ValueError:
        return None
    return date(year, quarter * 3 - 2, 1) if 2000 <= year <= 2100 and 1 <= quarter <= 4 else None


def parse_period(data, *, default: str = "month", today: date | None = None) -> Period:
    """The period a person chose, from a dict-like of GET parameters (``month``, ``quarter``, ``week``, ``from``,
    ``to``; ``period`` = month, quarter, week or range keeps only that type's fields). With none of them:
    ``default`` — "month" (this month), "last_month", "quarter" (this quarter), "last_quarter" or "week" (this week).
    Anything wrong raises one ApplicationError naming the field."""
    today = today or timezone.localdate()
    sent = {name: (data.get(name) or "").strip() for name in ("month", "quarter", "week", "from", "to")}
    chosen = PERIOD_TYPES.get((data.get("period") or "").strip())
    if chosen:
        sent = {name: value if name in chosen else "" for name, value in sent.items()}
    errors: dict[str, list[str]] = {}
    period: Period | None = None
    if sent["month"]:
        first = parse_month(sent["month"])
        if first is None:
            errors["month"] = [_("Give a month as YYYY-MM, e.g. 2026-03.")]
        else:
            period = month_period(first)
    elif sent["quarter"]:
        first = _parse_quarter(sent["quarter"])
        if first is None:
            errors["quarter"] = [_("Give a quarter as YYYY-Qn, e.g. 2026-Q3.")]
        else:
            period = quarter_period(first)
    elif sent["week"]:
        day = _parse_date(sent["week"])
        if day is None:
            errors["week"] = [_("Give a day of the week as YYYY-MM-DD.")]
        else:
            period = week_period(day)
    elif sent["from"] or sent["to"]:
        start = _parse_date(sent["from"]) if sent["from"] else None
        last = _parse_date(sent["to"]) if sent["to"] else today
        if sent["from"] and start is None:
            errors["from"] = [_("Give a date as YYYY-MM-DD.")]
        elif not sent["from"]:
            errors["from"] = [_("Give the first day of the period.")]
        if sent["to"] and last is None:
            errors["to"] = [_("Give a date as YYYY-MM-DD.")]
        if start and last:
            if start > last:
                errors["to"] = [_("The period ends before it starts.")]
            else:
                period = Period(start, last + timedelta(days=1), "range")
    else:
        period = {"month": month_period(today), "last_month": month_period(add_months(today.replace(day=1), -1)),
                  "quarter": quarter_period(today),
                  "last_quarter": quarter_period(add_months(quarter_period(today).start, -3)),
                  "week": week_period(today)}[default]
    if period is not None and not errors:
        field = next((name for name in ("month", "quarter", "week", "from") if sent[name]), "month")
        if period.start > today:
            errors[field] = [_("The period is in the future: choose one that starts on or before %(today)s.")
                             % {"today": f"{today:%Y-%m-%d}"}]
        elif period.days > MAX_DAYS:
            errors[field] = [_("Choose a period of at most %(days)d days.") % {"days": MAX_DAYS}]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    return period.as_of(today)
