"""The scaled topology, run for real: ``propdesk scaled`` (the README's one command) starts two web processes on one
address and two workers against this test's PostgreSQL database. Through that one address an agent records and
dispatches a repair whose resident wants it fixed within seconds; whichever worker wins the sweep escalates it, once
per rung; the request is then read through the other web process, which sees the same state.

Runs in CI's PostgreSQL pass (about 30 s); skipped on SQLite, where several processes writing at once is not the
point. Processes are stopped whatever happens (the whole process group)."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django_tasks_db.models import DBTaskResult

from propdesk.core.models import WorkerHeartbeat
from propdesk.core.testing import build_world
from propdesk.notify.models import Notification
from propdesk.servicedesk.models import TimelineEvent, WorkOrder
from propdesk.servicedesk.tests.services.helpers import department_head, engineering
from propdesk.staff.models import ApiToken

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]
RUNGS = ("warn_assignee", "breach_department_head")  # the default ladder's first two: 80 % of the time, and breach


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the scaled topology runs several processes writing at once on PostgreSQL "
                    "(CI runs this in its PostgreSQL pass)")


def real_now() -> datetime:
    """The machine's clock, not the pinned test day: the processes started here live on the real one."""
    return datetime.fromtimestamp(time_machine.escape_hatch.time.time(), UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pause():
    threading.Event().wait(0.25)  # between two polls; every wait below is bounded by a deadline


class Address:
    """The one address: a new connection per call, so the kernel may hand each to either web process."""

    def __init__(self, port: int, token: str = ""):
        self.port, self.token = port, token

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, dict | str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Connection": "close"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = conn.getresponse()
            raw = response.read().decode()
            process = response.getheader("X-PropDesk-Process", "")
            is_json = response.getheader("Content-Type", "").startswith("application/json")
            return response.status, process, json.loads(raw) if is_json else raw
        finally:
            conn.close()


def until(what: str, check, *, seconds: float, log: Path):
    """Poll ``check`` until it returns something true; fail with the processes' log when time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = check()
        except (ConnectionError, OSError):
            result = None
        if result:
            return result
        pause()
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
    pytest.fail(f"{what}: not within {seconds:.0f} s\n--- propdesk scaled (last lines) ---\n{tail}")


@pytest.fixture
def scaled(tmp_path):
    """Start ``propdesk scaled`` on a free port against this test's database; stop its whole process group after."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {**os.environ, "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                                         f"/{db['NAME']}",
           "DEBUG": "1", "PROPDESK_SWEEP_SECONDS": "1", "PROPDESK_EXPOSE_PROCESS": "1",
           "PROPDESK_VAR_DIR": str(tmp_path / "var"), "LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    port = free_port()
    log = tmp_path / "scaled.log"
    started = {}

    def start():
        connection.close()  # our data is committed; the processes use their own connections
        with log.open("wb") as out:
            started["process"] = subprocess.Popen(
                [sys.executable, "-m", "propdesk.cli", "scaled", "--port", str(port), "--no-demo"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        return port, log

    def stop() -> tuple[int, bool]:
        """Ctrl+C's twin (SIGTERM to the command alone): its exit code, and whether every process of the group
        is gone."""
        process = started["process"]
        process.send_signal(signal.SIGTERM)
        code = process.wait(30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return code, True
            pause()
        return code, False

    yield start, stop
    process = started.get("process")
    if process is not None:  # whatever happened above: nothing of the group outlives the test
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(10)


def test_a_request_made_through_one_web_process_is_escalated_once_and_seen_through_the_other(scaled):
    start, stop = scaled
    began = time.monotonic()
    with time_machine.travel(real_now(), tick=True):  # data, token and sessions on the processes' clock
        world = build_world()
        head = department_head(world)
        agent, technician = world.users["agent_a"], world.users["technician_a"]
        _token, raw_token = ApiToken.issue(user=agent, name="smoke test")
    port, log = start()
    site = Address(port, raw_token)

    until("both web processes ready at the one address",
          lambda: site.call("GET", "/readyz")[0] == 200, seconds=90, log=log)
    status, first_process, created = site.call("POST", "/api/desk/requests", {
        "project_id": world.project_a.pk, "channel": "phone", "kind": "repair",
        "description": "卫生间下水管接口漏水，楼下天花板在渗水", "reporter_id": world.residents["a_owner"].pk,
        "room_id": world.room(world.project_a, "3-2-1802").pk,
        # the resident needs it fixed within seconds: the deadline falls due while we watch
        "resident_deadline": (real_now() + timedelta(seconds=10)).isoformat(),
        "dispatch": {"department_id": engineering(world).pk, "assignee_id": technician.pk}})
    assert status == 201, created
    assert first_process, "the web process did not say who it is (PROPDESK_EXPOSE_PROCESS)"
    request_id = created["id"]
    (order,) = created["work_orders"]
    assert order["status"] == "dispatched" and order["assignee_id"] == technician.pk

    def escalated():
        status, process, detail = site.call("GET", f"/api/desk/requests/{request_id}")
        actions = [e["action"] for e in detail["timeline"] if e["kind"] == "escalation"] if status == 200 else []
        return (process, detail) if all(rung in actions for rung in RUNGS) else None

    until("escalated by a worker (both rungs on the timeline)", escalated, seconds=60, log=log)
    breach_at = TimelineEvent.objects.get(work_order_id=order["id"], action="breach_department_head").at

    def sweeps_after_breach():  # both workers keep sweeping: a second escalation would have had every chance
        return DBTaskResult.objects.filter(task_path__endswith="sweep_deadlines", status="SUCCESSFUL",
                                           started_at__gt=breach_at).count() >= 6

    until("six more deadline sweeps after the breach", sweeps_after_breach, seconds=45, log=log)

    def read_elsewhere():
        status, process, detail = site.call("GET", f"/api/desk/requests/{request_id}")
        return (process, detail) if status == 200 and process != first_process else None

    other_process, seen = until("the request read through the other web process", read_elsewhere, seconds=30,
                                log=log)
    assert other_process != first_process
    assert seen["number"] == created["number"] and seen["work_orders"][0]["id"] == order["id"]
    escalations = Counter(e["action"] for e in seen["timeline"] if e["kind"] == "escalation")
    assert escalations == dict.fromkeys(RUNGS, 1)  # once per rung, not once per worker

    status, _process, metrics = site.call("GET", "/metrics")  # from 127.0.0.1: allowed by default
    assert status == 200 and "propdesk_workers_alive 2.0" in metrics
    assert WorkerHeartbeat.objects.count() == 2
    assert stop() == (0, True)  # the command stops every process it started, and exits cleanly
    assert WorkerHeartbeat.objects.count() == 0  # workers that stop cleanly take their heartbeat with them
    elapsed = time.monotonic() - began

    # Stopped, the database shows the same: one event and one notice per rung, from one of the two workers.
    work_order = WorkOrder.objects.get(pk=order["id"])
    assert sorted(work_order.escalations_sent) == sorted(RUNGS)
    events = TimelineEvent.objects.filter(work_order=work_order, kind="escalation")
    assert Counter(events.values_list("action", flat=True)) == dict.fromkeys(RUNGS, 1)
    notices = Notification.objects.filter(kind="escalation", url__endswith=f"/orders/{work_order.pk}/")
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted([technician.pk, head.pk])
    sweeps = DBTaskResult.objects.filter(task_path__endswith="sweep_deadlines").values_list("return_value",
                                                                                           "worker_ids")
    winners = {worker for fired, workers in sweeps if fired for worker in workers}
    assert 1 <= len(winners) <= 2, winners
    assert elapsed < 150, f"the smoke test took {elapsed:.0f} s"
