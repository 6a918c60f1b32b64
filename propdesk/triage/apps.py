from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "propdesk.triage"
    label = "triage"
    verbose_name = _("Triage")

    def ready(self):
        from propdesk.servicedesk import hooks

        from .services import triage_from_intake

        hooks.register_intake_recorded(triage_from_intake)
