from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordingConfig(AppConfig):
    name = "propdesk.wording"
    label = "wording"
    verbose_name = _("Service language")
