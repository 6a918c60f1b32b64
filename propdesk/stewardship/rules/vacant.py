"""Vacant-home inspection rules, pure: the default checklist, when the next inspection is due, what a submitted
checklist must say. No database, no clock: the caller passes the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

# The handbook's vacant-home round (空置房巡查): Chinese is what the stewards read; a project manager edits the list.
DEFAULT_ITEMS = (
    "门窗关闭",
    "水电气总阀关闭",
    "无渗漏（天花、墙面、管道）",
    "无异味",
    "无虫鼠",
    "门锁完好",
    "无违规使用/入住",
)
MAX_ITEMS = 30
MAX_LABEL = 100
MIN_INTERVAL_DAYS, MAX_INTERVAL_DAYS = 1, 366
MAX_READING = Decimal("9999999999.99")


def next_due(*, last_day: date | None, interval_days: int) -> date | None:
    """The day the next inspection is due: ``interval_days`` after the last one; None for a home never inspected
    (due now)."""
    if last_day is None:
        return None
    return last_day + timedelta(days=interval_days)


def is_overdue(*, last_day: date | None, interval_days: int, today: date) -> bool:
    """Overdue once the due day has passed; a vacant home never inspected is overdue at once."""
    due = next_due(last_day=last_day, interval_days=interval_days)
    return due is None or due < today


def overdue_cutoff(*, interval_days: int, today: date) -> date:
    """A home whose last inspection was before this day is overdue (the same rule as ``is_overdue``, for a query)."""
    return today - timedelta(days=interval_days)


def clean_checklist(lines, interval_days) -> tuple[list[str], int, dict[str, list[str]]]:
    """The checklist as the project manager typed it: one item a line, blanks and repeats dropped. Returns (items,
    interval, errors by field)."""
    errors: dict[str, list[str]] = {}
    items: list[str] = []
    for raw in lines or ():
        label = " ".join(str(raw).split())
        if label and label not in items:
            items.append(label)
    if not items:
        errors["items"] = ["empty"]
    elif len(items) > MAX_ITEMS:
        errors["items"] = ["too_many"]
    elif any(len(label) > MAX_LABEL for label in items):
        errors["items"] = ["too_long"]
    try:
        interval = int(str(interval_days).strip())
    except (TypeError, ValueError):
        interval = 0
    if not MIN_INTERVAL_DAYS <= interval <= MAX_INTERVAL_DAYS:
        errors["interval_days"] = ["range"]
    return items, interval, errors


@dataclass(frozen=True)
class ItemAnswer:
    label: str
    fine: bool | None  # None: not answered
    note: str = ""


def check_answers(checklist: list[str], answers: list[ItemAnswer]) -> dict[str, str]:
    """What is wrong with the answers, by item label: every checklist item answered once, fine or not, and a
    not-fine item has a note. Codes: "unanswered", "note", "unknown", "twice"."""
    problems: dict[str, str] = {}
    seen: set[str] = set()
    for answer in answers:
        if answer.label not in checklist:
            problems[answer.label] = "unknown"
        elif answer.label in seen:
            problems[answer.label] = "twice"
        elif answer.fine is None:
            problems[answer.label] = "unanswered"
        elif not answer.fine and not answer.note.strip():
            problems[answer.label] = "note"
        seen.add(answer.label)
    for label in checklist:
        if label not in seen:
            problems[label] = "unanswered"
    return problems


def parse_reading(text) -> tuple[Decimal | None, bool]:
    """A meter reading as typed (free numbers, optional): (value, ok). Blank is (None, True)."""
    if text is None or str(text).strip() == "":
        return None, True
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation:
        return None, False
    if not value.is_finite() or value < 0 or value > MAX_READING:
        return None, False
    return value.quantize(Decimal("0.01")), True
