"""Meter readings (抄表) for metered items: one per home, item and period, with the alarm the rules raised."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Project, Room

from .bills import Bill, HomeQuerySet
from .items import FeeItem


class MeterReading(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="meter_readings", verbose_name=_("room"))
    item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="readings", verbose_name=_("fee item"))
    period_key = models.CharField(_("period"), max_length=10)
    reading = models.DecimalField(_("reading"), max_digits=12, decimal_places=2)
    previous = models.DecimalField(_("previous reading"), max_digits=12, decimal_places=2)
    consumption = models.DecimalField(_("consumption"), max_digits=12, decimal_places=2)
    # A new meter: the old one's final reading and the new one's first; consumption spans both.
    replaced_final = models.DecimalField(_("old meter's final reading"), max_digits=12, decimal_places=2, null=True,
                                         blank=True)
    replaced_start = models.DecimalField(_("new meter's first reading"), max_digits=12, decimal_places=2, null=True,
                                         blank=True)
    alarm = models.BooleanField(_("unusual"), default=False)  # far above the usual: checked before billing
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    read_at = models.DateTimeField(_("read at"))
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("read by"))
    bill = models.OneToOneField(Bill, on_delete=models.PROTECT, null=True, blank=True, related_name="reading",
                                verbose_name=_("bill"))

    objects = HomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        ordering = ["-read_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["room", "item", "period_key"], name="reading_once_per_period")]
        indexes = [models.Index(fields=["project", "item", "period_key"], name="reading_project_period")]

    def __str__(self):
        return f"{self.item} {self.period_key} {self.reading}"
