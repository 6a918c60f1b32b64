from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "propdesk.org"
    label = "org"
    verbose_name = _("org")

    def ready(self):
        from propdesk.core.imports import register_importer

        from .services.imports import rooms_import, rooms_message

        register_importer("rooms", run=rooms_import, message=rooms_message)
