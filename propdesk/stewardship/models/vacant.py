"""Vacant homes 空置房: the project's inspection checklist and how often, an inspection per home and day, its items.

A home is vacant when the archive says so (``Room.status == vacant``): handed over with nobody living there, or never
handed over. An owner on record does not make a home occupied; only the archive's status does."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Building, Project, Room

DEFAULT_INTERVAL_DAYS = 30


class VacantChecklist(models.Model):
    """What a steward checks in each vacant home of a project, and every how many days. One row a project, made with
    the defaults when the project manager first saves it (until then the defaults apply)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project"))
    items = models.JSONField(_("checklist items"), default=list)
    interval_days = models.PositiveSmallIntegerField(_("inspect every (days)"), default=DEFAULT_INTERVAL_DAYS)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacant-home checklist")
        verbose_name_plural = _("vacant-home checklists")

    def __str__(self):
        return f"{self.project_id}: {len(self.items)} / {self.interval_days}d"


class VacantInspectionResult(models.TextChoices):
    FINE = "fine", _("all fine")
    FINDINGS = "findings", _("findings")


class VacantInspection(models.Model):
    """One inspection of one vacant home on one day (a round is the steward going home by home through a building:
    the inspections of that building and day)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="+", verbose_name=_("building"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="vacant_inspections",
                             verbose_name=_("home"))
    day = models.DateField(_("day"))  # the project's local date of inspected_at: one inspection a home and day
    inspected_at = models.DateTimeField(_("inspected at"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("inspected by"))
    result = models.CharField(_("result"), max_length=16, choices=VacantInspectionResult.choices)
    findings = models.PositiveSmallIntegerField(_("findings"), default=0)
    water_reading = models.DecimalField(_("water meter"), max_digits=12, decimal_places=2, null=True, blank=True)
    power_reading = models.DecimalField(_("power meter"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacant-home inspection")
        verbose_name_plural = _("vacant-home inspections")
        ordering = ["-inspected_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["room", "day"], name="vacant_inspection_once_a_day")]
        # The unique key (room, day) serves a home's record and its last inspection; this one the API's list.
        indexes = [models.Index(fields=["project", "-day"], name="vacant_insp_project_day")]

    def __str__(self):
        return f"{self.room_id} {self.day}"


class VacantInspectionItem(models.Model):
    """One checklist item as the steward found it. The label is copied: a later checklist edit leaves the record
    as it was. A not-fine item has a note and the request it became."""

    inspection = models.ForeignKey(VacantInspection, on_delete=models.CASCADE, related_name="items",
                                   verbose_name=_("inspection"))
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("item"), max_length=100)
    fine = models.BooleanField(_("fine"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    request = models.ForeignKey("servicedesk.ServiceRequest", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("request"))

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["inspection_id", "position"]
        constraints = [models.UniqueConstraint(fields=["inspection", "position"], name="vacant_item_position")]

    def __str__(self):
        return f"{self.label}: {'✓' if self.fine else '✗'}"
