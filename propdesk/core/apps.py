from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "propdesk.core"
    label = "core"
    verbose_name = "PropDesk core"

    def ready(self):
        # Every text field of every form (ours, the admin's, the login's) refuses control characters and
        # text-direction overrides, as Django's own CharField refuses NUL: one rule, no form can forget it. Fields
        # with their own validators (EmailField, URLField…) accept only their format anyway.
        from django import forms

        from . import checks, signals  # noqa: F401  (system checks; the login audit)
        from .text import validate_text

        if validate_text not in forms.CharField.default_validators:
            forms.CharField.default_validators = [*forms.CharField.default_validators, validate_text]
