from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from propdesk.servicedesk.rules.calendar import HolidaySchedule, WorkingCalendar
from propdesk.servicedesk.rules.holidays import Entry, check_workdays, format_days, parse_days

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_parse_days_expands_ranges_and_keeps_names():
    entries, problems = parse_days("2027-01-01 元旦\n\n 2027/2/6 ~ 2027/2/8 春节 \n2027-10-01至2027-10-02", year=2027)
    assert problems == []
    assert [(e.day.isoformat(), e.name, e.line) for e in entries] == [
        ("2027-01-01", "元旦", 1), ("2027-02-06", "春节", 3), ("2027-02-07", "春节", 3), ("2027-02-08", "春节", 3),
        ("2027-10-01", "", 4), ("2027-10-02", "", 4)]


@pytest.mark.parametrize(("text", "kind"), [
    ("2028-01-01 元旦", "year"), ("2027-01-01\n2027-01-01", "twice"), ("2027-02-30", "date"), ("元旦", "format"),
    ("2027-02-10~2027-02-01", "range"), ("2027-01-01~2027-03-01", "range"), ("2027-01-01 " + "节" * 51, "name"),
])
def test_parse_days_reports_each_problem(text, kind):
    _entries, problems = parse_days(text, year=2027)
    assert [p.kind for p in problems] == [kind]


def test_adjusted_working_days_must_be_weekend_days_not_holidays():
    off = [Entry(date(2027, 1, 1), "元旦", 1)]
    work = [Entry(date(2027, 1, 1), "", 1), Entry(date(2027, 1, 4), "", 2), Entry(date(2027, 2, 20), "", 3)]
    assert [(p.kind, p.line) for p in check_workdays(off, work)] == [("both", 1), ("weekday", 2)]


def test_format_days_reads_back():
    text = "2027-01-01~2027-01-03 元旦\n2027-02-06 春节\n2027-02-07 春节调休"
    entries, _problems = parse_days(text, year=2027)
    assert format_days([(e.day, e.name) for e in entries]) == text


def test_an_entered_year_replaces_the_package_and_the_weekday_fallback():
    plain = WorkingCalendar()
    schedule = HolidaySchedule(years={2027}, holidays={date(2027, 1, 1)}, workdays={date(2027, 2, 20)})
    entered = WorkingCalendar(schedule=schedule)
    assert plain.is_workday(date(2027, 1, 1)) and not entered.is_workday(date(2027, 1, 1))
    assert not plain.is_workday(date(2027, 2, 20)) and entered.is_workday(date(2027, 2, 20))
    assert entered.is_workday(date(2027, 1, 4)) and not entered.is_workday(date(2027, 1, 2))
    assert plain.unknown_years(date(2026, 12, 31), date(2028, 1, 2)) == (2027, 2028)
    assert entered.unknown_years(date(2026, 12, 31), date(2028, 1, 2)) == (2028,)
    start = datetime(2026, 12, 31, 16, tzinfo=SHANGHAI)
    assert entered.add_working_time(start, timedelta(hours=4)) == datetime(2027, 1, 4, 10, 30, tzinfo=SHANGHAI)
    # The company's own additions still come first.
    company = WorkingCalendar(schedule=schedule, extra_workdays={date(2027, 1, 1)})
    assert company.is_workday(date(2027, 1, 1))


def test_a_schedule_refuses_days_outside_its_years_and_a_day_both_ways():
    with pytest.raises(ValueError, match="outside"):
        HolidaySchedule(years={2027}, holidays={date(2028, 1, 1)})
    with pytest.raises(ValueError, match="both"):
        HolidaySchedule(years={2027}, holidays={date(2027, 2, 20)}, workdays={date(2027, 2, 20)})
