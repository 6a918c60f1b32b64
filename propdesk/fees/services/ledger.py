"""The only writer of ledger entries and of the balances kept beside them (``Bill.open_fen``, ``Account``).

Every change to money goes through :func:`post` inside the caller's transaction, with the home's account locked
(:func:`account_lock`): two cashiers, or a cashier and the payment gateway, take turns on one home, and each sees
what the other wrote. Nothing here is ever updated or deleted; a void is a new entry with the opposite sign.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Min, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from ..models import Account, Bill, LedgerEntry


def account_lock(*, room) -> Account:
    """The home's account, created when missing, locked until the end of the caller's transaction."""
    assert transaction.get_connection().in_atomic_block, "lock the account inside a transaction"
    account = Account.objects.select_for_update().filter(room_id=room.pk).first()
    if account is None:
        try:
            with transaction.atomic():
                Account.objects.create(room_id=room.pk, project_id=room.project_id)
        except IntegrityError:  # created by another transaction at the same moment
            pass
        account = Account.objects.select_for_update().get(room_id=room.pk)
    return account


def post(*, account: Account, kind: str, at: datetime, actor=None, bill: Bill | None = None, payment=None,
         adjustment=None, refund=None, receivable: int = 0, prepaid: int = 0, cash: int = 0,
         note: str = "") -> LedgerEntry:
    """Append one entry and move the balances it changes. ``bill`` must be locked or freshly created by the caller
    (its ``open_fen`` is written from the value held here)."""
    if receivable:
        assert bill is not None and 0 <= bill.open_fen + receivable <= bill.amount_fen, "bill balance out of range"
        bill.open_fen += receivable
        Bill.objects.filter(pk=bill.pk).update(open_fen=bill.open_fen)
    if prepaid:
        assert account.prepaid_fen + prepaid >= 0, "prepayment would go negative"
        account.prepaid_fen += prepaid
        Account.objects.filter(pk=account.pk).update(prepaid_fen=account.prepaid_fen)
    return LedgerEntry.objects.create(
        project_id=account.project_id, room_id=account.room_id, kind=kind, bill=bill, payment=payment,
        adjustment=adjustment, refund=refund, receivable_fen=receivable, prepaid_fen=prepaid, cash_fen=cash, at=at,
        actor=actor, note=note[:200])


def account_refresh(account: Account) -> Account:
    """What the home owes and since when, read from its open bills (one indexed query)."""
    summary = Bill.objects.filter(room_id=account.room_id, open_fen__gt=0).aggregate(
        owed=Coalesce(Sum("open_fen"), 0), oldest=Min("due_date"))
    account.owed_fen, account.oldest_due = summary["owed"], summary["oldest"]
    Account.objects.filter(pk=account.pk).update(owed_fen=account.owed_fen, oldest_due=account.oldest_due)
    return account


def accounts_refresh(*, room_ids) -> int:
    """:func:`account_refresh` for many homes at once (a billing run): one UPDATE per batch."""
    open_bills = Bill.objects.filter(room_id=OuterRef("room_id"), open_fen__gt=0).order_by().values("room_id")
    return Account.objects.filter(room_id__in=list(room_ids)).update(
        owed_fen=Coalesce(Subquery(open_bills.annotate(s=Sum("open_fen")).values("s")[:1]), 0),
        oldest_due=Subquery(open_bills.annotate(m=Min("due_date")).values("m")[:1]))
