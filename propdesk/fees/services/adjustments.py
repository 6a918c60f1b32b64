"""Reductions 减免, corrections and late-fee waivers of a bill: each a signed ADJUSTMENT ledger entry with who and why.

- A reduction (``waiver``) or a late-fee waiver is asked for by the desk, finance or a manager and takes effect only
  when someone with APPROVE_FEES who did not ask for it approves it. A refusal records why.
- A correction is finance's (MANAGE_BILLING) and takes effect at once: it reduces what the bill owes, or adds back up
  to what earlier reductions took. A bill never owes more than it charged (``open_fen <= amount_fen`` is a database
  constraint): charging more is a new one-off bill.
- Approving locks the home's account and the bill and re-reads what the bill owes: a bill paid in the meantime cannot
  go below zero, and the approval is refused with the amount it still owes.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import AdjustmentKind, ApprovalStatus, EntryKind, FeeKind
from ..models import Adjustment, Bill
from ..rules.late_fees import waiver_requirements
from ..rules.money import fen_to_yuan
from . import ledger
from .amounts import fen_from_input

REASON_MAX = 200
NOTE_MAX = 200
REDUCE, ADD = "reduce", "add"


def _field(name: str, message: str, *, status: int = 400) -> ApplicationError:
    return ApplicationError(message, extra={"fields": {name: [message]}}, status_code=status)


def yuan(fen: int) -> str:
    return f"{fen_to_yuan(fen)}"


def can_request(user, kind: str) -> bool:
    """Who may ask for an adjustment of this kind: a correction is finance's; a reduction or late-fee waiver is asked
    for by whoever handles the home's money (the desk, finance, a manager)."""
    if kind == AdjustmentKind.CORRECTION:
        return user_can(user, Capability.MANAGE_BILLING)
    return any(user_can(user, c) for c in (Capability.TAKE_PAYMENTS, Capability.MANAGE_BILLING,
                                             Capability.APPROVE_FEES))


def can_decide(user) -> bool:
    return user_can(user, Capability.APPROVE_FEES)


def _reason(reason, *, late_fee: bool) -> str:
    text = (reason or "").strip()
    if not text:
        raise _field("reason", _("Give the reason for this adjustment."))
    if late_fee and not waiver_requirements(amount_fen=1, late_fee_fen=1, reason=text, approver_is_manager=True).ok:
        raise _field("reason", _("Give the reason for waiving the late fee (at least 4 characters)."))
    if len(text) > REASON_MAX:
        raise _field("reason", _("The reason is too long (at most 200 characters)."))
    return text


def _reductions_fen(bill: Bill) -> int:
    """What approved adjustments have taken off the bill so far (fen, positive)."""
    total = Adjustment.objects.filter(bill_id=bill.pk, status=ApprovalStatus.APPROVED).aggregate(
        s=Sum("amount_fen"))["s"] or 0
    return max(0, -total)


def _pending_reductions_fen(bill: Bill) -> int:
    total = Adjustment.objects.filter(bill_id=bill.pk, status=ApprovalStatus.PENDING).aggregate(
        s=Sum("amount_fen"))["s"] or 0
    return max(0, -total)


def adjustment_request(*, bill: Bill, kind: str, amount, reason: str, actor, now: datetime | None = None,
                       direction: str = REDUCE) -> Adjustment:
    """Ask for a reduction or a late-fee waiver of ``amount`` (typed yuan, what the bill should owe less), or make a
    correction (``direction`` "reduce" or "add": add back what earlier reductions took). Returns the adjustment:
    pending for a reduction or waiver, approved (and on the ledger) for a correction."""
    now = now or timezone.now()
    if kind not in AdjustmentKind.values:
        raise _field("kind", _("Choose the kind of adjustment."))
    if not can_request(actor, kind):
        if kind == AdjustmentKind.CORRECTION:
            raise PermissionDenied(_("Only finance corrects a bill."))
        raise PermissionDenied(_("Your role may not ask for a reduction."))
    if direction not in (REDUCE, ADD) or (direction == ADD and kind != AdjustmentKind.CORRECTION):
        raise _field("direction", _("Only a correction can add back to a bill."))
    is_late_fee = kind == AdjustmentKind.LATE_FEE_WAIVER
    text = _reason(reason, late_fee=is_late_fee)
    fen = fen_from_input(amount)
    if fen <= 0:
        raise _field("amount", _("Enter an amount above zero."))
    with transaction.atomic():
        account = ledger.account_lock(room=bill.room)
        bill = Bill.objects.select_for_update().select_related("item").get(pk=bill.pk)
        bill_is_late_fee = bill.item.kind == FeeKind.LATE_FEE
        if is_late_fee and not bill_is_late_fee:
            raise _field("bill", _("A late-fee waiver is for a late-fee bill; use a reduction for this bill."))
        if kind == AdjustmentKind.WAIVER and bill_is_late_fee:
            raise _field("kind", _("Waive a late fee with a late-fee waiver."))
        if direction == ADD:
            room_back = min(_reductions_fen(bill), bill.amount_fen - bill.open_fen)
            if fen > room_back:
                raise _field("amount", _(
                    "A correction can add back at most %(max)s yuan (what earlier reductions took off this bill). "
                    "To charge more, issue a new one-off bill.") % {"max": yuan(room_back)})
            change = fen
        else:
            available = bill.open_fen - (_pending_reductions_fen(bill) if kind != AdjustmentKind.CORRECTION else 0)
            if fen > available:
                if bill.open_fen == 0:
                    message = _("This bill is paid: nothing is left to reduce. Money paid back comes from the "
                                "prepayment as a refund.")
                elif available < bill.open_fen:
                    message = _("The bill owes %(open)s yuan and reductions of %(pending)s yuan wait for approval: "
                                "at most %(max)s yuan more can be reduced.") % {
                        "open": yuan(bill.open_fen), "pending": yuan(bill.open_fen - available),
                        "max": yuan(max(0, available))}
                else:
                    message = _("The bill owes only %(open)s yuan.") % {"open": yuan(bill.open_fen)}
                raise _field("amount", message)
            change = -fen
        adjustment = Adjustment.objects.create(
            project_id=bill.project_id, room_id=bill.room_id, bill=bill, kind=kind, amount_fen=change,
            reason=text, requested_by=actor, requested_at=now)
        if kind == AdjustmentKind.CORRECTION:
            adjustment.status, adjustment.decided_by, adjustment.decided_at = ApprovalStatus.APPROVED, actor, now
            adjustment.save(update_fields=["status", "decided_by", "decided_at"])
            ledger.post(account=account, kind=EntryKind.ADJUSTMENT, at=now, actor=actor, bill=bill,
                        adjustment=adjustment, receivable=change, note=text)
            ledger.account_refresh(account)
    return adjustment


def adjustment_decide(*, adjustment: Adjustment, actor, approve: bool, note: str = "",
                      now: datetime | None = None) -> Adjustment:
    """Approve (posts the ADJUSTMENT entry) or refuse (with why) a pending reduction or late-fee waiver."""
    now = now or timezone.now()
    if not can_decide(actor):
        raise PermissionDenied(_("Only a manager approves reductions and waivers."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise _field("note", _("The note is too long (at most 200 characters)."))
    if not approve and not note:
        raise _field("note", _("Say why the request is refused."))
    with transaction.atomic():
        account = ledger.account_lock(room=adjustment.room)
        adjustment = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
        if adjustment.status != ApprovalStatus.PENDING:
            raise ApplicationError(_("This request was already decided (%(status)s).")
                                   % {"status": adjustment.get_status_display()}, status_code=409)
        if adjustment.requested_by_id == actor.pk:
            raise PermissionDenied(_("You asked for this yourself: another manager must decide it."))
        if approve:
            bill = Bill.objects.select_for_update().get(pk=adjustment.bill_id)
            if bill.open_fen + adjustment.amount_fen < 0:
                raise ApplicationError(_(
                    "The bill was paid in the meantime: it owes %(open)s yuan now, less than the reduction of "
                    "%(amount)s yuan. Refuse this request and ask for a new one if needed.") % {
                    "open": yuan(bill.open_fen), "amount": yuan(-adjustment.amount_fen)}, status_code=409)
            if adjustment.kind == AdjustmentKind.LATE_FEE_WAIVER:
                check = waiver_requirements(amount_fen=-adjustment.amount_fen, late_fee_fen=bill.open_fen,
                                            reason=adjustment.reason, approver_is_manager=can_decide(actor))
                if not check.ok:
                    raise ApplicationError(_("This late-fee waiver lacks what it needs: %(missing)s.")
                                           % {"missing": ", ".join(check.missing)}, status_code=409)
            ledger.post(account=account, kind=EntryKind.ADJUSTMENT, at=now, actor=actor, bill=bill,
                        adjustment=adjustment, receivable=adjustment.amount_fen, note=adjustment.reason)
            ledger.account_refresh(account)
        adjustment.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED
        adjustment.decided_by, adjustment.decided_at, adjustment.decision_note = actor, now, note
        adjustment.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return adjustment
