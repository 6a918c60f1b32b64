"""How the demo's homes pay their bills over the year: habits decided up front from a seeded random, then the
payments of each month, written after that month's bills.

Habits (shares of the homes): ~80 % pay every month within a few days of the due date, in the app (WeChat Pay,
Alipay) or at the desk (WeChat/Alipay by scanning, cash, card, bank transfer); ~8 % prepay 预存 a quarter or a year
(the billing run draws later bills from it, and they prepay again when it runs out); ~7 % pay late, in lumps every
two to four months; and a tail stops paying 6–14 months ago. That tail is clustered on homes with complaints: a home
with an open complaint (not closed) withholds its fees far more often, and so does a home that complained twice or
more in the year — residents often withhold fees over an unresolved complaint.

Writing: payments of the last ``LIVE_DAYS`` days (and today's, before the build) go through
``services.payments.payment_take`` like any cashier's or the app's. The year before that is replayed like the
service-desk history (``demo/history``): each payment is allocated by the same rule (``rules.arrears.allocate``,
oldest first) and written with ``bulk_create`` as ``payment_take`` would have left it — the receipt from the
project's receipt sequence, the lines, one PAYMENT ledger entry per bill and one PREPAY entry for the rest — then the
bills it paid, the prepayments and the accounts are brought in line with the ledger in a few set-based updates, and
the receipt counter is moved past the numbers used. ``payment_take`` takes 3–5 ms a payment; a year of ~100,000 of
them would take the demo build from one minute to eight. The demo test checks the ledger invariant over all of it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.models import Counter
from propdesk.fees.choices import EntryKind, FeeKind, PaymentChannel, PaymentMethod
from propdesk.fees.models import Account, Bill, LedgerEntry, Payment
from propdesk.fees.rules.arrears import OpenBill, allocate
from propdesk.fees.services import ledger
from propdesk.fees.services.payments import payment_take
from propdesk.org.models import Room
from propdesk.servicedesk.rules import numbers

TZ = ZoneInfo("Asia/Shanghai")
SEED_OFFSET = 1212
LIVE_DAYS = 7  # payments this recent go through payment_take
CHUNK = 500  # ids per set-based update

MONTHLY, PREPAY, LUMPS, ARREARS = "monthly", "prepay", "lumps", "arrears"
# Share of the habits: for any home, for a home with an open complaint, for one that complained twice in the year.
HABIT_SHARES = {
    "any": ((MONTHLY, 0.80), (PREPAY, 0.08), (LUMPS, 0.07), (ARREARS, 0.05)),
    "open_complaint": ((MONTHLY, 0.10), (PREPAY, 0.0), (LUMPS, 0.10), (ARREARS, 0.80)),
    "complainer": ((MONTHLY, 0.55), (PREPAY, 0.05), (LUMPS, 0.10), (ARREARS, 0.30)),
}
APP_METHODS = ((PaymentMethod.WECHAT, 0.62), (PaymentMethod.ALIPAY, 0.38))
DESK_METHODS = ((PaymentMethod.WECHAT, 0.30), (PaymentMethod.ALIPAY, 0.22), (PaymentMethod.CASH, 0.20),
                (PaymentMethod.CARD, 0.17), (PaymentMethod.TRANSFER, 0.11))
CASHIERS = (("agent", 0.5), ("agent2", 0.25), ("steward", 0.25))  # desk payments: who took the money


@dataclass
class Habit:
    kind: str
    app: bool  # pays in the app (else at the desk)
    method: str
    cashier: str  # username prefix of the desk's cashier
    offset: int  # days after the due date they usually pay (negative: before)
    prepay_months: int = 0  # 3 or 12
    start: int = 0  # prepay: month index of the first prepayment; lumps: phase
    every: int = 0  # lumps: months between payments
    unpaid: int = 0  # arrears: months owed at today
    complaint: str = ""  # "open_complaint", "complainer" or ""


@dataclass
class Planned:
    room_id: int
    at: datetime
    amount_fen: int
    method: str
    app: bool
    cashier: str
    payer: str
    bills: list = field(default_factory=list)  # the open bills (id, due, open, period, item name, description)


def _pick(rng: random.Random, choices) -> str:
    roll, total = rng.random(), 0.0
    for value, share in choices:
        total += share
        if roll < total:
            return value
    return choices[-1][0]


def plan_habits(rng: random.Random, room_ids: list[int], complaint_of: dict[int, str]) -> dict[int, Habit]:
    """Every home's habit, in room order (deterministic for a seed)."""
    habits = {}
    for room_id in room_ids:
        group = complaint_of.get(room_id, "")
        kind = _pick(rng, HABIT_SHARES[group or "any"])
        app = rng.random() < 0.58
        habit = Habit(kind=kind, app=app, method=_pick(rng, APP_METHODS if app else DESK_METHODS),
                      cashier=_pick(rng, CASHIERS), offset=rng.choice((-12, -9, -6, -4, -3, -2, -1, 0, 0, 1, 2, 3)),
                      complaint=group)
        if kind == PREPAY:
            habit.prepay_months = 12 if rng.random() < 0.45 else 3
            habit.start = rng.randrange(0, 10)
        elif kind == LUMPS:
            habit.every = rng.choice((2, 3, 3, 4))
            habit.start = rng.randrange(habit.every)
        elif kind == ARREARS:
            habit.unpaid = rng.choice((6, 7, 8, 9, 10, 11, 12, 13, 14)) if group else rng.randint(6, 14)
        habits[room_id] = habit
    return habits


def _at(rng: random.Random, day: date, app: bool) -> datetime:
    minute = rng.randint(7 * 60, 23 * 60 - 1) if app else rng.randint(8 * 60 + 30, 17 * 60 + 30)
    return datetime.combine(day, time(minute // 60, minute % 60, rng.randrange(60)), tzinfo=TZ)


def plan_month(rng: random.Random, habits: dict[int, Habit], *, index: int, months: int, first_day: date,
               open_bills: dict[int, list], prepaid: dict[int, int], payers: dict[int, str]) -> list[Planned]:
    """The payments of month ``index`` (0 = the oldest of ``months``), with the open bills at the start of it."""
    due = first_day.replace(day=15)
    last_day = (first_day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    out = []
    for room_id, habit in habits.items():
        roll = rng.random()  # drawn for every home every month: one home's change leaves the others alone
        jitter = rng.randint(-2, 2)
        bills = open_bills.get(room_id)
        if not bills:
            continue
        owed = sum(bill[2] for bill in bills)
        extra = 0
        kind = habit.kind
        if kind == ARREARS:
            if index >= months - habit.unpaid:
                continue
            kind = MONTHLY
        if kind == PREPAY and index >= habit.start:
            if index > habit.start and prepaid.get(room_id, 0) > 0:
                continue  # the billing run drew this month's bills from the prepayment
            # This month's bills and (n - 1) more months like them, rounded up to 10 yuan.
            current = sum(bill[2] for bill in bills if bill[1] >= first_day)
            extra = -(-current * (habit.prepay_months - 1) // 1000) * 1000
            day = due + timedelta(days=min(habit.offset, 0) + jitter)
        elif kind == LUMPS:
            if (index - habit.start) % habit.every:
                continue
            day = first_day.replace(day=min(28, 18 + abs(jitter) * 3 + (habit.offset % 5)))
        else:
            if roll < 0.04:
                continue  # forgot this month: pays both next month
            day = due + timedelta(days=habit.offset + jitter)
        day = min(max(day, first_day), last_day)
        method, app = habit.method, habit.app
        if rng.random() < 0.08:  # now and then another way
            app = not app
            method = _pick(rng, APP_METHODS if app else DESK_METHODS)
        out.append(Planned(room_id, _at(rng, day, app), owed + extra, method, app, habit.cashier,
                           payers.get(room_id, ""), bills))
    out.sort(key=lambda p: (p.at, p.room_id))
    return out


def open_bills_of(project_id: int) -> dict[int, list]:
    """The open bills of a project's homes: room → [(id, due, open, period, item name, description)]."""
    out: dict[int, list] = {}
    rows = (Bill.objects.filter(project_id=project_id, open_fen__gt=0).exclude(item__kind=FeeKind.LATE_FEE)
            .order_by("due_date", "period_key", "pk")
            .values_list("room_id", "pk", "due_date", "open_fen", "period_key", "item__name", "description"))
    for room_id, *bill in rows:
        out.setdefault(room_id, []).append(tuple(bill))
    return out


def prepaid_of(project_id: int) -> dict[int, int]:
    return dict(Account.objects.filter(project_id=project_id, prepaid_fen__gt=0).values_list("room_id", "prepaid_fen"))


class PaymentWriter:
    """Writes the planned payments of one project: replayed in bulk before ``live_from``, through payment_take from
    then until ``end``, none after."""

    def __init__(self, project, *, cashiers: dict[str, object], codes: dict[int, str], live_from: datetime,
                 end: datetime):
        self.project, self.cashiers, self.codes = project, cashiers, codes
        self.live_from, self.end = live_from, end
        self.key = numbers.receipt_counter_key(project.pk)
        self.counts = {"replayed": 0, "taken": 0}

    def write(self, planned: list[Planned]) -> None:
        replay = [p for p in planned if p.at < self.live_from]
        live = [p for p in planned if self.live_from <= p.at < self.end]
        if replay:
            self._replay(replay)
        for p in live:
            self._take(p)

    def _cashier(self, p: Planned):
        return None if p.app else self.cashiers[p.cashier]

    def _take(self, p: Planned) -> None:
        room = Room.objects.select_related("project").get(pk=p.room_id)
        payment_take(room=room, amount=p.amount_fen, method=p.method, actor=self._cashier(p), payer=p.payer or "业主",
                     channel=PaymentChannel.APP if p.app else PaymentChannel.DESK, now=p.at,
                     reference=_reference(p))
        self.counts["taken"] += 1

    def _replay(self, planned: list[Planned]) -> None:
        counter = Counter.objects.filter(key=self.key).first()
        sequence = counter.value if counter else 0
        project = self.project
        payments, allocations = [], []
        for p in planned:
            allocation = allocate(p.amount_fen, [OpenBill(b[0], b[1], b[2], b[3]) for b in p.bills])
            sequence += 1
            cashier = self._cashier(p)
            lines = []
            for bill in p.bills:
                if bill[0] in allocation.applied:
                    lines.append({"bill": bill[0], "item": bill[4], "period": bill[3],
                                  "fen": allocation.applied[bill[0]], "description": bill[5]})
            if allocation.prepayment_fen:
                lines.append({"bill": None, "item": _("Prepayment"), "period": "", "fen": allocation.prepayment_fen,
                              "description": ""})
            payments.append(Payment(
                project_id=project.pk, room_id=p.room_id, amount_fen=p.amount_fen, method=p.method,
                channel=PaymentChannel.APP if p.app else PaymentChannel.DESK,
                receipt_number=numbers.receipt_number(project.number_prefix, timezone.localtime(p.at, TZ).year,
                                                      sequence),
                payer=(p.payer or "业主")[:50], location=f"{project.name} {self._code(p.room_id)}", cashier=cashier,
                paid_at=p.at, reference=_reference(p), prepaid_added_fen=allocation.prepayment_fen, lines=lines))
            allocations.append((p, allocation, cashier))
        Payment.objects.bulk_create(payments)
        if any(payment.pk is None for payment in payments):  # a backend that returns no ids
            ids = dict(Payment.objects.filter(receipt_number__in=[x.receipt_number for x in payments])
                       .values_list("receipt_number", "pk"))
            for payment in payments:
                payment.pk = ids[payment.receipt_number]
        entries, paid_bills, prepaid = [], [], {}
        for payment, (p, allocation, cashier) in zip(payments, allocations, strict=True):
            open_by_id = {b[0]: b[2] for b in p.bills}
            for bill_id, fen in allocation.applied.items():
                assert fen == open_by_id[bill_id], "a replayed payment pays its bills in full"
                entries.append(LedgerEntry(project_id=project.pk, room_id=p.room_id, kind=EntryKind.PAYMENT,
                                           bill_id=bill_id, payment_id=payment.pk, receivable_fen=-fen, cash_fen=fen,
                                           at=p.at, actor=cashier))
                paid_bills.append(bill_id)
            if allocation.prepayment_fen:
                entries.append(LedgerEntry(project_id=project.pk, room_id=p.room_id, kind=EntryKind.PREPAY,
                                           payment_id=payment.pk, prepaid_fen=allocation.prepayment_fen,
                                           cash_fen=allocation.prepayment_fen, at=p.at, actor=cashier))
                prepaid[p.room_id] = prepaid.get(p.room_id, 0) + allocation.prepayment_fen
        LedgerEntry.objects.bulk_create(entries, batch_size=2000)
        for start in range(0, len(paid_bills), CHUNK):
            Bill.objects.filter(pk__in=paid_bills[start:start + CHUNK]).update(open_fen=0)
        for room_id, fen in prepaid.items():
            Account.objects.filter(room_id=room_id).update(prepaid_fen=F("prepaid_fen") + fen)
        rooms = sorted({p.room_id for p in planned})
        for start in range(0, len(rooms), CHUNK):
            ledger.accounts_refresh(room_ids=rooms[start:start + CHUNK])
        if counter is None:
            Counter.objects.create(key=self.key, value=sequence)
        else:
            Counter.objects.filter(pk=counter.pk).update(value=sequence)
        self.counts["replayed"] += len(payments)

    def _code(self, room_id: int) -> str:
        return self.codes[room_id]


def _reference(p: Planned) -> str:
    """What the gateway or the card terminal printed: a transaction number for WeChat/Alipay/card/transfer."""
    if p.method == PaymentMethod.CASH:
        return ""
    stamp = timezone.localtime(p.at, TZ).strftime("%Y%m%d%H%M%S")
    prefix = {PaymentMethod.WECHAT: "4200", PaymentMethod.ALIPAY: "2088", PaymentMethod.CARD: "POS",
              PaymentMethod.TRANSFER: "TR"}.get(p.method, "")
    return f"{prefix}{stamp}{p.room_id % 100000:05d}"
