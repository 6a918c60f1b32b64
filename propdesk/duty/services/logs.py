"""Writes of work and duty logs: start (with the open items of the previous log carried over), edit a draft,
submit, acknowledge the previous shift's log (交接班), comment (批示) and sign (签阅). Status errors are 409s,
field errors 400s; each write is one transaction on the log's row, locked so two clicks do one thing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from ..models import Log, LogComment, LogItem, LogKind, LogStatus, RosterEntry, ShiftKind
from ..rules import logs as rules

MAX_ITEMS = 30
ITEM_TEXT_MAX = 300
BODY_MAX = 4000
COMMENT_MAX = 1000


def _zone(project) -> ZoneInfo:
    return ZoneInfo(getattr(project, "timezone", "") or settings.TIME_ZONE)


def _conflict(message) -> ApplicationError:
    return ApplicationError(message, status_code=409)


def _field(name: str, message) -> ApplicationError:
    return ApplicationError(message, {"fields": {name: [message]}})


def _profile(user):
    return getattr(user, "staff_profile", None)


def _day_bounds(project, day: date) -> tuple[datetime, datetime]:
    zone = _zone(project)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def _shift_bounds(project, shift: ShiftKind, day: date) -> tuple[datetime, datetime]:
    zone = _zone(project)
    start = datetime.combine(day, shift.starts, tzinfo=zone)
    end_day = day + timedelta(days=1) if shift.overnight else day
    return start, datetime.combine(end_day, shift.ends, tzinfo=zone)


def _carry_into(log: Log) -> None:
    if log.previous_id is None:
        return
    previous = [rules.OpenItem(id=i.pk, text=i.text, request_number=i.request_number, started_on=i.started_on,
                               done=i.done) for i in LogItem.objects.filter(log_id=log.previous_id)]
    LogItem.objects.bulk_create([
        LogItem(log=log, position=index, text=item.text, request_number=item.request_number,
                started_on=item.started_on, carried_from_id=item.id)
        for index, item in enumerate(rules.items_to_carry(previous))])


def _create(**fields) -> Log:
    log = Log(**fields)
    log.chain = rules.chain_key(kind=log.kind, project_id=log.project_id, author_id=log.author_id,
                                department_id=log.department_id)
    log.previous = (Log.objects.filter(chain=log.chain, starts_at__lt=log.starts_at)
                    .order_by("-starts_at", "-id").first())
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        raise _conflict(_("This log already exists.")) from None
    _carry_into(log)
    return log


def _need_writer(actor) -> None:
    if not user_can(actor, Capability.WRITE_LOGS):
        raise PermissionDenied(_("Your role does not write logs."))


@transaction.atomic
def work_log_start(*, actor, day: date, now: datetime) -> Log:
    """The actor's work log of ``day``: the existing one, or a new draft with yesterday's open items."""
    _need_writer(actor)
    profile = _profile(actor)
    if profile is None or profile.project_id is None:
        raise _field("project", _("Only staff of a project write a work log."))
    existing = Log.objects.filter(kind=LogKind.WORK, author=actor, day=day).first()
    if existing:
        return existing
    starts_at, ends_at = _day_bounds(profile.project, day)
    return _create(project_id=profile.project_id, kind=LogKind.WORK, author=actor, day=day,
                   department_id=profile.department_id, starts_at=starts_at, ends_at=ends_at)


@transaction.atomic
def duty_log_start(*, actor, now: datetime, roster_entry: RosterEntry | None = None, shift: ShiftKind | None = None,
                   day: date | None = None) -> Log:
    """The duty log of a shift: of a roster entry (the actor's own), or, without one, of a department's shift on a
    day. The existing log of that shift is returned as it is."""
    _need_writer(actor)
    if roster_entry is not None:
        if roster_entry.user_id != actor.pk:
            raise _field("roster_entry", _("Write the duty log of your own shift."))
        existing = Log.objects.filter(roster_entry=roster_entry).first()
        if existing:
            return existing
        shift, day = roster_entry.shift, roster_entry.day
        starts_at, ends_at = roster_entry.starts_at, roster_entry.ends_at
    else:
        if shift is None:
            raise _field("shift", _("Choose the shift."))
        if day is None:
            raise _field("day", _("Choose the day."))
        starts_at, ends_at = _shift_bounds(shift.project, shift, day)
    profile = _profile(actor)
    if profile is not None and profile.department_id and shift.department_id != profile.department_id:
        raise _field("shift", _("Write the duty logs of your own department."))
    chain = rules.chain_key(kind=rules.DUTY, project_id=shift.project_id, department_id=shift.department_id)
    existing = Log.objects.filter(chain=chain, starts_at=starts_at).first()
    if existing:
        return existing
    return _create(project_id=shift.project_id, kind=LogKind.DUTY, author=actor, day=day,
                   department_id=shift.department_id, shift=shift, roster_entry=roster_entry,
                   starts_at=starts_at, ends_at=ends_at)


def _locked(log: Log) -> Log:
    return Log.objects.select_for_update().get(pk=log.pk)


def _clean_items(items: list[dict], *, day: date, existing: dict[int, LogItem]) -> list[dict]:
    if len(items) > MAX_ITEMS:
        raise _field("items", _("At most %(n)d items.") % {"n": MAX_ITEMS})
    cleaned = []
    for index, raw in enumerate(items):
        text = str(raw.get("text") or "").strip()
        number = str(raw.get("request_number") or "").strip().upper()
        item_id = raw.get("id")
        if not text:
            if item_id or number:
                raise _field("items", _("Item %(n)d: say what the matter is.") % {"n": index + 1})
            continue  # an empty row of the form
        if len(text) > ITEM_TEXT_MAX:
            raise _field("items", _("Item %(n)d is longer than %(max)d characters.") % {
                "n": index + 1, "max": ITEM_TEXT_MAX})
        if len(number) > 32 or (number and not all(c.isalnum() or c == "-" for c in number)):
            raise _field("items", _("Item %(n)d: not a request number.") % {"n": index + 1})
        if item_id is not None and int(item_id) not in existing:
            raise _field("items", _("Item %(n)d is not an item of this log.") % {"n": index + 1})
        cleaned.append({"id": int(item_id) if item_id is not None else None, "text": text,
                        "request_number": number, "done": bool(raw.get("done"))})
    return cleaned


@transaction.atomic
def log_update(*, log: Log, actor, body: str, items: list[dict], now: datetime) -> Log:
    """Replace a draft's body and items (``items``: dicts {id (an existing item) or none, text, request_number,
    done}); items left out are removed, a carried item keeps the day it started."""
    log = _locked(log)
    if log.author_id != actor.pk:
        raise PermissionDenied(_("Only the author edits a log."))
    if log.status == LogStatus.SIGNED:
        raise _conflict(_("This log was signed: it cannot be changed any more. Add a comment instead."))
    if not rules.allowed(log.status, "edit"):
        raise _conflict(_("This log was submitted: it cannot be changed any more."))
    body = (body or "").strip()
    if len(body) > BODY_MAX:
        raise _field("body", _("At most %(n)d characters.") % {"n": BODY_MAX})
    existing = {item.pk: item for item in log.items.all()}
    cleaned = _clean_items(items, day=log.day, existing=existing)
    log.body = body
    log.save()
    kept = {row["id"] for row in cleaned if row["id"]}
    for item_id, item in existing.items():
        if item_id not in kept:
            item.delete()
    for position, row in enumerate(cleaned):
        if row["id"]:
            item = existing[row["id"]]
            item.text, item.request_number, item.done, item.position = (row["text"], row["request_number"],
                                                                         row["done"], position)
            item.save()
        else:
            LogItem.objects.create(log=log, position=position, text=row["text"], request_number=row["request_number"],
                                   done=row["done"], started_on=log.day)
    return log


@transaction.atomic
def log_submit(*, log: Log, actor, now: datetime) -> Log:
    log = _locked(log)
    if log.author_id != actor.pk:
        raise PermissionDenied(_("Only the author submits a log."))
    if not rules.allowed(log.status, "submit"):
        raise _conflict(_("This log was already submitted."))
    if not log.body.strip():
        raise _field("body", _("Write what happened before submitting."))
    if log.kind == LogKind.DUTY and log.previous_id:
        previous = Log.objects.get(pk=log.previous_id)
        if previous.acknowledged_at is None:
            raise _conflict(_("Read and acknowledge the previous shift's log (%(day)s) before submitting yours.")
                            % {"day": previous.day.isoformat()})
    log.status, log.submitted_at = LogStatus.SUBMITTED, now
    log.save()
    return log


@transaction.atomic
def log_acknowledge(*, log: Log, actor, now: datetime) -> Log:
    """The next shift has read this duty log (交接班)."""
    _need_writer(actor)
    log = _locked(log)
    if log.kind != LogKind.DUTY:
        raise _conflict(_("Only duty logs are handed over."))
    if log.acknowledged_at is not None:
        raise _conflict(_("This log was already acknowledged."))
    if not rules.allowed(log.status, "acknowledge"):
        raise _conflict(_("A draft cannot be acknowledged: wait until it is submitted."))
    if log.author_id == actor.pk:
        raise _conflict(_("The next shift acknowledges a log, not its author."))
    profile = _profile(actor)
    if profile is not None and profile.department_id and profile.department_id != log.department_id:
        raise PermissionDenied(_("Only the department's next shift acknowledges this log."))
    log.acknowledged_at, log.acknowledged_by = now, actor
    log.save()
    return log


@transaction.atomic
def log_comment(*, log: Log, actor, body: str, now: datetime) -> LogComment:
    if not user_can(actor, Capability.SIGN_LOGS):
        raise PermissionDenied(_("Only supervisors comment on logs."))
    body = (body or "").strip()
    if not body:
        raise _field("body", _("Write the comment."))
    if len(body) > COMMENT_MAX:
        raise _field("body", _("At most %(n)d characters.") % {"n": COMMENT_MAX})
    log = _locked(log)
    if log.status == LogStatus.DRAFT:
        raise _conflict(_("A draft cannot be commented on: wait until it is submitted."))
    return LogComment.objects.create(log=log, author=actor, body=body, created_at=now)


def can_sign(actor, log: Log) -> bool:
    author_profile = getattr(log.author, "staff_profile", None)
    return user_can(actor, Capability.SIGN_LOGS) and rules.may_sign(
        signer_role=user_role(actor), signer_id=actor.pk, author_id=log.author_id, kind=log.kind,
        author_role=author_profile.role if author_profile else None)


@transaction.atomic
def log_sign(*, log: Log, actor, now: datetime) -> Log:
    log = _locked(log)
    if log.status == LogStatus.SIGNED:
        raise _conflict(_("This log was already signed."))
    if not rules.allowed(log.status, "sign"):
        raise _conflict(_("A draft cannot be signed: it must be submitted first."))
    if not can_sign(actor, log):
        raise PermissionDenied(_("You may not sign this log."))
    log.status, log.signed_at, log.signed_by = LogStatus.SIGNED, now, actor
    log.save()
    return log
