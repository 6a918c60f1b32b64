"""The worker clock: what runs periodically, once per period across all workers. Every ``propdesk worker`` calls
``clock_tick`` every PROPDESK_SWEEP_SECONDS; for each job, the first worker to claim the period (notify/clock.py)
runs it — for most jobs, enqueues its task for whichever worker is free. Two workers ticking at the same moment
enqueue each sweep once, not twice."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from propdesk.core.heartbeat import workers_alive
from propdesk.duty.tasks import sweep_roster_coverage
from propdesk.fees.tasks import sweep_dunning
from propdesk.followups.tasks import sweep_visits
from propdesk.notify.clock import schedule_claim, tasks_recover_abandoned
from propdesk.notify.services import outbox_kick
from propdesk.renovation.tasks import sweep_renovation_inspections
from propdesk.reports.tasks import deliver_monthly_summary, refresh_rollups
from propdesk.servicedesk.tasks import sweep_deadlines
from propdesk.stewardship.tasks import sweep_contacts_late, sweep_patrols, sweep_vacant_overdue
from propdesk.violations.tasks import sweep_violations_overdue

log = logging.getLogger("propdesk.worker")


def recover_tasks(now: datetime) -> None:
    # A task still running on a worker whose heartbeat is fresh is slow, not abandoned: it is left alone.
    tasks_recover_abandoned(now=now, timeout=timedelta(seconds=settings.PROPDESK_TASK_TIMEOUT_SECONDS),
                            attempts=settings.PROPDESK_TASK_ATTEMPTS, alive=workers_alive(now=now))


def prune_task_results(now: datetime) -> None:
    call_command("prune_db_task_results", queue_name="*", min_age_days=2, verbosity=0)


def jobs() -> list[tuple[str, timedelta, Callable[[datetime], object]]]:
    """(name, period, what to do) for every periodic job."""
    period = timedelta(seconds=settings.PROPDESK_SWEEP_SECONDS)
    return [
        ("recover_tasks", period, recover_tasks),  # first: a recovered sweep runs before a new one is enqueued
        ("sweep_deadlines", period, lambda now: sweep_deadlines.enqueue()),
        ("sweep_visits", period, lambda now: sweep_visits.enqueue()),
        ("sweep_patrols", period, lambda now: sweep_patrols.enqueue()),  # today's patrol rounds; missed ones told
        ("deliver_monthly_summary", period, lambda now: deliver_monthly_summary.enqueue()),  # sends once a month
        ("refresh_rollups", period, lambda now: refresh_rollups.enqueue()),  # reports' rollups up to now
        ("deliver_outbox", period, lambda now: outbox_kick()),  # messages held for the morning, retries
        ("sweep_dunning", timedelta(hours=1), lambda now: sweep_dunning.enqueue()),  # fees: the dunning ladder
        ("sweep_roster_coverage", timedelta(days=1), lambda now: sweep_roster_coverage.enqueue()),  # 排班 gaps
        ("sweep_contacts_late", timedelta(hours=1), lambda now: sweep_contacts_late.enqueue()),  # late 首次联系
        ("sweep_vacant_overdue", timedelta(days=7), lambda now: sweep_vacant_overdue.enqueue()),  # 空置房 overdue
        ("sweep_renovation_inspections", timedelta(hours=1),  # 装修 inspections due, rectifications overdue
         lambda now: sweep_renovation_inspections.enqueue()),
        ("sweep_violations_overdue", timedelta(hours=1), lambda now: sweep_violations_overdue.enqueue()),  # 违章 late
        ("prune_task_results", timedelta(hours=1), prune_task_results),  # finished results older than 2 days
    ]


def clock_tick(*, worker: str, now: datetime | None = None) -> list[str]:
    """Run the jobs whose period this worker claims; return their names. A job that fails is logged and tried
    again next period; the others still run."""
    now = now or timezone.now()
    ran = []
    for name, every, run in jobs():
        try:
            if schedule_claim(name=name, every=every, now=now, worker=worker):
                run(now)
                ran.append(name)
        except Exception:
            log.exception("periodic job failed", extra={"job": name})
    return ran
