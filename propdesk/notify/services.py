"""Write notifications and outbox messages inside the caller's transaction; deliver the outbox in the worker."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .channels import get_channel
from .models import Notification, OutboxMessage, OutboxStatus
from .rules import quiet_hours

log = logging.getLogger("propdesk.notify")
MAX_ATTEMPTS = 8


def notify_user(*, user, kind: str, title: str, body: str = "", url: str = "", key: str,
                email: bool = True) -> bool:
    """Put a notification in the user's inbox (and queue an email when they have an address). Sent once per key:
    returns False when this key was already notified."""
    created = _create_once(Notification, dedupe_key=key,
                           defaults={"recipient": user, "kind": kind, "title": title, "body": body, "url": url})
    if created and email and user.email:
        outbox_add(channel="email", to=user.email, subject=title, body=f"{body}\n\n{url}".strip(), key=f"{key}:email")
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


def outbox_add(*, channel: str, to: str, subject: str = "", body: str, key: str, project=None, urgent: bool = False,
               now: datetime | None = None) -> bool:
    """Queue a message for delivery after commit; a second call with the same key adds nothing.

    A message to a resident (SMS, WeChat) that is not ``urgent`` keeps the company's quiet hours in the time zone of
    ``project`` (the one the message is about): written at 22:13 it goes at 08:00. Urgent ones — someone is on the
    way, a technician waits for the code — go at once. Without a project the defaults apply (21:00–08:00 in the
    site's zone)."""
    now = now or timezone.now()
    quiet = _quiet_hours(project) if channel in RESIDENT_CHANNELS and not urgent else None
    available_at = now
    if quiet is not None:
        available_at = quiet_hours.deliver_at(now=now, start=quiet["quiet_start"], end=quiet["quiet_end"],
                                              zone=ZoneInfo(quiet["time_zone"]))
    created = _create_once(OutboxMessage, dedupe_key=key, defaults={
        "channel": channel, "to": to, "subject": subject, "body": body, "available_at": available_at,
        **(quiet or {})})
    if created:
        transaction.on_commit(_kick_delivery)
    return created


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


def _create_once(model, *, dedupe_key: str, defaults: dict) -> bool:
    if model.objects.filter(dedupe_key=dedupe_key).exists():
        return False
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            model.objects.create(dedupe_key=dedupe_key, **defaults)
    except IntegrityError:  # a concurrent writer got there first: the key is sent once all the same
        return False
    return True


def _kick_delivery():
    from .tasks import deliver_outbox

    try:
        deliver_outbox.enqueue()
    except Exception:  # the periodic sweep delivers it anyway
        log.exception("could not enqueue outbox delivery")


def outbox_deliver(*, limit: int = 100, now=None) -> int:
    """Deliver due messages. Rows are claimed with SKIP LOCKED so several workers share the outbox; a row is marked
    sent in the same transaction that sent it, so a crash before commit leaves it pending to be retried (with the same
    idempotency key) and a retry after commit finds nothing to send."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        rows = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                    .filter(status=OutboxStatus.PENDING, available_at__lte=now).order_by("id")[:limit])
        for row in rows:
            not_before = _not_before(row, now)
            if not_before > now:  # written before the quiet hours, reached after they began: wait for the morning
                row.available_at = not_before
                row.save(update_fields=["available_at"])
                continue
            row.attempts += 1
            try:
                get_channel(row.channel).send(to=row.to, subject=row.subject, body=row.body, key=row.dedupe_key)
            except Exception as exc:  # a channel failure is retried later with back-off
                row.last_error = str(exc)[:2000]
                if row.attempts >= MAX_ATTEMPTS:
                    row.status = OutboxStatus.FAILED
                row.available_at = _not_before(row, now + timedelta(minutes=2 ** row.attempts))
                log.warning("outbox delivery failed", extra={"outbox_id": row.pk, "error": row.last_error})
            else:
                row.status = OutboxStatus.SENT
                row.sent_at = now
                sent += 1
            row.save(update_fields=["attempts", "last_error", "status", "available_at", "sent_at"])
    return sent


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
