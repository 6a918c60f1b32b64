"""Dunning 催缴: the hourly sweep that walks each owing home up its project's ladder, the printed letter, and the
ladder itself (finance edits it).

The sweep reads the indexed ``Account.owed_fen`` (homes that owe), takes each project's active steps as a
``rules.dunning`` ladder and asks ``steps_due`` what is due now: the arrears episode is ``account.oldest_due``, a
step done is a ``DunningAction`` of that episode, nothing is due while a dispute is open, and messages to the
resident (app reminder, SMS) wait outside the company's quiet hours. A step is recorded and its side effect written
in one savepoint: the unique constraint (room, step, episode) lets exactly one of two sweeps running at once record
it; the other's insert fails and it writes nothing.

Kinds: app reminder → an inbox notification to the home's resident users; SMS → one outbox SMS per occupant's
mobile (template ``fee_reminder``); steward call → an open task (``done_at`` empty) on the steward's worklist;
printed notice → a letter to print on the worklist (done when printed); lawyer's letter → ``lawyer_flag_at``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.customers.choices import PhoneKind
from propdesk.customers.models import Occupancy, Phone
from propdesk.notify.services import notify_users, outbox_add
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import DunningStepKind
from ..models import Account, DunningAction, DunningStep
from ..rules.dunning import Step, StepKind, steps_due, validate_ladder
from ..rules.money import fen_to_yuan

BATCH = 500
MY_FEES_URL = "/my/fees/"  # fees:my_account (the online part): the resident's account in the app
# Tasks a person finishes later; the other kinds are done when the sweep records them.
TASK_KINDS = frozenset({StepKind.CALL, StepKind.NOTICE})


@dataclass
class SweepResult:
    done: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # step kind → steps recorded
    deferred: int = 0  # resident-facing steps held for the end of the quiet hours
    skipped_dispute: int = 0

    @property
    def total(self) -> int:
        return sum(self.done.values())


def _ladders() -> dict[int, list[tuple[Step, int]]]:
    """Active steps per project: (rule step, min owed fen)."""
    ladders: dict[int, list[tuple[Step, int]]] = defaultdict(list)
    for row in DunningStep.objects.filter(active=True).order_by("project_id", "after_months", "after_days", "id"):
        ladders[row.project_id].append((Step(row.code, StepKind(row.kind), row.after_days, row.after_months),
                                        row.min_owed_fen))
    return ladders


def _sent(accounts: list[Account]) -> dict[int, set[str]]:
    """Step codes already recorded for each account's current episode (one query per batch)."""
    episodes = {account.room_id: account.oldest_due for account in accounts}
    sent: dict[int, set[str]] = defaultdict(set)
    rows = (DunningAction.objects.filter(room_id__in=list(episodes)).exclude(step_code="")
            .values_list("room_id", "step_code", "episode_due"))
    for room_id, code, episode in rows:
        if episode == episodes[room_id]:
            sent[room_id].add(code)
    return sent


def dunning_sweep(*, now: datetime | None = None) -> SweepResult:
    """Do every dunning step that is due now for every home that owes. Safe to run again, or twice at once."""
    now = now or timezone.now()
    result = SweepResult()
    ladders = _ladders()
    if not ladders:
        return result
    last_pk = 0
    while True:
        batch = list(Account.objects.filter(owed_fen__gt=0, oldest_due__isnull=False, pk__gt=last_pk,
                                            project_id__in=list(ladders))
                     .select_related("room", "project__company").order_by("pk")[:BATCH])
        if not batch:
            return result
        last_pk = batch[-1].pk
        sent = _sent(batch)
        for account in batch:
            _account_sweep(account, ladders[account.project_id], sent[account.room_id], now, result)


def _account_sweep(account: Account, ladder: list[tuple[Step, int]], sent: set[str], now: datetime,
                   result: SweepResult) -> None:
    project = account.project
    zone = ZoneInfo(project.timezone or settings.TIME_ZONE)
    local = now.astimezone(zone)
    company = project.company
    steps = [step for step, min_owed in ladder if account.owed_fen > min_owed]
    decision = steps_due(ladder=steps, oldest_due=account.oldest_due, owed_fen=account.owed_fen, on=local.date(),
                         local_time=local.time().replace(tzinfo=None), sent=sent,
                         dispute_open=account.dispute_open, quiet_start=company.quiet_hours_start,
                         quiet_end=company.quiet_hours_end)
    if decision.skipped_reason == "dispute_open":
        result.skipped_dispute += 1
    result.deferred += len(decision.deferred)
    for step in decision.due:
        if _step_do(account=account, step=step, now=now):
            result.done[str(step.kind)] += 1


def _step_do(*, account: Account, step: Step, now: datetime) -> bool:
    """Record one step of the account's episode and write what it sends; False when it was recorded already (by
    another sweep a moment ago) or a dispute was opened meanwhile."""
    with transaction.atomic():
        if Account.objects.filter(pk=account.pk, dispute_open=True).exists():
            return False
        try:
            with transaction.atomic():
                DunningAction.objects.create(
                    project_id=account.project_id, room_id=account.room_id, step_code=step.code,
                    step_kind=str(step.kind), episode_due=account.oldest_due, owed_fen=account.owed_fen, at=now,
                    done_at=None if step.kind in TASK_KINDS else now)
        except IntegrityError:  # the same step of the same episode: recorded once, by whoever came first
            return False
        if step.kind == StepKind.APP:
            _remind_in_app(account, step, now)
        elif step.kind == StepKind.SMS:
            _remind_by_sms(account, step, now)
        elif step.kind == StepKind.LAWYER:
            Account.objects.filter(pk=account.pk, lawyer_flag_at__isnull=True).update(lawyer_flag_at=now)
    return True


def _occupancies(account: Account, now: datetime):
    on = now.astimezone(ZoneInfo(account.project.timezone or settings.TIME_ZONE)).date()
    return Occupancy.objects.current(on).filter(room_id=account.room_id)


def _episode_key(account: Account, step: Step) -> str:
    return f"dunning:{account.room_id}:{step.code}:{account.oldest_due.isoformat()}"


def _remind_in_app(account: Account, step: Step, now: datetime) -> None:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(
        resident__in=_occupancies(account, now).values("resident_id"), is_active=True).order_by("pk")
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Property fees due")
        body = _("Your home %(room)s still owes %(amount)s yuan in property fees. Please pay in the app.") % {
            "room": account.room.code, "amount": fen_to_yuan(account.owed_fen)}
    notify_users(users=users, event=_episode_key(account, step), kind="fee_reminder", title=title, body=body,
                 url=MY_FEES_URL, email=False)


def occupant_mobiles(*, room_ids, on: date) -> dict[int, list[str]]:
    """One mobile per current occupant (the primary first), each number once per home."""
    residents = Occupancy.objects.current(on).filter(room_id__in=list(room_ids)).values_list("room_id", "resident_id")
    rooms_of: dict[int, list[int]] = defaultdict(list)
    for room_id, resident_id in residents:
        rooms_of[resident_id].append(room_id)
    phones = (Phone.objects.filter(resident_id__in=list(rooms_of), kind=PhoneKind.MOBILE, number__startswith="1")
              .order_by("resident_id", "-is_primary", "id").values_list("resident_id", "number"))
    seen, numbers = set(), defaultdict(dict)
    for resident_id, number in phones:
        if resident_id in seen:
            continue
        seen.add(resident_id)
        for room_id in rooms_of[resident_id]:
            numbers[room_id].setdefault(number, None)
    return {room_id: list(found) for room_id, found in numbers.items()}


def _remind_by_sms(account: Account, step: Step, now: datetime) -> None:
    on = now.astimezone(ZoneInfo(account.project.timezone or settings.TIME_ZONE)).date()
    params = {"room": account.room.code, "amount": str(fen_to_yuan(account.owed_fen))}
    for number in occupant_mobiles(room_ids=[account.room_id], on=on).get(account.room_id, []):
        outbox_add(channel="sms", to=number, key=f"{_episode_key(account, step)}:sms:{number}",
                   template="fee_reminder", params=params, project=account.project, now=now)


# --- the printed letter --------------------------------------------------------------------------------------------

def _chaser(actor) -> None:
    if not user_can(actor, Capability.CHASE_FEES):
        raise PermissionDenied(_("Your role may not chase fees."))


@transaction.atomic
def letter_printed(*, room, actor, now: datetime | None = None) -> DunningAction:
    """Record that the 催缴通知书 of the home's current episode was printed: the ladder's printed-notice step is done
    (the open one from the sweep, or recorded now). Refused when the home owes nothing."""
    _chaser(actor)
    now = now or timezone.now()
    account = Account.objects.select_for_update().filter(room_id=room.pk).first()
    if account is None or account.owed_fen <= 0 or account.oldest_due is None:
        raise ApplicationError(_("This home owes nothing: there is no letter to print."), status_code=409)
    step = (DunningStep.objects.filter(project_id=account.project_id, kind=DunningStepKind.NOTICE)
            .order_by("-active", "after_months", "after_days", "id").first())
    code = step.code if step else str(StepKind.NOTICE)
    action, _created = DunningAction.objects.get_or_create(
        room_id=room.pk, step_code=code, episode_due=account.oldest_due,
        defaults={"project_id": account.project_id, "step_kind": str(StepKind.NOTICE), "owed_fen": account.owed_fen,
                  "at": now})
    if action.done_at is None:
        action.done_at, action.actor = now, actor
        action.save(update_fields=["done_at", "actor"])
    return action


# --- the ladder ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StepInput:
    code: str
    kind: str
    after_days: int = 0
    after_months: int = 0
    min_owed_fen: int = 0
    active: bool = True


MAX_DAYS, MAX_MONTHS = 3650, 120


def _step_errors(index: int, step: StepInput, errors: dict) -> None:
    import re

    prefix = f"steps.{index}."
    if not re.fullmatch(r"[a-z0-9_-]{1,32}", step.code or ""):
        errors[prefix + "code"] = [_("A code is 1–32 lowercase letters, digits, _ or -.")]
    if step.kind not in DunningStepKind.values:
        errors[prefix + "kind"] = [_("Choose what the step does.")]
    for name, limit in (("after_days", MAX_DAYS), ("after_months", MAX_MONTHS)):
        value = getattr(step, name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
            errors[prefix + name] = [_("Enter a whole number from 0 to %(limit)d.") % {"limit": limit}]
    if not isinstance(step.min_owed_fen, int) or not 0 <= step.min_owed_fen <= 10**12:
        errors[prefix + "min_owed"] = [_("Enter an amount of 0 or more.")]


@transaction.atomic
def ladder_save(*, project, actor, steps: list[StepInput]) -> list[DunningStep]:
    """Make the project's ladder exactly ``steps``: each code updated or added; a code left out is made inactive
    (its history keeps its name). Finance only (MANAGE_BILLING); the caller checked the project is in scope."""
    if not user_can(actor, Capability.MANAGE_BILLING):
        raise PermissionDenied(_("Your role may not change the dunning ladder."))
    errors: dict[str, list[str]] = {}
    if len(steps) > 20:
        errors["steps"] = [_("A ladder has at most 20 steps.")]
    for index, step in enumerate(steps):
        _step_errors(index, step, errors)
    codes = [step.code for step in steps]
    if not errors:
        try:
            validate_ladder([Step(s.code, StepKind(s.kind), s.after_days, s.after_months) for s in steps])
        except ValueError:
            errors["steps"] = [_("Each step needs its own code.")]
    if len(set(codes)) != len(codes):
        errors["steps"] = [_("Each step needs its own code.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    existing = {row.code: row for row in DunningStep.objects.select_for_update().filter(project=project)}
    for step in steps:
        row = existing.get(step.code) or DunningStep(project=project, code=step.code)
        row.kind, row.after_days, row.after_months = step.kind, step.after_days, step.after_months
        row.min_owed_fen, row.active = step.min_owed_fen, step.active
        row.save()
    DunningStep.objects.filter(project=project).exclude(code__in=codes).update(active=False)
    return list(DunningStep.objects.filter(project=project))
