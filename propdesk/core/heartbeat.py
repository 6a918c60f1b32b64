"""The worker's heartbeat: each ``propdesk worker`` process writes its row (core.WorkerHeartbeat) when it starts and
at every tick of its clock, and removes it when it stops cleanly. Rows of workers not seen for HEARTBEAT_FORGET age
out: a killed worker shows as late on the operations page for a day, then goes."""

import logging
import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import WorkerHeartbeat

HEARTBEAT_FORGET = timedelta(days=1)
log = logging.getLogger("propdesk.worker")


def worker_name() -> str:
    """This process's name among the workers: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def heartbeat_stale_after() -> timedelta:
    """A worker that has not written for this long is late: three ticks of its clock, and never under a minute."""
    return timedelta(seconds=max(60, 3 * settings.PROPDESK_SWEEP_SECONDS))


def heartbeat_beat(*, name: str | None = None, started_at: datetime | None = None,
                   now: datetime | None = None) -> WorkerHeartbeat:
    """Say "alive" for this worker (one upsert), and forget workers gone for a day."""
    now = now or timezone.now()
    name = name or worker_name()
    host, _, pid = name.rpartition(":")
    beat, _created = WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"seen_at": now},
        create_defaults={"host": host, "pid": int(pid) if pid.isdigit() else 0, "started_at": started_at or now,
                         "seen_at": now})
    WorkerHeartbeat.objects.filter(seen_at__lt=now - HEARTBEAT_FORGET).delete()  # indexed; usually nothing
    return beat


def workers_alive(*, now: datetime | None = None) -> frozenset[str]:
    """The names (host:pid) of the workers seen within ``heartbeat_stale_after``."""
    now = now or timezone.now()
    return frozenset(WorkerHeartbeat.objects.filter(seen_at__gte=now - heartbeat_stale_after())
                     .values_list("name", flat=True))


def heartbeat_stop(*, name: str | None = None) -> None:
    """This worker stops: its row goes (a worker that is killed cannot say so; its row ages out)."""
    WorkerHeartbeat.objects.filter(name=name or worker_name()).delete()


def beat_worker(*, stopping: bool = False) -> None:
    """What ``propdesk worker`` calls when it starts, at every tick of its clock and when it stops cleanly. A
    database hiccup here must not stop the worker: the next tick writes again."""
    try:
        heartbeat_stop() if stopping else heartbeat_beat()
    except Exception:
        log.exception("could not write the worker's heartbeat")
