"""Reads of the resident's fees: the account of the home they act for, their receipts, their online orders. Every
read starts from the signed-in resident (``restrict(user)``: the homes they live in now) and shows what a household
may see: bills, payments and receipt numbers, never staff notes, adjustment reasons or who was at the desk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum
from django.utils import timezone

from propdesk.portal import selectors as portal

from ..models import Account, Bill, OnlineOrder, Payment
from ..rules.money import chinese_capitals, fen_to_yuan

RECENT_PAYMENTS = 20


def yuan(fen: int) -> str:
    return f"{fen_to_yuan(int(fen))}"


def resident_home(*, user, session=None, on: date | None = None):
    """The home (an Occupancy, with room and project) the signed-in resident acts for, or None (staff, no home)."""
    resident = portal.resident_of(user)
    if resident is None:
        return None
    chosen = session.get(portal.CURRENT_HOME_SESSION_KEY) if session is not None else None
    return portal.current_home(resident=resident, on=on or timezone.localdate(), chosen_id=chosen)


@dataclass
class MyAccount:
    home: object  # Occupancy
    owed_fen: int = 0
    prepaid_fen: int = 0
    bills: list = field(default_factory=list)
    payments: list = field(default_factory=list)

    @property
    def owed(self) -> str:
        return yuan(self.owed_fen)

    @property
    def prepaid(self) -> str:
        return yuan(self.prepaid_fen)

    @property
    def owed_capitals(self) -> str:
        return chinese_capitals(self.owed_fen) if self.owed_fen else ""


def _since(home):
    """Payments a household sees: those made since it moved in (not the previous owner's)."""
    return getattr(home, "start_date", None)


def open_bills(*, user, room_id: int):
    return (Bill.objects.restrict(user).filter(room_id=room_id, open_fen__gt=0).select_related("item")
            .only("id", "item__name", "period_key", "period_start", "period_end", "due_date", "amount_fen",
                  "open_fen", "description")
            .order_by("due_date", "period_key", "pk"))


def my_payments(*, user, home):
    payments = Payment.objects.restrict(user).filter(room_id=home.room_id)
    since = _since(home)
    if since is not None:
        payments = payments.filter(paid_at__date__gte=since)
    return payments.only("id", "receipt_number", "amount_fen", "method", "channel", "paid_at", "voided_at",
                         "prepaid_added_fen").order_by("-paid_at", "-id")


def my_account(*, user, home, on: date) -> MyAccount:
    """What the home owes (bills open, oldest first, each with its due date and whether it is overdue), its
    prepayment, and the latest payments with their receipt numbers. A fixed number of queries."""
    account = MyAccount(home=home)
    bills = list(open_bills(user=user, room_id=home.room_id))
    for bill in bills:
        bill.open_yuan, bill.amount_yuan = yuan(bill.open_fen), yuan(bill.amount_fen)
        bill.overdue = bill.due_date < on
    account.bills = bills
    account.owed_fen = sum(bill.open_fen for bill in bills)
    account.prepaid_fen = (Account.objects.restrict(user).filter(room_id=home.room_id)
                           .values_list("prepaid_fen", flat=True).first() or 0)
    payments = list(my_payments(user=user, home=home)[:RECENT_PAYMENTS])
    for payment in payments:
        payment.amount_yuan = yuan(payment.amount_fen)
    account.payments = payments
    return account


def owed_total(*, user, home) -> int:
    """What the home owes now (the portal's banner): one aggregate."""
    return (Bill.objects.restrict(user).filter(room_id=home.room_id, open_fen__gt=0)
            .aggregate(s=Sum("open_fen"))["s"] or 0)


def my_receipt(*, user, payment_id: int) -> Payment:
    """One receipt of a home the resident lives in; another's raises DoesNotExist (a 404)."""
    payment = Payment.objects.restrict(user).select_related("project").get(pk=payment_id)
    payment.amount_yuan = yuan(payment.amount_fen)
    payment.capitals = chinese_capitals(payment.amount_fen)
    payment.line_rows = [{**line, "yuan": yuan(line.get("fen", 0))} for line in payment.lines]
    return payment


def my_order(*, user, out_trade_no: str) -> OnlineOrder:
    """An online order of a home the resident lives in; another's raises DoesNotExist (a 404)."""
    number = str(out_trade_no)
    if "\x00" in number or len(number) > 32:  # no such number is ever issued (and PostgreSQL refuses a NUL)
        raise OnlineOrder.DoesNotExist(number[:40])
    order = (OnlineOrder.objects.restrict(user).select_related("payment", "project", "room")
             .get(out_trade_no=number))
    order.amount_yuan = yuan(order.amount_fen)
    return order
