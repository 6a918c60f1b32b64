"""Paying in the app: an online order for bills of the resident's home, and the gateway's signed callback that turns
it into one payment, however often and however concurrently it is delivered.

- ``online_order_create``: open bills of the resident's current home only; the amount is what they owe now.
- ``online_callback``: the signature first (forged → 400 "bad signature", nothing read or written), then the
  timestamp (older than ``CALLBACK_WINDOW`` → refused: a replayed old callback), then the order, locked: unknown →
  400; already paid → the same payment again; an amount that is not the order's → the order fails (400) and no
  money is recorded. A success records the payment through ``payments.payment_take`` with the order's number as its
  one-time key, on the bills still open; what a bill paid meanwhile at the desk no longer needs becomes prepayment.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

from ..choices import OnlineOrderStatus, PaymentChannel, PaymentMethod
from ..models import Bill, OnlineOrder, Payment
from ..rules.money import fen_to_yuan
from . import gateway as gateways
from . import ledger
from .payments import payment_take, room_label

CALLBACK_WINDOW = timedelta(minutes=10)
REUSE_PENDING = timedelta(minutes=15)  # the same bills ticked again soon after: the same order
ONLINE_METHODS = (PaymentMethod.WECHAT, PaymentMethod.ALIPAY)
MAX_BILLS = 200


def _field(name: str, message, status_code: int = 400) -> ApplicationError:
    return ApplicationError(message, extra={"fields": {name: [str(message)]}}, status_code=status_code)


def _resident_lives_in(actor, room, on) -> bool:
    from propdesk.customers.models import Occupancy

    return Occupancy.objects.filter(resident__user=actor, room_id=room.pk).current(on).exists()


def _new_trade_no(now: datetime) -> str:
    return f"FO{timezone.localtime(now):%Y%m%d%H%M%S}{secrets.token_hex(6).upper()}"  # 28 characters


def online_order_create(*, room, bill_ids, method: str, actor, now: datetime) -> OnlineOrder:
    """An order to pay ``bill_ids`` (open bills of ``room``, a current home of the resident ``actor``) online."""
    if method not in ONLINE_METHODS:
        raise _field("method", _("Choose WeChat Pay or Alipay."))
    if room is None or not _resident_lives_in(actor, room, timezone.localdate(now)):
        raise _field("bills", _("You can pay only the bills of your own home."))
    try:
        chosen = sorted({int(b) for b in (bill_ids or [])})
    except (TypeError, ValueError):
        raise _field("bills", _("A chosen bill is not an open bill of your home. Reload the page.")) from None
    if not chosen:
        raise _field("bills", _("Tick the bills you want to pay."))
    if len(chosen) > MAX_BILLS or any(b <= 0 or b > 2**63 - 1 for b in chosen):
        raise _field("bills", _("A chosen bill is not an open bill of your home. Reload the page."))
    bills = list(Bill.objects.filter(room_id=room.pk, pk__in=chosen, open_fen__gt=0)
                 .order_by("due_date", "period_key", "pk").values_list("pk", "open_fen"))
    if len(bills) != len(chosen):
        raise _field("bills", _("A chosen bill is not an open bill of your home. Reload the page."))
    ordered, amount = [pk for pk, _open in bills], sum(fen for _pk, fen in bills)
    resident = getattr(actor, "resident", None)
    with transaction.atomic():
        ledger.account_lock(room=room)  # one order at a time per home: a double tap finds the first
        earlier = (OnlineOrder.objects.filter(room_id=room.pk, created_by=actor, status=OnlineOrderStatus.PENDING,
                                              amount_fen=amount, method=method, created_at__gte=now - REUSE_PENDING)
                   .order_by("-created_at").first())
        if earlier is not None and sorted(earlier.bill_ids) == chosen:
            return earlier
        return OnlineOrder.objects.create(
            project_id=room.project_id, room=room, out_trade_no=_new_trade_no(now), bill_ids=ordered,
            amount_fen=amount, method=method, created_by=actor, payer=(resident.name if resident else "")[:50],
            created_at=now)


def _notify_paid(order: OnlineOrder, payment: Payment) -> None:
    from propdesk.notify.services import notify_user

    user = order.created_by
    if not hasattr(user, "resident"):
        return
    notify_user(user=user, kind="fee_paid", key=f"fee-paid:{payment.pk}", email=False,
                title=_("Payment received, receipt %(number)s") % {"number": payment.receipt_number},
                body=_("%(amount)s yuan paid by %(method)s for %(home)s.") % {
                    "amount": fen_to_yuan(payment.amount_fen), "method": payment.get_method_display(),
                    "home": payment.location},
                url=reverse("fees:my_receipt", args=[payment.pk]))


def online_callback(*, payload: dict, now: datetime) -> OnlineOrder:
    """Apply the gateway's callback; returns the order (with its payment once paid). Raises ApplicationError (4xx)
    for a forged, old, unknown or mismatched callback."""
    callback = gateways.gateway().verify(payload)
    if abs(int(now.timestamp()) - callback.timestamp) > CALLBACK_WINDOW.total_seconds():
        raise _field("timestamp", _("The callback is too old (or from the future): refused."))
    failure = None
    with transaction.atomic():
        order = (OnlineOrder.objects.select_for_update().select_related("room__project", "created_by")
                 .filter(out_trade_no=callback.out_trade_no).first())
        if order is None:
            raise _field("out_trade_no", _("Unknown order."))
        if order.status == OnlineOrderStatus.PAID:
            if (callback.status == gateways.SUCCESS and callback.gateway_txn == order.gateway_txn
                    and callback.amount_fen == order.amount_fen):
                return order  # the same callback again: the same payment
            raise _field("out_trade_no", _("This order is already paid."), status_code=409)
        if callback.status != gateways.SUCCESS:
            order.status, order.finished_at = OnlineOrderStatus.FAILED, now
            order.message = _("Closed by the payer.")[:200]
            order.save(update_fields=["status", "finished_at", "message"])
            return order
        if callback.amount_fen != order.amount_fen:
            order.status, order.finished_at = OnlineOrderStatus.FAILED, now
            order.message = (_("The gateway reported %(paid)s fen for an order of %(amount)s fen.")
                             % {"paid": callback.amount_fen, "amount": order.amount_fen})[:200]
            order.save(update_fields=["status", "finished_at", "message"])
            failure = _field("amount_fen", _("The amount does not match the order."))
        elif OnlineOrder.objects.filter(gateway_txn=callback.gateway_txn).exclude(pk=order.pk).exists():
            raise _field("gateway_txn", _("This gateway transaction paid another order."), status_code=409)
        else:
            ledger.account_lock(room=order.room)  # before reading which bills are still open
            still_open = list(Bill.objects.filter(pk__in=order.bill_ids, room_id=order.room_id, open_fen__gt=0)
                              .values_list("pk", flat=True))
            keep = [pk for pk in order.bill_ids if pk in set(still_open)]  # in the order's (oldest first) order
            payment = payment_take(
                room=order.room, amount=order.amount_fen, method=order.method, actor=order.created_by,
                bill_ids=keep, chosen_only=True, payer=order.payer or room_label(order.room),
                reference=callback.gateway_txn, idempotency_key=f"online:{order.out_trade_no}",
                channel=PaymentChannel.APP, now=now)
            order.status, order.gateway_txn, order.payment, order.finished_at = (
                OnlineOrderStatus.PAID, callback.gateway_txn, payment, now)
            order.message = ""
            order.save(update_fields=["status", "gateway_txn", "payment", "finished_at", "message"])
            _notify_paid(order, payment)
    if failure is not None:
        raise failure
    return order
