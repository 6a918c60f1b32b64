"""A real worker process is killed with SIGKILL in the middle of delivering 50 text messages (PostgreSQL). Nothing is
lost and no message is sent twice, except at most the one that was in flight: the outbox takes each message with a
lease and marks it sent on its own. The delivery task the killed worker was running stays RUNNING in the task table
until the next worker's clock puts it back in the queue and runs it to the end.

The stand-in gateway (file_channel.py) writes one line per message it delivers, with the message's key, and does
not deduplicate: every line is a message a resident would have received."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F
from django_tasks_db.models import DBTaskResult

from propdesk.core.models import WorkerHeartbeat
from propdesk.notify.models import OutboxMessage, OutboxStatus
from propdesk.notify.services import outbox_add

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
MESSAGES = 50
DELIVER = "propdesk.notify.tasks.deliver_outbox"


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a second process writing beside the test's (CI runs this on PostgreSQL)")


def database_url() -> str:
    """The test database (settings.DATABASES at test time), for the worker processes."""
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """``propdesk worker`` in its own process, delivering through the stand-in gateway."""

    def __init__(self, sent_file: Path, *args: str):
        env = {**os.environ, "DATABASE_URL": database_url(), "LOG_LEVEL": "WARNING",
               "PROPDESK_CHANNELS": json.dumps({"sms": "propdesk.notify.tests.file_channel.FileChannel"}),
               "PROPDESK_TEST_SENT_FILE": str(sent_file),
               # the gateway takes each message at once and answers 30 ms later: the kill most likely lands in the
               # worst place, after the gateway took a message and before the worker could mark it sent
               "PROPDESK_TEST_SEND_DELAY": "0", "PROPDESK_TEST_ANSWER_DELAY": "0.03"}
        self.process = subprocess.Popen([sys.executable, "manage.py", "worker", *args], cwd=settings.BASE_DIR,
                                        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_for(condition, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {seconds} s waiting for {what}")
        time.sleep(0.02)


def delivered(sent_file: Path) -> list[str]:
    return sent_file.read_text().split() if sent_file.exists() else []


def test_a_worker_killed_mid_delivery_sends_no_message_twice_and_loses_none(tmp_path):
    sent_file = tmp_path / "delivered.txt"
    for n in range(MESSAGES):  # fifty changes, each committed on its own
        outbox_add(channel="sms", to=f"138{n:08d}", template="request_recorded", params={"number": f"BX{n:04d}"},
                   key=f"resident:{n}:accepted", urgent=True)
    assert DBTaskResult.objects.filter(task_path=DELIVER).count() == 1  # one wake-up, not fifty

    first = Worker(sent_file, "--no-clock")
    try:
        wait_for(lambda: len(delivered(sent_file)) >= 20, seconds=60, what="the first worker to deliver 20")
        first.stop(signal.SIGKILL)  # kill -9: no clean-up of any kind
    finally:
        first.stop(signal.SIGKILL)
    before_restart = delivered(sent_file)
    assert 20 <= len(before_restart) < MESSAGES and len(set(before_restart)) == len(before_restart)
    statuses = Counter(OutboxMessage.objects.values_list("status", flat=True))
    assert statuses[OutboxStatus.SENDING] <= 1  # only the message in flight is held
    in_flight = set(OutboxMessage.objects.filter(status=OutboxStatus.SENDING).values_list("dedupe_key", flat=True))
    assert statuses[OutboxStatus.SENT] >= len(before_restart) - 1  # everything delivered but that one is marked
    abandoned = DBTaskResult.objects.get(task_path=DELIVER)
    assert abandoned.status == "RUNNING"  # the killed worker's task: nothing will ever finish it by itself

    # Time passes for what the dead worker left: its task started 11 minutes ago, its lease ran out 3 minutes ago,
    # its heartbeat stopped 11 minutes ago (a task on a worker still beating is slow, not abandoned).
    DBTaskResult.objects.filter(pk=abandoned.pk).update(started_at=F("started_at") - timedelta(minutes=11))
    WorkerHeartbeat.objects.update(seen_at=F("seen_at") - timedelta(minutes=11))
    OutboxMessage.objects.filter(dedupe_key__in=in_flight).update(lease_until=F("lease_until") - timedelta(minutes=3))

    second = Worker(sent_file)  # with its clock: it recovers the abandoned task at its first tick
    try:
        wait_for(lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()
                 and DBTaskResult.objects.get(pk=abandoned.pk).status == "SUCCESSFUL",
                 seconds=90, what="the second worker to deliver the rest")
    finally:
        second.stop()

    keys = Counter(delivered(sent_file))
    assert set(keys) == {f"resident:{n}:accepted" for n in range(MESSAGES)}  # none lost
    repeated = {key for key, count in keys.items() if count > 1}
    assert repeated <= in_flight and all(keys[key] == 2 for key in repeated)  # at most the one in flight, once
    assert sum(keys.values()) <= MESSAGES + 1  # before: 20 of 20 delivered before the kill were delivered again
    abandoned.refresh_from_db()
    assert abandoned.status == "SUCCESSFUL" and len(abandoned.worker_ids) == 2  # run again, by the second worker
