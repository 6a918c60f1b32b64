"""The handover 交房 of a home (one per home) and the defects it found. A defect's state is its request's: open until
the request is resolved, closed or cancelled."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Building, Project, Room

DEFAULT_DEFECT_DAYS = 15


class HandoverSettings(models.Model):
    """Per project: the working days the developer has to fix a handover defect. Until saved, the default."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project"))
    defect_days = models.PositiveSmallIntegerField(_("working days to fix a defect"), default=DEFAULT_DEFECT_DAYS)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover settings")
        verbose_name_plural = _("handover settings")

    def __str__(self):
        return f"{self.project_id}: {self.defect_days}"


class Handover(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="+", verbose_name=_("building"))
    room = models.OneToOneField(Room, on_delete=models.PROTECT, related_name="handover", verbose_name=_("home"))
    buyer = models.ForeignKey("movein.HandoverBuyer", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("buyer"))
    booking = models.OneToOneField("movein.HandoverBooking", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="handover", verbose_name=_("booking"))
    resident = models.ForeignKey("customers.Resident", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("resident"))
    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("steward"))
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("handed over by"))
    completed_at = models.DateTimeField(_("handed over at"))
    moves_in = models.BooleanField(_("moves in now"))
    documents = models.JSONField(_("documents checked"), default=list)
    keys = models.JSONField(_("keys handed over"), default=dict)  # label → count
    readings = models.JSONField(_("meter readings"), default=dict)  # water/power/gas → "123.40"
    areas = models.JSONField(_("rooms inspected"), default=list)  # [{"area": "客厅", "ok": true}]
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-completed_at", "-id"]
        indexes = [models.Index(fields=["project", "-completed_at"], name="handover_project_done")]

    def __str__(self):
        return f"{self.room_id} {self.completed_at:%Y-%m-%d}"


class HandoverDefect(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="+", verbose_name=_("building"))
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="defects",
                                 verbose_name=_("handover"))
    area = models.CharField(_("room part"), max_length=20)
    note = models.CharField(_("defect"), max_length=500)
    request = models.OneToOneField("servicedesk.ServiceRequest", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("request"))
    found_at = models.DateTimeField(_("found at"))
    fix_by = models.DateTimeField(_("fix by"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover defect")
        verbose_name_plural = _("handover defects")
        ordering = ["found_at", "id"]
        indexes = [models.Index(fields=["project", "building"], name="handover_defect_building")]

    def __str__(self):
        return f"{self.area}: {self.note}"
