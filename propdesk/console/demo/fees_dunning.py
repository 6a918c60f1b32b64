"""Water readings and dunning 催缴 in progress for the demo, written with the models (the readings and dunning
services are other parts of the fees work; these rows have the shape they write).

Readings: this month's water meter of a dozen homes of one building of the first project (resident1's), read by the
steward this morning; one far above the building's usual (``rules.charges.is_unusual``) carries the alarm and waits
for a check before billing.

Dunning: for every home that owes, the steps of the project's ladder (``rules.dunning.DEFAULT_LADDER``) reached since
its oldest open bill fell due, once each for this arrears episode, at 10:00 (never in rest hours): reminders in the
app and by SMS, the steward's call task (done two days later, except the recent ones: open), the printed notice
催缴通知书 and, after six months, the lawyer's letter flag on the account. The first project's steward recorded the
calls (no answer, refused, promised to pay by a date); on a home with an open complaint the household disputes the
fees, so a dispute is open on its account and no later step was sent.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from propdesk.console.demo.spec import staff_username
from propdesk.customers.models import Occupancy
from propdesk.fees.choices import ContactChannel, ContactOutcome
from propdesk.fees.models import Account, DunningAction, FeeItem, MeterReading
from propdesk.fees.rules.arrears import months_between
from propdesk.fees.rules.charges import is_unusual
from propdesk.fees.rules.dunning import DEFAULT_LADDER, StepKind
from propdesk.fees.rules.periods import add_months
from propdesk.org.models import Room
from propdesk.servicedesk.models import ServiceRequest

TZ = ZoneInfo("Asia/Shanghai")
SEED_OFFSET = 1313
READINGS = 12
OPEN_CALL_DAYS = 10  # call tasks reached this recently are still open


def build_readings(project, *, users: dict, today: date, end: datetime) -> int:
    rng = random.Random(SEED_OFFSET + project.pk)
    item = FeeItem.objects.get(project=project, code="water")
    home = (Occupancy.objects.filter(project=project, resident__user__username="resident1")
            .select_related("room").order_by("id").first())
    rooms = Room.objects.filter(project=project).order_by("building__sort", "unit__number", "floor", "number")
    if home is not None:
        rooms = rooms.filter(building_id=home.room.building_id)
    rooms = list(rooms[:READINGS])
    if not rooms:
        return 0
    reader = users.get(staff_username("steward", project.code))
    read_at = min(datetime.combine(today, time(9, 10), tzinfo=TZ), end - timedelta(minutes=30))
    used = [Decimal(rng.randint(60, 220)) / 10 for _room in rooms]
    used[len(used) // 2 + 1 if len(used) > 2 else 0] *= 6  # a running cistern or a burst pipe
    rows = []
    for index, (room, consumption) in enumerate(zip(rooms, used, strict=True)):
        previous = Decimal(rng.randint(300, 1800)) + Decimal(rng.randint(0, 99)) / 100
        others = used[:index] + used[index + 1:]
        rows.append(MeterReading(project=project, room=room, item=item, period_key=f"{today:%Y-%m}",
                                 reading=previous + consumption, previous=previous, consumption=consumption,
                                 alarm=is_unusual(consumption, others), read_at=read_at + timedelta(minutes=3 * index),
                                 read_by=reader))
    MeterReading.objects.bulk_create(rows)
    return len(rows)


def build_dunning(projects, *, users: dict, today: date, end: datetime, complaint_of: dict[int, str]) -> dict:
    rng = random.Random(SEED_OFFSET)
    first = projects[0]
    steward = users.get(staff_username("steward", first.code))
    accounts = list(Account.objects.filter(project__in=projects, owed_fen__gt=0, oldest_due__isnull=False,
                                           oldest_due__lte=today - timedelta(days=DEFAULT_LADDER[0].after_days))
                    .order_by("project_id", "room_id"))
    dispute = _dispute_home(accounts, first, complaint_of)
    dispute_at = datetime.combine(today - timedelta(days=12), time(15, 20), tzinfo=TZ)
    actions, contacts, open_calls = [], 0, 0
    promised = None
    calls: list[tuple[DunningAction, DunningAction | None]] = []  # the first project's call tasks, their contact
    for account in accounts:
        project_steward = users.get(staff_username("steward", _code(projects, account.project_id)))
        for step in DEFAULT_LADDER:
            if not step.reached(account.oldest_due, today):
                continue
            reached = _reached_on(step, account.oldest_due)
            at = datetime.combine(reached, time(10, rng.randrange(60)), tzinfo=TZ)
            if at >= end or (account is dispute and at >= dispute_at):
                continue
            done = at
            if step.kind == StepKind.CALL:
                done = None if (today - reached).days < OPEN_CALL_DAYS else at + timedelta(days=2, hours=4)
                open_calls += done is None
            actions.append(DunningAction(project_id=account.project_id, room_id=account.room_id, step_code=step.code,
                                         step_kind=str(step.kind), episode_due=account.oldest_due,
                                         owed_fen=account.owed_fen, actor=project_steward if step.kind == StepKind.CALL
                                         else None, at=at, done_at=done))
            if step.kind == StepKind.LAWYER:
                account.lawyer_flag_at = at
            if step.kind == StepKind.CALL and account.project_id == first.pk:
                calls.append((actions[-1], None))
            if step.kind == StepKind.CALL and done is not None and account.project_id == first.pk:
                outcome = rng.choice((ContactOutcome.NO_ANSWER, ContactOutcome.REFUSED, ContactOutcome.PROMISED,
                                      ContactOutcome.NO_ANSWER, ContactOutcome.OTHER))
                promise = None
                if outcome == ContactOutcome.PROMISED:
                    promise = max(today + timedelta(days=rng.randint(2, 10)), done.date() + timedelta(days=7))
                    promised = account
                    account.promise_date = promise
                actions.append(DunningAction(project_id=account.project_id, room_id=account.room_id,
                                             channel=ContactChannel.PHONE, outcome=outcome, promise_date=promise,
                                             note=_NOTES[outcome], owed_fen=account.owed_fen, actor=steward, at=done,
                                             done_at=done))
                account.last_contact_at = done
                contacts += 1
                calls[-1] = (calls[-1][0], actions[-1])
    if calls and all(call.done_at is not None for call, _contact in calls):
        # The steward always has a call to make: the latest call task is still open.
        call, contact = max(calls, key=lambda pair: pair[0].at)
        call.done_at = None
        open_calls += 1
        if contact is not None:
            actions.remove(contact)
            contacts -= 1
    first_contacts = [(call, contact) for call, contact in calls if contact is not None]
    if promised is None and first_contacts:
        # At least one household of the first project promised a date on the steward's last call.
        call, contact = max(first_contacts, key=lambda pair: pair[0].at)
        promised = next(a for a in accounts if a.room_id == contact.room_id)
        contact.outcome, contact.note = ContactOutcome.PROMISED, _NOTES[ContactOutcome.PROMISED]
        contact.promise_date = promised.promise_date = max(today + timedelta(days=5),
                                                           contact.at.date() + timedelta(days=7))
    if dispute is not None:
        complaint = (ServiceRequest.objects.filter(room_id=dispute.room_id, kind="complaint")
                     .order_by("-received_at").first())
        number = complaint.number if complaint else ""
        dispute.dispute_open = True
        dispute.dispute_note = f"业主对投诉{number}的处理结果不满意，表示问题解决前暂缓缴纳物业费"[:200]
        dispute.last_contact_at = dispute_at
        actions.append(DunningAction(project_id=dispute.project_id, room_id=dispute.room_id,
                                     channel=ContactChannel.VISIT, outcome=ContactOutcome.DISPUTE,
                                     note=dispute.dispute_note, owed_fen=dispute.owed_fen, actor=steward,
                                     at=dispute_at, done_at=dispute_at))
        contacts += 1
    DunningAction.objects.bulk_create(actions, batch_size=2000)
    Account.objects.bulk_update(accounts, ["lawyer_flag_at", "promise_date", "last_contact_at", "dispute_open",
                                           "dispute_note"], batch_size=500)
    return {"dunning records": len(actions), "contacts": contacts, "open call tasks": open_calls,
            "promises": int(promised is not None), "disputes": int(dispute is not None)}


_NOTES = {
    ContactOutcome.NO_ANSWER: "电话无人接听，已发短信告知欠费金额",
    ContactOutcome.REFUSED: "业主表示对服务不满意，暂不缴费",
    ContactOutcome.PROMISED: "业主表示近期外地出差，回来后到服务中心缴清",
    ContactOutcome.OTHER: "家属接听，答应转告业主",
}


def _reached_on(step, due: date) -> date:
    """The first day the step was reached for an episode starting at ``due``."""
    day = due + timedelta(days=step.after_days)
    if step.after_months:
        day = max(day, add_months(due, step.after_months))
        while months_between(due, day) < step.after_months:
            day += timedelta(days=1)
    return day


def _code(projects, project_id: int) -> str:
    return next(p.code for p in projects if p.pk == project_id)


def _dispute_home(accounts, first, complaint_of: dict[int, str]):
    """A home of the first project that owes and has an open complaint (else repeated complaints, else any)."""
    mine = [a for a in accounts if a.project_id == first.pk]
    for group in ("open_complaint", "complainer"):
        for account in mine:
            if complaint_of.get(account.room_id) == group:
                return account
    return mine[0] if mine else None
