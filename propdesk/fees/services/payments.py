"""Payments at the front desk (and, through services/online.py, in the app), their receipts, and voids.

A payment is spread over the open bills the payer chose, in the order chosen, or oldest first; what is left over
becomes prepayment (预存) unless the form must match the chosen bills. Paying from the prepayment draws it down.
Each payment takes the next number of the project's receipt sequence (the one paid repairs use) after every check,
inside the transaction that records it, with the home's account locked: two cashiers paying the same bill take
turns and the second sees what is left; a double-submitted form (same one-time key) gets the first payment back.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.core.sequences import counter_take
from propdesk.servicedesk.rules import numbers

from ..choices import EntryKind, PaymentChannel, PaymentMethod
from ..models import Bill, Payment
from ..rules.arrears import AllocationError, OpenBill, allocate
from . import ledger
from .amounts import fen_from_input

IDEMPOTENCY_KEY_MAX = 64


def _fields(name: str, message: str) -> ApplicationError:
    return ApplicationError(message, extra={"fields": {name: [message]}})


def _allocation_message(code: str) -> tuple[str, str]:
    return {
        "amount_not_positive": ("amount", _("Enter an amount above zero.")),
        "chosen_twice": ("bills", _("A bill was chosen twice.")),
        "unknown_bill": ("bills", _("A chosen bill is not an open bill of this home. Reload the page.")),
        "bill_not_open": ("bills", _("A chosen bill is already paid. Reload the page.")),
        "exceeds_open": ("amount", _("The amount is more than the chosen bills owe.")),
    }.get(code, ("amount", _("The amount does not match the chosen bills.")))


def room_label(room) -> str:
    return f"{room.project.name} {room.code}"


def payment_take(*, room, amount, method: str, actor, bill_ids: list[int] | None = None, payer: str = "",
                 reference: str = "", idempotency_key: str | None = None, match_chosen: bool = False,
                 channel: str = PaymentChannel.DESK, chosen_only: bool = False,
                 now: datetime | None = None) -> Payment:
    """Record a payment for ``room`` and return it (with its receipt number). ``amount`` is what was typed
    (yuan) or fen as an int when ``channel`` is the app. With ``chosen_only`` an empty ``bill_ids`` means no bill
    at all (the whole amount becomes prepayment) instead of oldest first: an app payment whose bills were meanwhile
    paid at the desk. Raises ApplicationError with field messages."""
    now = now or timezone.now()
    if method not in PaymentMethod.values:
        raise _fields("method", _("Choose how the money was paid."))
    fen = amount if isinstance(amount, int) and not isinstance(amount, bool) else fen_from_input(amount)
    if fen <= 0:
        raise _fields("amount", _("Enter an amount above zero."))
    payer = (payer or "").strip()[:50]
    if not payer:
        raise _fields("payer", _("Enter who paid."))
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > IDEMPOTENCY_KEY_MAX:
        raise _fields("idempotency_key", _("The form's key is too long."))
    chosen = None
    if bill_ids or (chosen_only and bill_ids is not None):
        try:
            chosen = [int(b) for b in bill_ids]
        except (TypeError, ValueError):
            raise _fields("bills", _("A chosen bill is not an open bill of this home. Reload the page.")) from None
    with transaction.atomic():
        account = ledger.account_lock(room=room)
        if key is not None:
            earlier = Payment.objects.filter(idempotency_key=key).first()
            if earlier is not None:
                if earlier.room_id != room.pk:
                    raise ApplicationError(_("This form was already used for another home."), status_code=409)
                return earlier  # the same form sent twice: one payment
        open_bills = list(Bill.objects.select_for_update().select_related("item")
                          .filter(room_id=room.pk, open_fen__gt=0).order_by("due_date", "period_key", "pk"))
        by_id = {bill.pk: bill for bill in open_bills}
        from_prepaid = method == PaymentMethod.PREPAID
        if from_prepaid and fen > account.prepaid_fen:
            raise _fields("amount", _("The prepaid balance is %(balance)s yuan: not enough for this amount.")
                          % {"balance": f"{account.prepaid_fen / 100:.2f}"})
        try:
            allocation = allocate(fen, [OpenBill(b.pk, b.due_date, b.open_fen, b.period_key) for b in open_bills],
                                  chosen=chosen, allow_prepayment=not (match_chosen or from_prepaid))
        except AllocationError as error:
            name, message = _allocation_message(str(error.args[0]) if error.args else "")
            raise _fields(name, message) from None
        sequence = counter_take(numbers.receipt_counter_key(room.project_id))
        payment = Payment.objects.create(
            project_id=room.project_id, room=room, amount_fen=fen, method=method, channel=channel,
            receipt_number=numbers.receipt_number(room.project.number_prefix, timezone.localtime(now).year, sequence),
            payer=payer, location=room_label(room), cashier=actor if channel == PaymentChannel.DESK else None,
            paid_at=now, reference=(reference or "").strip()[:64], idempotency_key=key,
            prepaid_added_fen=allocation.prepayment_fen)
        lines = []
        for bill_id, applied in allocation.applied.items():
            bill = by_id[bill_id]
            if from_prepaid:
                ledger.post(account=account, kind=EntryKind.PREPAY_DRAW, at=now, actor=actor, bill=bill,
                            payment=payment, receivable=-applied, prepaid=-applied)
            else:
                ledger.post(account=account, kind=EntryKind.PAYMENT, at=now, actor=actor, bill=bill,
                            payment=payment, receivable=-applied, cash=applied)
            lines.append({"bill": bill.pk, "item": bill.item.name, "period": bill.period_key, "fen": applied,
                          "description": bill.description})
        if allocation.prepayment_fen:
            ledger.post(account=account, kind=EntryKind.PREPAY, at=now, actor=actor, payment=payment,
                        prepaid=allocation.prepayment_fen, cash=allocation.prepayment_fen)
            lines.append({"bill": None, "item": _("Prepayment"), "period": "", "fen": allocation.prepayment_fen,
                          "description": ""})
        payment.lines = lines
        payment.save(update_fields=["lines"])
        ledger.account_refresh(account)
    return payment


def can_void(actor, payment: Payment, *, now: datetime | None = None) -> bool:
    """The cashier voids their own mistake on the day it was made; finance voids any payment."""
    from propdesk.staff.permissions import user_can
    from propdesk.staff.rules.roles import Capability

    if payment.is_void:
        return False
    if user_can(actor, Capability.MANAGE_BILLING):
        return True
    now = now or timezone.now()
    return (payment.channel == PaymentChannel.DESK and payment.cashier_id == getattr(actor, "pk", None)
            and user_can(actor, Capability.TAKE_PAYMENTS)
            and timezone.localdate(payment.paid_at) == timezone.localdate(now))


def payment_void(*, payment: Payment, actor, reason: str, now: datetime | None = None) -> Payment:
    """Void a payment: its receipt keeps its number (作废), every entry it made is reversed, the bills it paid are
    open again. Refused when its prepayment has already been spent on later bills."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise _fields("reason", _("Say why the receipt is voided."))
    with transaction.atomic():
        account = ledger.account_lock(room=payment.room)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.is_void:
            raise ApplicationError(_("Receipt %(number)s is already void.") % {"number": payment.receipt_number},
                                   status_code=409)
        if not can_void(actor, payment, now=now):
            raise ApplicationError(_("Only finance can void this receipt (a cashier voids their own, the same day)."),
                                   status_code=403)
        entries = list(payment.entries.select_related("bill").order_by("pk"))
        prepaid_back = -sum(entry.prepaid_fen for entry in entries)
        if account.prepaid_fen + prepaid_back < 0:
            raise ApplicationError(_("The prepayment of this receipt has already paid later bills: void those "
                                     "payments first or ask finance for a correction."), status_code=409)
        bills = {b.pk: b for b in Bill.objects.select_for_update().filter(
            pk__in=[e.bill_id for e in entries if e.bill_id])}
        for entry in entries:
            ledger.post(account=account, kind=EntryKind.REVERSAL, at=now, actor=actor,
                        bill=bills.get(entry.bill_id), payment=payment, receivable=-entry.receivable_fen,
                        prepaid=-entry.prepaid_fen, cash=-entry.cash_fen, note=reason)
        payment.voided_at, payment.voided_by, payment.void_reason = now, actor, reason[:200]
        payment.save(update_fields=["voided_at", "voided_by", "void_reason"])
        ledger.account_refresh(account)
    return payment
