"""The statutory schedule entered by admins (HolidayYear), as the calendar's :class:`HolidaySchedule`, cached.

Every deadline computation reads it (services/policy.policy_for), and every deadline shown asks whether its year is
known, so it is kept in Django's cache (Redis when scaled out) and dropped whenever a HolidayYear or one of its days
is saved or deleted (signals below, again after the commit so that no process caches the old rows in between). The
timeout bounds staleness where the cache is per process (the default local-memory cache with several processes).
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from ..models import HolidayCalendarDay, HolidayDayKind, HolidayYear
from ..rules.calendar import HolidaySchedule, package_knows_year

CACHE_KEY = "servicedesk:holiday-schedule:v1"
CACHE_SECONDS = 300


def holiday_schedule() -> HolidaySchedule:
    """All entered years and their days (one query when not cached)."""
    schedule = cache.get(CACHE_KEY)
    if schedule is None:
        years, holidays, workdays = set(), set(), set()
        for year, day, kind in HolidayYear.objects.values_list("year", "days__day", "days__kind"):
            years.add(year)
            if day is not None:
                (workdays if kind == HolidayDayKind.WORKDAY else holidays).add(day)
        schedule = HolidaySchedule(years=frozenset(years), holidays=frozenset(holidays),
                                   workdays=frozenset(workdays))
        cache.set(CACHE_KEY, schedule, CACHE_SECONDS)
    return schedule


def invalidate_holiday_schedule() -> None:
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def year_known(year: int) -> bool:
    """Whether deadlines in ``year`` count its statutory holidays (entered, or in the calendar package)."""
    return year in holiday_schedule().years or package_knows_year(year)


def missing_years(*, today=None) -> list[int]:
    """This year and next, those whose holidays are unknown (deadlines there count Monday–Friday)."""
    today = today or timezone.localdate()
    return [year for year in (today.year, today.year + 1) if not year_known(year)]


def holiday_year_days(year: int) -> dict[str, list[tuple]]:
    """The entered days of ``year`` by kind, as ``(date, name)`` pairs in date order."""
    days: dict[str, list[tuple]] = {HolidayDayKind.HOLIDAY: [], HolidayDayKind.WORKDAY: []}
    for day, kind, name in HolidayCalendarDay.objects.filter(year__year=year).values_list("day", "kind", "name"):
        days[kind].append((day, name))
    return days


def holiday_years() -> list[dict]:
    """Entered years with their counts of holidays and adjusted working days, newest first."""
    from django.db.models import Count, Q

    return list(HolidayYear.objects.annotate(
        holidays=Count("days", filter=Q(days__kind=HolidayDayKind.HOLIDAY)),
        workdays=Count("days", filter=Q(days__kind=HolidayDayKind.WORKDAY)),
    ).values("year", "holidays", "workdays", "updated_at").order_by("-year"))


@receiver([post_save, post_delete], sender=HolidayYear)
@receiver([post_save, post_delete], sender=HolidayCalendarDay)
def _drop_cached_schedule(**kwargs) -> None:
    invalidate_holiday_schedule()
