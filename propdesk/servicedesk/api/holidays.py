"""The holiday calendar in the JSON API: which years are known, a year's entered days, and entering them (admin)."""

from datetime import date

from django.utils import timezone
from ninja import Router, Schema

from propdesk.org.api import require
from propdesk.staff.rules.roles import Capability

from ..models import HolidayDayKind
from ..rules.calendar import package_knows_year
from ..selectors.holidays import holiday_year_days, holiday_years, missing_years
from ..services.holidays import holiday_year_check, holiday_year_save

router = Router(tags=["servicedesk"])


class DayIn(Schema):
    date: str
    name: str = ""


class DayOut(Schema):
    date: date
    name: str


class YearIn(Schema):
    holidays: list[DayIn]
    workdays: list[DayIn] = []


class YearOut(Schema):
    year: int
    source: str  # "entered", "package" (the built-in calendar) or "none" (counted Monday–Friday)
    holidays: list[DayOut]
    workdays: list[DayOut]


class YearSummaryOut(Schema):
    year: int
    holidays: int
    workdays: int


class CalendarOut(Schema):
    missing_years: list[int]
    years: list[YearSummaryOut]


def _year(year: int) -> YearOut:
    days = holiday_year_days(year)
    entered = any(row["year"] == year for row in holiday_years())
    source = "entered" if entered else "package" if package_knows_year(year) else "none"
    return YearOut(year=year, source=source,
                   holidays=[DayOut(date=d, name=n) for d, n in days[HolidayDayKind.HOLIDAY]],
                   workdays=[DayOut(date=d, name=n) for d, n in days[HolidayDayKind.WORKDAY]])


@router.get("", response=CalendarOut, summary="Years whose statutory holidays are entered, and this or next year "
                                              "if unknown")
def calendar(request):
    require(request, Capability.EDIT_CALENDAR)
    return CalendarOut(missing_years=missing_years(today=timezone.localdate()),
                       years=[YearSummaryOut(**row) for row in holiday_years()])


@router.get("/{int:year}", response=YearOut, summary="A year's entered holidays and adjusted working days")
def year_detail(request, year: int):
    require(request, Capability.EDIT_CALENDAR)
    return _year(holiday_year_check(year))


@router.put("/{int:year}", response=YearOut, summary="Replace a year's holidays and adjusted working days (调休); "
                                                     "deadlines use them at once")
def year_put(request, year: int, payload: YearIn):
    # The service reads one entry a line; item N of a list is line N of its error messages.
    def text(days):
        return "\n".join(f"{d.date.strip() or '?'} {d.name.strip()}".strip() for d in days)

    holiday_year_save(actor=request.user, year=year, holidays=text(payload.holidays),
                      workdays=text(payload.workdays))
    return _year(year)
