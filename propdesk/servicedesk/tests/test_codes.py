"""The one-time codes texted to residents under guessing, from the outside: 5 wrong completion or quote codes kill
the code (the 6th answer is a 429 even for the right code, in the form and the API); one phone gets at most a code a
minute and 5 an hour; codes are stored as HMACs keyed with SECRET_KEY; the log channel writes neither the code nor
the full number in production."""

import hashlib
import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from propdesk.notify.channels import LogChannel
from propdesk.notify.models import OutboxMessage
from propdesk.servicedesk.models import Quote, WorkOrder
from propdesk.servicedesk.services.codes import code_digest
from propdesk.servicedesk.services.payments import QuoteLineInput, quote_create

from .test_api import ORDERS, act, bearer, post
from .test_billing import item, messages_of, order

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
CODE = "246810"


@pytest.fixture
def fixed_code(monkeypatch):
    monkeypatch.setattr("propdesk.servicedesk.services.codes.secrets.randbelow", lambda _n: int(CODE))


def later(seconds):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=True)


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "extra"}
    return body


def test_five_wrong_completion_codes_kill_the_code_through_the_api(world, fixed_code):
    wo = order(world)
    tech = bearer(world.users["technician_a"])
    assert post(tech, f"{ORDERS}/{wo.pk}/send-code").status_code == 200
    answers = [act(tech, wo.pk, "complete", result="更换水龙头阀芯", confirmation_code=f"{guess:06d}")
               for guess in range(20)]  # a script guessing 000000, 000001, …
    assert [a.status_code for a in answers] == [400] * 4 + [429] * 16
    assert "4" in error_of(answers[0], 400)["extra"]["fields"]["confirmation_code"][0]  # tries left
    dead = error_of(answers[4], 429)
    assert list(dead["extra"]["fields"]) == ["confirmation_code"]
    right = act(tech, wo.pk, "complete", result="更换水龙头阀芯", confirmation_code=CODE)
    assert error_of(right, 429)["extra"]["fields"]["confirmation_code"] == dead["extra"]["fields"]["confirmation_code"]
    wo.refresh_from_db()
    assert wo.status == "accepted" and wo.confirmation_code_wrong == 5
    with later(61):  # the technician sends a new code; it works
        assert post(tech, f"{ORDERS}/{wo.pk}/send-code").status_code == 200
        done = act(tech, wo.pk, "complete", result="更换水龙头阀芯", confirmation_code=CODE)
        assert done.status_code == 200 and done.json()["status"] == "completed"
        assert done.json()["confirmation_method"] == "code"


def test_a_wrong_code_in_the_completion_form_is_at_its_field_and_counted(world, login, fixed_code):
    wo = order(world)
    tech = login(world.users["technician_a"])
    tech.post(reverse("servicedesk:send_code", args=[wo.pk]))
    url = reverse("servicedesk:workorder_action", args=[wo.pk, "complete"])
    statuses = []
    for guess in ("111111", "222222", "333333", "444444", "555555", CODE):
        response = tech.post(url, {"result": "更换水龙头阀芯", "confirmation_code": guess})
        statuses.append(response.status_code)
        assert "confirmation_code" in response.context["failed"]["errors"]
        assert response.context["failed"]["data"]["result"] == "更换水龙头阀芯"  # what was typed is kept
    assert statuses == [400, 400, 400, 400, 429, 429]
    wo.refresh_from_db()
    assert wo.status == "accepted" and wo.confirmation_code_wrong == 5


def test_codes_are_stored_as_hmacs_keyed_with_the_secret_key(world, fixed_code):
    wo = order(world)
    post(bearer(world.users["technician_a"]), f"{ORDERS}/{wo.pk}/send-code")
    wo.refresh_from_db()
    assert CODE not in wo.confirmation_code_hash
    assert wo.confirmation_code_hash != hashlib.sha256(f"{wo.pk}:{CODE}".encode()).hexdigest()  # the old form
    assert wo.confirmation_code_hash == code_digest(f"wo:{wo.pk}", CODE)
    with override_settings(SECRET_KEY="another-key-" * 4):
        assert code_digest(f"wo:{wo.pk}", CODE) != wo.confirmation_code_hash


def test_one_phone_gets_a_code_a_minute_and_five_an_hour(world):
    orders = [order(world, description=f"第{i}处漏水") for i in range(3)]  # all of 周美玲, one phone
    tech = bearer(world.users["technician_a"])
    sends = OutboxMessage.objects.filter(to=PHONE, dedupe_key__startswith="code:")
    assert post(tech, f"{ORDERS}/{orders[0].pk}/send-code").status_code == 200
    too_soon = error_of(post(tech, f"{ORDERS}/{orders[1].pk}/send-code"), 429)  # another order, same phone
    assert list(too_soon["extra"]["fields"]) == ["confirmation_code"] and too_soon["extra"]["retry_after"] <= 60
    assert sends.count() == 1
    for minute in range(1, 5):
        with later(61 * minute):
            assert post(tech, f"{ORDERS}/{orders[minute % 3].pk}/send-code").status_code == 200
    with later(61 * 5):
        sixth = error_of(post(tech, f"{ORDERS}/{orders[2].pk}/send-code"), 429)
        assert "5" in sixth["message"]
    assert sends.count() == 5
    with later(3600 + 5):  # an hour after the first: one more may go
        assert post(tech, f"{ORDERS}/{orders[2].pk}/send-code").status_code == 200
    assert sends.count() == 6


def quoted(world):
    wo = order(world)
    quote_create(work_order=wo, lines=[QuoteLineInput(item(wo.project, "疏通下水道（户内）").pk, 1)],
                 actor=world.users["technician_a"])
    return wo


def test_five_wrong_quote_codes_kill_the_code_in_the_form(world, login, fixed_code):
    wo = quoted(world)
    tech = login(world.users["technician_a"])
    tech.post(reverse("servicedesk:quote_code", args=[wo.pk]))
    agree = reverse("servicedesk:quote_agree", args=[wo.pk])
    shown = []
    for guess in ("000001", "000002", "000003", "000004", "000005", CODE):
        response = tech.post(agree, {"method": "code", "code": guess}, follow=True)
        shown.append(messages_of(response)[-1])
    assert Quote.objects.get(work_order=wo).agreed_at is None
    assert Quote.objects.get(work_order=wo).code_wrong == 5
    assert shown[4] == shown[5] and shown[0] != shown[4]  # the right code comes too late: the code is dead
    # The quote code and the completion code share the phone's limit.
    response = tech.post(reverse("servicedesk:send_code", args=[wo.pk]), follow=True)
    assert not OutboxMessage.objects.filter(dedupe_key__startswith=f"code:{wo.pk}:").exists()
    assert any("60" in m or "秒" in m for m in messages_of(response))


def test_the_log_channel_writes_no_code_and_no_full_phone_in_production(world, fixed_code, caplog):
    wo = order(world)
    post(bearer(world.users["technician_a"]), f"{ORDERS}/{wo.pk}/send-code")
    sms = OutboxMessage.objects.get(dedupe_key__startswith=f"code:{wo.pk}:")
    assert CODE in sms.body  # what the resident is sent
    with caplog.at_level(logging.INFO, logger="propdesk.notify"), override_settings(DEBUG=False):
        LogChannel("sms").send(to=sms.to, subject="", body=sms.body, key=sms.dedupe_key)
    logged = caplog.records[-1]
    text = logged.getMessage() + " " + str(vars(logged))
    assert CODE not in text and PHONE not in text
    assert "138****5678" in logged.getMessage() and wo.number in logged.getMessage()
    assert not re.search(r"(?<!\d)\d{6}(?!\d)", logged.getMessage().replace(wo.number, ""))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="propdesk.notify"), override_settings(DEBUG=True):
        LogChannel("sms").send(to=sms.to, subject="", body=sms.body, key=sms.dedupe_key)
    assert CODE in caplog.records[-1].getMessage()  # the demo's only way to read the code it "sent"


def test_the_log_channel_cuts_the_rating_link_token(world):
    line = "您的报修已处理，请评价：https://kf.example.com/visits/rate/oXv-M-T5VFWHwwz5r1NaRfFfm-T0q4QYtv53-dejDe0/"
    from propdesk.core.masking import redact_message

    assert redact_message(line) == "您的报修已处理，请评价：https://kf.example.com/visits/rate/…/"


def test_a_used_code_does_not_complete_again(world, fixed_code):
    wo = order(world)
    tech = bearer(world.users["technician_a"])
    post(tech, f"{ORDERS}/{wo.pk}/send-code")
    assert act(tech, wo.pk, "complete", result="修好了", confirmation_code=CODE).status_code == 200
    assert WorkOrder.objects.get(pk=wo.pk).confirmation_code_hash == ""
