"""Reads of the front desk: find a home in one search box, and the account of a home.

Everything starts from ``Room.objects.restrict(user)``: a home outside the user's scope is not there (404). Query
counts are fixed whatever the number of occupants, bills, payments or complaints shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from propdesk.customers.models import Occupancy, Phone, Resident
from propdesk.customers.rules.phones import InvalidNumber, normalize_phone
from propdesk.org.models import Room
from propdesk.org.rules import parse_room_code
from propdesk.servicedesk.choices import Kind, RequestStatus
from propdesk.servicedesk.models import ServiceRequest
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import EntryKind, FeeKind
from ..models import Account, Adjustment, Bill, LedgerEntry, Payment
from ..rules.late_fees import LateFeeRule, days_overdue, late_fee
from ..rules.money import chinese_capitals

SEARCH_LIMIT = 20
HISTORY_LIMIT = 30
OWNER_FIRST = {"owner": 0, "co_owner": 1, "tenant": 2, "family": 3, "occupant": 4}


def masked_name(name: str) -> str:
    """周美玲 → 周**: for a role that may not see who lives where in full (no REVEAL_PHONE)."""
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


@dataclass
class Occupant:
    resident_id: int
    name: str
    relation: str
    relation_label: str
    phone: str  # masked


def _occupants(room_ids, *, reveal_names: bool) -> dict[int, list[Occupant]]:
    """Who lives in each home now, owner first, each with their primary phone masked (two queries)."""
    by_room: dict[int, list[Occupant]] = {}
    occupancies = (Occupancy.objects.current().filter(room_id__in=list(room_ids)).select_related("resident")
                   .prefetch_related(Prefetch("resident__phones", queryset=Phone.objects.order_by("-is_primary", "id")))
                   .order_by("room_id", "id"))
    for occupancy in occupancies:
        phones = list(occupancy.resident.phones.all())
        name = occupancy.resident.name
        by_room.setdefault(occupancy.room_id, []).append(Occupant(
            occupancy.resident_id, name if reveal_names else masked_name(name), occupancy.relation,
            str(occupancy.get_relation_display()), phones[0].masked if phones else ""))
    for occupants in by_room.values():
        occupants.sort(key=lambda o: OWNER_FIRST.get(o.relation, 9))
    return by_room


def _search_filter(user, q: str) -> Q:
    """A phone (full or last four digits), a room code (3-2-1802, 3栋2单元1802), a bare room number, or a name."""
    compact = re.sub(r"[\s\-()（）+]", "", q)
    digits = compact.isdigit()
    code = parse_room_code(q)
    residents = None
    rooms = Q(pk__in=[])
    if digits and (len(compact) == 4 or len(compact) >= 7):
        if len(compact) == 4:  # the last four digits of a phone, or a room number ("1802")
            residents = Phone.objects.restrict(user).filter(last4=compact).values("resident_id")
            rooms |= Q(number=compact)
        else:
            try:
                number, _kind = normalize_phone(q)
            except InvalidNumber:
                number = None
            if number:
                residents = Phone.objects.restrict(user).filter(number=number).values("resident_id")
    elif code:
        rooms |= Q(code="-".join(code))
    elif digits:
        if 3 <= len(compact) <= 5:  # the agent heard only the room number
            rooms |= Q(number=compact)
    else:
        match = Q(name__startswith=q) if len(q) < 2 else Q(name__contains=q)
        residents = Resident.objects.restrict(user).filter(match).values("id")
    if residents is not None:
        rooms |= Q(pk__in=Occupancy.objects.current().filter(resident_id__in=residents).values("room_id"))
    return rooms


def home_search(*, user, q: str, limit: int = SEARCH_LIMIT) -> list[Room]:
    """Homes in the user's scope matching ``q``, each with ``occupants``, ``owed_fen`` and ``prepaid_fen``."""
    q = (q or "").strip()[:50]
    if not q:
        return []
    rooms = list(Room.objects.restrict(user).filter(_search_filter(user, q))
                 .select_related("project", "fee_account").order_by("project_id", "code")[:limit])
    occupants = _occupants([room.pk for room in rooms], reveal_names=user_can(user, Capability.REVEAL_PHONE))
    for room in rooms:
        account = _account_of(room)
        room.occupants = occupants.get(room.pk, [])
        room.owed_fen, room.prepaid_fen, room.oldest_due = account.owed_fen, account.prepaid_fen, account.oldest_due
    return rooms


def _account_of(room) -> Account:
    try:
        return room.fee_account
    except Account.DoesNotExist:  # no bill and no payment yet
        return Account(room=room, project_id=room.project_id)


@dataclass
class ItemGroup:
    item: object
    bills: list = field(default_factory=list)
    open_fen: int = 0
    late_fee_fen: int = 0


@dataclass
class DepositRefund:
    at: object
    amount_fen: int
    note: str


@dataclass
class Deposit:
    """A deposit bill of the home (装修押金 …): paid in, paid back (DEPOSIT_REFUND entries), still held."""

    bill: Bill
    refunds: list[DepositRefund] = field(default_factory=list)  # oldest first

    @property
    def paid_fen(self) -> int:
        return self.bill.amount_fen - self.bill.open_fen

    @property
    def refunded_fen(self) -> int:
        return sum(refund.amount_fen for refund in self.refunds)

    @property
    def held_fen(self) -> int:
        return self.paid_fen - self.refunded_fen


def deposits_of(*, room_id: int) -> list[Deposit]:
    """The home's deposit bills, newest first, each with its refunds (two queries)."""
    bills = list(Bill.objects.filter(room_id=room_id, item__kind=FeeKind.DEPOSIT).select_related("item")
                 .order_by("-issued_at", "-pk")[:HISTORY_LIMIT])
    deposits = {bill.pk: Deposit(bill) for bill in bills}
    if deposits:
        for entry in (LedgerEntry.objects.filter(bill_id__in=list(deposits), kind=EntryKind.DEPOSIT_REFUND)
                      .order_by("at", "pk")):
            deposits[entry.bill_id].refunds.append(DepositRefund(entry.at, -entry.cash_fen, entry.note))
    return list(deposits.values())


@dataclass
class AccountDetail:
    room: Room
    account: Account
    occupants: list[Occupant]
    groups: list[ItemGroup]
    open_bills: list[Bill]
    late_fee_fen: int
    payments: list[Payment]
    adjustments: list[Adjustment]
    complaints: list[ServiceRequest]
    on: date
    deposits: list[Deposit] = field(default_factory=list)

    @property
    def owed_fen(self) -> int:
        return self.account.owed_fen

    @property
    def owed_capitals(self) -> str:
        return chinese_capitals(self.account.owed_fen)

    @property
    def payer(self) -> str:
        """Who usually pays: the owner (the first occupant otherwise)."""
        return self.occupants[0].name if self.occupants else ""


def late_fee_rule(item) -> LateFeeRule | None:
    """The item's late fee rule, or None when it charges none (no daily rate, the late fee item itself, a deposit)."""
    if not item.late_daily_bp or item.kind in (FeeKind.LATE_FEE, FeeKind.DEPOSIT):
        return None
    return LateFeeRule(daily_bp=item.late_daily_bp, grace_days=item.late_grace_days, cap_bp=item.late_cap_bp)


def open_bills(*, room_id: int, on: date) -> list[Bill]:
    """The home's open bills oldest first, each with ``days_overdue`` and ``late_fee_fen`` accruing (not charged)."""
    bills = list(Bill.objects.filter(room_id=room_id, open_fen__gt=0).select_related("item")
                 .order_by("due_date", "period_key", "pk"))
    for bill in bills:
        rule = late_fee_rule(bill.item)
        bill.days_overdue = days_overdue(bill.due_date, on)
        bill.late_fee_fen = late_fee(principal_fen=bill.open_fen, due=bill.due_date, on=on, rule=rule) if rule else 0
    return bills


def account_detail(*, user, room_id: int, on: date) -> AccountDetail:
    """The account of a home in the user's scope (Room.DoesNotExist otherwise): occupants, balances, open bills by
    item with the late fee accruing on each, payments and adjustments, and the home's open complaints."""
    room = (Room.objects.restrict(user).select_related("project", "project__company", "building", "unit",
                                                       "fee_account").get(pk=room_id))
    bills = open_bills(room_id=room.pk, on=on)
    groups: dict[int, ItemGroup] = {}
    for bill in bills:
        group = groups.setdefault(bill.item_id, ItemGroup(bill.item))
        group.bills.append(bill)
        group.open_fen += bill.open_fen
        group.late_fee_fen += bill.late_fee_fen
    payments = list(Payment.objects.filter(room_id=room.pk)
                    .select_related("cashier__staff_profile", "voided_by__staff_profile")
                    .order_by("-paid_at", "-pk")[:HISTORY_LIMIT])
    adjustments = list(Adjustment.objects.filter(room_id=room.pk)
                       .select_related("bill__item", "requested_by__staff_profile", "decided_by__staff_profile")
                       .order_by("-requested_at", "-pk")[:HISTORY_LIMIT])
    complaints = list(ServiceRequest.objects.restrict(user)
                      .filter(room_id=room.pk, kind=Kind.COMPLAINT)
                      .exclude(status__in=[RequestStatus.CLOSED, RequestStatus.CANCELLED])
                      .order_by("received_at", "pk"))
    occupants = _occupants([room.pk], reveal_names=user_can(user, Capability.REVEAL_PHONE)).get(room.pk, [])
    return AccountDetail(room=room, account=_account_of(room), occupants=occupants,
                         groups=sorted(groups.values(), key=lambda g: (g.item.position, g.item.pk)),
                         open_bills=bills, late_fee_fen=sum(b.late_fee_fen for b in bills), payments=payments,
                         adjustments=adjustments, complaints=complaints, on=on,
                         deposits=deposits_of(room_id=room.pk))


def payment_detail(*, user, payment_id: int) -> Payment:
    """A payment (receipt) of a home in the user's scope, or Payment.DoesNotExist."""
    return (Payment.objects.restrict(user)
            .select_related("project", "project__company", "room", "cashier__staff_profile",
                            "voided_by__staff_profile").get(pk=payment_id))


def homes_accounts(*, user, room_ids) -> dict[int, Account]:
    """The accounts of several homes in the user's scope (the customer 360 panel), one query."""
    return {a.room_id: a for a in Account.objects.restrict(user).filter(room_id__in=list(room_ids))}
