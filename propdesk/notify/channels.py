"""Delivery channels. Email goes through Django's mailer; SMS and WeChat are pluggable and, by default, write what
they would send to the log (no real gateway is reachable here). A channel receives the outbox row's dedupe key and
passes it to its gateway as the idempotency key (Message-ID for email)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from propdesk.core.masking import mask_phone, redact_message

log = logging.getLogger("propdesk.notify")


class Channel:
    name = ""

    def send(self, *, to: str, subject: str, body: str, key: str) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    name = "email"

    def send(self, *, to, subject, body, key):
        domain = settings.DEFAULT_FROM_EMAIL.partition("@")[2] or "propdesk.local"
        EmailMessage(subject=subject, body=body, to=[to],
                     headers={"Message-ID": f"<{key.replace(':', '.')}@{domain}>"}).send()


class LogChannel(Channel):
    """Writes the message to the log: the default for SMS and WeChat until a gateway is configured. Outside DEBUG
    (production logs are kept and shipped) the phone is masked and codes and link tokens are cut out of the text;
    the demo (DEBUG) logs them whole, as its only way to read the codes it "sends"."""

    def __init__(self, name: str):
        self.name = name

    def send(self, *, to, subject, body, key):
        if not settings.DEBUG:
            to, body = mask_phone(to) if "@" not in to else to, redact_message(body)
        log.info("%s message to %s: %s", self.name, to, body, extra={"channel": self.name, "to": to, "key": key})


def get_channel(name: str) -> Channel:
    configured = getattr(settings, "PROPDESK_CHANNELS", {}).get(name)
    if configured:
        return import_string(configured)()
    if name == "email":
        return EmailChannel()
    return LogChannel(name)
