"""The worker clock: however many workers tick, each periodic job is enqueued once per period; task rows that a
killed worker left RUNNING are queued again (and given up after too many starts)."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from propdesk.console.clock import clock_tick
from propdesk.core.testing import TEST_NOW
from propdesk.notify.clock import tasks_recover_abandoned
from propdesk.servicedesk.tasks import sweep_deadlines

SWEEPS = ["propdesk.servicedesk.tasks.sweep_deadlines", "propdesk.followups.tasks.sweep_visits",
          "propdesk.stewardship.tasks.sweep_patrols", "propdesk.reports.tasks.deliver_monthly_summary",
          "propdesk.reports.tasks.refresh_rollups"]
ALL_JOBS = ["recover_tasks", "sweep_deadlines", "sweep_visits", "sweep_patrols", "deliver_monthly_summary",
            "refresh_rollups", "deliver_outbox", "sweep_dunning", "sweep_roster_coverage", "sweep_contacts_late",
            "sweep_vacant_overdue",
            "sweep_renovation_inspections", "sweep_violations_overdue", "prune_task_results"]
# hourly, daily or weekly: not the next minute
HOURLY = {"sweep_dunning", "sweep_roster_coverage", "sweep_contacts_late", "sweep_vacant_overdue",
          "sweep_renovation_inspections", "sweep_violations_overdue", "prune_task_results"}


def enqueued() -> Counter:
    return Counter(DBTaskResult.objects.values_list("task_path", flat=True))


@pytest.mark.django_db
def test_a_second_worker_ticking_in_the_same_minute_enqueues_nothing(settings):
    settings.PROPDESK_SWEEP_SECONDS = 60
    start = TEST_NOW.replace(second=5)  # early in an hour: the next minute does not reach the next hourly prune
    assert clock_tick(worker="host-a:101", now=start) == ALL_JOBS
    assert clock_tick(worker="host-b:202", now=start + timedelta(seconds=20)) == []  # same minute: already done
    assert enqueued() == Counter({**dict.fromkeys(SWEEPS, 1), "propdesk.notify.tasks.deliver_outbox": 1,
                                  "propdesk.fees.tasks.sweep_dunning": 1,
                                  "propdesk.duty.tasks.sweep_roster_coverage": 1,
                                  "propdesk.stewardship.tasks.sweep_contacts_late": 1,
                                  "propdesk.stewardship.tasks.sweep_vacant_overdue": 1,
                                  "propdesk.renovation.tasks.sweep_renovation_inspections": 1,
                                  "propdesk.violations.tasks.sweep_violations_overdue": 1})

    # The next minute, whichever worker ticks first runs the jobs; the hourly ones (dunning, prune) wait for the
    # next hour.
    assert clock_tick(worker="host-b:202", now=start + timedelta(seconds=60)) == [
        job for job in ALL_JOBS if job not in HOURLY]
    assert clock_tick(worker="host-a:101", now=start + timedelta(seconds=61)) == []
    counts = enqueued()
    assert all(counts[path] == 2 for path in SWEEPS)
    assert counts["propdesk.notify.tasks.deliver_outbox"] == 1  # the first delivery run has not started: no second


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_ticking_at_the_same_instant_enqueue_each_job_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race (CI runs this on PostgreSQL)")
    now = timezone.now()
    barrier, ran = threading.Barrier(4), {}

    def worker(name):
        try:
            barrier.wait()
            ran[name] = clock_tick(worker=name, now=now)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"host-{n}:{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(job for jobs in ran.values() for job in jobs) == sorted(ALL_JOBS)  # each job ran once, in all
    assert len(ran) == 4
    counts = enqueued()
    assert [counts[path] for path in SWEEPS] == [1] * len(SWEEPS)  # before: 4 of each (one per worker)


def abandoned(*, minutes_ago: int, starts: int = 1) -> DBTaskResult:
    """A sweep a killed worker had started ``minutes_ago``: django-tasks-db leaves it RUNNING for ever."""
    result = sweep_deadlines.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    row.status, row.started_at = "RUNNING", timezone.now() - timedelta(minutes=minutes_ago)
    row.worker_ids = [f"host-dead:{n}" for n in range(starts)]
    row.save()
    return row


@pytest.mark.django_db(transaction=True)  # the task worker commits as it goes, as in production
def test_an_abandoned_task_is_queued_again_and_run_by_the_next_worker(world, settings):
    settings.PROPDESK_TASK_TIMEOUT_SECONDS, settings.PROPDESK_TASK_ATTEMPTS = 600, 3
    killed = abandoned(minutes_ago=11)
    running = abandoned(minutes_ago=4)  # still within the timeout: perhaps just slow
    gone_often = abandoned(minutes_ago=30, starts=3)

    assert "recover_tasks" in clock_tick(worker="host-b:202")
    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert statuses[killed.pk] == "READY" and statuses[running.pk] == "RUNNING"
    failed = DBTaskResult.objects.get(pk=gone_often.pk)
    assert failed.status == "FAILED" and failed.exception_class_path == "propdesk.notify.clock.AbandonedTask"

    # The next worker runs it to the end.
    call_command("db_worker", queue_name="*", batch=True, reload=False, startup_delay=False, worker_id="host-b:202",
                 verbosity=0)
    killed.refresh_from_db()
    assert killed.status == "SUCCESSFUL" and killed.worker_ids == ["host-dead:0", "host-b:202"]


@pytest.mark.django_db
def test_a_task_whose_worker_still_beats_is_left_running():
    row = abandoned(minutes_ago=45)
    now = timezone.now()
    DBTaskResult.objects.filter(pk=row.pk).update(worker_ids=["host-7:4242:9f3a"])  # host, pid, tag
    assert tasks_recover_abandoned(now=now, timeout=timedelta(minutes=10), attempts=3,
                                   alive=frozenset({"host-7:4242"})) == (0, 0)  # its heartbeat is fresh
    assert tasks_recover_abandoned(now=now, timeout=timedelta(minutes=10), attempts=3) == (1, 0)
    row.refresh_from_db()
    assert row.status == "READY"
