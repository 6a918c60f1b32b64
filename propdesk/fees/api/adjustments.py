"""Fees API: adjustments. Reductions 减免, corrections, late fees and their waivers, refunds from the prepayment.

``POST /api/fees/bills/{bill_id}/adjustments`` asks for a reduction or late-fee waiver (pending) or makes a
correction (finance: at once); ``POST /api/fees/adjustments/{id}/decision`` and ``POST /api/fees/refunds/{id}/decision``
are a manager's (APPROVE_FEES, never on their own request; 409 once decided); ``GET /api/fees/approvals`` is the
manager's queue; ``/api/fees/homes/{room_id}/late-fees`` reads (GET) or charges (POST) the late fees of a home,
``/api/fees/homes/{room_id}/adjustments`` lists its adjustments and refunds, ``POST …/refunds`` asks for a refund.
Another scope's bill, home or request is a 404; a role without the capability gets 403.
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from propdesk.core.errors import PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import AdjustmentKind, ApprovalStatus, PaymentMethod
from ..selectors import adjustments as selectors
from ..services.adjustments import ADD, REDUCE, adjustment_decide, adjustment_request
from ..services.late_fees import late_fees_accrued, late_fees_charge
from ..services.refunds import refund_decide, refund_request

router = Router(tags=["fees"])
QUEUE_LIMIT = 500


def _need(request, capability, message: str) -> None:
    if not user_can(request.user, capability):
        raise PermissionDenied(message)


def _person(user) -> str:
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile else user.get_username()


class FeeAdjustmentOut(Schema):
    id: int
    room_id: int
    bill_id: int
    bill: str = Field(..., description="The bill's item and period, e.g. 物业服务费 2026-10.")
    kind: AdjustmentKind
    amount_fen: int = Field(..., description="The change of what the bill owes, signed: negative owes less.")
    reason: str
    status: ApprovalStatus
    requested_by: str
    requested_at: datetime
    decided_by: str
    decided_at: datetime | None
    decision_note: str


def _adjustment_out(a) -> dict:
    return {"id": a.pk, "room_id": a.room_id, "bill_id": a.bill_id, "bill": f"{a.bill.item.name} {a.bill.period_key}",
            "kind": a.kind, "amount_fen": a.amount_fen, "reason": a.reason, "status": a.status,
            "requested_by": _person(a.requested_by), "requested_at": a.requested_at,
            "decided_by": _person(a.decided_by), "decided_at": a.decided_at, "decision_note": a.decision_note}


class FeeRefundOut(Schema):
    id: int
    room_id: int
    amount_fen: int
    method: PaymentMethod
    reason: str
    status: ApprovalStatus
    requested_by: str
    requested_at: datetime
    decided_by: str
    decided_at: datetime | None
    decision_note: str


def _refund_out(r) -> dict:
    return {"id": r.pk, "room_id": r.room_id, "amount_fen": r.amount_fen, "method": r.method, "reason": r.reason,
            "status": r.status, "requested_by": _person(r.requested_by), "requested_at": r.requested_at,
            "decided_by": _person(r.decided_by), "decided_at": r.decided_at, "decision_note": r.decision_note}


class AdjustmentRequestIn(Schema):
    kind: AdjustmentKind = Field(..., description="waiver (减免, needs a manager's approval), late_fee_waiver (of a "
                                                  "late-fee bill, needs a manager), correction (finance, at once).")
    amount: Decimal = Field(..., description="Yuan, at most two decimals: what the bill should owe less (or, for a "
                                             "correction with direction add, more).")
    reason: str = Field(..., max_length=200)
    direction: str = Field(REDUCE, description=f"{REDUCE} or {ADD} (a correction adding back an earlier reduction).",
                           max_length=10)


class FeeDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=200, description="Required to refuse.")


class FeeRefundIn(Schema):
    amount: Decimal = Field(..., description="Yuan, at most two decimals; not above the prepaid balance.")
    method: PaymentMethod = Field(..., description="How the money is paid back (not prepaid).")
    reason: str = Field(..., max_length=200)


class ApprovalQueueOut(Schema):
    adjustments: list[FeeAdjustmentOut]
    refunds: list[FeeRefundOut]
    adjustments_count: int
    refunds_count: int


class LateFeeLineOut(Schema):
    bill_id: int
    bill: str
    due_date: date
    late_fee_fen: int


class LateFeesOut(Schema):
    lines: list[LateFeeLineOut] = Field(..., description="Accrued and not yet charged (GET), or charged now (POST: "
                                                         "bill_id is the new late-fee bill).")
    total_fen: int


class HomeAdjustmentsOut(Schema):
    adjustments: list[FeeAdjustmentOut]
    refunds: list[FeeRefundOut]


@router.post("bills/{int:bill_id}/adjustments", response={201: FeeAdjustmentOut},
             summary="Ask for a reduction or late-fee waiver of a bill, or correct it (finance)")
def bill_adjust(request, bill_id: int, payload: AdjustmentRequestIn):
    _need(request, Capability.VIEW_ACCOUNTS, _("Your role may not see accounts."))
    with scoped_404():
        bill = selectors.bill_in_scope(user=request.user, bill_id=bill_id)
    adjustment = adjustment_request(bill=bill, kind=payload.kind, amount=payload.amount, reason=payload.reason,
                                    actor=request.user, now=timezone.now(), direction=payload.direction)
    return Status(201, _adjustment_out(adjustment))


@router.post("adjustments/{int:adjustment_id}/decision", response=FeeAdjustmentOut,
             summary="Approve or refuse a pending reduction or late-fee waiver (APPROVE_FEES, not your own)")
def adjustment_decision(request, adjustment_id: int, payload: FeeDecisionIn):
    _need(request, Capability.APPROVE_FEES, _("Only a manager approves reductions and waivers."))
    with scoped_404():
        adjustment = selectors.adjustment_in_scope(user=request.user, adjustment_id=adjustment_id)
    adjustment = adjustment_decide(adjustment=adjustment, actor=request.user, approve=payload.approve,
                                   note=payload.note, now=timezone.now())
    return _adjustment_out(adjustment)


@router.get("approvals", response=ApprovalQueueOut,
            summary="Pending reductions, late-fee waivers and refunds in the caller's scope, oldest first "
                    "(APPROVE_FEES)")
def approvals(request):
    _need(request, Capability.APPROVE_FEES, _("Only a manager sees the approvals queue."))
    adjustments = selectors.pending_adjustments(user=request.user).select_related("decided_by__staff_profile")
    refunds = selectors.pending_refunds(user=request.user).select_related("decided_by__staff_profile")
    return {"adjustments": [_adjustment_out(a) for a in adjustments[:QUEUE_LIMIT]],
            "refunds": [_refund_out(r) for r in refunds[:QUEUE_LIMIT]],
            "adjustments_count": adjustments.count(), "refunds_count": refunds.count()}


def _home(request, room_id: int):
    _need(request, Capability.VIEW_ACCOUNTS, _("Your role may not see accounts."))
    with scoped_404():
        return selectors.home_room(user=request.user, room_id=room_id)


@router.get("homes/{int:room_id}/adjustments", response=HomeAdjustmentsOut,
            summary="A home's adjustments and refunds, newest first (VIEW_ACCOUNTS)")
def home_adjustments(request, room_id: int):
    room = _home(request, room_id)
    return {"adjustments": [_adjustment_out(a) for a in selectors.home_adjustments(user=request.user, room=room)
                            [:QUEUE_LIMIT]],
            "refunds": [_refund_out(r) for r in selectors.home_refunds(user=request.user, room=room)[:QUEUE_LIMIT]]}


@router.get("homes/{int:room_id}/late-fees", response=LateFeesOut,
            summary="Late fees a home's overdue bills have accrued up to today and not yet charged (VIEW_ACCOUNTS)")
def late_fees_read(request, room_id: int):
    room = _home(request, room_id)
    accrued = late_fees_accrued(room=room, on=timezone.localdate())
    lines = [{"bill_id": bill.pk, "bill": f"{bill.item.name} {bill.period_key}", "due_date": bill.due_date,
              "late_fee_fen": fen} for bill, fen in accrued]
    return {"lines": lines, "total_fen": sum(fen for _bill, fen in accrued)}


@router.post("homes/{int:room_id}/late-fees", response=LateFeesOut,
             summary="Charge a home's accrued late fees now: one late-fee bill per overdue bill (TAKE_PAYMENTS or "
                     "MANAGE_BILLING)")
def late_fees_charge_now(request, room_id: int):
    room = _home(request, room_id)
    bills = late_fees_charge(room=room, actor=request.user, now=timezone.now())
    lines = [{"bill_id": b.pk, "bill": b.description, "due_date": b.due_date, "late_fee_fen": b.amount_fen}
             for b in bills]
    return {"lines": lines, "total_fen": sum(b.amount_fen for b in bills)}


@router.post("homes/{int:room_id}/refunds", response={201: FeeRefundOut},
             summary="Ask for a refund from a home's prepayment (TAKE_PAYMENTS or MANAGE_BILLING; a manager approves)")
def home_refund(request, room_id: int, payload: FeeRefundIn):
    room = _home(request, room_id)
    refund = refund_request(room=room, amount=payload.amount, method=payload.method, reason=payload.reason,
                            actor=request.user, now=timezone.now())
    return Status(201, _refund_out(refund))


@router.post("refunds/{int:refund_id}/decision", response=FeeRefundOut,
             summary="Approve (pay) or refuse a pending refund (APPROVE_FEES, not your own)")
def refund_decision(request, refund_id: int, payload: FeeDecisionIn):
    _need(request, Capability.APPROVE_FEES, _("Only a manager approves refunds."))
    with scoped_404():
        refund = selectors.refund_in_scope(user=request.user, refund_id=refund_id)
    refund = refund_decide(refund=refund, actor=request.user, approve=payload.approve, note=payload.note,
                           now=timezone.now())
    return _refund_out(refund)
