from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "propdesk.core"
    label = "core"
    verbose_name = "PropDesk core"
