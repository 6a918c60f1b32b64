"""Entering a year's statutory schedule (法定节假日 and 调休), which the calendar package does not know yet."""

from django.db import transaction
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import HolidayCalendarDay, HolidayDayKind, HolidayYear
from ..rules.holidays import MAX_NAME, MAX_RANGE_DAYS, Problem, check_workdays, parse_days
from ..selectors.holidays import invalidate_holiday_schedule

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _problem_text(problem: Problem, *, year: int) -> str:
    texts = {
        "format": _('Line %(line)d: “%(text)s” is not a date like 2027-01-01 or a range like 2027-02-06~2027-02-12.'),
        "date": _("Line %(line)d: “%(text)s” holds a date that does not exist."),
        "range": _("Line %(line)d: “%(text)s” is not a range of at most %(max)d days, first day first."),
        "year": _("Line %(line)d: %(text)s is not in %(year)d."),
        "twice": _("Line %(line)d: %(text)s is listed twice."),
        "name": _("Line %(line)d: the name is longer than %(max)d characters."),
        "both": _("Line %(line)d: %(text)s is also listed as a holiday."),
        "weekday": _("Line %(line)d: %(text)s is a Monday to Friday, a working day anyway; "
                     "adjusted working days are weekend days."),
    }
    return texts[problem.kind] % {"line": problem.line, "text": problem.text, "year": year,
                                  "max": MAX_NAME if problem.kind == "name" else MAX_RANGE_DAYS}


@transaction.atomic
def holiday_year_save(*, actor, year, holidays: str, workdays: str) -> HolidayYear:
    """Replace the schedule of ``year`` with the days listed (one entry a line, see rules/holidays). Every deadline
    computed from now on uses it; the whole input is checked first and nothing is written when any line is wrong."""
    if not user_can(actor, Capability.EDIT_CALENDAR):
        raise PermissionDenied(_("Only an administrator may set the holiday calendar."))
    year = holiday_year_check(year)
    off, off_problems = parse_days(holidays, year=year)
    work, work_problems = parse_days(workdays, year=year)
    work_problems += check_workdays(off, work)
    errors = {}
    if not off and not off_problems:
        errors["holidays"] = [_("List the year's holidays, one date or range a line.")]
    if off_problems:
        errors["holidays"] = [_problem_text(p, year=year) for p in off_problems]
    if work_problems:
        errors["workdays"] = [_problem_text(p, year=year) for p in work_problems]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    entry, _created = HolidayYear.objects.select_for_update().get_or_create(year=year)
    entry.updated_by = actor
    entry.save()
    HolidayCalendarDay.objects.filter(year=entry).delete()
    HolidayCalendarDay.objects.bulk_create(
        [HolidayCalendarDay(year=entry, day=e.day, kind=HolidayDayKind.HOLIDAY, name=e.name) for e in off]
        + [HolidayCalendarDay(year=entry, day=e.day, kind=HolidayDayKind.WORKDAY, name=e.name) for e in work])
    invalidate_holiday_schedule()
    return entry


def holiday_year_check(year) -> int:
    """The year as a number within the calendar's range, or an ApplicationError on the ``year`` field (saving a year
    and reading one through the API refuse the same years)."""
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {
            "year": [_("Enter a year between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}]}})
    return year
