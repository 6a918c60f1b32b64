from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "propdesk.servicedesk"
    label = "servicedesk"
    verbose_name = _("service desk")

    def ready(self):
        from django.db.models.signals import post_migrate

        from propdesk.staff.hooks import register_workload  # issue 13, staffdesk: on duty and open orders

        from . import checks  # noqa: F401
        from .search_index import ensure_search_index  # issue 15: SQLite's FTS triggers survive table rebuilds
        from .selectors import holidays  # noqa: F401  (registers the system check and the cache signals)
        from .selectors.suggestions import staff_workload
        from .services import policy  # noqa: F401  (the policy cache's signals)

        register_workload(staff_workload)
        post_migrate.connect(ensure_search_index, sender=self, dispatch_uid="servicedesk_search_index")
