"""Periods as people write them: month, quarter, week or a range of days; wrong ones are refused field by field."""

from datetime import date

import pytest

from propdesk.core.errors import ApplicationError
from propdesk.reports.periods import parse_period

TODAY = date(2026, 11, 22)


def period(**data):
    return parse_period(data, today=TODAY)


def errors(**data):
    with pytest.raises(ApplicationError) as caught:
        parse_period(data, today=TODAY)
    return caught.value.field_errors


def test_month_quarter_week_and_range():
    october = period(month="2026-10")
    assert (october.start, october.end, october.key, october.label) == (date(2026, 10, 1), date(2026, 11, 1),
                                                                         "2026-10", "2026年10月")
    assert october.previous().key == "2026-09" and october.year_before().key == "2025-10"
    q3 = period(quarter="2026-q3")
    assert (q3.start, q3.end, q3.key, q3.label) == (date(2026, 7, 1), date(2026, 10, 1), "2026-Q3", "2026年第3季度")
    assert q3.previous().key == "2026-Q2"
    week = period(week="2026-11-19")  # a Thursday: the week from Monday the 16th
    assert (week.start, week.end, week.query()) == (date(2026, 11, 16), date(2026, 11, 23), {"week": "2026-11-16"})
    days = period(**{"from": "2026-10-30", "to": "2026-11-02"})
    assert (days.days, days.months(), days.query()) == (
        4, [date(2026, 10, 1), date(2026, 11, 1)], {"from": "2026-10-30", "to": "2026-11-02"})
    assert days.previous().start == date(2026, 10, 26)


def test_defaults():
    assert period().key == "2026-11"
    assert parse_period({}, default="last_month", today=TODAY).key == "2026-10"
    assert parse_period({}, default="last_quarter", today=TODAY).key == "2026-Q3"
    january = date(2026, 1, 5)
    assert parse_period({}, default="last_month", today=january).key == "2025-12"
    assert parse_period({}, default="last_quarter", today=january).key == "2025-Q4"


def test_wrong_periods_name_their_field():
    assert errors(month="2026-13") == {"month": ["请按 YYYY-MM 格式填写月份，例如 2026-03。"]}
    assert errors(month="2026-12") == {"month": ["所选期间尚未开始：请选择 2026-11-22 或之前开始的期间。"]}
    assert errors(quarter="2026-Q5") == {"quarter": ["请按 YYYY-Qn 格式填写季度，例如 2026-Q3。"]}
    assert errors(**{"from": "2026-11-10", "to": "2026-11-01"}) == {"to": ["结束日期早于开始日期。"]}
    assert errors(**{"from": "2026-11-31"}) == {"from": ["请按 YYYY-MM-DD 格式填写日期。"]}
    assert errors(to="2026-11-01") == {"from": ["请填写起始日期。"]}
    assert list(errors(**{"from": "2020-01-01", "to": "2026-11-01"})) == ["from"]  # longer than three years
    # The current month, quarter and week count up to now.
    assert period(month="2026-11").key == "2026-11" and period(week="2026-11-22").start == date(2026, 11, 16)


# --- a running period is compared like with like -----------------------------------------------------------

def test_a_running_month_is_compared_with_as_many_days_of_the_month_before():
    december = parse_period({}, today=date(2026, 12, 2))
    assert (december.key, december.running, december.elapsed_days) == ("2026-12", True, 2)
    assert december.label == "2026年12月 · 截至12月2日"
    before = december.previous()
    assert (before.start, before.last_day, before.running) == (date(2026, 11, 1), date(2026, 11, 2), False)
    assert before.query() == {"from": "2026-11-01", "to": "2026-11-02"}  # its links select what was counted
    assert (december.year_before().start, december.year_before().last_day) == (date(2025, 12, 1), date(2025, 12, 2))
    # The last day of a month is still running; the month before is clipped to its own length.
    march = parse_period({"month": "2027-03"}, today=date(2027, 3, 30))
    assert march.running and (march.previous().start, march.previous().end) == (date(2027, 2, 1), date(2027, 3, 1))
    assert parse_period({}, today=date(2026, 12, 31)).previous().last_day == date(2026, 11, 30)


def test_running_quarter_and_week_and_a_finished_period():
    q4 = parse_period({"quarter": "2026-Q4"}, today=date(2026, 12, 2))  # 63 days: 1 October – 2 December
    assert (q4.previous().start, q4.previous().last_day) == (date(2026, 7, 1), date(2026, 9, 1))
    week = parse_period({"week": "2026-12-02"}, today=date(2026, 12, 2))  # Monday 30 Nov – Wednesday 2 Dec
    assert (week.previous().start, week.previous().last_day) == (date(2026, 11, 23), date(2026, 11, 25))
    november = parse_period({"month": "2026-11"}, today=date(2026, 12, 2))
    assert not november.running and november.label == "2026年11月" and november.previous().key == "2026-10"


def test_the_period_type_sent_keeps_only_its_fields():
    """A filter bar without JavaScript still sends the hidden inputs: the type chosen decides."""
    chosen = period(period="quarter", month="2026-10", quarter="2026-Q3")
    assert chosen.key == "2026-Q3"
    assert period(period="range", month="2026-10", **{"from": "2026-11-02", "to": "2026-11-08"}).days == 7
    assert period(period="nonsense", month="2026-10").key == "2026-10"  # an unknown type changes nothing
