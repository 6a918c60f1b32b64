from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .requests import Incident


class IncidentUpdateKind(models.TextChoices):
    UPDATE = "update", _("progress update")
    CLOSE = "close", _("closing reply")


class IncidentUpdate(models.Model):
    """What was told to every reporter of an incident, once per update. Append-only: the id is part of the dedupe key
    of each message, so a retried update sends nothing twice."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates",
                                 verbose_name=_("incident"))
    kind = models.CharField(_("kind"), max_length=16, choices=IncidentUpdateKind.choices,
                            default=IncidentUpdateKind.UPDATE)
    text = models.TextField(_("text"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("who"))
    at = models.DateTimeField(_("when"))
    reached = models.PositiveIntegerField(_("reporters told"), default=0)
    residents_reached = models.PositiveIntegerField(_("residents in the scope told"), default=0)

    class Meta:
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.incident_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
