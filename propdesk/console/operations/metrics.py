"""Prometheus metrics, read from the database at scrape time (one operations snapshot per scrape). Every web process
answers the same figures, so a scraper may go through the load balancer; process-level metrics (memory, CPU) are
left to the machine's own exporter and are deliberately not mixed in."""

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from .selectors import operations_snapshot


def _seconds(delta) -> float:
    return delta.total_seconds() if delta is not None else 0.0


class OperationsCollector:
    """Gauges from the database: the outbox and the task queue by status and their oldest waiting item, each
    worker's silence, the overdue work orders."""

    def collect(self):
        snap = operations_snapshot()

        outbox = GaugeMetricFamily("propdesk_outbox_messages", "Outbox messages by status (failed: gave up after "
                                   "every retry).", labels=["status"])
        for status, count in sorted(snap.outbox_by_status.items()):
            outbox.add_metric([status], count)
        yield outbox
        yield GaugeMetricFamily("propdesk_outbox_due_messages", "Pending outbox messages that are due to be sent now.",
                                value=snap.outbox_due.count)
        yield GaugeMetricFamily("propdesk_outbox_oldest_due_seconds", "How long the oldest due outbox message has "
                                "waited (0 when none).", value=_seconds(snap.outbox_due.age))

        tasks = GaugeMetricFamily("propdesk_tasks", "Background task results by status.", labels=["status"])
        for status, count in sorted(snap.tasks_by_status.items()):
            tasks.add_metric([status.lower()], count)
        yield tasks
        yield GaugeMetricFamily("propdesk_tasks_oldest_ready_seconds", "How long the oldest runnable task has waited "
                                "for a worker (0 when none).", value=_seconds(snap.tasks_ready.age))
        yield GaugeMetricFamily("propdesk_tasks_oldest_running_seconds", "How long the oldest running task has run "
                                "(0 when none).", value=_seconds(snap.tasks_running.age))

        seen = GaugeMetricFamily("propdesk_worker_last_seen_seconds", "Seconds since each worker's last heartbeat.",
                                 labels=["worker"])
        for worker in snap.workers:
            seen.add_metric([worker.name], _seconds(worker.silent_for))
        yield seen
        yield GaugeMetricFamily("propdesk_workers_alive", "Workers whose heartbeat is recent (within three ticks).",
                                value=snap.workers_alive)

        yield GaugeMetricFamily("propdesk_workorders_overdue", "Live work orders past their completion deadline.",
                                value=snap.workorders_overdue)


registry = CollectorRegistry(auto_describe=False)  # no describe(): registering queries nothing
registry.register(OperationsCollector())


def metrics_text() -> bytes:
    return generate_latest(registry)
