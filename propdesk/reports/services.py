"""Writes of the reports app: the public service report 物业服务报告 — the project manager saves a draft for
(project, month) with what was improved and what comes next, then publishes it to the project's residents.

- Only a user with PUBLISH_REPORTS may write, and only for a project in their scope (else "No such project in your
  scope.", as for an unknown id).
- A draft may be written for any month up to the current one; a month in the future is refused.
- Publishing needs a finished month (the current, unfinished month and future months are refused), freezes the
  month's figures (selectors/public.py) into ``figures`` and stamps who and when — in one transaction, the row
  locked, so that two clicks publish once. A published report is not changed any more: saving or publishing it
  again is refused (409) and writes nothing. (project, month) is unique.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from .models import PublicReport, PublicReportStatus
from .periods import month_period
from .selectors.public import month_finished, public_report_figures

MAX_TEXT = 4000


class AlreadyPublished(ApplicationError):
    status_code = 409


def _check(actor, project: Project, month: date) -> date:
    if not user_can(actor, Capability.PUBLISH_REPORTS):
        raise PermissionDenied(_("Your role may not do this."))
    if not Project.objects.restrict(actor).filter(pk=project.pk).exists():
        raise ApplicationError(_("Please correct the marked fields."),
                               {"fields": {"project": [_("No such project in your scope.")]}})
    return month.replace(day=1)


def _texts(improvements: str, plans: str) -> dict[str, str]:
    texts = {"improvements": (improvements or "").strip(), "plans": (plans or "").strip()}
    errors = {name: [_("Keep it under %(count)d characters.") % {"count": MAX_TEXT}]
              for name, text in texts.items() if len(text) > MAX_TEXT}
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    return texts


def _refuse_published(report: PublicReport) -> None:
    if report.status == PublicReportStatus.PUBLISHED:
        raise AlreadyPublished(_("This report has been published already; it cannot be changed."))


def public_report_save(*, actor, project: Project, month: date, improvements: str, plans: str,
                       now: datetime | None = None) -> PublicReport:
    """Create or update the draft of (project, month)."""
    month = _check(actor, project, month)
    texts = _texts(improvements, plans)
    if month > timezone.localdate(now or timezone.now()):
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {"month": [
            _("The month is in the future: a report can be written from its first day on.")]}})
    with transaction.atomic():
        report = PublicReport.objects.select_for_update().filter(project=project, month=month).first()
        if report is None:
            try:
                with transaction.atomic():
                    return PublicReport.objects.create(project=project, month=month, created_by=actor, **texts)
            except IntegrityError:  # someone created it in the meantime: update theirs
                report = PublicReport.objects.select_for_update().get(project=project, month=month)
        _refuse_published(report)
        report.improvements, report.plans = texts["improvements"], texts["plans"]
        report.save(update_fields=["improvements", "plans", "updated_at"])
        return report


def public_report_publish(*, actor, project: Project, month: date, now: datetime | None = None) -> PublicReport:
    """Publish the draft of (project, month) to the project's residents, freezing its figures."""
    now = now or timezone.now()
    month = _check(actor, project, month)
    if not month_finished(month, now=now):
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {"month": [
            _("Only a finished month can be published: wait until %(day)s.")
            % {"day": f"{month_period(month).end:%Y-%m-%d}"}]}})
    with transaction.atomic():
        report = PublicReport.objects.select_for_update().filter(project=project, month=month).first()
        if report is None:
            raise ApplicationError(_("Save the draft first: write what was improved and what comes next."),
                                   status_code=409)
        _refuse_published(report)
        report.figures = public_report_figures(project=project, month=month)
        report.status = PublicReportStatus.PUBLISHED
        report.published_by, report.published_at = actor, now
        report.save(update_fields=["figures", "status", "published_by", "published_at", "updated_at"])
        return report
