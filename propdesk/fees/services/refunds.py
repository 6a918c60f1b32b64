"""Refunds 退款 from a home's prepayment (预存): asked for by the desk or finance, paid only when a manager who did not
ask approves it. Approval posts one REFUND entry (prepaid −, cash −) with the account locked and the balance read
again: two refunds, or a refund and a bill drawing the prepayment, never take the balance below zero."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import ApprovalStatus, EntryKind, PaymentMethod
from ..models import Refund
from . import ledger
from .adjustments import NOTE_MAX, REASON_MAX, can_decide, yuan
from .amounts import fen_from_input

# Money goes back by cash, card, transfer or the app's channels; never "from the prepayment" itself.
REFUND_METHODS = tuple(m for m in PaymentMethod.values if m != PaymentMethod.PREPAID)


def _field(name: str, message: str) -> ApplicationError:
    return ApplicationError(message, extra={"fields": {name: [message]}})


def can_request_refund(user) -> bool:
    return user_can(user, Capability.TAKE_PAYMENTS) or user_can(user, Capability.MANAGE_BILLING)


def _pending_fen(room_id: int) -> int:
    return Refund.objects.filter(room_id=room_id, status=ApprovalStatus.PENDING).aggregate(
        s=Sum("amount_fen"))["s"] or 0


def refund_request(*, room, amount, method: str, reason: str, actor, now: datetime | None = None) -> Refund:
    """Ask to pay ``amount`` (typed yuan) back from the home's prepayment; refused above the balance (less what
    other refunds waiting for approval would take)."""
    now = now or timezone.now()
    if not can_request_refund(actor):
        raise PermissionDenied(_("Your role may not ask for refunds."))
    if method not in REFUND_METHODS:
        raise _field("method", _("Choose how the money is paid back."))
    text = (reason or "").strip()
    if not text:
        raise _field("reason", _("Give the reason for the refund."))
    if len(text) > REASON_MAX:
        raise _field("reason", _("The reason is too long (at most 200 characters)."))
    fen = fen_from_input(amount)
    if fen <= 0:
        raise _field("amount", _("Enter an amount above zero."))
    with transaction.atomic():
        account = ledger.account_lock(room=room)
        available = account.prepaid_fen - _pending_fen(room.pk)
        if fen > available:
            if available < account.prepaid_fen:
                message = _("The prepaid balance is %(balance)s yuan and refunds of %(pending)s yuan wait for "
                            "approval: at most %(max)s yuan can be refunded.") % {
                    "balance": yuan(account.prepaid_fen), "pending": yuan(account.prepaid_fen - available),
                    "max": yuan(max(0, available))}
            else:
                message = _("Only the prepaid balance can be refunded: %(balance)s yuan.") % {
                    "balance": yuan(account.prepaid_fen)}
            raise _field("amount", message)
        refund = Refund.objects.create(project_id=room.project_id, room_id=room.pk, amount_fen=fen, method=method,
                                       reason=text, requested_by=actor, requested_at=now)
    return refund


def refund_decide(*, refund: Refund, actor, approve: bool, note: str = "", now: datetime | None = None) -> Refund:
    """Approve (pays it: a REFUND entry) or refuse (with why) a pending refund."""
    now = now or timezone.now()
    if not can_decide(actor):
        raise PermissionDenied(_("Only a manager approves refunds."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise _field("note", _("The note is too long (at most 200 characters)."))
    if not approve and not note:
        raise _field("note", _("Say why the request is refused."))
    with transaction.atomic():
        account = ledger.account_lock(room=refund.room)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != ApprovalStatus.PENDING:
            raise ApplicationError(_("This request was already decided (%(status)s).")
                                   % {"status": refund.get_status_display()}, status_code=409)
        if refund.requested_by_id == actor.pk:
            raise PermissionDenied(_("You asked for this yourself: another manager must decide it."))
        if approve:
            if refund.amount_fen > account.prepaid_fen:
                raise ApplicationError(_(
                    "The prepaid balance is %(balance)s yuan now, less than this refund of %(amount)s yuan (later "
                    "bills have drawn on it). Refuse this request and ask for a new one if needed.") % {
                    "balance": yuan(account.prepaid_fen), "amount": yuan(refund.amount_fen)}, status_code=409)
            ledger.post(account=account, kind=EntryKind.REFUND, at=now, actor=actor, refund=refund,
                        prepaid=-refund.amount_fen, cash=-refund.amount_fen, note=refund.reason)
        refund.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED
        refund.decided_by, refund.decided_at, refund.decision_note = actor, now, note
        refund.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return refund
