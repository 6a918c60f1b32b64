from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.fees.rules.periods import (
    Cycle,
    add_months,
    billable_fraction,
    billable_periods,
    due_date,
    parse_period_key,
    period_key,
    period_of,
    periods_between,
)


def test_period_keys():
    day = date(2026, 11, 23)
    assert period_key(day, Cycle.MONTHLY) == "2026-11"
    assert period_key(day, "quarterly") == "2026-Q4"
    assert period_key(day, Cycle.YEARLY) == "2026"
    assert period_key(date(2026, 3, 31), Cycle.QUARTERLY) == "2026-Q1"
    assert period_key(date(2026, 4, 1), Cycle.QUARTERLY) == "2026-Q2"


def test_periods_are_calendar_months_quarters_years():
    assert period_of(date(2026, 11, 23), Cycle.MONTHLY).start == date(2026, 11, 1)
    assert period_of(date(2026, 11, 23), Cycle.MONTHLY).end == date(2026, 12, 1)
    quarter = period_of(date(2026, 11, 23), Cycle.QUARTERLY)
    assert (quarter.start, quarter.end, quarter.days, quarter.months) == (date(2026, 10, 1), date(2027, 1, 1), 92, 3)
    year = period_of(date(2028, 2, 29), Cycle.YEARLY)
    assert (year.start, year.end, year.days) == (date(2028, 1, 1), date(2029, 1, 1), 366)
    assert date(2026, 11, 30) in period_of(date(2026, 11, 1), Cycle.MONTHLY)
    assert date(2026, 12, 1) not in period_of(date(2026, 11, 1), Cycle.MONTHLY)


def test_periods_between_cover_the_range():
    keys = [p.key for p in periods_between(date(2026, 11, 15), date(2027, 2, 1), Cycle.MONTHLY)]
    assert keys == ["2026-11", "2026-12", "2027-01"]
    keys = [p.key for p in periods_between(date(2026, 11, 15), date(2027, 2, 2), Cycle.MONTHLY)]
    assert keys == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert [p.key for p in periods_between(date(2026, 2, 1), date(2027, 1, 1), "quarterly")] == [
        "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert periods_between(date(2026, 1, 1), date(2026, 1, 1), Cycle.YEARLY) == []


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 1000),
       st.sampled_from(list(Cycle)))
def test_periods_tile_the_range_without_gaps(start, length, cycle):
    end = start + timedelta(days=length)
    periods = periods_between(start, end, cycle)
    assert periods[0].start <= start < periods[0].end
    assert periods[-1].start < end <= periods[-1].end
    for before, after in zip(periods, periods[1:], strict=False):
        assert before.end == after.start
    assert len({p.key for p in periods}) == len(periods)
    for period in periods:
        assert parse_period_key(period.key) == period


@pytest.mark.parametrize("key", ["2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-11", "2026/11", "", "0000"])
def test_bad_period_keys(key):
    with pytest.raises(ValueError):
        parse_period_key(key)


def test_due_date_is_clamped_to_month_end():
    feb = period_of(date(2026, 2, 1), Cycle.MONTHLY)
    assert due_date(feb, 31) == date(2026, 2, 28)
    assert due_date(period_of(date(2028, 2, 1), Cycle.MONTHLY), 30) == date(2028, 2, 29)
    assert due_date(period_of(date(2026, 11, 5), Cycle.MONTHLY), 15) == date(2026, 11, 15)
    assert due_date(period_of(date(2026, 11, 5), Cycle.QUARTERLY), 10) == date(2026, 10, 10)
    assert due_date(period_of(date(2026, 1, 31), Cycle.MONTHLY), 31, offset_months=1) == date(2026, 2, 28)
    for bad in (0, 32):
        with pytest.raises(ValueError):
            due_date(feb, bad)


def test_add_months_clamps():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_first_period_is_prorated_by_days_from_handover():
    november = period_of(date(2026, 11, 1), Cycle.MONTHLY)
    assert billable_fraction(november, date(2026, 11, 1)) == 1
    assert billable_fraction(november, date(2026, 6, 18)) == 1
    assert billable_fraction(november, date(2026, 11, 16)) == Fraction(15, 30)  # the 16th to the 30th
    assert billable_fraction(november, date(2026, 11, 30)) == Fraction(1, 30)
    assert billable_fraction(november, date(2026, 12, 1)) == 0
    assert billable_fraction(november, None) == 0
    q4 = period_of(date(2026, 11, 1), Cycle.QUARTERLY)
    assert billable_fraction(q4, date(2026, 11, 1)) == Fraction(61, 92)


def test_billable_periods_start_from_handover():
    rows = billable_periods(date(2026, 9, 20), date(2026, 8, 1), date(2026, 12, 1), Cycle.MONTHLY)
    assert [(p.key, share) for p, share in rows] == [
        ("2026-09", Fraction(11, 30)), ("2026-10", 1), ("2026-11", 1)]
