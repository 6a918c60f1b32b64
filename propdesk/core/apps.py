from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "propdesk.core"
    label = "core"
    verbose_name = "PropDesk core"

    def ready(self):
        from . import checks, signals  # noqa: F401  (system checks; the login audit)
