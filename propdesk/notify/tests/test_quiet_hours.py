"""Quiet hours end to end: the agent records a repair at 22:13 Beijing time on the intake page; the resident's
"recorded" SMS waits for 08:00 the next morning, while the technician's "on the way" SMS (urgent) goes at once, and the
staff's notices are not delayed. The clock is pinned with time-machine; delivery runs with an explicit ``now``."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from propdesk.notify import services
from propdesk.notify.models import OutboxMessage, OutboxStatus
from propdesk.notify.services import notify_user, outbox_add, outbox_deliver
from propdesk.servicedesk.models import ServiceRequest

BEIJING = ZoneInfo("Asia/Shanghai")
PHONE = "13812345678"
DONE = {"template": "work_done", "params": {"number": "BX20261202001", "result": "水管已更换"}}
DONE_TEXT = "【PropDesk物业】您的报事BX20261202001已处理完毕：水管已更换"


def bj(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


class Gateway:
    def __init__(self):
        self.sent = []  # (to, body)

    def send(self, *, to, subject, body, key):
        self.sent.append((to, body))


@pytest.fixture
def gateway(monkeypatch):
    channel = Gateway()
    monkeypatch.setattr(services, "get_channel", lambda name: channel)
    return channel


def record_at_night(world, login):
    owner = world.residents["a_owner"]
    agent = login(world.users["agent_a"])
    page = agent.get(reverse("servicedesk:intake"), {"resident": owner.pk})
    response = agent.post(reverse("servicedesk:intake"), {
        "form_token": page.context["form"].initial["form_token"], "reporter_id": owner.pk, "kind": "repair",
        "channel": "phone", "contact_name": owner.name, "contact_phone": "138****5678", "room_code": "3-2-1802",
        "description": "卫生间水管漏水，楼下邻居说天花板在滴水", "emotion": "anxious",
        "resident_request": "明天上午来修", "dispatch": f"user:{world.users['technician_a'].pk}"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ServiceRequest.objects.get()


def test_a_message_written_at_2213_reaches_the_resident_at_eight_and_an_urgent_one_at_once(world, login, gateway):
    with time_machine.travel(bj(2026, 12, 2, 22, 13), tick=False):
        request = record_at_night(world, login)
    recorded = OutboxMessage.objects.get(channel="sms", to=PHONE, dedupe_key=f"resident:{request.pk}:accepted")
    assert recorded.available_at == bj(2026, 12, 3, 8, 0)

    assert outbox_deliver(now=bj(2026, 12, 2, 22, 14)) == 0
    assert outbox_deliver(now=bj(2026, 12, 3, 7, 59)) == 0
    assert gateway.sent == []

    # The technician accepts at 22:20 (a burst pipe): "someone is on the way" goes at once.
    work_order = request.work_orders.get()
    with time_machine.travel(bj(2026, 12, 2, 22, 20), tick=False):
        technician = login(world.users["technician_a"])  # signed in that evening (a session lasts a working day)
        accepted = technician.post(reverse("servicedesk:workorder_action", args=[work_order.pk, "accept"]))
        assert accepted.status_code == 302, accepted.content.decode()[:3000]
        assert outbox_deliver(now=bj(2026, 12, 2, 22, 20)) == 1
    [(to, body)] = gateway.sent
    assert to == PHONE and request.number in body

    assert outbox_deliver(now=bj(2026, 12, 3, 8, 0)) == 1  # the "recorded" message, in the morning
    assert gateway.sent[1] == (PHONE, f"【PropDesk物业】您的报事{request.number}已受理，我们会尽快处理。")
    recorded.refresh_from_db()
    assert recorded.status == OutboxStatus.SENT and recorded.sent_at == bj(2026, 12, 3, 8, 0)


def test_the_company_sets_the_quiet_hours_in_the_projects_time_zone(world):
    world.company.quiet_hours_start, world.company.quiet_hours_end = time(22, 30), time(7, 0)
    world.company.save()
    project = world.project_a
    outbox_add(channel="sms", to=PHONE, **DONE, key="a", project=project, now=bj(2026, 12, 2, 22, 13))
    outbox_add(channel="sms", to=PHONE, **DONE, key="b", project=project, now=bj(2026, 12, 2, 22, 45))
    assert OutboxMessage.objects.get(dedupe_key="a").available_at == bj(2026, 12, 2, 22, 13)  # before 22:30
    assert OutboxMessage.objects.get(dedupe_key="b").available_at == bj(2026, 12, 3, 7, 0)
    project.timezone = "Asia/Urumqi"  # two hours behind Beijing: 22:45 Beijing is 20:45 there
    project.save()
    outbox_add(channel="wechat", to="wx-openid-1", body="您的报修已处理完毕", key="c", project=project,
               now=bj(2026, 12, 2, 22, 45))
    assert OutboxMessage.objects.get(dedupe_key="c").available_at == bj(2026, 12, 2, 22, 45)


def test_staff_notices_are_not_delayed(world):
    pm = world.users["pm_a"]
    pm.email = "pm_a@example.com"
    pm.save()
    with time_machine.travel(bj(2026, 12, 2, 22, 13), tick=False):
        notify_user(user=pm, kind="escalation", title="已超时：工单 WO-1", key="esc:1")
    email = OutboxMessage.objects.get(channel="email")
    assert email.available_at == bj(2026, 12, 2, 22, 13) and email.quiet_start is None


def test_a_message_held_up_by_a_backlog_or_a_retry_still_waits_for_the_morning(world, gateway):
    outbox_add(channel="sms", to=PHONE, **DONE, key="late", project=world.project_a,
               now=bj(2026, 12, 2, 20, 55))
    # The worker gets to it at 21:03: it is put off until 08:00, not sent into the night.
    assert outbox_deliver(now=bj(2026, 12, 2, 21, 3)) == 0
    row = OutboxMessage.objects.get(dedupe_key="late")
    assert row.available_at == bj(2026, 12, 3, 8, 0) and row.attempts == 0 and row.status == OutboxStatus.PENDING
    assert outbox_deliver(now=bj(2026, 12, 3, 8, 0)) == 1
    assert gateway.sent == [(PHONE, DONE_TEXT)]


def test_a_failed_message_is_not_retried_into_the_night(world, monkeypatch):
    class Down:
        def send(self, **kwargs):
            raise ConnectionError("gateway timeout")

    monkeypatch.setattr(services, "get_channel", lambda name: Down())
    outbox_add(channel="sms", to=PHONE, **DONE, key="retry", project=world.project_a,
               now=bj(2026, 12, 2, 20, 50))
    outbox_deliver(now=bj(2026, 12, 2, 20, 59))
    row = OutboxMessage.objects.get(dedupe_key="retry")
    assert row.attempts == 1 and row.available_at == bj(2026, 12, 3, 8, 0)
    assert row.available_at - bj(2026, 12, 2, 20, 59) > timedelta(minutes=2)
