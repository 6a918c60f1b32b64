"""Fees pages: adjustments. The home's page (/fees/homes/<room_id>/adjustments/: reduce a bill, correct a bill,
charge late fees now, waive a late fee, refund from the prepayment; the home's adjustments and refunds with their
status) for whoever sees accounts (VIEW_ACCOUNTS; each form for the roles its service allows), and the manager's
queue (/fees/approvals/, APPROVE_FEES) with approve/refuse and a note. Another scope's home or request is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, PermissionDenied, message_text
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.staff.rules.roles import Capability

from ..choices import AdjustmentKind, FeeKind, PaymentMethod
from ..rules.money import chinese_capitals, fen_to_yuan
from ..selectors import adjustments as selectors
from ..services.adjustments import ADD, REDUCE, adjustment_decide, adjustment_request, can_decide, can_request
from ..services.late_fees import can_charge, late_fees_accrued, late_fees_charge
from ..services.refunds import REFUND_METHODS, can_request_refund, refund_decide, refund_request

PAGE_SIZE = 30
ACTIONS = ("reduce", "correct", "late_fees", "waive_late_fee", "refund")


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _yuan(fen) -> str:
    return f"{fen_to_yuan(int(fen or 0))}"


def _bill_of_home(request, room, bill_id, *, late_fee: bool):
    """A bill of this home, in the user's scope, of the wanted sort; else a field error on ``bill``."""
    bill = None
    pk = _int(bill_id)
    if pk:
        bill = selectors.home_bills(user=request.user, room=room).filter(pk=pk).first()
    if bill is None or (bill.item.kind == FeeKind.LATE_FEE) != late_fee:
        message = _("Choose a bill of this home.")
        raise ApplicationError(message, extra={"fields": {"bill": [message]}})
    return bill


def _act(request, room, action: str, now):
    """Run one form's service; returns the success message."""
    data = request.POST
    if action == "late_fees":
        bills = late_fees_charge(room=room, actor=request.user, now=now)
        if not bills:
            return _("No late fee to charge: nothing overdue has accrued one.")
        return _("Late fees charged: %(count)d bills, %(total)s yuan.") % {
            "count": len(bills), "total": _yuan(sum(b.amount_fen for b in bills))}
    if action == "refund":
        refund = refund_request(room=room, amount=data.get("amount"), method=data.get("method", ""),
                                reason=data.get("reason", ""), actor=request.user, now=now)
        return _("Refund of %(amount)s yuan asked for; a manager approves it before it is paid.") % {
            "amount": _yuan(refund.amount_fen)}
    kind = {"reduce": AdjustmentKind.WAIVER, "correct": AdjustmentKind.CORRECTION,
            "waive_late_fee": AdjustmentKind.LATE_FEE_WAIVER}[action]
    bill = _bill_of_home(request, room, data.get("bill"), late_fee=kind == AdjustmentKind.LATE_FEE_WAIVER)
    direction = (data.get("direction") or REDUCE) if kind == AdjustmentKind.CORRECTION else REDUCE
    adjustment = adjustment_request(bill=bill, kind=kind, amount=data.get("amount"), reason=data.get("reason", ""),
                                    actor=request.user, now=now, direction=direction)
    if kind == AdjustmentKind.CORRECTION:
        return _("Bill corrected by %(amount)s yuan.") % {"amount": _yuan(adjustment.amount_fen)}
    return _("Asked for; a manager approves it before the bill changes.")


@capability_required(Capability.VIEW_ACCOUNTS)
def home_adjustments(request, room_id):
    now = timezone.now()
    with scoped_404():
        room = selectors.home_room(user=request.user, room_id=room_id)
    errors, action, status = [], "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            errors, status = [_("Choose what to do.")], 400
        else:
            try:
                message = _act(request, room, action, now)
            except PermissionDenied as error:
                raise DjangoPermissionDenied(str(error.message)) from None
            except ApplicationError as error:
                errors = [str(error.message)]
                errors += [m for msgs in error.field_errors.values() for m in msgs if m not in errors]
                status = 409 if error.status_code == 409 else 400
            else:
                messages.success(request, message)
                if action == "late_fees" and request.POST.get("next") == "pay":  # charged from the payment form
                    return redirect("fees:pay", room_id=room.pk)
                return redirect("fees:home_adjustments", room_id=room.pk)
    return render(request, "fees/adjustments/home.html",
                  _home_context(request, room, now, errors=errors, action=action), status=status)


def _home_context(request, room, now, *, errors, action) -> dict:
    user = request.user
    bills = list(selectors.home_bills(user=user, room=room))
    for bill in bills:
        bill.amount_yuan, bill.open_yuan = _yuan(bill.amount_fen), _yuan(bill.open_fen)
    regular = [b for b in bills if b.item.kind != FeeKind.LATE_FEE]
    late_bills = [b for b in bills if b.item.kind == FeeKind.LATE_FEE and b.open_fen > 0]
    accrued = [{"bill": bill, "fen": fen, "yuan": _yuan(fen)}
               for bill, fen in late_fees_accrued(room=room, on=timezone.localdate(now))]
    account = selectors.home_account(room=room)
    adjustments = list(selectors.home_adjustments(user=user, room=room)[:100])
    refunds = list(selectors.home_refunds(user=user, room=room)[:100])
    for row in adjustments:
        row.change_yuan = _yuan(abs(row.amount_fen))
    for row in refunds:
        row.amount_yuan = _yuan(row.amount_fen)
    late_total = sum(a["fen"] for a in accrued)
    return {
        "room": room, "account": account, "now": now, "error_list": errors, "action": action,
        "action_known": action in ACTIONS, "form": request.POST,
        "owed_yuan": _yuan(account.owed_fen if account else 0),
        "prepaid_yuan": _yuan(account.prepaid_fen if account else 0),
        "open_bills": [b for b in regular if b.open_fen > 0], "regular_bills": regular, "late_bills": late_bills,
        "accrued": accrued, "late_total_yuan": _yuan(late_total), "late_total_capitals": chinese_capitals(late_total),
        "adjustments": adjustments, "refunds": refunds,
        "can_reduce": can_request(user, AdjustmentKind.WAIVER),
        "can_correct": can_request(user, AdjustmentKind.CORRECTION),
        "can_charge": can_charge(user), "can_refund": can_request_refund(user), "can_decide": can_decide(user),
        "refund_methods": [(m, label) for m, label in PaymentMethod.choices if m in REFUND_METHODS],
        "directions": [(REDUCE, _("reduce what it owes")), (ADD, _("add back an earlier reduction"))],
    }


@capability_required(Capability.APPROVE_FEES)
def approvals(request):
    user = request.user
    page = Paginator(selectors.pending_adjustments(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.change_yuan = _yuan(-row.amount_fen)
        row.open_yuan = _yuan(row.bill.open_fen)
        row.own = row.requested_by_id == user.pk
    refunds = Paginator(selectors.pending_refunds(user=user), PAGE_SIZE).get_page(request.GET.get("rpage"))
    for row in refunds.object_list:
        row.amount_yuan = _yuan(row.amount_fen)
        row.own = row.requested_by_id == user.pk
    return render(request, "fees/adjustments/approvals.html", {"page": page, "refunds": refunds, "filters": {}})


def _decide(request, *, find, decide, what_id):
    now = timezone.now()
    with scoped_404():
        row = find(user=request.user, **what_id)
    approve = request.POST.get("decision") == "approve"
    if request.POST.get("decision") not in ("approve", "refuse"):
        messages.error(request, _("Choose to approve or refuse."))
    else:
        try:
            decide(row, actor=request.user, approve=approve, note=request.POST.get("note", ""), now=now)
        except ApplicationError as error:
            messages.error(request, message_text(error))
        else:
            messages.success(request, _("Approved.") if approve else _("Refused."))
    back = request.POST.get("next")
    if back == "home":
        return redirect("fees:home_adjustments", room_id=row.room_id)
    return redirect("fees:approvals")


@require_POST
@capability_required(Capability.APPROVE_FEES)
def adjustment_decide_view(request, pk):
    return _decide(request, find=selectors.adjustment_in_scope, what_id={"adjustment_id": pk},
                   decide=lambda row, **kw: adjustment_decide(adjustment=row, **kw))


@require_POST
@capability_required(Capability.APPROVE_FEES)
def refund_decide_view(request, pk):
    return _decide(request, find=selectors.refund_in_scope, what_id={"refund_id": pk},
                   decide=lambda row, **kw: refund_decide(refund=row, **kw))


urlpatterns = [
    path("fees/homes/<int:room_id>/adjustments/", home_adjustments, name="home_adjustments"),
    path("fees/approvals/", approvals, name="approvals"),
    path("fees/adjustments/<int:pk>/decide/", adjustment_decide_view, name="adjustment_decide"),
    path("fees/refunds/<int:pk>/decide/", refund_decide_view, name="refund_decide"),
]
