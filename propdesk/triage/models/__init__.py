"""Triage 智能分拣 (issue 16): what the engine suggested for a message and what the agent chose instead.

The engine itself is pure Python (rules/); the only rows are the outcomes the intake records, so that
``manage.py triage_train`` learns from the agents' corrections.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TriageCorrection(models.Model):
    """One triage outcome: the suggestion (labels per field) and the labels the agent recorded. ``changed`` names the
    fields where the two differ (empty: the agent accepted every suggestion)."""

    request = models.ForeignKey("servicedesk.ServiceRequest", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="triage_outcomes", verbose_name=_("request"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("recorded by"))
    text = models.TextField(_("message"))
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    suggested = models.JSONField(_("suggested"), default=dict)
    chosen = models.JSONField(_("chosen"), default=dict)
    changed = models.JSONField(_("changed fields"), default=list)
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("triage outcome")
        verbose_name_plural = _("triage outcomes")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {','.join(self.changed) or '='}"
