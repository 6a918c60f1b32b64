"""Where the statutory calendar is missing: the line under a deadline that falls in an unknown year, and the banner
that tells an admin to enter this year's or next year's holidays. Both read the cached schedule: no query per row."""

from django import template
from django.utils import timezone

from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..selectors.holidays import missing_years, year_known

register = template.Library()


@register.simple_tag
def deadline_unknown_year(at):
    """The year of the deadline ``at`` when its holidays are unknown (it was counted Monday–Friday), else ""."""
    if not at:
        return ""
    year = timezone.localtime(at).year
    return "" if year_known(year) else year


@register.simple_tag
def calendar_banner_years(user):
    """This year and next, where unknown, for a user who may enter them; else an empty list."""
    if not getattr(user, "is_authenticated", False) or not user_can(user, Capability.EDIT_CALENDAR):
        return []
    return missing_years()
