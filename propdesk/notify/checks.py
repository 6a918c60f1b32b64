"""System checks: an SMS gateway that is chosen but not fully configured is an error at start, not a pile of failed
messages later."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from .sms import TEMPLATES


@register()
def sms_gateway_configured(app_configs=None, **kwargs):
    path = getattr(settings, "PROPDESK_CHANNELS", {}).get("sms")
    if not path:
        return []  # the log channel: nothing to configure
    try:
        channel = import_string(path)
    except ImportError as exc:
        return [Error(f"PROPDESK_CHANNELS['sms'] = {path!r} cannot be imported: {exc}", id="notify.E001")]
    from .gateways import TemplateSms

    if not (isinstance(channel, type) and issubclass(channel, TemplateSms)):
        return []
    config = getattr(settings, "PROPDESK_SMS", {})
    account = config.get(channel.provider, {})
    errors = []
    missing = [name for name in channel.required if not account.get(name)]
    if missing:
        errors.append(Error(f"{channel.__name__} needs PROPDESK_SMS[{channel.provider!r}] {', '.join(missing)}",
                            id="notify.E002"))
    unmapped = sorted(set(TEMPLATES) - {code for code, provider_id in config.get("template_ids", {}).items()
                                        if provider_id})
    if unmapped:
        errors.append(Error(f"no {channel.provider} template id for: {', '.join(unmapped)}",
                            hint="Register these templates (propdesk/notify/sms.py) with the provider and set "
                                 "PROPDESK_SMS_TEMPLATE_IDS.", id="notify.E003"))
    return errors
