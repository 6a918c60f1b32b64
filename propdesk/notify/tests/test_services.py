"""The outbox: written once per key in the caller's transaction, delivered by the worker, retried with back-off
when a channel fails, and — after a crash in the middle of a delivery run — delivered again with the same
idempotency keys (at least once, each time with its key) and never again once marked sent."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from propdesk.core.testing import make_user
from propdesk.notify import services
from propdesk.notify.models import Notification, OutboxMessage, OutboxStatus
from propdesk.notify.services import notify_user, outbox_add, outbox_deliver

pytestmark = pytest.mark.django_db


class ProcessDied(BaseException):
    """The worker is killed mid-run (SIGKILL, out of memory): not an Exception a channel error handler catches."""


class RecordingChannel:
    """Stands in for the SMS gateway: records what it was given; can fail for chosen recipients or die after N."""

    def __init__(self, *, failing=(), die_at_call=None):
        self.sent: list[tuple[str, str]] = []  # (to, idempotency key)
        self.calls = 0
        self.failing, self.die_at_call = set(failing), die_at_call

    def send(self, *, to, subject, body, key):
        self.calls += 1
        if self.calls == self.die_at_call:
            raise ProcessDied
        if to in self.failing:
            raise ConnectionError("gateway timeout")
        self.sent.append((to, key))


@pytest.fixture
def gateway(monkeypatch):
    """``gateway(**options)`` installs a RecordingChannel for every channel and returns it."""

    def install(**options):
        channel = RecordingChannel(**options)
        monkeypatch.setattr(services, "get_channel", lambda name: channel)
        return channel

    return install


def later(minutes=0):
    return timezone.now() + timedelta(minutes=minutes)


def sms(key, to="13812345678"):
    # Delivery mechanics on the real clock: urgent, so the quiet hours (test_quiet_hours.py) never hold it back.
    return outbox_add(channel="sms", to=to, body="您的报修已受理", key=key, urgent=True)


def test_the_same_key_is_queued_once():
    assert sms("resident:1:accepted") is True
    assert sms("resident:1:accepted") is False  # a retried change writes no second message
    assert OutboxMessage.objects.filter(dedupe_key="resident:1:accepted").count() == 1


def test_a_rolled_back_change_leaves_no_message():
    with pytest.raises(RuntimeError), transaction.atomic():
        sms("resident:2:accepted")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()


def test_delivery_sends_and_marks_sent(gateway):
    channel = gateway()
    sms("k1", to="13800000001")
    sms("k2", to="13800000002")
    now = later(1)
    assert outbox_deliver(now=now) == 2
    assert channel.sent == [("13800000001", "k1"), ("13800000002", "k2")]
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}
    assert OutboxMessage.objects.filter(sent_at=now).count() == 2
    assert outbox_deliver(now=later(2)) == 0  # a second run sends nothing
    assert len(channel.sent) == 2


def test_a_message_not_yet_due_waits():
    sms("k1")
    assert outbox_deliver(now=timezone.now() - timedelta(minutes=5)) == 0
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING


def test_a_failing_message_is_retried_with_back_off_and_the_others_go_out(gateway):
    channel = gateway(failing={"13800000002"})
    for n in (1, 2, 3):
        sms(f"k{n}", to=f"1380000000{n}")
    now = later(1)
    assert outbox_deliver(now=now) == 2
    assert [key for _to, key in channel.sent] == ["k1", "k3"]
    failed = OutboxMessage.objects.get(dedupe_key="k2")
    assert failed.status == OutboxStatus.PENDING and failed.attempts == 1
    assert failed.available_at == now + timedelta(minutes=2) and "gateway timeout" in failed.last_error

    assert outbox_deliver(now=now + timedelta(minutes=1)) == 0  # backing off: not tried again yet
    channel.failing.clear()  # the gateway is back
    assert outbox_deliver(now=now + timedelta(minutes=2)) == 1
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.SENT and failed.attempts == 2
    assert [key for _to, key in channel.sent] == ["k1", "k3", "k2"]


def test_a_message_that_keeps_failing_is_given_up_after_the_last_attempt(gateway):
    gateway(failing={"13800000009"})
    sms("k9", to="13800000009")
    now = later(1)
    for _ in range(services.MAX_ATTEMPTS):
        outbox_deliver(now=now)
        now = OutboxMessage.objects.get().available_at
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.FAILED and row.attempts == services.MAX_ATTEMPTS
    assert outbox_deliver(now=now + timedelta(days=1)) == 0
    assert OutboxMessage.objects.get().attempts == services.MAX_ATTEMPTS


def test_a_crash_mid_run_loses_nothing_and_a_retry_resends_with_the_same_keys(gateway):
    sms("resident:7:accepted", to="13800000001")
    sms("resident:8:accepted", to="13800000002")
    # The first message leaves and its row is marked sent; the worker dies on the second, before the commit.
    dying = gateway(die_at_call=2)
    with pytest.raises(ProcessDied):
        outbox_deliver(now=later(1))
    assert dying.sent == [("13800000001", "resident:7:accepted")]
    rows = OutboxMessage.objects.order_by("id")
    assert [(row.status, row.attempts, row.sent_at) for row in rows] == [(OutboxStatus.PENDING, 0, None)] * 2

    retry = gateway()
    assert outbox_deliver(now=later(2)) == 2
    # At least once, with the key: the gateway sees the first message's key a second time and drops the duplicate.
    assert retry.sent == [("13800000001", "resident:7:accepted"), ("13800000002", "resident:8:accepted")]
    assert [key for _to, key in dying.sent + retry.sent].count("resident:7:accepted") == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}

    assert outbox_deliver(now=later(3)) == 0  # a further retry sends nothing
    assert len(retry.sent) == 2


def test_the_email_channel_passes_the_key_as_message_id(mailoutbox):
    from propdesk.notify.channels import get_channel

    get_channel("email").send(to="pm@example.com", subject="超时提醒", body="工单已超时", key="esc:wo:3:warn:5")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"].startswith("<esc.wo.3.warn.5@")


# -- the inbox -------------------------------------------------------------------------------------------------------

def test_a_notification_is_written_once_per_key_and_emailed_when_the_user_has_an_address():
    pm = make_user("pm_mail", email="chen@example.com")
    clerk = make_user("clerk_nomail")
    assert notify_user(user=pm, kind="escalation", title="工单超时", key="esc:1:pm") is True
    assert notify_user(user=pm, kind="escalation", title="工单超时", key="esc:1:pm") is False
    assert notify_user(user=clerk, kind="escalation", title="工单超时", key="esc:1:clerk") is True
    assert notify_user(user=pm, kind="request_accepted", title="已受理", key="inbox-only", email=False) is True
    assert Notification.objects.filter(recipient=pm).count() == 2
    assert list(OutboxMessage.objects.values_list("channel", "to", "dedupe_key")) == [
        ("email", "chen@example.com", "esc:1:pm:email")]


def test_notify_users_tells_each_person_once_per_event():
    from propdesk.notify.services import notify_users

    pm = make_user("pm_both", email="pm@example.com")
    tech = make_user("tech_one")
    told = notify_users(users=[pm, tech, pm, None], event="esc:wo:9:0:resolve:overdue", kind="escalation",
                        title="已超时：工单 WO-9")
    assert told == [pm, tech]
    # The next rung of the same event names the manager again: nothing new in the inbox, no second email.
    assert notify_users(users=[pm], event="esc:wo:9:0:resolve:overdue", kind="escalation", title="已超时") == []
    assert Notification.objects.filter(recipient=pm).count() == 1
    assert OutboxMessage.objects.filter(to="pm@example.com").count() == 1
