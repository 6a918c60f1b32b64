from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Company, Project


class ServicePolicy(models.Model):
    """The company's service-level policy as data: deadline targets overlaid on the handbook defaults
    (rules/sla.DEFAULT_POLICY), the escalation ladders, and company holidays added to the statutory calendar.
    Empty JSON means "the defaults"."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="service_policy",
                                   verbose_name=_("company"))
    targets = models.JSONField(_("deadline targets"), default=dict, blank=True,
                               help_text=_('e.g. {"complaint.minor": {"resolve_minutes": 2880}}'))
    ladder = models.JSONField(_("escalation ladder"), default=list, blank=True)
    accept_ladder = models.JSONField(_("escalation when nobody accepts"), default=list, blank=True)
    extra_holidays = models.JSONField(_("company holidays"), default=list, blank=True,
                                      help_text=_('Dates off besides the statutory ones, e.g. ["2027-01-01"]'))
    extra_workdays = models.JSONField(_("company working days"), default=list, blank=True)

    class Meta:
        verbose_name = _("service policy")
        verbose_name_plural = _("service policies")

    def __str__(self):
        return str(self.company)


class WorkingHours(models.Model):
    """A project's working slots (several a day, e.g. a lunch break); the default when absent is 8:30–12:00,
    13:30–18:00."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="working_hours",
                                   verbose_name=_("project"))
    slots = models.JSONField(_("working slots"), default=list,
                             help_text=_('e.g. [["08:30", "12:00"], ["13:30", "18:00"]]'))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")

    def __str__(self):
        return str(self.project)


class DispatchRule(models.Model):
    """Where a project's new requests go: by kind and by building (e.g. repairs in buildings 1–10 → engineering
    team A's pool). Tried in ``order``; the first that matches wins (rules/dispatch.py)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dispatch_rules",
                                verbose_name=_("project"))
    order = models.PositiveSmallIntegerField(_("order"), default=10)
    kind = models.CharField(_("kind"), max_length=16, blank=True, help_text=_("Blank: every kind."))
    buildings = models.CharField(_("buildings"), max_length=100, blank=True,
                                 help_text=_('As residents say them, e.g. "1-10" or "3,5,7"; blank: everywhere.'))
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("department"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+",
                                 verbose_name=_("person"), help_text=_("Blank: the department's pool to grab."))

    class Meta:
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch rules")
        ordering = ["project_id", "order", "id"]

    def __str__(self):
        return f"{self.project_id}: {self.kind or '*'} {self.buildings or '*'} → {self.department_id}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from ..rules.dispatch import BuildingSpecError, parse_buildings

        try:
            parse_buildings(self.buildings)
        except BuildingSpecError as error:
            raise ValidationError({"buildings": _("“%(part)s” is not a building or a range like 1-10.")
                                   % {"part": error}}) from None
        if self.department_id and self.department.project_id != self.project_id:
            raise ValidationError({"department": _("Choose a department of this project.")})
