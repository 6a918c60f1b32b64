"""A steward's contacts with a household that owes (a call, a visit) and the disputes that pause dunning.

Each is one row on the home's dunning history (``DunningAction`` with no step code) and a change of the account's
dunning state, with the account locked: a contact completes the open call tasks of the home and sets the
promise-to-pay date and the last contact; a dispute stops the ladder until it is closed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import ContactChannel, ContactOutcome
from ..models import Account, DunningAction
from ..rules.dunning import StepKind
from .ledger import account_lock

NOTE_MAX = 300
PROMISE_MAX_DAYS = 366
DISPUTE_OPENED, DISPUTE_CLOSED = "dispute_opened", "dispute_closed"  # step_kind of a history row without a step


def _chaser(actor) -> None:
    if not user_can(actor, Capability.CHASE_FEES):
        raise PermissionDenied(_("Your role may not chase fees."))


def _fail(errors: dict[str, list[str]]):
    raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})


def _today(room, now: datetime) -> date:
    return now.astimezone(ZoneInfo(room.project.timezone or settings.TIME_ZONE)).date()


@transaction.atomic
def contact_record(*, room, actor, channel: str, outcome: str, promise_date: date | None = None, note: str = "",
                   now: datetime | None = None) -> DunningAction:
    """Record a call, visit, message or letter and its outcome. "Promised to pay" needs a date from today up to a
    year ahead. Completes the home's open call tasks; sets the account's last contact and promise date."""
    _chaser(actor)
    now = now or timezone.now()
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if channel not in ContactChannel.values:
        errors["channel"] = [_("Choose how the household was contacted.")]
    if outcome not in ContactOutcome.values:
        errors["outcome"] = [_("Choose what came of the contact.")]
    today = _today(room, now)
    if promise_date is not None and not today <= promise_date <= today + timedelta(days=PROMISE_MAX_DAYS):
        errors["promise_date"] = [_("A promised date is from today up to a year ahead.")]
    elif outcome == ContactOutcome.PROMISED and promise_date is None:
        errors["promise_date"] = [_("Enter the date the household promised to pay by.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("The note may have at most %(limit)d characters.") % {"limit": NOTE_MAX}]
    if errors:
        _fail(errors)
    account = account_lock(room=room)
    action = DunningAction.objects.create(
        project_id=room.project_id, room_id=room.pk, channel=channel, outcome=outcome, promise_date=promise_date,
        note=note, actor=actor, at=now, done_at=now, episode_due=account.oldest_due, owed_fen=account.owed_fen)
    DunningAction.objects.filter(room_id=room.pk, step_kind=StepKind.CALL, done_at__isnull=True).update(
        done_at=now, actor=actor)
    account.last_contact_at = now
    update = ["last_contact_at"]
    if promise_date is not None:
        account.promise_date = promise_date
        update.append("promise_date")
    Account.objects.filter(pk=account.pk).update(**{name: getattr(account, name) for name in update})
    return action


def _dispute(*, room, actor, note: str, now: datetime | None, opening: bool) -> Account:
    _chaser(actor)
    now = now or timezone.now()
    note = (note or "").strip()
    if opening and not note:
        _fail({"note": [_("Say what the household disputes.")]})
    if len(note) > 200:
        _fail({"note": [_("The note may have at most %(limit)d characters.") % {"limit": 200}]})
    account = account_lock(room=room)
    if account.dispute_open == opening:
        raise ApplicationError(_("A dispute is already open for this home.") if opening
                               else _("There is no open dispute for this home."), status_code=409)
    account.dispute_open = opening
    account.dispute_note = note if opening else ""
    Account.objects.filter(pk=account.pk).update(dispute_open=account.dispute_open, dispute_note=account.dispute_note)
    DunningAction.objects.create(
        project_id=room.project_id, room_id=room.pk, step_kind=DISPUTE_OPENED if opening else DISPUTE_CLOSED,
        outcome=ContactOutcome.DISPUTE if opening else "", note=note, actor=actor, at=now, done_at=now,
        episode_due=account.oldest_due, owed_fen=account.owed_fen)
    return account


@transaction.atomic
def dispute_open(*, room, actor, note: str, now: datetime | None = None) -> Account:
    """The household disputes what it is charged (often an unresolved complaint): dunning pauses until closed."""
    return _dispute(room=room, actor=actor, note=note, now=now, opening=True)


@transaction.atomic
def dispute_close(*, room, actor, note: str = "", now: datetime | None = None) -> Account:
    """The dispute is settled: the ladder goes on from where it was."""
    return _dispute(room=room, actor=actor, note=note, now=now, opening=False)
