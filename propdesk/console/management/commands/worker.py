"""``propdesk worker``: the background worker. Runs the database task worker (django-tasks-db: SKIP LOCKED on
PostgreSQL, one writer at a time on SQLite) and, beside it, a clock that enqueues the deadline sweep, the outbox
delivery and the monthly summary (sent once, from the first of each month) every PROPDESK_SWEEP_SECONDS. Several
workers may run at once: the sweep locks rows with SKIP LOCKED and sends each escalation once, so a sweep enqueued
twice does no harm."""

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from propdesk.core.heartbeat import beat_worker

log = logging.getLogger("propdesk.worker")


class Command(BaseCommand):
    help = "Run background work: tasks, the deadline sweep and outbox delivery."

    def add_arguments(self, parser):
        parser.add_argument("--no-clock", action="store_true", help="do not enqueue the periodic sweep")
        parser.add_argument("--once", action="store_true", help="sweep and deliver once, then exit")

    def handle(self, *args, **options):
        from propdesk.followups.services.sweep import visit_handover_sweep
        from propdesk.notify.services import outbox_deliver
        from propdesk.reports.delivery import monthly_summary_delivery
        from propdesk.servicedesk.services.escalations import escalation_sweep

        if options["once"]:
            fired, handed, summaries = escalation_sweep(), visit_handover_sweep(), monthly_summary_delivery()
            sent = outbox_deliver()
            self.stdout.write(f"escalations sent: {fired}, visits handed over: {handed}, "
                              f"monthly summaries: {summaries}, messages delivered: {sent}")
            return
        stop = threading.Event()
        beat_worker()
        if not options["no_clock"]:
            threading.Thread(target=self._clock, args=(stop,), name="propdesk-clock", daemon=True).start()
        try:
            call_command("db_worker", queue_name="*", interval=1, reload=False)
        finally:
            stop.set()
            beat_worker(stopping=True)

    def _clock(self, stop: threading.Event):
        from propdesk.followups.tasks import sweep_visits
        from propdesk.notify.tasks import deliver_outbox
        from propdesk.reports.tasks import deliver_monthly_summary
        from propdesk.servicedesk.tasks import sweep_deadlines

        period = settings.PROPDESK_SWEEP_SECONDS
        ticks = 0
        while not stop.wait(period):
            beat_worker()
            ticks += 1
            try:
                if ticks % max(1, 3600 // period) == 0:  # hourly: finished task results older than 2 days go
                    call_command("prune_db_task_results", queue_name="*", min_age_days=2, verbosity=0)
                sweep_deadlines.enqueue()
                sweep_visits.enqueue()
                deliver_monthly_summary.enqueue()
                deliver_outbox.enqueue()
            except Exception:  # the next tick tries again
                log.exception("could not enqueue the periodic sweep")
            finally:
                close_old_connections()
