"""``propdesk worker``: the background worker. Runs the database task worker (django-tasks-db: SKIP LOCKED on
PostgreSQL, one writer at a time on SQLite) and, beside it, a clock that ticks every PROPDESK_SWEEP_SECONDS
(console/clock.py): it enqueues the deadline sweep, the outbox delivery and the monthly summary (sent once, from the
first of each month), and puts task rows abandoned by a killed worker back in the queue. Several workers may run at
once: each period's jobs are claimed in the database by one of them, so N workers enqueue each sweep once, and the
sweep and the outbox take their rows with SKIP LOCKED / leases, so work is never done twice."""

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
        from propdesk.notify.services import outbox_deliver, worker_id
        from propdesk.reports.delivery import monthly_summary_delivery
        from propdesk.servicedesk.services.escalations import escalation_sweep

        if options["once"]:
            fired, handed, summaries = escalation_sweep(), visit_handover_sweep(), monthly_summary_delivery()
            sent = outbox_deliver()
            self.stdout.write(f"escalations sent: {fired}, visits handed over: {handed}, "
                              f"monthly summaries: {summaries}, messages delivered: {sent}")
            return
        # One name for this process in the task rows it runs and the outbox messages it takes.
        self.worker_id = worker_id()
        stop = threading.Event()
        beat_worker()
        if not options["no_clock"]:
            threading.Thread(target=self._clock, args=(stop,), name="propdesk-clock", daemon=True).start()
        try:
            call_command("db_worker", queue_name="*", interval=1, reload=False, worker_id=self.worker_id)
        finally:
            stop.set()
            beat_worker(stopping=True)

    def _clock(self, stop: threading.Event):
        period = settings.PROPDESK_SWEEP_SECONDS
        self.tick()  # at start too: a restarted worker recovers what the killed one left
        while not stop.wait(period):
            self.tick()

    def tick(self):
        """One tick of this worker's clock: the periodic jobs whose period this worker wins."""
        from propdesk.console.clock import clock_tick

        beat_worker()
        try:
            clock_tick(worker=self.worker_id)
        except Exception:  # the next tick tries again
            log.exception("clock tick failed")
        finally:
            close_old_connections()
