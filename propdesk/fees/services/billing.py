"""Bills for every home of a project and period, as background work with progress.

A run for a month ("2026-11") issues, for each active recurring item, the item's period that contains the month's
first day (a quarterly item: the quarter; yearly: the year), so that running any month of a quarter issues the
quarter once. Bills are unique per home, item and period: running a period again (or two runs at once) creates
nothing twice. The rate is the one in force on the period's first day; a later price change applies to later periods
only and never rewrites an issued bill. Homes are billed from their handover date (交房日期, prorated by days in its
period; a home without one was handed over before PropDesk and is billed in full); a vacant home gets the item's
vacancy discount. Metered items are billed from meter readings (services/readings.py), not here.

Speed: a run reads the homes, rates and existing keys once, then inserts bills and their ledger entries in
batches (bulk inserts, one UPDATE of the accounts per batch); only homes with a prepayment go through the per-home
path that draws it down. 100,000 homes is a matter of seconds to a minute (bench/fees_billing.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Project, Room

from ..choices import EntryKind, FeeKind, RunStatus
from ..models import Account, Bill, BillingRun, FeeItem, FeeRate, LedgerEntry, Subscription
from ..rules import charges, periods
from ..rules.arrears import OpenBill, draw_prepayment
from . import ledger

log = logging.getLogger(__name__)

BATCH = 2000
RECURRING = (FeeKind.AREA, FeeKind.FIXED)
LONG_AGO = date(1900, 1, 1)


@dataclass(frozen=True)
class Charge:
    room_id: int
    item: FeeItem
    period: periods.Period
    amount_fen: int
    description: str
    quantity: Decimal | None
    rate: FeeRate


def month_start(period_key: str) -> date:
    """The first day of a run's month; refuses anything but "YYYY-MM"."""
    try:
        period = periods.parse_period_key(period_key)
    except ValueError:
        period = None
    if period is None or period.cycle != periods.Cycle.MONTHLY:
        raise ApplicationError(_("Choose a month to bill, such as 2026-11."), extra={"fields": {"period": [
            _("Choose a month to bill, such as 2026-11.")]}})
    return period.start


def rate_in_force(rates: list[FeeRate], room_type: str, on: date) -> FeeRate | None:
    """The rate for the room type (else the item's general rate) in force on ``on``. ``rates``: newest first."""
    for wanted in (room_type, ""):
        for rate in rates:
            if rate.room_type == wanted and rate.effective_from <= on:
                return rate
    return None


def _yuan(fen_value) -> str:
    """A rate in yuan for a bill's description: 2.80, or 2.805 when the rate has fractions of a fen."""
    value = (Decimal(fen_value) / 100).quantize(Decimal("0.0001")).normalize()
    return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)


def room_charges(*, room: Room, items: list[FeeItem], rates: dict[int, list[FeeRate]], subscriptions: dict,
                 first_day: date) -> list[Charge]:
    """The recurring charges of one home for the run whose month starts on ``first_day``."""
    out = []
    for item in items:
        if item.kind not in RECURRING:
            continue
        period = periods.period_of(first_day, item.cycle)
        rate = rate_in_force(rates.get(item.pk, []), room.room_type, period.start)
        if rate is None:
            continue
        handover = room.handed_over_on if item.from_handover and room.handed_over_on else LONG_AGO
        share = periods.billable_fraction(period, handover)
        if not share:
            continue
        vacant = 1 if room.status == RoomStatus.VACANT else 0
        months = period.months
        if item.kind == FeeKind.AREA:
            if not item.applies_to(room.room_type) or not room.area:
                continue
            amount = charges.area_fee(area_m2=room.area, rate_fen_per_m2_month=rate.rate_fen, months=months,
                                      share=share, vacant_discount_bp=item.vacant_discount_bp, vacant_share=vacant)
            quantity = room.area
            text = f"{room.area} m² × {_yuan(rate.rate_fen)} 元/m²·月 × {months} 月"
        else:
            if item.per_subscription:
                quantity = sum(sub.quantity for sub in subscriptions.get((item.pk, room.pk), ())
                               if sub.start_date < period.end
                               and (sub.end_date is None or sub.end_date >= period.start))
                if not quantity:
                    continue
            elif not item.applies_to(room.room_type):
                continue
            else:
                quantity = 1
            amount = charges.fixed_fee(monthly_fen=int(rate.rate_fen) * quantity, months=months, share=share,
                                       vacant_discount_bp=item.vacant_discount_bp, vacant_share=vacant)
            text = f"{quantity} × {_yuan(rate.rate_fen)} 元/月 × {months} 月"
            quantity = Decimal(quantity)
        if share != 1:
            text += f" × {share.numerator}/{share.denominator}"
        if vacant and item.vacant_discount_bp:
            text += " " + _("(vacant: %(pct)s%% off)") % {"pct": item.vacant_discount_bp / 100}
        if amount > 0:
            out.append(Charge(room.pk, item, period, amount, text[:200], quantity, rate))
    return out


def billing_run_create(*, project: Project, period_key: str, actor, now: datetime | None = None) -> BillingRun:
    """Queue the bills of a month for a worker; the run's page follows its progress."""
    month_start(period_key)
    now = now or timezone.now()
    with transaction.atomic():
        running = BillingRun.objects.select_for_update().filter(
            project=project, period_key=period_key, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()
        if running is not None:
            return running  # one at a time per period: the second request follows the first
        run = BillingRun.objects.create(project=project, period_key=period_key, requested_by=actor,
                                        requested_at=now)
        from ..tasks import run_billing

        run_billing.enqueue(run.pk)
    return run


def billing_run_execute(*, run_id: int, now: datetime | None = None) -> BillingRun | None:
    """Run a queued billing run (or one whose worker died): what was issued stays, the rest is issued now."""
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().select_related("project").filter(pk=run_id).first()
        if run is None or run.status == RunStatus.DONE:
            return run
        run.status, run.started_at, run.done = RunStatus.RUNNING, now or timezone.now(), 0
        run.save(update_fields=["status", "started_at", "done"])
    try:
        result = bills_generate(project=run.project, period_key=run.period_key, run=run, now=now,
                                actor=run.requested_by)
    except Exception as error:  # noqa: BLE001 — recorded on the run, which can be started again
        log.exception("billing run %s stopped", run.pk)
        BillingRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=timezone.now(),
                                                    message=str(error)[:500])
        run.refresh_from_db()
        return run
    BillingRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, finished_at=now or timezone.now(),
                                                created=result.created, amount_fen=result.amount_fen)
    run.refresh_from_db()
    return run


@dataclass
class GenerateResult:
    homes: int = 0
    created: int = 0
    amount_fen: int = 0


def bills_generate(*, project: Project, period_key: str, now: datetime | None = None, actor=None,
                   run: BillingRun | None = None, room_ids=None) -> GenerateResult:
    """Issue the month's recurring bills of every home of ``project`` (or of ``room_ids``)."""
    first_day = month_start(period_key)
    now = now or timezone.now()
    items = list(FeeItem.objects.filter(project=project, active=True, kind__in=RECURRING).order_by("position", "pk"))
    rates: dict[int, list[FeeRate]] = {}
    for rate in FeeRate.objects.filter(item__in=items).order_by("-effective_from"):
        rates.setdefault(rate.item_id, []).append(rate)
    subscriptions: dict = {}
    for sub in Subscription.objects.filter(item__in=[i for i in items if i.per_subscription]):
        subscriptions.setdefault((sub.item_id, sub.room_id), []).append(sub)
    rooms = Room.objects.filter(project=project).only("id", "project_id", "area", "room_type", "status",
                                                      "handed_over_on").order_by("pk")
    if room_ids is not None:
        rooms = rooms.filter(pk__in=list(room_ids))
    total = rooms.count()
    if run is not None:
        BillingRun.objects.filter(pk=run.pk).update(total=total)
    result = GenerateResult(homes=total)
    batch: list[Room] = []
    for room in rooms.iterator(chunk_size=BATCH):
        batch.append(room)
        if len(batch) == BATCH:
            _issue_batch(project, batch, items, rates, subscriptions, first_day, now, actor, run, result)
            batch = []
    if batch:
        _issue_batch(project, batch, items, rates, subscriptions, first_day, now, actor, run, result)
    return result


def _issue_batch(project, rooms, items, rates, subscriptions, first_day, now, actor, run, result) -> None:
    for attempt in range(3):
        try:
            with transaction.atomic():
                created, amount = _insert_batch(project, rooms, items, rates, subscriptions, first_day, now, actor,
                                                run)
            break
        except IntegrityError:  # another run issued some of these at the same moment: read the keys again
            if attempt == 2:
                raise
    result.created += created
    result.amount_fen += amount
    if run is not None:
        done = min(result.homes, (run.done or 0) + len(rooms))
        run.done = done
        BillingRun.objects.filter(pk=run.pk).update(done=done, created=result.created, amount_fen=result.amount_fen)


def _insert_batch(project, rooms, items, rates, subscriptions, first_day, now, actor, run) -> tuple[int, int]:
    room_ids = [room.pk for room in rooms]
    # What is already issued, read first: a run of a period already billed computes no charge again.
    keys = {item.pk: periods.period_of(first_day, item.cycle).key for item in items}
    existing = set(Bill.objects.filter(room_id__in=room_ids, item__in=items, period_key__in=set(keys.values()))
                   .values_list("room_id", "item_id", "period_key"))
    wanted = []
    for room in rooms:
        todo = [item for item in items if (room.pk, item.pk, keys[item.pk]) not in existing]
        if todo:
            wanted += room_charges(room=room, items=todo, rates=rates, subscriptions=subscriptions,
                                   first_day=first_day)
    if not wanted:
        return 0, 0
    new = [c for c in wanted if (c.room_id, c.item.pk, c.period.key) not in existing]
    if not new:
        return 0, 0
    # Ids rather than instances (item_id=, rate_id=, bill_id=): the same rows, without a related-object descriptor per
    # field and bill (a tenth of the time of a large run); due dates once per item and period.
    due = {}
    for c in new:
        if (c.item.pk, c.period) not in due:
            due[(c.item.pk, c.period)] = periods.due_date(c.period, c.item.due_day,
                                                          offset_months=c.item.due_offset_months)
    run_id, actor_id = (run.pk if run is not None else None), getattr(actor, "pk", None)
    _insert_bills(project.pk, new, due, now, run_id, actor_id)
    # Accounts only for the homes that have none yet (the first run of a project), not one ignored insert per home.
    have = set(Account.objects.filter(room_id__in=room_ids).values_list("room_id", flat=True))
    if len(have) < len(room_ids):
        Account.objects.bulk_create([Account(room_id=pk, project_id=project.pk) for pk in room_ids if pk not in have],
                                    ignore_conflicts=True)
    bills = _charge_new_bills(room_ids, {c.period.key for c in new})
    billed_rooms = {room_id for room_id, _amount in bills}
    ledger.accounts_refresh(room_ids=billed_rooms)
    for account in Account.objects.filter(room_id__in=billed_rooms, prepaid_fen__gt=0).select_for_update():
        prepayment_apply(account=account, now=now)
    return len(bills), sum(amount for _room_id, amount in bills)


# Bills and their CHARGE entries are written with plain SQL: a run of 100,000 homes inserts some 200,000 of each,
# and building a model instance per row and turning each field into a parameter (bulk_create) was most of its time.
# The values are adapted by the backend exactly as the ORM adapts them (dates, aware datetimes, decimals).
_BILL_COLUMNS = ("project_id", "room_id", "item_id", "period_key", "period_start", "period_end", "due_date",
                 "amount_fen", "open_fen", "description", "quantity", "rate_id", "run_id", "issued_at", "issued_by_id")


def _insert_bills(project_id, charges, due, now, run_id, actor_id) -> None:
    ops = connection.ops
    issued_at = ops.adapt_datetimefield_value(now)
    dates: dict = {}

    def day(value):
        if value not in dates:
            dates[value] = ops.adapt_datefield_value(value)
        return dates[value]

    rows = [(project_id, c.room_id, c.item.pk, c.period.key, day(c.period.start), day(c.period.end),
             day(due[(c.item.pk, c.period)]), c.amount_fen, c.amount_fen, c.description,
             ops.adapt_decimalfield_value(c.quantity, 12, 2), c.rate.pk, run_id, issued_at, actor_id)
            for c in charges]
    table, q = Bill._meta.db_table, ops.quote_name
    sql = (f"INSERT INTO {q(table)} ({', '.join(q(c) for c in _BILL_COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * len(_BILL_COLUMNS))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _charge_new_bills(room_ids, period_keys) -> list[tuple[int, int]]:
    """The CHARGE entry of every bill of these homes and periods that has no entry yet (the ones just inserted),
    in one INSERT … SELECT; returns (room, amount) of each."""
    q = connection.ops.quote_name
    bill, entry = q(Bill._meta.db_table), q(LedgerEntry._meta.db_table)
    rooms = ", ".join(["%s"] * len(room_ids))
    keys = ", ".join(["%s"] * len(period_keys))
    where = (f"b.room_id IN ({rooms}) AND b.period_key IN ({keys}) "
             f"AND NOT EXISTS (SELECT 1 FROM {entry} e WHERE e.bill_id = b.id)")
    params = [*room_ids, *period_keys]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT b.room_id, b.amount_fen FROM {bill} b WHERE {where}", params)
        new = cursor.fetchall()
        cursor.execute(
            f"INSERT INTO {entry} (project_id, room_id, kind, bill_id, receivable_fen, prepaid_fen, cash_fen, at, "
            f"actor_id, note) SELECT b.project_id, b.room_id, %s, b.id, b.amount_fen, 0, 0, b.issued_at, "
            f"b.issued_by_id, '' FROM {bill} b WHERE {where}", [EntryKind.CHARGE, *params])
    return new


def prepayment_apply(*, account: Account, now: datetime, actor=None) -> int:
    """Draw the home's prepayment (预存) down on its open bills, oldest first; returns the fen drawn. The caller
    holds the account lock."""
    if account.prepaid_fen <= 0:
        return 0
    open_bills = list(Bill.objects.select_for_update().filter(room_id=account.room_id, open_fen__gt=0)
                      .exclude(item__kind=FeeKind.LATE_FEE))
    allocation = draw_prepayment(account.prepaid_fen, [OpenBill(b.pk, b.due_date, b.open_fen, b.period_key)
                                                       for b in open_bills])
    by_id = {bill.pk: bill for bill in open_bills}
    drawn = 0
    for bill_id, fen in allocation.applied.items():
        ledger.post(account=account, kind=EntryKind.PREPAY_DRAW, at=now, actor=actor, bill=by_id[bill_id],
                    receivable=-fen, prepaid=-fen)
        drawn += fen
    if drawn:
        ledger.account_refresh(account)
    return drawn
