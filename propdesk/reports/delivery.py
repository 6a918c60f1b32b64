"""Scheduled delivery: from the first day of each month, last month's summary goes to every project manager's and
branch leader's inbox (and to their email through the outbox), each in their own data scope — and to the quality
department (品质部), whose company-wide complaint analysis starts from it.

The worker's clock calls ``monthly_summary_delivery`` on every sweep; it is a single indexed lookup until a month
has not been delivered yet. A month is delivered once: every message carries the idempotency key
``monthly-summary:<YYYY-MM>:<user id>``, so a run interrupted half-way, run again, or run by two workers at once
sends each person one message. A worker that was down on the first sends on its next sweep (only last month is
caught up: an older month's summary is no longer news)."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from propdesk.notify.services import notify_user
from propdesk.staff.models import StaffProfile

from .filters import Place, ReportFilters
from .models import MonthlyDelivery
from .periods import Period, add_months, month_period

RECIPIENT_ROLES = ("project_manager", "branch_leader", "quality")
NOTIFICATION_KIND = "monthly_summary"


def monthly_summary_delivery(*, now: datetime | None = None) -> int:
    """Send last month's summary if it has not been sent; returns how many people were notified by this call."""
    now = now or timezone.now()
    month = add_months(timezone.localdate(now).replace(day=1), -1)
    if MonthlyDelivery.objects.filter(month=month, finished_at__isnull=False).exists():
        return 0
    delivery, _created = MonthlyDelivery.objects.get_or_create(month=month)
    period = month_period(month)
    sent = 0
    recipients = (StaffProfile.objects.filter(role__in=RECIPIENT_ROLES, is_active=True, user__is_active=True)
                  .select_related("user", "project", "branch").order_by("id"))
    for profile in recipients.iterator(chunk_size=500):
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            title, body, url = summary_message(user=profile.user, period=period)
            if notify_user(user=profile.user, kind=NOTIFICATION_KIND, title=title, body=body, url=url,
                           key=f"monthly-summary:{month:%Y-%m}:{profile.user_id}"):
                sent += 1
    MonthlyDelivery.objects.filter(pk=delivery.pk).update(finished_at=timezone.now(),
                                                          recipients=delivery.recipients + sent)
    return sent


def summary_message(*, user, period: Period) -> tuple[str, str, str]:
    """Title, text and link of one person's monthly summary: the complaint summary's headline figures in their
    scope, the link opening the full summary for that month."""
    from .selectors.complaints import complaint_summary

    summary = complaint_summary(user=user, filters=ReportFilters(period=period, place=Place()))
    title, body = summary_text(summary, period, scope_label(user))
    url = f"{reverse('reports:complaint_summary')}?{urlencode(period.query())}"
    base = getattr(settings, "PUBLIC_BASE_URL", "")
    return title, body, f"{base.rstrip('/')}{url}" if base else url


def scope_label(user) -> str:
    """What a person's summary covers: their project, their branch, else their company."""
    profile = getattr(user, "staff_profile", None)
    for place in (getattr(profile, "project", None), getattr(profile, "branch", None),
                  getattr(profile, "company", None)):
        if place is not None:
            return str(place)
    return _("all projects")


def summary_text(summary, period: Period, place: str) -> tuple[str, str]:
    """The inbox title and the email/inbox text of one monthly summary (a few lines a manager reads on a phone)."""
    title = _("%(month)s complaint summary · %(place)s") % {"month": period.label, "place": place}
    if summary.total == 0:
        return title, _("No complaint was received in %(month)s.") % {"month": period.label}
    lines = [
        _("Complaints received: %(count)d (previous month %(previous)d, same month last year %(last_year)d).")
        % {"count": summary.total, "previous": summary.previous.total, "last_year": summary.last_year.total},
        _("Solved on time: %(share)s (on time %(on_time)d, late %(late)d, open and not yet due %(open)d).")
        % {"share": "—" if summary.on_time_share is None else f"{summary.on_time_share}%",
           "on_time": summary.on_time, "late": summary.late, "open": summary.open_not_due},
        _("Repeat complaints (same room and category within 90 days): %(count)d.") % {"count": summary.repeat},
    ]
    categories = [f"{row.label} {row.count}" for row in summary.by_category if row.count][:4]
    if categories:
        lines.append(_("By category: %(list)s.") % {"list": _(", ").join(categories)})
    if summary.top_issues:
        lines.append(_("Top issue: %(issue)s (%(count)d).") % {"issue": summary.top_issues[0].label,
                                                               "count": summary.top_issues[0].count})
    return title, "\n".join(lines)
