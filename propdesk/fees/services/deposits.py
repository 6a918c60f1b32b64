"""Deposits 押金 (装修押金 …): charged to a home as a bill of a DEPOSIT item, paid like any bill (desk, app,
prepayment), held until the process that asked for it ends, then paid back less what was deducted.

A deposit is money held, not earned: collection-rate reports and late fees leave DEPOSIT bills out. Paying it back
appends one DEPOSIT_REFUND entry on the deposit's bill (cash −; what the bill owes does not change). The amount still
held is what was paid on the bill less what was refunded, read from the ledger under the home's account lock, so two
refunds of one deposit never pay back more than was paid in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

from ..choices import EntryKind, FeeKind
from ..models import Bill, FeeItem, LedgerEntry
from . import ledger
from .adjustments import yuan
from .billing import prepayment_apply

NOTE_MAX = 200


def _field(name: str, message: str, *, status: int = 400) -> ApplicationError:
    return ApplicationError(message, extra={"fields": {name: [message]}}, status_code=status)


def deposit_charge(*, room, item: FeeItem, amount_fen: int, note: str, actor, now: datetime | None = None,
                   due_days: int = 0) -> Bill:
    """Issue a bill of ``amount_fen`` for the project's ``item`` to ``room`` (the caller's transaction, or its own).
    ``item`` is a DEPOSIT or ONE_OFF item of the home's project (a renovation charges both: 装修押金 and
    装修垃圾清运费). Drawn from the home's prepayment like any new bill."""
    now = now or timezone.now()
    if item.project_id != room.project_id or item.kind not in (FeeKind.DEPOSIT, FeeKind.ONE_OFF) or not item.active:
        raise _field("item", _("Choose a deposit or one-off item of this project."))
    if amount_fen is None or int(amount_fen) <= 0:
        raise _field("amount", _("Enter an amount above zero."))
    note = (note or "").strip()[:NOTE_MAX]
    today = timezone.localdate(now)
    with transaction.atomic():
        account = ledger.account_lock(room=room)
        number = Bill.objects.filter(room_id=room.pk, item=item, period_key__startswith=today.isoformat()).count()
        bill = Bill.objects.create(
            project_id=room.project_id, room=room, item=item, period_key=f"{today.isoformat()}#{number + 1}",
            period_start=today, period_end=today + timedelta(days=1), due_date=today + timedelta(days=due_days),
            amount_fen=int(amount_fen), open_fen=0, description=(note or item.name)[:200], issued_at=now,
            issued_by=actor)
        ledger.post(account=account, kind=EntryKind.CHARGE, at=now, actor=actor, bill=bill,
                    receivable=int(amount_fen), note=note)
        ledger.account_refresh(account)
        prepayment_apply(account=account, now=now, actor=actor)
        bill.refresh_from_db()
    return bill


def deposit_paid_fen(bill: Bill) -> int:
    """What has been paid on the deposit's bill (its amount less what it still owes)."""
    return int(bill.amount_fen) - int(bill.open_fen)


def deposit_refunded_fen(bill: Bill) -> int:
    return -(LedgerEntry.objects.filter(bill_id=bill.pk, kind=EntryKind.DEPOSIT_REFUND)
             .aggregate(s=Sum("cash_fen"))["s"] or 0)


def deposit_held_fen(bill: Bill) -> int:
    """Paid in and not yet paid back."""
    return deposit_paid_fen(bill) - deposit_refunded_fen(bill)


def deposit_refund(*, bill: Bill, amount_fen: int, note: str, actor, now: datetime | None = None) -> LedgerEntry:
    """Pay ``amount_fen`` of the deposit back (the caller has approved it). Refused above what is held now; zero is
    refused too (a deposit deducted in full is closed without a refund entry by the caller)."""
    now = now or timezone.now()
    if bill.item.kind != FeeKind.DEPOSIT:
        raise _field("bill", _("This bill is not a deposit."))
    amount_fen = int(amount_fen)
    if amount_fen <= 0:
        raise _field("amount", _("Enter an amount above zero."))
    with transaction.atomic():
        account = ledger.account_lock(room=bill.room)
        bill = Bill.objects.select_for_update().get(pk=bill.pk)
        held = deposit_held_fen(bill)
        if amount_fen > held:
            raise _field("amount", _("The deposit holds %(held)s yuan: at most that can be paid back.")
                         % {"held": yuan(held)}, status=409)
        return ledger.post(account=account, kind=EntryKind.DEPOSIT_REFUND, at=now, actor=actor, bill=bill,
                           cash=-amount_fen, note=(note or "").strip()[:NOTE_MAX])
