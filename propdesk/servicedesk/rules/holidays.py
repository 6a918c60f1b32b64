"""Reading a year's statutory schedule as an admin types it from the State Council's notice. Pure Python.

One entry a line: a date or a range of dates, then an optional name::

    2027-01-01 元旦
    2027-02-06~2027-02-12 春节
    2027-2-14 春节调休

Dates are ``YYYY-MM-DD`` (``/`` or ``.`` also separate); a range uses ``~``, ``～``, ``至`` or ``..``. Blank lines are
skipped. Problems are returned as a list of ``(line number, kind, detail)`` for the caller to word, all at once.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

MAX_RANGE_DAYS = 15  # the longest statutory break (Spring Festival) is 8–9 days; more is a typing error
MAX_NAME = 50
_DATE = r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
_LINE = re.compile(rf"^{_DATE}(?:\s*(?:~|～|至|\.\.)\s*{_DATE})?(?:\s+(.*))?$")


@dataclass(frozen=True)
class Entry:
    day: date
    name: str
    line: int


@dataclass(frozen=True)
class Problem:
    line: int
    kind: str  # "format", "date", "range", "year", "twice", "weekday", "both", "name"
    text: str  # the offending text (the line, or a date in ISO form)


def _day(parts: tuple[str | None, ...]) -> date | None:
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except (TypeError, ValueError):
        return None


def parse_days(text: str, *, year: int) -> tuple[list[Entry], list[Problem]]:
    """The days listed in ``text`` (ranges expanded, in order) and the problems found: bad format, impossible date,
    reversed or overlong range, a date outside ``year``, a date listed twice."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: set[date] = set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        if match is None:
            problems.append(Problem(number, "format", line))
            continue
        first = _day(match.groups()[0:3])
        last = _day(match.groups()[3:6]) if match[4] else first
        if first is None or last is None:
            problems.append(Problem(number, "date", line))
            continue
        if last < first or (last - first).days >= MAX_RANGE_DAYS:
            problems.append(Problem(number, "range", line))
            continue
        name = (match[7] or "").strip()
        if len(name) > MAX_NAME:
            problems.append(Problem(number, "name", name))
            continue
        day = first
        while day <= last:
            if day.year != year:
                problems.append(Problem(number, "year", day.isoformat()))
            elif day in seen:
                problems.append(Problem(number, "twice", day.isoformat()))
            else:
                seen.add(day)
                entries.append(Entry(day, name, number))
            day += timedelta(days=1)
    return entries, problems


def check_workdays(holidays: list[Entry], workdays: list[Entry]) -> list[Problem]:
    """Problems of the adjusted working days against the holidays: a day in both lists, and a Monday–Friday (already
    a working day, so not an adjustment — usually a mistyped date)."""
    off = {entry.day for entry in holidays}
    problems = []
    for entry in workdays:
        if entry.day in off:
            problems.append(Problem(entry.line, "both", entry.day.isoformat()))
        elif entry.day.weekday() < 5:
            problems.append(Problem(entry.line, "weekday", entry.day.isoformat()))
    return problems


def format_days(entries: list[tuple[date, str]]) -> str:
    """The text form of entered days, consecutive days of one name folded into a range (what :func:`parse_days`
    reads back)."""
    lines: list[str] = []
    ordered = sorted(entries)
    index = 0
    while index < len(ordered):
        first, name = ordered[index]
        last = first
        while index + 1 < len(ordered) and ordered[index + 1] == (last + timedelta(days=1), name) and name:
            index += 1
            last = ordered[index][0]
        span = first.isoformat() if last == first else f"{first.isoformat()}~{last.isoformat()}"
        lines.append(f"{span} {name}".strip())
        index += 1
    return "\n".join(lines)
