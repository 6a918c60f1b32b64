"""Fees API of the front desk: /api/fees/homes (find a home), /api/fees/homes/{room_id} (its account),
POST …/payments (take a payment; an ``Idempotency-Key`` header makes a retry return the same receipt),
/api/fees/payments/{payment_id} (a receipt) and …/void. VIEW_ACCOUNTS reads, TAKE_PAYMENTS takes money,
``payments.can_void`` decides a void; another scope's home or receipt is a 404.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import PaymentMethod
from ..models import Payment
from ..rules.money import chinese_capitals, fen_to_yuan
from ..selectors import accounts as selectors
from ..services.payments import can_void, payment_take, payment_void

router = Router(tags=["fees"])


def _need(request, capability: Capability, message: str) -> None:
    if not user_can(request.user, capability):
        raise PermissionDenied(message)


def _viewer(request) -> None:
    _need(request, Capability.VIEW_ACCOUNTS, _("Your role may not see the accounts of homes."))


def _yuan(fen: int) -> str:
    return str(fen_to_yuan(int(fen)))


class DeskOccupantOut(Schema):
    resident_id: int
    name: str
    relation: str
    phone: str = Field(..., description="Masked: 138****5678.")


class DeskHomeHitOut(Schema):
    room_id: int
    project_id: int
    project: str
    code: str
    occupants: list[DeskOccupantOut]
    owed_fen: int
    owed: str = Field(..., description="Yuan with two decimals.")
    prepaid_fen: int
    oldest_due: date | None


class DeskHomeSearch(Schema):
    q: str = Field(..., min_length=1, max_length=50,
                   description="A phone (full or its last 4 digits), a room code (3-2-1802, 3栋2单元1802) or a name.")


def _occupants(occupants) -> list[dict]:
    return [{"resident_id": o.resident_id, "name": o.name, "relation": o.relation, "phone": o.phone}
            for o in occupants]


@router.get("homes", response=list[DeskHomeHitOut], summary="Find homes by phone, room code or name (VIEW_ACCOUNTS)")
def homes_search(request, filters: Query[DeskHomeSearch]):
    _viewer(request)
    return [{"room_id": room.pk, "project_id": room.project_id, "project": room.project.name, "code": room.code,
             "occupants": _occupants(room.occupants), "owed_fen": room.owed_fen, "owed": _yuan(room.owed_fen),
             "prepaid_fen": room.prepaid_fen, "oldest_due": room.oldest_due}
            for room in selectors.home_search(user=request.user, q=filters.q)]


class DeskBillOut(Schema):
    id: int
    item: str
    item_code: str
    period: str
    due_date: date
    amount_fen: int
    open_fen: int
    days_overdue: int
    late_fee_fen: int = Field(..., description="The late fee accruing on what is still owed (滞纳金（应计）), not "
                                               "charged.")


class DeskPaymentBriefOut(Schema):
    id: int
    receipt_number: str
    amount_fen: int
    method: PaymentMethod
    paid_at: datetime
    void: bool


class DeskAdjustmentBriefOut(Schema):
    id: int
    kind: str
    bill_id: int
    amount_fen: int
    reason: str
    status: str
    requested_at: datetime


class DeskComplaintOut(Schema):
    id: int
    number: str
    status: str
    received_at: datetime
    description: str


class DeskAccountOut(Schema):
    room_id: int
    project: str
    code: str
    occupants: list[DeskOccupantOut]
    owed_fen: int
    owed_capitals: str
    prepaid_fen: int
    oldest_due: date | None
    late_fee_accruing_fen: int
    open_bills: list[DeskBillOut]
    payments: list[DeskPaymentBriefOut]
    adjustments: list[DeskAdjustmentBriefOut]
    open_complaints: list[DeskComplaintOut]


def _account_out(d) -> dict:
    return {
        "room_id": d.room.pk, "project": d.room.project.name, "code": d.room.code,
        "occupants": _occupants(d.occupants), "owed_fen": d.owed_fen, "owed_capitals": d.owed_capitals,
        "prepaid_fen": d.account.prepaid_fen, "oldest_due": d.account.oldest_due,
        "late_fee_accruing_fen": d.late_fee_fen,
        "open_bills": [{"id": b.pk, "item": b.item.name, "item_code": b.item.code, "period": b.period_key,
                        "due_date": b.due_date, "amount_fen": b.amount_fen, "open_fen": b.open_fen,
                        "days_overdue": b.days_overdue, "late_fee_fen": b.late_fee_fen} for b in d.open_bills],
        "payments": [{"id": p.pk, "receipt_number": p.receipt_number, "amount_fen": p.amount_fen, "method": p.method,
                      "paid_at": p.paid_at, "void": p.is_void} for p in d.payments],
        "adjustments": [{"id": a.pk, "kind": a.kind, "bill_id": a.bill_id, "amount_fen": a.amount_fen,
                         "reason": a.reason, "status": a.status, "requested_at": a.requested_at}
                        for a in d.adjustments],
        "open_complaints": [{"id": c.pk, "number": c.number, "status": c.status, "received_at": c.received_at,
                             "description": c.description} for c in d.complaints],
    }


@router.get("homes/{int:room_id}", response=DeskAccountOut,
            summary="The account of a home: balances, open bills with late fees accruing, payments, adjustments, "
                    "open complaints (VIEW_ACCOUNTS)")
def home_account(request, room_id: int):
    _viewer(request)
    with scoped_404():
        return _account_out(selectors.account_detail(user=request.user, room_id=room_id, on=timezone.localdate()))


class DeskReceiptLineOut(Schema):
    bill_id: int | None
    item: str
    period: str
    fen: int


class DeskReceiptOut(Schema):
    id: int
    receipt_number: str
    room_id: int
    location: str
    payer: str
    amount_fen: int
    amount: str
    amount_capitals: str
    method: PaymentMethod
    channel: str
    lines: list[DeskReceiptLineOut]
    prepaid_added_fen: int
    cashier: str | None
    paid_at: datetime
    reference: str
    void: bool
    voided_at: datetime | None
    void_reason: str


def _receipt_out(payment: Payment) -> dict:
    cashier = payment.cashier
    profile = getattr(cashier, "staff_profile", None) if cashier else None
    return {
        "id": payment.pk, "receipt_number": payment.receipt_number, "room_id": payment.room_id,
        "location": payment.location, "payer": payment.payer, "amount_fen": payment.amount_fen,
        "amount": _yuan(payment.amount_fen), "amount_capitals": chinese_capitals(payment.amount_fen),
        "method": payment.method, "channel": payment.channel,
        "lines": [{"bill_id": line.get("bill"), "item": line.get("item", ""), "period": line.get("period", ""),
                   "fen": line.get("fen", 0)} for line in payment.lines],
        "prepaid_added_fen": payment.prepaid_added_fen,
        "cashier": (profile.display_name if profile else cashier.get_username()) if cashier else None,
        "paid_at": payment.paid_at, "reference": payment.reference, "void": payment.is_void,
        "voided_at": payment.voided_at, "void_reason": payment.void_reason,
    }


class DeskPaymentIn(Schema):
    amount: str = Field(..., max_length=32, description="Yuan as typed: \"359.80\"; at most two decimals.")
    method: PaymentMethod
    bill_ids: list[int] | None = Field(None, max_length=500,
                                       description="The bills paid, in this order; empty: oldest first.")
    payer: str = Field(..., max_length=50)
    reference: str = Field("", max_length=64)
    prepay_rest: bool = Field(False, description="Put what is left over into prepayment; otherwise the amount may "
                                                 "not exceed what the chosen (or all open) bills owe.")


API_FIELDS = {"bills": "bill_ids", "idempotency_key": "Idempotency-Key"}


@router.post("homes/{int:room_id}/payments", response={200: DeskReceiptOut, 201: DeskReceiptOut},
             summary="Take a payment for a home and issue its receipt (TAKE_PAYMENTS)",
             description="With an `Idempotency-Key` header a retry records nothing more: the first call answers 201, "
                         "a retry 200 with the same receipt.")
def payment_create(request, room_id: int, payload: DeskPaymentIn,
                   idempotency_key: str = Header("", alias="Idempotency-Key", max_length=64)):
    _need(request, Capability.TAKE_PAYMENTS, _("Your role may not take payments."))
    now = timezone.now()
    with scoped_404():
        detail = selectors.account_detail(user=request.user, room_id=room_id, on=timezone.localdate(now))
    try:
        payment = payment_take(room=detail.room, amount=payload.amount, method=payload.method, actor=request.user,
                               bill_ids=payload.bill_ids or None, payer=payload.payer, reference=payload.reference,
                               idempotency_key=idempotency_key or None, match_chosen=not payload.prepay_rest, now=now)
    except ApplicationError as error:  # the form's field names → the API's
        fields = error.extra.get("fields")
        if fields:
            error.extra["fields"] = {API_FIELDS.get(name, name): msgs for name, msgs in fields.items()}
        raise
    created = payment.paid_at == now  # a retry with the same key gets the earlier payment back
    return Status(201 if created else 200,
                  _receipt_out(selectors.payment_detail(user=request.user, payment_id=payment.pk)))


def _payment(request, payment_id: int) -> Payment:
    _viewer(request)
    with scoped_404():
        return selectors.payment_detail(user=request.user, payment_id=payment_id)


@router.get("payments/{int:payment_id}", response=DeskReceiptOut, summary="A payment and its receipt (VIEW_ACCOUNTS)")
def payment_get(request, payment_id: int):
    return _receipt_out(_payment(request, payment_id))


class DeskVoidIn(Schema):
    reason: str = Field(..., max_length=200)


@router.post("payments/{int:payment_id}/void", response=DeskReceiptOut,
             summary="Void a receipt: it keeps its number, its bills are open again (the cashier's own the same "
                     "day, finance any; 409 when void already)")
def payment_void_api(request, payment_id: int, payload: DeskVoidIn):
    payment = _payment(request, payment_id)
    if not payment.is_void and not can_void(request.user, payment, now=timezone.now()):
        raise PermissionDenied(_("Only finance can void this receipt (a cashier voids their own, the same day)."))
    payment_void(payment=payment, actor=request.user, reason=payload.reason, now=timezone.now())
    return _receipt_out(selectors.payment_detail(user=request.user, payment_id=payment.pk))
