"""The worker clock's bookkeeping, shared by every worker process through the database:

- ``schedule_claim``: a periodic job (the deadline sweep, outbox delivery …) runs once per period however many
  workers tick — each tries one conditional UPDATE on the job's row and only one of them changes it;
- ``tasks_recover_abandoned``: task rows a killed worker left RUNNING (django-tasks-db never finishes them) are put
  back to run again after a timeout, or marked failed once they have been started too often.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Schedule

log = logging.getLogger("propdesk.worker")


def schedule_claim(*, name: str, every: timedelta, now: datetime, worker: str = "") -> bool:
    """Take this period's run of job ``name`` for ``worker``: True for exactly one caller per period.

    Periods are aligned to the epoch (every minute on the minute, every hour on the hour), so workers whose clocks
    tick at different moments share the same periods. A new job is due at once. PostgreSQL: a second UPDATE waits
    for the first and then finds the row no longer due; SQLite: writers queue."""
    if not Schedule.objects.filter(name=name).exists():
        try:
            with transaction.atomic():
                Schedule.objects.create(name=name, next_run_at=now)
        except IntegrityError:  # another worker created it first
            pass
    step = int(every.total_seconds())
    next_run_at = datetime.fromtimestamp((int(now.timestamp()) // step + 1) * step, now.tzinfo)
    return bool(Schedule.objects.filter(name=name, next_run_at__lte=now)
                .update(next_run_at=next_run_at, last_run_at=now, last_run_by=worker[:100]))


class AbandonedTask(Exception):
    """Recorded on a task row given up after its workers were killed too often."""


def tasks_recover_abandoned(*, now: datetime, timeout: timedelta, attempts: int,
                            alive: frozenset[str] = frozenset()) -> tuple[int, int]:
    """Put task rows RUNNING for longer than ``timeout`` back to READY, to be run again by any worker; a row already
    started ``attempts`` times (one worker id per start) is marked FAILED instead, so a task that kills its worker
    does not loop. Rows whose last worker is in ``alive`` (its worker id, or its ``host:pid``, the name the worker
heartbeat uses) are left alone however long they run.
    Returns (requeued, failed).

    Every task PropDesk enqueues is safe to run twice: sweeps lock their rows and send each step once, the outbox
    leases each message. A row is changed only if it is still the run we looked at (same status and start)."""
    requeued = failed = 0
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - timeout)
    for row in stale.only("id", "started_at", "worker_ids", "task_path"):
        last_worker = row.worker_ids[-1] if row.worker_ids else ""
        if last_worker in alive or ":".join(last_worker.split(":")[:2]) in alive:  # by id, or by host:pid
            continue
        same_run = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
        if len(row.worker_ids) >= attempts:
            done = same_run.update(
                status=TaskResultStatus.FAILED, finished_at=now, return_value=None,
                exception_class_path=f"{AbandonedTask.__module__}.{AbandonedTask.__qualname__}",
                traceback=f"{AbandonedTask.__name__}: started {len(row.worker_ids)} times, each time the worker "
                          f"stopped without finishing it (last: {last_worker}); not run again.")
            failed += done
            if done:
                log.error("abandoned task given up", extra={"task_id": str(row.pk), "task": row.task_path})
        else:
            done = same_run.update(status=TaskResultStatus.READY)
            requeued += done
            if done:
                log.warning("abandoned task queued again", extra={"task_id": str(row.pk), "task": row.task_path,
                                                                  "worker": last_worker})
    return requeued, failed
