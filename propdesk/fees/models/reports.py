"""What the reports keep: a project's yearly collection-rate target, and the cashier's confirmed daily closing
(日结)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Project


class CollectionTarget(models.Model):
    """The collection rate 收缴率 a project aims at for a year, in basis points (9500 = 95.00 %)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    year = models.PositiveSmallIntegerField(_("year"))
    rate_bp = models.PositiveIntegerField(_("target (basis points)"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("set by"))
    updated_at = models.DateTimeField(_("set at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("collection target")
        verbose_name_plural = _("collection targets")
        ordering = ["project_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="collectiontarget_once_a_year"),
            models.CheckConstraint(condition=models.Q(rate_bp__lte=10000), name="collectiontarget_at_most_all"),
        ]

    def __str__(self):
        return f"{self.project_id} {self.year} {self.rate_bp}"


class DailyClosing(models.Model):
    """A cashier's day in one project, confirmed: the figures recomputed from the ledger when confirmed (``totals``:
    by payment method, the receipts used and voided), the cash the cashier counted and the difference, which must be
    explained by a note when it is not zero."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("cashier"))
    day = models.DateField(_("day"))
    totals = models.JSONField(_("figures"), default=dict)
    counted_cash_fen = models.BigIntegerField(_("cash counted (fen)"))
    difference_fen = models.BigIntegerField(_("difference (fen)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily closing")
        verbose_name_plural = _("daily closings")
        ordering = ["-day", "project_id", "cashier_id"]
        constraints = [
            models.UniqueConstraint(fields=["cashier", "day", "project"], name="dailyclosing_once_a_day"),
            models.CheckConstraint(condition=models.Q(difference_fen=0) | ~models.Q(note=""),
                                   name="dailyclosing_difference_explained"),
        ]

    def __str__(self):
        return f"{self.cashier_id} {self.day} {self.project_id}"
