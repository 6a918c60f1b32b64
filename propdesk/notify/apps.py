from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "propdesk.notify"
    label = "notify"
    verbose_name = _("notifications")

    def ready(self):
        from . import checks  # noqa: F401  (registers the SMS gateway check)
