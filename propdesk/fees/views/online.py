"""Fees pages of the resident app 住这儿 (phone-first): the account of the home they act for, ticking bills and paying
through the gateway, their receipts; and the simulated gateway's cashier page (``fees:gateway``), where confirming
makes the gateway post its signed callback to the same service a real gateway's callback reaches.

Staff have no pages here (404, as the portal's); another household's receipt or order is a 404."""

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from propdesk.core.errors import ApplicationError, message_text
from propdesk.core.views_utils import scoped_404
from propdesk.portal.views import resident_required

from ..choices import OnlineOrderStatus, PaymentMethod
from ..models import OnlineOrder
from ..selectors import online as selectors
from ..services import gateway as gateways
from ..services.online import ONLINE_METHODS, online_callback, online_order_create


@require_safe
@resident_required
def my_account(request, resident):
    now = timezone.now()
    home = selectors.resident_home(user=request.user, session=request.session)
    account = selectors.my_account(user=request.user, home=home, on=timezone.localdate(now)) if home else None
    paid = None
    if request.GET.get("paid"):
        try:
            paid = selectors.my_order(user=request.user, out_trade_no=request.GET["paid"])
        except OnlineOrder.DoesNotExist:  # another household's, or gone: show nothing of it
            paid = None
    return render(request, "fees/online/my_account.html", {
        "resident": resident, "home": home, "account": account, "paid_order": paid,
        "methods": [(m, PaymentMethod(m).label) for m in ONLINE_METHODS]})


@require_POST
@resident_required
def my_pay(request, resident):
    home = selectors.resident_home(user=request.user, session=request.session)
    try:
        order = online_order_create(room=home.room if home else None, bill_ids=request.POST.getlist("bills"),
                                    method=request.POST.get("method", ""), actor=request.user, now=timezone.now())
    except ApplicationError as error:
        messages.error(request, message_text(error))
        return redirect("fees:my_account")
    return redirect(gateways.gateway().pay_url(order))


@require_safe
@resident_required
def my_receipt(request, resident, payment_id):
    if payment_id > 2**63 - 1:  # beyond any id the database holds
        raise Http404("no such receipt")
    with scoped_404():
        payment = selectors.my_receipt(user=request.user, payment_id=payment_id)
    return render(request, "fees/online/my_receipt.html", {"payment": payment})


@resident_required
def gateway(request, resident, out_trade_no):
    """The simulated gateway's cashier page: 确认支付 posts the gateway's signed success callback, 取消 its signed
    "closed" one; either way back to the account."""
    with scoped_404():
        order = selectors.my_order(user=request.user, out_trade_no=out_trade_no)
    if request.method == "POST" and order.status != OnlineOrderStatus.PAID:
        action = request.POST.get("action")
        now = timezone.now()
        simulated = gateways.SimulatedGateway()
        status = gateways.SUCCESS if action == "confirm" else gateways.CLOSED
        try:
            online_callback(payload=simulated.callback_payload(order, now=now, status=status), now=now)
        except ApplicationError as error:
            messages.error(request, message_text(error))
            return redirect("fees:my_account")
        if status == gateways.SUCCESS:
            messages.success(request, _("Paid. Thank you!"))
            response = redirect("fees:my_account")
            response["Location"] += f"?paid={order.out_trade_no}"
            return response
        messages.info(request, _("Payment cancelled: nothing was charged."))
        return redirect("fees:my_account")
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "fees/online/gateway.html", {"order": order})


urlpatterns = [
    path("my/fees/", my_account, name="my_account"),
    path("my/fees/pay/", my_pay, name="my_pay"),
    path("my/fees/receipts/<int:payment_id>/", my_receipt, name="my_receipt"),
    path("fees/gateway/<str:out_trade_no>/", gateway, name="gateway"),
]
