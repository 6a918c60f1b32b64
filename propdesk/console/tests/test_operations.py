"""The operations page (admins) and /metrics (Prometheus): the workers' heartbeat, the outbox and task backlog and
the overdue work orders, read through HTTP as an admin or a scraper would."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from propdesk.core.heartbeat import beat_worker, heartbeat_beat
from propdesk.core.models import WorkerHeartbeat
from propdesk.notify.models import OutboxMessage, OutboxStatus
from propdesk.servicedesk.tests.services.helpers import dispatched, sh, submit

pytestmark = pytest.mark.django_db


def metric(text: str, name: str, labels: str = "") -> float | None:
    """The value of one sample in Prometheus text format, or None when absent."""
    pattern = rf"^{re.escape(name)}{re.escape('{' + labels + '}') if labels else ''} (\S+)$"
    found = re.search(pattern, text, re.M)
    return float(found.group(1)) if found else None


def outbox(n: int, *, status=OutboxStatus.PENDING, available_at=None, key="m"):
    for i in range(n):
        OutboxMessage.objects.create(channel="email", to="pm@example.com", subject="超时提醒", body="工单超时",
                                     dedupe_key=f"{key}:{i}", status=status,
                                     available_at=available_at or timezone.now())


# --- the operations page ------------------------------------------------------------------------------------------


def test_only_admins_see_the_operations_page(client, world, login):
    assert client.get("/ops/")["Location"].startswith("/login/")
    for who in ("agent_a", "pm_a", "leader_east", "quality", "technician_a"):
        assert login(world.users[who]).get("/ops/").status_code == 403, who
        client.logout()
    login(world.users["resident_a"])
    assert client.get("/ops/").status_code == 403
    client.logout()
    page = login(world.users["admin"]).get("/ops/")
    assert page.status_code == 200
    assert 'href="/ops/"' in page.content.decode()  # in the admin's menu


def test_the_page_shows_workers_outbox_tasks_and_overdue_orders(client, world, login):
    request = submit(world, now=sh(2026, 11, 20, 9, 0))  # a repair of three days ago: past its deadline
    dispatched(world, request, now=sh(2026, 11, 20, 9, 5))
    OutboxMessage.objects.all().delete()  # the resident's acknowledgement: an outbox of our own below
    now = timezone.now()
    heartbeat_beat(name="web-1:4242", now=now - timedelta(seconds=20))
    heartbeat_beat(name="web-2:777", now=now - timedelta(minutes=30))  # killed half an hour ago
    outbox(3, available_at=now - timedelta(minutes=7), key="due")
    outbox(2, available_at=now + timedelta(hours=10), key="night")  # waits for the end of the quiet hours
    outbox(1, status=OutboxStatus.FAILED, key="failed")

    html = login(world.users["admin"]).get("/ops/").content.decode()
    workers = re.search(r'id="ops-worker-table"(.*?)</table>', html, re.S).group(1)
    assert "web-1" in workers and "pid 4242" in workers and "web-2" in workers and "pid 777" in workers
    rows = re.findall(r"<tr>(.*?)</tr>", workers, re.S)
    late = [row for row in rows if 'class="overdue"' in row]
    assert len(late) == 1 and "web-2" in late[0]
    assert re.search(r'id="ops-workers".*?class="stat">1<', html, re.S)
    card = re.search(r'id="ops-outbox"(.*?)</div></div>', html, re.S).group(1)
    assert 'class="stat">3<' in card
    assert "2 条等待中" in card  # the two kept for the morning
    assert '<div class="overdue">1 条发送失败' in card
    assert re.search(r'id="ops-overdue".*?class="stat overdue">1<', html, re.S)
    assert "<dt>失败</dt><dd>1</dd>" in html  # the outbox by status, in the admin's words


def test_the_page_warns_when_no_worker_runs(client, world, login):
    html = login(world.users["admin"]).get("/ops/").content.decode()
    assert re.search(r'id="ops-workers".*?class="stat overdue">0<', html, re.S)


# --- the heartbeat --------------------------------------------------------------------------------------------------


def test_a_worker_beats_goes_late_and_its_row_ages_out(client, world, login):
    beat_worker()
    (row,) = WorkerHeartbeat.objects.all()
    first_seen = row.seen_at
    with time_machine.travel(timezone.now() + timedelta(seconds=30), tick=False):
        beat_worker()  # the next tick of the clock
        row.refresh_from_db()
        assert row.seen_at > first_seen and WorkerHeartbeat.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        html = login(world.users["admin"]).get("/ops/").content.decode()
        assert "无心跳：已停止或卡住" in html  # not heard from: stopped or stuck
        assert metric(client.get("/metrics").content.decode(), "propdesk_workers_alive") == 0
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        heartbeat_beat(name="other-host:99")  # another worker's beat forgets rows gone for a day
        assert list(WorkerHeartbeat.objects.values_list("name", flat=True)) == ["other-host:99"]


def test_a_worker_stopping_cleanly_removes_its_row(db):
    beat_worker()
    assert WorkerHeartbeat.objects.count() == 1
    beat_worker(stopping=True)
    assert WorkerHeartbeat.objects.count() == 0


def test_a_heartbeat_that_cannot_be_written_does_not_stop_the_worker(db, monkeypatch, caplog):
    def down(**kwargs):
        raise RuntimeError("database restarting")

    monkeypatch.setattr("propdesk.core.heartbeat.heartbeat_beat", down)
    beat_worker()  # logs, does not raise
    assert "could not write the worker's heartbeat" in caplog.text


# --- /metrics -------------------------------------------------------------------------------------------------------


def test_metrics_in_prometheus_text_format(client, world):
    request = submit(world, now=sh(2026, 11, 20, 9, 0))
    dispatched(world, request, now=sh(2026, 11, 20, 9, 5))
    OutboxMessage.objects.all().delete()
    now = timezone.now()
    heartbeat_beat(name="host-a:101", now=now - timedelta(seconds=15))
    outbox(2, available_at=now - timedelta(minutes=5), key="due")
    outbox(1, status=OutboxStatus.FAILED, key="failed")
    outbox(4, status=OutboxStatus.SENT, key="sent")

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert "# TYPE propdesk_outbox_messages gauge" in text
    assert metric(text, "propdesk_outbox_messages", 'status="pending"') == 2
    assert metric(text, "propdesk_outbox_messages", 'status="failed"') == 1
    assert metric(text, "propdesk_outbox_messages", 'status="sent"') == 4
    assert metric(text, "propdesk_outbox_due_messages") == 2
    assert 300 <= metric(text, "propdesk_outbox_oldest_due_seconds") < 330
    assert 15 <= metric(text, "propdesk_worker_last_seen_seconds", 'worker="host-a:101"') < 45
    assert metric(text, "propdesk_workers_alive") == 1
    assert metric(text, "propdesk_workorders_overdue") == 1
    assert metric(text, "propdesk_tasks_oldest_ready_seconds") is not None


def test_metrics_count_the_task_queue_by_status(client, db, settings):
    from propdesk.notify.tasks import deliver_outbox

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deliver_outbox.enqueue()
    deliver_outbox.enqueue()
    text = client.get("/metrics").content.decode()
    assert metric(text, "propdesk_tasks", 'status="ready"') == 2
    assert metric(text, "propdesk_tasks_oldest_ready_seconds") >= 0


def test_metrics_answer_only_allowed_addresses_or_the_token(client, db, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "10.1.0.0/16"]
    settings.METRICS_TOKEN = "s3cr3t-scraper-token"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.44.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="::ffff:127.0.0.1").status_code == 200
    outside = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert outside.status_code == 404 and b"propdesk_" not in outside.content
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9",
                      HTTP_AUTHORIZATION="Bearer s3cr3t-scraper-token").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9",
                      HTTP_AUTHORIZATION="Bearer s3cr3t-scraper-tokem").status_code == 404
    assert client.post("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 405


def test_a_request_through_a_proxy_needs_the_token(client, db, settings):
    """Behind a reverse proxy on the same machine every visitor arrives from 127.0.0.1: a forwarded request is not
    let in by its address."""
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    settings.METRICS_TOKEN = "s3cr3t-scraper-token"
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"):
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", **{header: "203.0.113.9"}).status_code == 404, header
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9",
                      HTTP_AUTHORIZATION="Bearer s3cr3t-scraper-token").status_code == 200


def test_without_a_token_configured_no_bearer_opens_metrics(client, db, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_take_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for i in range(5):
        heartbeat_beat(name=f"host-{i}:1{i}")
    outbox(20, key="due")
    with django_assert_max_num_queries(6):
        assert client.get("/metrics").status_code == 200


# --- which process answered ------------------------------------------------------------------------------------------


def test_the_process_is_not_told_by_default(client, db):
    assert "X-PropDesk-Process" not in client.get("/healthz")


def test_the_process_header_names_host_and_pid_when_switched_on(client, db, settings):
    import os

    settings.MIDDLEWARE = ["propdesk.core.middleware.ProcessHeaderMiddleware", *settings.MIDDLEWARE]
    assert client.get("/healthz")["X-PropDesk-Process"].endswith(f":{os.getpid()}")
