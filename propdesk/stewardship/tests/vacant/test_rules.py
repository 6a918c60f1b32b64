"""The pure rules: when an inspection is due, what a checklist and its answers must say, meter readings."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from propdesk.stewardship.rules.vacant import (
    DEFAULT_ITEMS,
    ItemAnswer,
    check_answers,
    clean_checklist,
    is_overdue,
    next_due,
    overdue_cutoff,
    parse_reading,
)

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
intervals = st.integers(min_value=1, max_value=366)


@given(last=days, interval=intervals, today=days)
def test_overdue_exactly_after_the_due_day_and_the_query_cutoff_agrees(last, interval, today):
    due = next_due(last_day=last, interval_days=interval)
    assert due == last + timedelta(days=interval)
    assert is_overdue(last_day=last, interval_days=interval, today=today) == (today > due)
    assert is_overdue(last_day=last, interval_days=interval, today=today) == (
        last < overdue_cutoff(interval_days=interval, today=today))


@given(interval=intervals, today=days)
def test_never_inspected_is_overdue_at_once(interval, today):
    assert next_due(last_day=None, interval_days=interval) is None
    assert is_overdue(last_day=None, interval_days=interval, today=today)


def test_monthly_example():
    assert not is_overdue(last_day=date(2026, 10, 24), interval_days=30, today=date(2026, 11, 23))
    assert is_overdue(last_day=date(2026, 10, 23), interval_days=30, today=date(2026, 11, 23))


def test_clean_checklist():
    items, interval, errors = clean_checklist(["  门窗 关闭 ", "", "门窗 关闭", "无异味"], " 14 ")
    assert items == ["门窗 关闭", "无异味"] and interval == 14 and not errors
    assert clean_checklist([], "x")[2] == {"items": ["empty"], "interval_days": ["range"]}
    assert clean_checklist(["a" * 101], 367)[2] == {"items": ["too_long"], "interval_days": ["range"]}
    assert clean_checklist([str(n) for n in range(31)], 30)[2] == {"items": ["too_many"]}


def test_answers():
    checklist = list(DEFAULT_ITEMS)
    fine = [ItemAnswer(label, True) for label in checklist]
    assert check_answers(checklist, fine) == {}
    answers = [ItemAnswer(checklist[0], False, "  "), ItemAnswer(checklist[1], None), ItemAnswer("越界", True),
               ItemAnswer(checklist[2], True), ItemAnswer(checklist[2], False, "渗水")]
    problems = check_answers(checklist, answers)
    assert problems[checklist[0]] == "note" and problems[checklist[1]] == "unanswered"
    assert problems["越界"] == "unknown" and problems[checklist[2]] == "twice"
    assert all(problems[label] == "unanswered" for label in checklist[3:])


@given(st.decimals(min_value=0, max_value=Decimal("9999999999"), places=2, allow_nan=False))
def test_readings_round_trip(value):
    assert parse_reading(str(value)) == (value, True)


def test_reading_refusals():
    assert parse_reading("") == (None, True) and parse_reading(None) == (None, True)
    assert parse_reading("1,234.5") == (Decimal("1234.50"), True)
    for bad in ("-1", "abc", "NaN", "Infinity", "1e20"):
        assert parse_reading(bad) == (None, False)
