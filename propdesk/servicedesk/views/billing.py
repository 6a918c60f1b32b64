"""Paid repairs in the console: the price list, the quote page (the resident signs on the technician's phone), payment,
the printable receipt and voiding it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, message_text
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..choices import WorkOrderStatus
from ..models import AgreementMethod, PaymentMethod, PriceItem
from ..rules.money import amount_in_words
from ..selectors import billing as selectors_billing
from ..services.payments import (
    QuoteLineInput,
    can_handle,
    payment_record,
    payment_void,
    quote_agree,
    quote_code_try,
    quote_create,
    quote_decline,
    quote_send_code,
)
from ..services.prices import DEFAULT_ITEMS, price_item_save, price_list_add_defaults

# 联次: the receipt is printed in three copies, each marked (the stub stays in the book, the payer takes one,
# accounting books one).
RECEIPT_COPIES = (pgettext_lazy("receipt copy", "Copy 1 · stub"), pgettext_lazy("receipt copy", "Copy 2 · payer"),
                  pgettext_lazy("receipt copy", "Copy 3 · accounts"))


def _error(request, error: ApplicationError) -> None:
    messages.error(request, message_text(error))


def can_handle_billing(user, wo) -> bool:
    return user_role(user) not in (None, "resident") and can_handle(user, wo)


# Price list ------------------------------------------------------------------------------------------------------

@capability_required(Capability.VIEW_PRICES)
def price_list(request):
    """Everyone who quotes reads the price list (agents on the phone); those who set up the project edit it."""
    projects = list(Project.objects.restrict(request.user).order_by("code"))
    if not projects:
        raise Http404
    wanted = request.POST.get("project") or request.GET.get("project") or ""
    # A project named must be one in scope: falling back to the first one saved a foreign project's form into it.
    project = next((p for p in projects if str(p.pk) == wanted), None) if wanted else projects[0]
    if project is None:
        raise Http404
    can_edit = user_can(request.user, Capability.EDIT_ORG)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        post = request.POST
        try:
            if "defaults" in post:
                added = price_list_add_defaults(project=project, actor=request.user)
                messages.success(request, _("%(count)d usual items added to the price list.") % {"count": added})
            else:
                item = None
                if post.get("item_id", "").isdigit():
                    item = PriceItem.objects.filter(project=project, pk=int(post["item_id"])).first()
                    if item is None:
                        raise Http404
                price_item_save(project=project, actor=request.user, item=item, name=post.get("name", ""),
                                unit=post.get("unit", ""), price=post.get("price", ""),
                                active=post.get("active") == "on")
                messages.success(request, _("Price list saved."))
        except ApplicationError as error:
            _error(request, error)
        return redirect(f"{reverse('servicedesk:price_list')}?project={project.pk}")
    items = list(selectors_billing.price_items(project_id=project.pk))
    names = {item.name for item in items}
    return render(request, "servicedesk/price_list.html", {
        "project": project, "projects": projects, "items": items if can_edit else [i for i in items if i.active],
        "can_edit": can_edit, "missing_defaults": [d for d in DEFAULT_ITEMS if d[0] not in names] if can_edit else []})


# Quote -----------------------------------------------------------------------------------------------------------

def _load_order(request, pk):
    with scoped_404():
        return selectors.workorder_detail(user=request.user, work_order_id=pk)


def _back_to_quote(wo):
    return redirect("servicedesk:quote", pk=wo.pk)


@login_required
def quote(request, pk):
    """GET: the quote as the resident sees it, with the ways to agree; POST: make or replace the quote."""
    wo = _load_order(request, pk)
    can_handle = can_handle_billing(request.user, wo)
    if request.method == "POST":
        if not can_handle:
            raise Http404
        lines = [QuoteLineInput(item_id=int(name[4:]), quantity=value) for name, value in request.POST.items()
                 if name.startswith("qty_") and name[4:].isdigit()]
        try:
            quote_create(work_order=wo, lines=lines, actor=request.user)
        except ApplicationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Quote saved; now ask the resident to agree."))
        return _back_to_quote(wo)
    billing = selectors_billing.billing_for([wo.pk])[wo.pk]
    current = billing["quote"]
    quantities = {line.item_id: line.quantity for line in current.lines.all()} if current else {}
    items = list(selectors_billing.price_items(project_id=wo.project_id, active_only=True))
    for item in items:
        item.quantity = quantities.get(item.pk, "")
    live = wo.status not in (WorkOrderStatus.COMPLETED, WorkOrderStatus.CANCELLED)
    paid = any(not p.is_void for p in billing["payments"])
    return render(request, "servicedesk/quote.html", {
        "wo": wo, "sr": wo.request, "quote": current, "items": items, "payments": billing["payments"],
        "can_edit": can_handle and live and not paid, "can_agree": can_handle and live and current and current.pending,
        "company": wo.request.project.company,
        "amount_words": amount_in_words(current.total) if current else "",
        "agreement_methods": AgreementMethod.choices, "now": timezone.now()})


@require_POST
@login_required
def quote_agree_view(request, pk):
    wo = _load_order(request, pk)
    post = request.POST
    try:
        if post.get("method") == AgreementMethod.CODE:  # counted on its own: 5 wrong codes kill the code
            quote_code_try(work_order=wo, actor=request.user, code=post.get("code", ""))
        quote_agree(work_order=wo, actor=request.user, method=post.get("method", ""),
                    signature=post.get("signature", ""), code=post.get("code", ""))
    except ApplicationError as error:
        _error(request, error)
        return _back_to_quote(wo)
    messages.success(request, _("The resident's agreement is recorded; the work may start."))
    return redirect("servicedesk:workorder_detail", pk=wo.pk)


@require_POST
@login_required
def quote_code_view(request, pk):
    wo = _load_order(request, pk)
    try:
        quote_send_code(work_order=wo, actor=request.user)
    except ApplicationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The quote and a code were sent to the resident's mobile."))
    return _back_to_quote(wo)


@require_POST
@login_required
def quote_decline_view(request, pk):
    wo = _load_order(request, pk)
    try:
        quote_decline(work_order=wo, actor=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Recorded that the resident declined the quote."))
    return redirect("servicedesk:workorder_detail", pk=wo.pk)


# Payment and receipt ---------------------------------------------------------------------------------------------

@require_POST
@login_required
def payment_add(request, pk):
    wo = _load_order(request, pk)
    try:
        payment = payment_record(work_order=wo, amount=request.POST.get("amount", ""),
                                 method=request.POST.get("method", ""), actor=request.user)
    except ApplicationError as error:
        _error(request, error)
        return redirect("servicedesk:workorder_detail", pk=wo.pk)
    messages.success(request, _("Payment recorded: receipt %(receipt)s.") % {"receipt": payment.receipt_number})
    return redirect("servicedesk:receipt", pk=payment.pk)


@login_required
def receipt(request, pk):
    """The printable receipt (收据): clean on paper, 大写 amount, marked void when voided."""
    with scoped_404():
        payment = selectors_billing.receipt_detail(user=request.user, payment_id=pk)
    copies = [str(copy) for copy in RECEIPT_COPIES]
    return render(request, "servicedesk/receipt.html", {
        "payment": payment, "project": payment.project, "company": payment.project.company,
        "copies": copies, "copies_text": " / ".join(copies),
        "amount_words": amount_in_words(payment.amount), "wo": payment.work_order,
        "can_void": not payment.is_void and user_can(request.user, Capability.EDIT_ORG),
        "methods": PaymentMethod.choices})


@require_POST
@capability_required(Capability.EDIT_ORG)
def receipt_void(request, pk):
    with scoped_404():
        payment = selectors_billing.receipt_detail(user=request.user, payment_id=pk)
    try:
        payment_void(payment=payment, actor=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Receipt %(receipt)s is void; it keeps its number.")
                         % {"receipt": payment.receipt_number})
    return redirect("servicedesk:receipt", pk=payment.pk)
