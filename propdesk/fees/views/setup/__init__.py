"""Fees pages of finance: fee items and prices, parking subscriptions and one-off bills of a home (this module),
billing runs (runs.py), meter readings and Excel imports (readings.py). Everyone who sees accounts may
read the price list; finance (MANAGE_BILLING) changes it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, apply_to_form, message_text
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ...choices import FeeKind
from ...models import Subscription
from ...selectors import setup as reads
from ...services.items import ItemInput, fee_item_create, fee_rate_add, subscription_add, subscription_end
from ...services.oneoff import bill_issue_one_off
from ...services.setup import fee_items_standard
from . import readings, runs
from .forms import TIER_ROWS, ItemForm, OneOffForm, RateForm, StandardForm, SubscriptionForm

viewers = capability_required(Capability.VIEW_ACCOUNTS)
finance = capability_required(Capability.MANAGE_BILLING)


def _items_url(project) -> str:
    return f"{reverse('fees:items')}?project={project.pk}"


@viewers
def items(request, *, item_form=None, standard_form=None):
    project = reads.project_chosen(user=request.user, project_id=request.GET.get("project") or request.POST.get(
        "project"))
    today = timezone.localdate()
    prices = reads.items_with_prices(user=request.user, project=project, on=today) if project else []
    return render(request, "fees/setup/items.html", {
        "projects": reads.projects_for(user=request.user), "project": project, "prices": prices,
        "can_manage": user_can(request.user, Capability.MANAGE_BILLING),
        "item_form": item_form or ItemForm(prefix="item"),
        "standard_form": standard_form or StandardForm(prefix="std", initial={"effective_from": today}),
        "today": today, "metered": FeeKind.METERED})


def _project_posted(request):
    with scoped_404():
        return reads.projects_for(user=request.user).get(pk=_int(request.POST.get("project")) or 0)


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


@require_POST
@finance
def item_new(request):
    project = _project_posted(request)
    form = ItemForm(request.POST, prefix="item")
    if form.is_valid():
        try:
            item = fee_item_create(project=project, actor=request.user, data=ItemInput(**form.cleaned_data))
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Fee item %(name)s added: now give it a price.") % {"name": item.name})
            return redirect(f"{reverse('fees:rate_new', args=[item.pk])}")
    request.GET = request.GET.copy()
    request.GET["project"] = str(project.pk)
    return items(request, item_form=form)


@require_POST
@finance
def items_standard(request):
    project = _project_posted(request)
    form = StandardForm(request.POST, prefix="std")
    if not form.is_valid():
        request.GET = request.GET.copy()
        request.GET["project"] = str(project.pk)
        return items(request, standard_form=form)
    before = project.fee_items.count()
    fee_items_standard(project=project, effective_from=form.cleaned_data["effective_from"], actor=request.user)
    added = project.fee_items.count() - before
    messages.success(request, _("%(count)s standard items added (those the project had are unchanged).")
                     % {"count": added})
    return redirect(_items_url(project))


@finance
def rate_new(request, item_id):
    with scoped_404():
        item = reads.item_get(user=request.user, item_id=item_id)
    metered = item.kind == FeeKind.METERED
    form = RateForm(request.POST or None, metered=metered, prefix="rate")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if metered:
                fee_rate_add(item=item, effective_from=data["effective_from"], actor=request.user,
                             tiers=[(request.POST.get(f"up_to_{i}", ""), request.POST.get(f"price_{i}", ""))
                                    for i in range(TIER_ROWS)])
            else:
                fee_rate_add(item=item, effective_from=data["effective_from"], actor=request.user,
                             room_type=data.get("room_type", ""), rate=data.get("rate"))
        except ApplicationError as error:
            if "tiers" in error.field_errors:
                form.add_error(None, error.field_errors["tiers"][0])
            else:
                apply_to_form(form, error)
        else:
            messages.success(request, _("New price of %(item)s from %(date)s saved.")
                             % {"item": item.name, "date": data["effective_from"].isoformat()})
            return redirect(_items_url(item.project))
    rates = item.rates.order_by("room_type", "-effective_from")
    return render(request, "fees/setup/rate_new.html", {
        "item": item, "form": form, "metered": metered, "rates": rates,
        "tier_values": [(request.POST.get(f"up_to_{i}", ""), request.POST.get(f"price_{i}", ""))
                        for i in range(TIER_ROWS)]})


@viewers
def subscriptions(request, room_id):
    with scoped_404():
        room = reads.room_get(user=request.user, room_id=room_id)
    per_unit = [i for i in reads.items_of_kind(project=room.project, kinds=[FeeKind.FIXED]) if i.per_subscription]
    can_manage = user_can(request.user, Capability.MANAGE_BILLING)
    form = SubscriptionForm(None, items=per_unit, initial={"start_date": timezone.localdate()})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if request.POST.get("action") == "end":
            with scoped_404():
                subscription = Subscription.objects.get(room=room, pk=_int(request.POST.get("subscription")) or 0)
            try:
                end = timezone.datetime.fromisoformat(request.POST.get("end_date", "")).date()
            except ValueError:
                end = None
            try:
                subscription_end(subscription=subscription, end_date=end, actor=request.user)
            except ApplicationError as error:
                messages.error(request, message_text(error))
            else:
                messages.success(request, _("Subscription ended."))
            return redirect("fees:subscriptions", room_id=room.pk)
        form = SubscriptionForm(request.POST, items=per_unit)
        if form.is_valid():
            data = form.cleaned_data
            item = next(i for i in per_unit if i.pk == data["item"])
            try:
                subscription_add(room=room, item=item, start_date=data["start_date"], quantity=data["quantity"],
                                 label=data["label"], actor=request.user)
            except ApplicationError as error:
                apply_to_form(form, error)
            else:
                messages.success(request, _("%(item)s added to %(room)s.") % {"item": item.name, "room": room.code})
                return redirect("fees:subscriptions", room_id=room.pk)
    return render(request, "fees/setup/subscriptions.html", {
        "room": room, "subscriptions": reads.subscriptions_of(room=room), "form": form, "can_manage": can_manage,
        "today": timezone.localdate()})


@finance
def one_off(request, room_id):
    with scoped_404():
        room = reads.room_get(user=request.user, room_id=room_id)
    choices = reads.items_of_kind(project=room.project, kinds=[FeeKind.ONE_OFF])
    form = OneOffForm(request.POST or None, items=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = next(i for i in choices if i.pk == data["item"])
        try:
            bill = bill_issue_one_off(room=room, item=item, amount=data["amount"], note=data["note"],
                                      actor=request.user)
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Bill issued: %(item)s %(amount)s yuan.")
                             % {"item": item.name, "amount": f"{bill.amount_fen / 100:.2f}"})
            return redirect("fees:one_off", room_id=room.pk)
    return render(request, "fees/setup/one_off.html", {"room": room, "form": form, "items": choices})


urlpatterns = [
    path("fees/items/", items, name="items"),
    path("fees/items/new/", item_new, name="item_new"),
    path("fees/items/standard/", items_standard, name="items_standard"),
    path("fees/items/<int:item_id>/rates/", rate_new, name="rate_new"),
    path("fees/homes/<int:room_id>/subscriptions/", subscriptions, name="subscriptions"),
    path("fees/homes/<int:room_id>/one-off/", one_off, name="one_off"),
    path("fees/runs/", runs.runs, name="runs"),
    path("fees/runs/<int:pk>/", runs.run, name="run"),
    path("fees/readings/", readings.readings, name="readings"),
    path("fees/readings/bill/", readings.readings_bill_view, name="readings_bill"),
    path("fees/imports/", readings.imports, name="imports"),
    path("fees/imports/template/<str:kind>/", readings.import_template, name="import_template"),
]
