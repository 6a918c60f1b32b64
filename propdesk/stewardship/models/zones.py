"""Zones 责任区: each building of a project has one steward (管家), so every home and its residents have one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Building, Project


class ZoneAssignment(models.Model):
    """The steward of one building, since ``assigned_at``. Reassigning a building replaces the row (one steward a
    building); the history is on the steward's first-contact tasks and the timeline of the zones part."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    building = models.OneToOneField(Building, on_delete=models.CASCADE, related_name="zone",
                                    verbose_name=_("building"))
    steward = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="zone_buildings",
                                verbose_name=_("steward"))
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("assigned by"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone assignment")
        verbose_name_plural = _("zones")
        ordering = ["project_id", "building_id"]
        indexes = [models.Index(fields=["project", "steward"], name="zone_project_steward")]

    def __str__(self):
        return f"{self.building} → {self.steward}"
