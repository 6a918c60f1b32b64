from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "propdesk.followups"
    label = "followups"
    verbose_name = _("follow-up visits")

    def ready(self):
        # The service desk announces handled requests; follow-ups schedule their visit (servicedesk cannot import
        # followups, which sits to its right).
        from propdesk.servicedesk import hooks

        from .services.schedule import visit_schedule_for_request

        hooks.register_request_handled(visit_schedule_for_request)
