"""Where the statutory calendar is missing: the line under a deadline that falls in an unknown year, and the banner
that tells an admin to enter this year's or next year's holidays. Both read the cached schedule: no query per row."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

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


@register.simple_tag(takes_context=True)
def deadline(context, at, done=None):
    """A deadline as every list and page shows it: met (done by then), met late, overdue (not done and past), or
    still running, with the note when its year's holidays are unknown. One tag, not an included template: a list
    of 150 orders drew three included templates a row (~20 ms of the dispatch queue at a million rows)."""
    if not at:
        return "—"
    title = _local(at, "%Y-%m-%d %H:%M")
    shown = _local(at, "%m-%d %H:%M")
    if done:
        on_time = done <= at
        html = format_html(
            '<span class="deadline {}" title="{} · {}">{} <span class="tag {}">{}</span></span>',
            "met" if on_time else "met-late", title, _local(done, "%Y-%m-%d %H:%M"), shown, "ok" if on_time else "warn",
            _("met on time") if on_time else _("done late"))
    elif at < context.get("now", timezone.now()):
        html = format_html('<span class="deadline overdue" title="{}">{} {}</span>', title, shown, _("overdue"))
    else:
        html = format_html('<span class="deadline running" title="{}">{}</span>', title, shown)
    if not done:
        year = deadline_unknown_year(at)
        if year:
            note = _("Holidays of %(year)s not set: counted Monday to Friday") % {"year": year}
            html += format_html('\n<small class="muted calendar-note">{}</small>', note)
    return html


def _local(value, fmt: str) -> str:
    """Numbers only (no month or day names), so strftime says the same as Django's date format in every language,
    at a fifth of its cost (a list formats two of these a row)."""
    return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime(fmt)
