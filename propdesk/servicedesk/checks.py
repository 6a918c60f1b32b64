"""System check: deadlines are counted on the Chinese statutory calendar; warn when this year's or next year's holidays
are known neither to the calendar package nor entered by an admin (the calendar then counts Monday–Friday).

Tagged ``database`` as it reads the entered years: it runs with ``migrate`` (every deploy and ``propdesk demo``) and
``propdesk check --database default``, not in the static ``check --deploy``."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from .rules.calendar import package_knows_year


@register(Tags.database)
def holiday_calendar_check(app_configs=None, **kwargs):
    from .selectors.holidays import missing_years

    today = timezone.localdate()
    try:
        missing = missing_years(today=today)
    except DatabaseError:  # not migrated yet: only the package counts
        missing = [y for y in (today.year, today.year + 1) if not package_knows_year(y)]
    return [Warning(
        f"The statutory holidays of {year} are not set: working-day deadlines in {year} count Monday to Friday, "
        "so holidays count as working days and adjusted working days (调休) as days off.",
        hint=f"An administrator enters them at /desk/holidays/?year={year} (from the State Council's notice), "
             "or upgrade the chinese-calendar package once it knows the year.",
        id="servicedesk.W001") for year in missing]
