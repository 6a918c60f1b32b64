"""A project's renovation rules 装修管理规定: what it forbids, when noisy work may be done, what approval charges and
how often a renovation is inspected. One row a project, made with the defaults when the PM first saves it (until
then ``renovation.rules.settings.DEFAULTS`` apply)."""

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Project


class RenovationSettings(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project"))
    # Codes of work items (renovation.rules.items) the project forbids outright or sends to the PM with a flag.
    forbidden_items = models.JSONField(_("forbidden work items"), default=list, blank=True)
    flagged_items = models.JSONField(_("work items the PM must look at"), default=list, blank=True)
    balcony_closing_banned = models.BooleanField(_("closing balconies is banned"), default=False)
    # Permitted hours on working days of the project's calendar; none on rest days and quiet days (高考, 春节 …).
    work_start = models.TimeField(_("work from"), default=time(8, 0))
    work_end = models.TimeField(_("work until"), default=time(18, 0))
    noon_quiet_start = models.TimeField(_("noon quiet from"), default=time(12, 0))
    noon_quiet_end = models.TimeField(_("noon quiet until"), default=time(14, 0))
    quiet_days = models.JSONField(_("quiet days"), default=list, blank=True)  # ISO dates
    max_days = models.PositiveSmallIntegerField(_("longest permitted period (days)"), default=90)
    # Money approval charges: a deposit (DEPOSIT item) and a debris-removal fee (ONE_OFF item), per home.
    deposit_item = models.ForeignKey("fees.FeeItem", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("deposit item"))
    deposit_fen = models.PositiveIntegerField(_("deposit (fen)"), default=300000)
    fee_item = models.ForeignKey("fees.FeeItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("debris removal item"))
    fee_fen = models.PositiveIntegerField(_("debris removal fee (fen)"), default=50000)
    inspect_every_days = models.PositiveSmallIntegerField(_("inspect every (days)"), default=1)
    checklist = models.JSONField(_("inspection checklist"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("renovation rules")
        verbose_name_plural = _("renovation rules")

    def __str__(self):
        return f"renovation rules {self.project_id}"
