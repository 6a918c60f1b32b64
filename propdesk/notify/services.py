"""Write notifications and outbox messages inside the caller's transaction; deliver the outbox in the worker."""

import logging
import os
import secrets
import socket
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .channels import get_channel
from .models import Notification, OutboxMessage, OutboxStatus
from .rules import quiet_hours
from .sms import sms_params, sms_render, sms_scrubbed

log = logging.getLogger("propdesk.notify")
MAX_ATTEMPTS = 8
# A lease outlives any single send (gateways time out after 10 s); a run stops taking messages after run_seconds.
OUTBOX_DEFAULTS = {"lease_seconds": 120, "run_seconds": 60}


def notify_user(*, user, kind: str, title: str, body: str = "", url: str = "", key: str,
                email: bool = True, new: bool = False) -> bool:
    """Put a notification in the user's inbox (and queue an email when they have an address). Sent once per key:
    returns False when this key was already notified. ``new``: the key names a row the caller's transaction has just
    inserted, so it cannot have been used: written without looking first."""
    created = _create_once(Notification, dedupe_key=key, new=new,
                           defaults={"recipient": user, "kind": kind, "title": title, "body": body, "url": url})
    if created and email and user.email:
        outbox_add(channel="email", to=user.email, subject=title, body=f"{body}\n\n{url}".strip(), key=f"{key}:email",
                   new=new)
    return created


def notify_users(*, users, event: str, kind: str, title: str, body: str = "", url: str = "",
                 email: bool = True) -> list:
    """Tell each person once about one event, however many roles put them on the list (a project manager who also
    heads the department is one person). ``event`` names the event, not the reason a person is told: the inbox key is
    ``{event}:{user id}``, unique in the table, so a retried or repeated call adds nothing. Returns the people told
    now."""
    told, seen = [], set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        if notify_user(user=user, kind=kind, title=title, body=body, url=url, key=f"{event}:{user.pk}", email=email):
            told.append(user)
    return told


# Channels that reach residents (staff are told in their inbox and by email). Messages on them keep quiet hours.
RESIDENT_CHANNELS = frozenset({"sms", "wechat"})


def outbox_add(*, channel: str, to: str, subject: str = "", body: str = "", key: str, template: str = "",
               params: dict | None = None, project=None, urgent: bool = False, now: datetime | None = None,
               new: bool = False) -> bool:
    """Queue a message for delivery after commit; a second call with the same key adds nothing.

    An SMS names an approved ``template`` (notify/sms.py) and its ``params``: providers in China send nothing else.
    Its ``body`` is rendered from them (for the log channel and whoever reads the outbox).

    A message to a resident (SMS, WeChat) that is not ``urgent`` keeps the company's quiet hours in the time zone of
    ``project`` (the one the message is about): written at 22:13 it goes at 08:00. Urgent ones — someone is on the
    way, a technician waits for the code — go at once. Without a project the defaults apply (21:00–08:00 in the
    site's zone). ``new``: as for :func:`notify_user`."""
    if template:
        params = sms_params(template, params or {})
        body = body or sms_render(template, params)
    elif channel == "sms":
        raise ValueError("an SMS needs an approved template (notify/sms.py), not free text")
    now = now or timezone.now()
    quiet = _quiet_hours(project) if channel in RESIDENT_CHANNELS and not urgent else None
    available_at = now
    if quiet is not None:
        available_at = quiet_hours.deliver_at(now=now, start=quiet["quiet_start"], end=quiet["quiet_end"],
                                              zone=ZoneInfo(quiet["time_zone"]))
    created = _create_once(OutboxMessage, dedupe_key=key, new=new, defaults={
        "channel": channel, "to": to, "subject": subject, "body": body, "template": template,
        "params": params or {}, "available_at": available_at, **(quiet or {})})
    if created and available_at <= now:  # one held for the morning is picked up by the worker's periodic run
        transaction.on_commit(outbox_kick)
    return created


BULK_CHUNK = 500


def _new_keys(model, keys: list[str]) -> set[str]:
    """The keys of ``keys`` not written yet (chunked: a notice to a whole project names thousands)."""
    taken: set[str] = set()
    for start in range(0, len(keys), BULK_CHUNK):
        chunk = keys[start:start + BULK_CHUNK]
        taken.update(model.objects.filter(dedupe_key__in=chunk).values_list("dedupe_key", flat=True))
    return set(keys) - taken


def notify_many(*, recipients: list[tuple[int, str]], kind: str, title: str, body: str = "", url: str = "") -> int:
    """Inbox notifications for many users at once (a notice to a building): ``recipients`` are (user id, dedupe key)
    pairs; a key already written is skipped, so a retried call adds nothing. No email. Returns how many were added."""
    fresh = _new_keys(Notification, [key for _user, key in recipients])
    rows = [Notification(recipient_id=user_id, kind=kind, title=title[:200], body=body, url=url, dedupe_key=key)
            for user_id, key in recipients if key in fresh]
    Notification.objects.bulk_create(rows, batch_size=BULK_CHUNK, ignore_conflicts=True)
    return len(rows)


def outbox_add_many(*, channel: str, messages: list[tuple[str, str, dict]], template: str, project=None,
                    urgent: bool = False, now: datetime | None = None) -> int:
    """Queue one templated message to each of many recipients (an urgent notice to every resident of a building):
    ``messages`` are (to, dedupe key, params) triples. As :func:`outbox_add`, in bulk: each key is written once (a
    retry adds nothing), a message to a resident keeps the quiet hours of ``project`` unless ``urgent``. Returns how
    many were queued."""
    if not template:
        raise ValueError("a bulk message needs an approved template (notify/sms.py)")
    now = now or timezone.now()
    quiet = _quiet_hours(project) if channel in RESIDENT_CHANNELS and not urgent else None
    available_at = now
    if quiet is not None:
        available_at = quiet_hours.deliver_at(now=now, start=quiet["quiet_start"], end=quiet["quiet_end"],
                                              zone=ZoneInfo(quiet["time_zone"]))
    fresh = _new_keys(OutboxMessage, [key for _to, key, _params in messages])
    rows = []
    for to, key, params in messages:
        if key not in fresh:
            continue
        params = sms_params(template, params)
        rows.append(OutboxMessage(channel=channel, to=to, body=sms_render(template, params), template=template,
                                  params=params, dedupe_key=key, available_at=available_at, **(quiet or {})))
    OutboxMessage.objects.bulk_create(rows, batch_size=BULK_CHUNK, ignore_conflicts=True)
    if rows and available_at <= now:
        transaction.on_commit(outbox_kick)
    return len(rows)


def outbox_cancel(*, key_prefix: str, reason: str) -> int:
    """Give up the messages still waiting whose key starts with ``key_prefix`` (a withdrawn notice's SMS held for
    the morning): they are marked failed with ``reason`` and never sent. Returns how many."""
    return OutboxMessage.objects.filter(dedupe_key__startswith=key_prefix, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.FAILED, last_error=reason[:2000])


def _quiet_hours(project) -> dict:
    if project is None:
        return {"quiet_start": quiet_hours.DEFAULT_START, "quiet_end": quiet_hours.DEFAULT_END,
                "time_zone": settings.TIME_ZONE}
    company = project.company
    return {"quiet_start": company.quiet_hours_start, "quiet_end": company.quiet_hours_end,
            "time_zone": project.timezone or settings.TIME_ZONE}


def _not_before(row: OutboxMessage, now: datetime) -> datetime:
    """When the row may go: now, or the end of the quiet hours it keeps."""
    if row.quiet_start is None or row.quiet_end is None:
        return now
    return quiet_hours.deliver_at(now=now, start=row.quiet_start, end=row.quiet_end,
                                  zone=ZoneInfo(row.time_zone or settings.TIME_ZONE))


def _create_once(model, *, dedupe_key: str, defaults: dict, new: bool = False) -> bool:
    if new:  # a key of a row inserted by this very transaction: nobody else can have written it
        model.objects.create(dedupe_key=dedupe_key, **defaults)
        return True
    if model.objects.filter(dedupe_key=dedupe_key).exists():
        return False
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            model.objects.create(dedupe_key=dedupe_key, **defaults)
    except IntegrityError:  # a concurrent writer got there first: the key is sent once all the same
        return False
    return True


def outbox_kick():
    """Wake a worker for the messages just committed: enqueue one delivery run unless one is already waiting to
    start (a run that has not started yet will see these rows too). Fifty messages written together make one task,
    not fifty."""
    from .tasks import deliver_outbox

    try:
        if not _delivery_waiting(deliver_outbox):
            deliver_outbox.enqueue()
    except Exception:  # the worker's periodic run delivers it anyway
        log.exception("could not enqueue outbox delivery")


def _delivery_waiting(task) -> bool:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.ready().filter(task_path=task.module_path).exists()


def outbox_deliver(*, limit: int = 100, now: datetime | None = None, worker: str = "",
                   budget: float | None = None) -> int:
    """Deliver due messages, one at a time: take the message with a lease in a short transaction of its own, send
    it outside any transaction, then mark it sent — only if the lease is still ours. Returns how many were sent.

    Several workers share the outbox: a message taken by one (PostgreSQL: SKIP LOCKED; SQLite: one writer and a
    conditional UPDATE) is not taken by another while its lease runs. A worker killed mid-run leaves at most the
    one message it was sending in ``sending``; when its lease runs out another worker sends it again with the same
    idempotency key. So delivery is at least once per message, each time with its key: a gateway that honours the
    key delivers it once; one that does not (or the log channel) may repeat that single message — at most one
    duplicate per crash, never the batch. The rest go exactly once.

    ``now`` pins the clock (tests); ``budget`` (seconds, default PROPDESK_OUTBOX["run_seconds"]) bounds a run so a
    slow gateway cannot keep one task busy past the abandoned-task timeout: the next run carries on."""
    worker = worker or worker_id()
    budget = _setting("run_seconds") if budget is None else budget
    started, sent = time.monotonic(), 0
    for _ in range(limit):
        if time.monotonic() - started > budget:
            break
        lease = _claim_next(worker=worker, now=now or timezone.now())
        if lease is None:
            break
        sent += _send(lease, worker=worker, now=now)
    else:  # the limit was reached with messages still due: wake a worker for the rest
        outbox_kick()
    return sent


def _claim_next(*, worker: str, now: datetime) -> OutboxMessage | None:
    """Take the next due message (waiting and due, or sending with a lease that ran out) for ``worker``; commit.
    A message reached inside its quiet hours is put off to their end on the way."""
    due = (Q(status=OutboxStatus.PENDING, available_at__lte=now)
           | Q(status=OutboxStatus.SENDING, lease_until__lte=now))
    while True:
        with transaction.atomic():
            row = OutboxMessage.objects.select_for_update(skip_locked=True).filter(due).order_by("id").first()
            if row is None:
                return None
            mine = OutboxMessage.objects.filter(pk=row.pk, status=row.status, lease_until=row.lease_until,
                                                attempts=row.attempts)  # unchanged since we read it (SQLite)
            not_before = _not_before(row, now)
            if not_before > now:  # written before the quiet hours, reached after they began: wait for the morning
                mine.update(status=OutboxStatus.PENDING, available_at=not_before, claimed_by="", lease_until=None)
                continue
            if row.status == OutboxStatus.SENDING and row.attempts >= MAX_ATTEMPTS:
                # its worker died on the last attempt: give up rather than crash-loop on it
                mine.update(status=OutboxStatus.FAILED, claimed_by="", lease_until=None,
                            last_error=f"worker {row.claimed_by} stopped while sending")
                log.warning("outbox message given up", extra={"outbox_id": row.pk})
                continue
            if row.status == OutboxStatus.SENDING:
                log.warning("outbox lease ran out; sending again with the same key",
                            extra={"outbox_id": row.pk, "worker": row.claimed_by})
            lease_until = now + timedelta(seconds=_setting("lease_seconds"))
            if not mine.update(status=OutboxStatus.SENDING, claimed_by=worker, lease_until=lease_until,
                               attempts=F("attempts") + 1):
                continue  # another worker took it between our read and our write
        row.refresh_from_db()
        return row


def _send(row: OutboxMessage, *, worker: str, now: datetime | None) -> int:
    ours = OutboxMessage.objects.filter(pk=row.pk, status=OutboxStatus.SENDING, claimed_by=worker,
                                        lease_until=row.lease_until)
    try:
        channel = get_channel(row.channel)
        templated = {"template": row.template, "params": row.params} if getattr(channel, "takes_templates", False) \
            else {}
        channel.send(to=row.to, subject=row.subject, body=row.body, key=row.dedupe_key, **templated)
    except Exception as exc:  # a channel failure is retried later with back-off
        when = now or timezone.now()
        error = str(exc)[:2000]
        given_up = row.attempts >= MAX_ATTEMPTS
        ours.update(status=OutboxStatus.FAILED if given_up else OutboxStatus.PENDING,
                    **(_scrubbed(row) if given_up else {}), last_error=error, claimed_by="", lease_until=None,
                    available_at=_not_before(row, when + timedelta(minutes=2 ** row.attempts)))
        log.warning("outbox delivery failed", extra={"outbox_id": row.pk, "error": error})
        return 0
    if not ours.update(status=OutboxStatus.SENT, sent_at=now or timezone.now(), claimed_by="", lease_until=None,
                       **_scrubbed(row)):
        # our lease ran out and another worker took the message: it sends it (again, with the same key)
        log.warning("outbox lease lost while sending", extra={"outbox_id": row.pk, "worker": worker})
        return 0
    return 1


def _scrubbed(row: OutboxMessage) -> dict:
    """Once a message is sent or given up, its one-time code or token is no use to anyone: the row keeps it masked."""
    return sms_scrubbed(row.template, row.params or {}) if row.template else {}


def worker_id() -> str:
    """This process, as it appears in ``claimed_by`` and in the task rows: host, process id and a random tag (a
    restarted container may reuse the process id)."""
    global _WORKER_ID
    if _WORKER_ID is None or not _WORKER_ID.startswith(f"{socket.gethostname()[:40]}:{os.getpid()}:"):
        _WORKER_ID = f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
    return _WORKER_ID


_WORKER_ID: str | None = None


def _setting(name: str):
    return {**OUTBOX_DEFAULTS, **getattr(settings, "PROPDESK_OUTBOX", {})}[name]


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
