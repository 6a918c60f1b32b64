from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoveinConfig(AppConfig):
    name = "propdesk.movein"
    label = "movein"
    verbose_name = _("Move-in")
