"""System checks of the deployment (`propdesk check --deploy`, and `propdesk serve` before it listens)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from config.keys import weak_key_reason


@register(Tags.security, deploy=True)
def secret_key_check(app_configs=None, **kwargs):
    """propdesk.E001: a key anyone can know (unset, published, Django's dev key, short) would let anyone forge
    sessions and the links sent to residents."""
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        key = ""
    reason = weak_key_reason(key)
    if reason is None:
        return []
    return [Error(
        f"{reason}: anyone who knows it can forge sessions and the links sent to residents.",
        hint="Set SECRET_KEY in the environment to a random value of at least 50 characters, e.g. the output of "
             "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`, and keep it out of the code.",
        id="propdesk.E001",
    )]
