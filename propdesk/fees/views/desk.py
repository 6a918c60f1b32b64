"""The front desk and the phone: find a home (phone, room code or name), its account, take a payment, print the
receipt 收据, void it. Staff with VIEW_ACCOUNTS read; TAKE_PAYMENTS take money; ``payments.can_void`` decides a void.
A home or receipt outside the user's scope is a 404."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, apply_to_form, message_text
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import PaymentMethod
from ..rules.money import chinese_capitals, fen_to_yuan
from ..selectors import accounts as selectors
from ..services.payments import can_void, payment_take, payment_void

viewer_required = capability_required(Capability.VIEW_ACCOUNTS)
cashier_required = capability_required(Capability.TAKE_PAYMENTS)
RECEIPT_COPIES = (pgettext_lazy("receipt copy", "Copy 1 · stub"), pgettext_lazy("receipt copy", "Copy 2 · payer"),
                  pgettext_lazy("receipt copy", "Copy 3 · accounts"))


@viewer_required
def search(request):
    q = (request.GET.get("q") or "").strip()[:50]
    homes = selectors.home_search(user=request.user, q=q) if q else []
    return render(request, "fees/desk/search.html", {"q": q, "homes": homes})


def _account(request, room_id):
    with scoped_404():
        return selectors.account_detail(user=request.user, room_id=room_id, on=timezone.localdate())


@viewer_required
def home(request, room_id):
    detail = _account(request, room_id)
    return render(request, "fees/desk/home.html", {
        "d": detail, "room": detail.room, "can_pay": user_can(request.user, Capability.TAKE_PAYMENTS)})


class BillChoices(forms.Field):
    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        return [str(v) for v in (value or [])][:500]


class PayForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    bills = BillChoices(label=gettext_lazy("Bills"), required=False)
    amount = forms.CharField(label=gettext_lazy("Amount (yuan)"), max_length=32,
                             widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    method = forms.ChoiceField(label=gettext_lazy("Payment method"), choices=PaymentMethod.choices,
                               widget=forms.RadioSelect, initial=PaymentMethod.CASH)
    payer = forms.CharField(label=gettext_lazy("Payer"), max_length=50)
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=64, required=False,
                                help_text=gettext_lazy("Card slip, transfer or transaction number."))
    prepay_rest = forms.BooleanField(label=gettext_lazy("Put the rest into prepayment"), required=False)


def _chosen_in_order(chosen: list[str], open_bills) -> list[str]:
    """The ticked bills oldest first (the page's order); an id that is no open bill stays, for the service to
    refuse with its message."""
    position = {str(bill.pk): index for index, bill in enumerate(open_bills)}
    return sorted(chosen, key=lambda bill_id: position.get(bill_id, len(position)))


@cashier_required
def pay(request, room_id):
    detail = _account(request, room_id)
    total = sum(bill.open_fen for bill in detail.open_bills)
    form = PayForm(request.POST or None, initial={
        "form_token": uuid.uuid4().hex, "bills": [str(b.pk) for b in detail.open_bills],
        "amount": f"{fen_to_yuan(total)}" if total else "", "payer": detail.payer, "method": PaymentMethod.CASH})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = payment_take(
                room=detail.room, amount=data["amount"], method=data["method"], actor=request.user,
                bill_ids=_chosen_in_order(data["bills"], detail.open_bills) or None, payer=data["payer"],
                reference=data["reference"], idempotency_key=data["form_token"],
                match_chosen=not data["prepay_rest"], now=timezone.now())
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Payment recorded: receipt %(number)s.") % {"number": payment.receipt_number})
            return redirect("fees:receipt", payment_id=payment.pk)
    ticked = set(form.data.getlist("bills")) if form.is_bound else {str(b.pk) for b in detail.open_bills}
    return render(request, "fees/desk/pay.html", {
        "d": detail, "room": detail.room, "form": form, "ticked": ticked, "total_fen": total,
        "methods": PaymentMethod.choices,
        "method_value": form.data.get("method") if form.is_bound else PaymentMethod.CASH})


def _payment(request, payment_id):
    with scoped_404():
        return selectors.payment_detail(user=request.user, payment_id=payment_id)


@viewer_required
def receipt(request, payment_id):
    payment = _payment(request, payment_id)
    return render(request, "fees/desk/receipt.html", {
        "payment": payment, "company": payment.project.company, "project": payment.project,
        "amount_words": chinese_capitals(payment.amount_fen), "copies": RECEIPT_COPIES,
        "copies_text": "、".join(str(copy) for copy in RECEIPT_COPIES),
        "can_void": can_void(request.user, payment, now=timezone.now())})


@require_POST
@viewer_required
def void(request, payment_id):
    payment = _payment(request, payment_id)
    now = timezone.now()
    if not can_void(request.user, payment, now=now):
        raise PermissionDenied
    try:
        payment_void(payment=payment, actor=request.user, reason=request.POST.get("reason", "")[:200], now=now)
    except ApplicationError as error:
        if error.status_code == 403:
            raise PermissionDenied from None
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("Receipt %(number)s voided.") % {"number": payment.receipt_number})
    return redirect("fees:receipt", payment_id=payment.pk)


urlpatterns = [
    path("fees/", search, name="search"),
    path("fees/homes/<int:room_id>/", home, name="home"),
    path("fees/homes/<int:room_id>/pay/", pay, name="pay"),
    path("fees/receipts/<int:payment_id>/", receipt, name="receipt"),
    path("fees/receipts/<int:payment_id>/void/", void, name="void"),
]
