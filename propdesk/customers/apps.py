from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "propdesk.customers"
    label = "customers"
    verbose_name = _("customers")

    def ready(self):
        from propdesk.core.imports import register_importer

        from .services.imports import residents_import, residents_message

        register_importer("residents", run=residents_import, message=residents_message)
