from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenovationConfig(AppConfig):
    name = "propdesk.renovation"
    label = "renovation"
    verbose_name = _("Renovation")
