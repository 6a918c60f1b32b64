"""Fees API of the resident app and of the payment gateway: /api/fees/my/… and /api/fees/gateway/callback.

Residents only on /my/ (staff 403: they have the desk's API): the account of the home they act for, an online order
for some of its open bills (→ the gateway's pay URL), an order's state. The gateway's callback needs no sign-in —
the gateway is not a user — but its HMAC signature: a forged, old, unknown or mismatched callback is a 4xx JSON error
and writes no money; a repeated one answers ok again and records nothing more."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404

from ..choices import OnlineOrderStatus, PaymentMethod
from ..selectors import online as selectors
from ..services import gateway as gateways
from ..services.online import online_callback, online_order_create

router = Router(tags=["fees"])


def _home(request):
    if selectors.portal.resident_of(request.user) is None:
        raise PermissionDenied(_("These are the residents' fees; staff use the desk's API."))
    return selectors.resident_home(user=request.user, session=getattr(request, "session", None))


class MyFeeBillOut(Schema):
    id: int
    item: str
    period: str
    description: str
    due_date: date
    overdue: bool
    amount_fen: int
    open_fen: int
    open: str = Field(..., description="Still owed, in yuan with 2 decimals.")


class MyFeePaymentOut(Schema):
    id: int
    receipt_number: str
    amount_fen: int
    amount: str
    method: PaymentMethod
    method_label: str
    channel: str
    paid_at: datetime
    void: bool


class MyFeesAccountOut(Schema):
    project: str | None
    room: str | None
    owed_fen: int
    owed: str = Field(..., description="Owed now, in yuan with 2 decimals.")
    owed_capitals: str = Field(..., description="Owed now in Chinese capitals (empty when nothing is owed).")
    prepaid_fen: int
    bills: list[MyFeeBillOut]
    payments: list[MyFeePaymentOut] = Field(..., description="The latest payments since the household moved in.")


def _payment_out(p) -> dict:
    return {"id": p.pk, "receipt_number": p.receipt_number, "amount_fen": p.amount_fen,
            "amount": selectors.yuan(p.amount_fen), "method": p.method, "method_label": str(p.get_method_display()),
            "channel": p.channel, "paid_at": p.paid_at, "void": p.is_void}


@router.get("/my/account", response=MyFeesAccountOut,
            summary="The resident's fees: what the home they act for owes, its open bills, prepayment, payments")
def my_account(request):
    home = _home(request)
    if home is None:
        return {"project": None, "room": None, "owed_fen": 0, "owed": "0.00", "owed_capitals": "", "prepaid_fen": 0,
                "bills": [], "payments": []}
    account = selectors.my_account(user=request.user, home=home, on=timezone.localdate())
    return {"project": home.project.name, "room": home.room.code, "owed_fen": account.owed_fen,
            "owed": account.owed, "owed_capitals": account.owed_capitals, "prepaid_fen": account.prepaid_fen,
            "bills": [{"id": b.pk, "item": b.item.name, "period": b.period_key, "description": b.description,
                       "due_date": b.due_date, "overdue": b.overdue, "amount_fen": b.amount_fen,
                       "open_fen": b.open_fen, "open": b.open_yuan} for b in account.bills],
            "payments": [_payment_out(p) for p in account.payments]}


class OnlineOrderIn(Schema):
    bill_ids: list[int] = Field(..., max_length=200, description="Open bills of the resident's home.")
    method: str = Field(..., max_length=16, description="wechat or alipay.")


class OnlineOrderOut(Schema):
    out_trade_no: str
    status: OnlineOrderStatus
    method: PaymentMethod
    amount_fen: int
    amount: str = Field(..., description="In yuan with 2 decimals.")
    bill_ids: list[int]
    pay_url: str = Field(..., description="Where the payer pays (the gateway's cashier page).")
    created_at: datetime
    finished_at: datetime | None
    payment_id: int | None
    receipt_number: str | None


def _order_out(order) -> dict:
    payment = order.payment if order.payment_id else None
    return {"out_trade_no": order.out_trade_no, "status": order.status, "method": order.method,
            "amount_fen": order.amount_fen, "amount": selectors.yuan(order.amount_fen),
            "bill_ids": [int(b) for b in order.bill_ids], "pay_url": gateways.gateway().pay_url(order),
            "created_at": order.created_at, "finished_at": order.finished_at, "payment_id": order.payment_id,
            "receipt_number": payment.receipt_number if payment else None}


@router.post("/my/orders", response={200: OnlineOrderOut, 201: OnlineOrderOut},
             summary="Start paying bills of the resident's home online: an order and its pay URL",
             description="The amount is what the chosen bills owe now. Ticking the same bills again within a few "
                         "minutes answers 200 with the same pending order.")
def my_order_create(request, payload: OnlineOrderIn):
    home = _home(request)
    now = timezone.now()
    order = online_order_create(room=home.room if home else None, bill_ids=payload.bill_ids,
                                method=payload.method, actor=request.user, now=now)
    return Status(201 if order.created_at == now else 200, _order_out(order))


@router.get("/my/orders/{out_trade_no}", response=OnlineOrderOut, summary="One of the resident's online orders")
def my_order(request, out_trade_no: str):
    _home(request)
    with scoped_404():
        order = selectors.my_order(user=request.user, out_trade_no=out_trade_no)
    return _order_out(order)


class GatewayCallbackIn(Schema):
    out_trade_no: str = Field(..., max_length=32)
    gateway_txn: str = Field(..., max_length=64)
    amount_fen: int = Field(..., ge=0, le=10**15)
    status: str = Field(..., max_length=16, description="success or closed.")
    timestamp: int = Field(..., ge=0, le=10**11, description="Seconds since the epoch, as signed.")
    nonce: str = Field(..., max_length=64)
    sign: str = Field(..., max_length=128, description="HMAC-SHA256 (hex) of the canonical string under the "
                                                       "gateway secret.")


class GatewayCallbackOut(Schema):
    result: str = Field(..., description='"ok": the callback was applied (or had been already).')


@router.post("/gateway/callback", response=GatewayCallbackOut, auth=None,
             summary="The payment gateway's signed callback (no sign-in; the signature is checked)",
             description="Signed: out_trade_no, gateway_txn, amount_fen, status, timestamp, nonce (in that order, "
                         "`name=value` joined by `&`). 400 for a bad signature, an old timestamp (more than 10 "
                         "minutes), an unknown order or an amount that is not the order's; a repeated callback "
                         "answers ok and records one payment.")
def gateway_callback(request, payload: GatewayCallbackIn):
    try:
        online_callback(payload=payload.dict(), now=timezone.now())
    except ApplicationError as error:
        if error.status_code not in (400, 409):
            error.status_code = 400
        raise
    return {"result": "ok"}
