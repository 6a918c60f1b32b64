"""Calendar months as the first day of the month: arithmetic and the "YYYY-MM" a month field sends."""

from datetime import date


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month``'s (before it when negative)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str) -> date | None:
    """'2026-03' (what <input type=month> sends) → date(2026, 3, 1); None if it is not a month of 2000–2100."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None
