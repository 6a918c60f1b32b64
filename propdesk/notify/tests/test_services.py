"""The outbox: written once per key in the caller's transaction, delivered by the worker one message at a time under
a lease, retried with back-off when a channel fails. A worker killed in the middle of a run leaves only the message
it was sending; that one is sent again, with the same idempotency key, once its lease runs out — never the batch.
(The same with a real worker process killed with SIGKILL on PostgreSQL: test_crash.py.)"""

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

    def __init__(self, *, failing=(), die_at_call=None, die_after_call=None):
        self.sent: list[tuple[str, str]] = []  # (to, idempotency key)
        self.calls = 0
        self.failing, self.die_at_call, self.die_after_call = set(failing), die_at_call, die_after_call

    def send(self, *, to, subject, body, key):
        self.calls += 1
        if self.calls == self.die_at_call:  # killed while waiting for the gateway: the message never left
            raise ProcessDied
        if to in self.failing:
            raise ConnectionError("gateway timeout")
        self.sent.append((to, key))
        if self.calls == self.die_after_call:  # killed after the gateway took it, before it was marked sent
            raise ProcessDied


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
    return outbox_add(channel="sms", to=to, template="request_recorded", params={"number": "BX20261123001"}, key=key,
                      urgent=True)


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


def test_a_sent_code_is_not_kept_in_the_outbox(gateway):
    """The code goes to the resident once; afterwards the row (and a database dump) holds no usable code."""
    channel = gateway()
    outbox_add(channel="sms", to="13800000001", template="completion_code", params={"number": "CH-261123-001-1",
               "code": "482915"}, key="code-1", urgent=True)
    queued = OutboxMessage.objects.get(dedupe_key="code-1")
    assert "482915" in queued.body  # until it is sent the worker needs it
    assert outbox_deliver(now=later(1)) == 1 and channel.sent == [("13800000001", "code-1")]
    sent = OutboxMessage.objects.get(dedupe_key="code-1")
    assert "482915" not in sent.body and sent.params == {"number": "CH-261123-001-1", "code": "******"}
    assert "CH-261123-001-1" in sent.body  # what was sent about stays readable


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


def keys(*channels):
    return [key for channel in channels for _to, key in channel.sent]


def test_a_worker_killed_mid_run_leaves_only_the_message_it_was_sending(gateway):
    for n in (1, 2, 3):
        sms(f"resident:{n}:accepted", to=f"1380000000{n}")
    # The first message leaves and is marked sent; the worker dies waiting for the gateway on the second.
    dying, start = gateway(die_at_call=2), later(1)
    with pytest.raises(ProcessDied):
        outbox_deliver(now=start, worker="worker-a")
    rows = {row.dedupe_key: row for row in OutboxMessage.objects.all()}
    assert (rows["resident:1:accepted"].status, rows["resident:1:accepted"].attempts) == (OutboxStatus.SENT, 1)
    second = rows["resident:2:accepted"]
    assert (second.status, second.claimed_by, second.attempts) == (OutboxStatus.SENDING, "worker-a", 1)
    assert second.lease_until == start + timedelta(seconds=120)
    assert (rows["resident:3:accepted"].status, rows["resident:3:accepted"].attempts) == (OutboxStatus.PENDING, 0)

    # Another worker a minute later: the third goes; the second is still leased to the dead worker.
    other = gateway()
    assert outbox_deliver(now=later(2), worker="worker-b") == 1
    assert keys(other) == ["resident:3:accepted"]
    # Once the lease has run out it is taken over and sent, with the same idempotency key.
    assert outbox_deliver(now=later(4), worker="worker-b") == 1
    assert keys(dying, other) == ["resident:1:accepted", "resident:3:accepted", "resident:2:accepted"]
    assert set(OutboxMessage.objects.values_list("status", "claimed_by", "lease_until")) == {
        (OutboxStatus.SENT, "", None)}
    assert OutboxMessage.objects.get(dedupe_key="resident:2:accepted").attempts == 2
    assert outbox_deliver(now=later(10)) == 0  # nothing is sent again


def test_a_worker_killed_after_the_gateway_took_a_message_repeats_that_one_only(gateway):
    for n in (1, 2, 3):
        sms(f"resident:{n}:accepted", to=f"1380000000{n}")
    dying = gateway(die_after_call=2)
    with pytest.raises(ProcessDied):
        outbox_deliver(now=later(1))
    assert keys(dying) == ["resident:1:accepted", "resident:2:accepted"]
    retry = gateway()
    assert outbox_deliver(now=later(4)) == 2
    # At least once, with the key: the one message in flight is repeated (a gateway honouring the key drops it);
    # the message sent and marked before it is not.
    assert keys(retry) == ["resident:2:accepted", "resident:3:accepted"]
    assert keys(dying, retry).count("resident:1:accepted") == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_a_worker_whose_lease_ran_out_does_not_mark_the_message_it_lost(gateway, monkeypatch):
    sms("resident:1:accepted")
    takeover = later(5)

    class SlowGateway(RecordingChannel):
        def send(self, **kwargs):
            if self.calls == 0:  # worker A's gateway hangs past the lease; worker B takes the message over
                self.calls += 1
                assert outbox_deliver(now=takeover, worker="worker-b") == 1
            self.sent.append((kwargs["to"], kwargs["key"]))

    channel = SlowGateway()
    monkeypatch.setattr(services, "get_channel", lambda name: channel)
    assert outbox_deliver(now=later(1), worker="worker-a") == 0  # A's answer comes too late: not counted, not marked
    row = OutboxMessage.objects.get()
    assert (row.status, row.sent_at, row.attempts) == (OutboxStatus.SENT, takeover, 2)  # as B recorded it
    assert keys(channel) == ["resident:1:accepted", "resident:1:accepted"]  # both carried the same key


def test_a_message_whose_worker_keeps_dying_is_given_up(gateway):
    sms("resident:1:accepted")
    now = later(1)
    for _ in range(services.MAX_ATTEMPTS):
        gateway(die_at_call=1)
        with pytest.raises(ProcessDied):
            outbox_deliver(now=now, worker="doomed")
        now += timedelta(minutes=3)  # past the lease
    assert outbox_deliver(now=now) == 0
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.FAILED and row.attempts == services.MAX_ATTEMPTS
    assert "stopped while sending" in row.last_error


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


# -- waking the worker -----------------------------------------------------------------------------------------------

def deliveries_waiting():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path="propdesk.notify.tasks.deliver_outbox", status="READY").count()


def test_fifty_messages_wake_the_worker_with_one_task(django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    for n in range(50):  # fifty changes, each committed on its own (fifty requests)
        with django_capture_on_commit_callbacks(execute=True):
            sms(f"resident:{n}:accepted", to=f"138000{n:05d}")
    assert deliveries_waiting() == 1  # was 50: one task per message
    # Once a worker has started that run, a new message wakes it again (the run may have read the outbox already).
    DBTaskResult.objects.filter(status="READY").update(status="RUNNING")
    with django_capture_on_commit_callbacks(execute=True):
        sms("resident:50:accepted")
    assert deliveries_waiting() == 1


def test_a_message_held_for_the_morning_wakes_no_one(world, django_capture_on_commit_callbacks):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    night = datetime(2026, 11, 23, 23, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with django_capture_on_commit_callbacks(execute=True):
        outbox_add(channel="sms", to="13812345678", template="request_recorded", params={"number": "BX1"},
                   key="night", project=world.project_a, now=night)
    assert OutboxMessage.objects.get().available_at > timezone.now()
    assert deliveries_waiting() == 0  # the worker's periodic run picks it up at 08:00
