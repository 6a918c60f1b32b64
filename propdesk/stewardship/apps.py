from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StewardshipConfig(AppConfig):
    name = "propdesk.stewardship"
    label = "stewardship"
    verbose_name = _("Stewardship")
