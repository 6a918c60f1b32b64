from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StewardshipConfig(AppConfig):
    name = "propdesk.stewardship"
    label = "stewardship"
    verbose_name = _("Stewardship")

    def ready(self):
        # zones: a new occupancy gives the building's steward a first-contact task (customers, to the left of
        # stewardship, announces it).
        from propdesk.customers import hooks

        from .services.zones import contact_task_for_occupancy

        hooks.register_occupancy_started(contact_task_for_occupancy)
