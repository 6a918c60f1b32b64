from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "propdesk.console"
    label = "console"
    verbose_name = "PropDesk console"
