"""The demo's message log shows texts with their codes in clear, in the demo only; everywhere else no code is kept
in clear anywhere once the text is sent."""

import logging

import pytest
from django.test import override_settings

from propdesk.accounts.models import DemoMessage, SignInCode
from propdesk.notify.models import OutboxMessage
from propdesk.notify.services import outbox_deliver

from .helpers import OWNER, ask_code, last_code

pytestmark = pytest.mark.django_db
DEMO = {"DEMO_MESSAGE_LOG": True, "PROPDESK_CHANNELS": {"sms": "propdesk.accounts.channels.DemoSmsChannel"}}


def test_the_message_log_is_a_404_outside_the_demo(world, client, login):
    assert client.get("/demo/messages/").status_code == 404
    assert login(world.users["admin"]).get("/demo/messages/").status_code == 404


def test_outside_the_demo_no_code_is_kept_in_clear(world, client, caplog):
    assert ask_code(client, OWNER).status_code == 200
    code = last_code(OWNER)
    with caplog.at_level(logging.INFO, logger="propdesk.notify"):
        assert outbox_deliver() == 1
    message = OutboxMessage.objects.get(template="signin_code")
    assert message.status == "sent" and message.params == {"code": "******"}
    assert code not in message.body and "******" in message.body
    assert code not in SignInCode.objects.get().digest
    assert not DemoMessage.objects.exists()
    assert any("sms message to 138****5678" in record.getMessage() for record in caplog.records)
    assert all(code not in record.getMessage() for record in caplog.records)


@override_settings(**DEMO)
def test_in_the_demo_the_log_shows_the_code_to_anyone(world, client):
    assert ask_code(client, OWNER).status_code == 200
    code = last_code(OWNER)
    assert outbox_deliver() == 1
    assert OutboxMessage.objects.get(template="signin_code").params == {"code": "******"}  # the outbox masks as ever
    page = client.get("/demo/messages/")
    assert page.status_code == 200
    text = page.content.decode()
    assert code in text and "138****5678" in text and OWNER not in text and 'http-equiv="refresh"' in text
