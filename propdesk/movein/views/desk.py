"""The desk's pages: the day's handovers, the project's slots (the PM opens a day's slots in one form), a slot's
bookings (the desk books for a buyer), the buyers (entered by the PM or the desk, each with their SMS link)."""

from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import scoped_404
from propdesk.org.models import Building, Project, Room
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import BookingChannel, BookingStatus, HandoverBooking, HandoverBuyer
from ..selectors import handovers as selectors
from ..services.buyers import buyer_create, buyer_token, buyers_import
from ..services.slots import booking_cancel, booking_rebook, settings_update, slots_batch
from .common import PAGE_SIZE, handover_required, int_or_none, viewer_required


@viewer_required
def handover_list(request):
    """The day's bookings (today unless ?day=YYYY-MM-DD), each with its checklist."""
    try:
        day = datetime.strptime(request.GET.get("day", ""), "%Y-%m-%d").date()
    except ValueError:
        day = timezone.localdate()
    bookings = list(selectors.booking_list(user=request.user, day=day,
                                           project_id=int_or_none(request.GET.get("project")))
                    .exclude(status=BookingStatus.CANCELLED)[:200])
    return render(request, "movein/handover_list.html", {
        "bookings": bookings, "day": day, "previous": day - timedelta(days=1), "next": day + timedelta(days=1),
        "can_hand_over": user_can(request.user, Capability.HANDOVER)})


class SlotBatchForm(forms.Form):
    project = forms.ModelChoiceField(label=gettext_lazy("Project"), queryset=Project.objects.none())
    building = forms.ModelChoiceField(label=gettext_lazy("Building (empty: all)"), queryset=Building.objects.none(),
                                      required=False)
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    first = forms.TimeField(label=gettext_lazy("First slot starts"), initial="09:00",
                            widget=forms.TimeInput(attrs={"type": "time"}))
    last_end = forms.TimeField(label=gettext_lazy("Last slot ends"), initial="11:30",
                               widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=gettext_lazy("Minutes a slot"), initial=30, min_value=10, max_value=240)
    capacity = forms.IntegerField(label=gettext_lazy("Homes a slot"), initial=3, min_value=1, max_value=50)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user).order_by("id")
        self.fields["building"].queryset = Building.objects.restrict(user).order_by("project_id", "number")


class DefectDaysForm(forms.Form):
    project = forms.ModelChoiceField(label=gettext_lazy("Project"), queryset=Project.objects.none())
    defect_days = forms.IntegerField(label=gettext_lazy("Working days the developer has to fix a defect"),
                                     min_value=1, max_value=120)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user).order_by("id")


def _save_defect_days(request, form) -> bool:
    if not form.is_valid():
        return False
    try:
        settings_update(actor=request.user, project=form.cleaned_data["project"],
                        defect_days=form.cleaned_data["defect_days"], now=timezone.now())
    except ApplicationError as error:
        apply_to_form(form, error)
        return False
    messages.success(request, _("Saved: defects of %(project)s are due in %(n)d working days.") % {
        "project": form.cleaned_data["project"].name, "n": form.cleaned_data["defect_days"]})
    return True


@viewer_required
def slot_list(request):
    can_manage = user_can(request.user, Capability.MANAGE_HANDOVER_SLOTS)
    posted = request.POST if request.method == "POST" else None
    settings_post = posted is not None and "days-defect_days" in posted
    form = SlotBatchForm(None if settings_post else posted, user=request.user)
    days_form = DefectDaysForm(posted if settings_post else None, user=request.user, prefix="days")
    if request.method == "POST" and not can_manage:
        raise DjangoPermissionDenied
    if settings_post and _save_defect_days(request, days_form):
        return redirect("movein:slot_list")
    if posted is not None and not settings_post:
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = slots_batch(actor=request.user, project=data["project"], building=data["building"],
                                   day=data["day"], first=data["first"], last_end=data["last_end"],
                                   minutes=data["minutes"], capacity=data["capacity"], now=timezone.now())
            except ApplicationError as error:
                apply_to_form(form, error)
            else:
                messages.success(request, _("%(n)d slots opened.") % {"n": len(made)})
                return redirect("movein:slot_list")
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    slots = selectors.slot_list(user=request.user, project_id=int_or_none(request.GET.get("project")), since=since)
    page = Paginator(slots, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "movein/slots.html", {"page": page, "form": form, "days_form": days_form,
                                                 "can_manage": can_manage})


class DeskBookingForm(forms.Form):
    room_code = forms.CharField(label=gettext_lazy("Home (building-unit-room)"), max_length=50)


@viewer_required
def slot_detail(request, slot_id):
    with scoped_404():
        slot, bookings = selectors.slot_detail(user=request.user, slot_id=slot_id)
    can_book = user_can(request.user, Capability.HANDOVER)
    form = DeskBookingForm(request.POST or None)
    if request.method == "POST" and can_book and form.is_valid():
        buyer = (HandoverBuyer.objects.restrict(request.user).select_related("room")
                 .filter(project_id=slot.project_id, room__code=form.cleaned_data["room_code"].strip()).first())
        if buyer is None:
            form.add_error("room_code", _("No buyer entered for this home in the slot's project."))
        else:
            try:
                booking_rebook(actor=request.user, buyer=buyer, slot_id=slot.pk, channel=BookingChannel.DESK,
                               now=timezone.now())
            except ApplicationError as error:
                apply_to_form(form, ApplicationError(error.message, {"fields": {
                    "room_code": sum(error.field_errors.values(), [])}}))
            else:
                messages.success(request, _("%(code)s booked.") % {"code": buyer.room.code})
                return redirect("movein:slot_detail", slot_id=slot.pk)
    return render(request, "movein/slot.html", {"slot": slot, "bookings": bookings, "form": form,
                                                "can_book": can_book})


@handover_required
@require_POST
def booking_cancel_view(request, booking_id):
    booking = get_object_or_404(HandoverBooking.objects.restrict(request.user), pk=booking_id)
    try:
        booking_cancel(actor=request.user, booking=booking, now=timezone.now())
    except ApplicationError as error:
        messages.error(request, error.message if error.status_code == 409 else sum(error.field_errors.values(),
                                                                                     [error.message])[0])
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("movein:slot_detail", slot_id=booking.slot_id)


class BuyerForm(forms.Form):
    project = forms.ModelChoiceField(label=gettext_lazy("Project"), queryset=Project.objects.none())
    room_code = forms.CharField(label=gettext_lazy("Home (building-unit-room)"), max_length=50)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    mobile = forms.CharField(label=gettext_lazy("Mobile"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "tel"}))
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=32, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user).order_by("id")


class BuyerImportForm(forms.Form):
    project = forms.ModelChoiceField(label=gettext_lazy("Project"), queryset=Project.objects.none())
    lines = forms.CharField(label=gettext_lazy("Buyers, one a line: home, name, mobile, ID number (optional)"),
                            max_length=60000, widget=forms.Textarea(attrs={"rows": 6, "placeholder":
                                                                            "12-1-101,林晓峰,13600001111"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user).order_by("id")


def _import(request, form) -> bool:
    if not form.is_valid():
        return False
    try:
        made = buyers_import(actor=request.user, project=form.cleaned_data["project"],
                             lines=form.cleaned_data["lines"].splitlines(),
                             rooms=Room.objects.restrict(request.user), now=timezone.now())
    except ApplicationError as error:
        apply_to_form(form, error)
        return False
    messages.success(request, _("%(n)d buyers entered.") % {"n": len(made)})
    return True


@viewer_required
def buyer_list(request):
    can_enter = user_can(request.user, Capability.HANDOVER)
    importing = request.method == "POST" and "lines" in request.POST
    form = BuyerForm(request.POST if request.method == "POST" and not importing else None, user=request.user)
    import_form = BuyerImportForm(request.POST if importing else None, user=request.user)
    if importing and can_enter and _import(request, import_form):
        return redirect("movein:buyer_list")
    if request.method == "POST" and not importing and can_enter and form.is_valid():
        data = form.cleaned_data
        room = Room.objects.restrict(request.user).filter(project=data["project"],
                                                          code=data["room_code"].strip()).first()
        if room is None:
            form.add_error("room_code", _("No such home in this project."))
        else:
            try:
                buyer = buyer_create(actor=request.user, room=room, name=data["name"], mobile=data["mobile"],
                                     id_number=data["id_number"], now=timezone.now())
            except ApplicationError as error:
                apply_to_form(form, ApplicationError(error.message, {"fields": {
                    ("room_code" if k == "room" else k): v for k, v in error.field_errors.items()}}))
            else:
                messages.success(request, _("%(name)s entered for %(code)s.") % {"name": buyer.name,
                                                                                 "code": room.code})
                return redirect(f"{reverse('movein:buyer_list')}?q={room.code}")
    q = (request.GET.get("q") or "").strip()[:50]
    rows = selectors.buyer_list(user=request.user, project_id=int_or_none(request.GET.get("project")),
                                building_id=int_or_none(request.GET.get("building")), q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for buyer in page.object_list:
        # The link books for the buyer: shown only to those who may book (HANDOVER), not to every reader.
        buyer.link = request.build_absolute_uri(reverse("movein:buyer_booking", args=[buyer_token(buyer)])) \
            if can_enter else ""
        buyer.booking = next((b for b in buyer.live_bookings), None)
    return render(request, "movein/buyers.html", {"page": page, "form": form, "import_form": import_form, "q": q,
                                                  "can_enter": can_enter})
