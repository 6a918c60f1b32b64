"""The demo's SMS channel: writes each text to the log as the default channel does, and keeps it whole — code
included — for the demo's message log page. settings.py selects it only when DEMO_MESSAGE_LOG is on, and it keeps
nothing unless that setting is on when it sends."""

from django.conf import settings

from propdesk.notify.channels import LogChannel

from .models import DemoMessage


class DemoSmsChannel(LogChannel):
    def __init__(self):
        super().__init__("sms")

    def send(self, *, to, subject, body, key):
        super().send(to=to, subject=subject, body=body, key=key)
        if getattr(settings, "DEMO_MESSAGE_LOG", False):
            DemoMessage.objects.create(to=to, body=body)
