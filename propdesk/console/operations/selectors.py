"""The operations snapshot: a handful of aggregate queries, whatever the size of the tables (counts and minimums in
SQL, never rows in Python). Statuses are counted as the tables hold them, so a status added later shows up without a
change here."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from propdesk.core.heartbeat import heartbeat_stale_after
from propdesk.core.models import WorkerHeartbeat
from propdesk.notify.models import OutboxMessage, OutboxStatus
from propdesk.servicedesk.models import WorkOrder
from propdesk.servicedesk.selectors import LIVE_WO


@dataclass(frozen=True)
class WorkerState:
    name: str
    host: str
    pid: int
    started_at: datetime
    seen_at: datetime
    silent_for: timedelta  # since the last heartbeat
    late: bool  # silent for longer than three ticks: stopped, killed or stuck


@dataclass(frozen=True)
class Backlog:
    count: int = 0
    oldest: datetime | None = None
    age: timedelta | None = None  # of the oldest, at the snapshot's time


@dataclass
class OperationsSnapshot:
    now: datetime
    workers: list[WorkerState] = field(default_factory=list)
    outbox_by_status: dict[str, int] = field(default_factory=dict)
    outbox_due: Backlog = field(default_factory=Backlog)  # pending and due: should be going out now
    outbox_waiting: int = 0  # pending, not due yet: quiet hours, a retry's back-off
    tasks_by_status: dict[str, int] = field(default_factory=dict)
    tasks_ready: Backlog = field(default_factory=Backlog)  # may run now, nobody has taken them
    tasks_running: Backlog = field(default_factory=Backlog)  # oldest by start: a long one may be abandoned
    workorders_overdue: int = 0

    @property
    def workers_alive(self) -> int:
        return sum(1 for worker in self.workers if not worker.late)

    @property
    def outbox_failed(self) -> int:
        return self.outbox_by_status.get(OutboxStatus.FAILED, 0)

    @property
    def outbox_rows(self) -> list[tuple[str, int]]:
        """(label, count) for the page: a status the code does not know yet shows as stored."""
        return [(_label(OutboxStatus, status), n) for status, n in sorted(self.outbox_by_status.items())]

    @property
    def task_rows(self) -> list[tuple[str, int]]:
        return [(_label(TaskResultStatus, status), n) for status, n in sorted(self.tasks_by_status.items())]


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _backlog(count: int, oldest: datetime | None, now: datetime) -> Backlog:
    return Backlog(count=count, oldest=oldest, age=max(now - oldest, timedelta(0)) if oldest else None)


def operations_snapshot(*, now: datetime | None = None) -> OperationsSnapshot:
    """Six queries: heartbeats, outbox by status, outbox due, tasks by status, tasks ready and running, overdue."""
    now = now or timezone.now()
    snap = OperationsSnapshot(now=now)
    stale = heartbeat_stale_after()
    snap.workers = [WorkerState(name=b.name, host=b.host, pid=b.pid, started_at=b.started_at, seen_at=b.seen_at,
                                silent_for=max(now - b.seen_at, timedelta(0)), late=now - b.seen_at > stale)
                    for b in WorkerHeartbeat.objects.order_by("name")]

    snap.outbox_by_status = _count_by_status(OutboxMessage.objects.all())
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING).aggregate(
        due=Count("id", filter=Q(available_at__lte=now)),
        oldest_due=Min("available_at", filter=Q(available_at__lte=now)),
        waiting=Count("id", filter=Q(available_at__gt=now)))
    snap.outbox_due = _backlog(pending["due"], pending["oldest_due"], now)
    snap.outbox_waiting = pending["waiting"]

    snap.tasks_by_status = _count_by_status(DBTaskResult.objects.all())
    ready = Q(status=TaskResultStatus.READY) & (Q(run_after__lte=now) | Q(run_after=get_date_max()))
    tasks = DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).aggregate(
        ready=Count("id", filter=ready), oldest_ready=Min("enqueued_at", filter=ready),
        running=Count("id", filter=Q(status=TaskResultStatus.RUNNING)),
        oldest_running=Min("started_at", filter=Q(status=TaskResultStatus.RUNNING)))
    snap.tasks_ready = _backlog(tasks["ready"], tasks["oldest_ready"], now)
    snap.tasks_running = _backlog(tasks["running"], tasks["oldest_running"], now)

    snap.workorders_overdue = WorkOrder.objects.filter(status__in=LIVE_WO, resolve_by__lt=now).count()
    return snap


def _count_by_status(queryset) -> dict[str, int]:
    return {row["status"]: row["n"] for row in queryset.order_by().values("status").annotate(n=Count("id"))}
