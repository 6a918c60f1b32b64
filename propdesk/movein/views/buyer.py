"""The buyer's booking page, opened from the handover SMS: /my/handover/<token>/. No sign-in; a wrong, tampered or
revoked token is a 404 with nothing on it. The buyer sees their home, their booking and the open slots, books one,
moves or cancels it until the day before."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.stewardship.selectors.zones import steward_by_building

from ..models import BookingChannel, BookingStatus, Handover
from ..rules.handover import DOCUMENTS
from ..selectors import handovers as selectors
from ..services.buyers import buyer_from_token
from ..services.slots import booking_cancel, booking_rebook
from .common import int_or_none


@login_not_required
def buyer_booking(request, token):
    buyer = buyer_from_token(token)
    if buyer is None:
        return render(request, "movein/buyer_invalid.html", status=404)
    now = timezone.now()
    error = None
    if request.method == "POST":
        active = selectors.active_booking(buyer.room_id)
        try:
            if request.POST.get("action") == "cancel":
                if active is None:
                    raise ApplicationError(_("You have no booking to cancel."))
                booking_cancel(actor=None, booking=active, now=now)
                messages.success(request, _("Your booking is cancelled."))
            else:
                slot_id = int_or_none(request.POST.get("slot"))
                if slot_id is None:
                    raise ApplicationError(_("Choose a time."))
                booking_rebook(actor=None, buyer=buyer, slot_id=slot_id, channel=BookingChannel.LINK, now=now)
                messages.success(request, _("Booked. Please bring the documents listed below."))
        except ApplicationError as failure:
            error = sum(failure.field_errors.values(), [])[:1] or [failure.message]
            error = error[0]
        else:
            return redirect("movein:buyer_booking", token=token)
    booking = selectors.active_booking(buyer.room_id)
    handed_over = Handover.objects.filter(room_id=buyer.room_id).exists() or buyer.bookings.filter(
        status=BookingStatus.DONE).exists()
    slots = [] if handed_over else list(selectors.open_slots_for(buyer, now=now))
    steward = steward_by_building([buyer.building_id]).get(buyer.building_id)
    return render(request, "movein/buyer_booking.html", {
        "buyer": buyer, "booking": booking, "slots": slots, "error": error, "handed_over": handed_over,
        "steward": steward, "documents": DOCUMENTS,
        "can_change": booking is not None and timezone.localtime(booking.slot.starts_at).date()
        > timezone.localtime(now).date()})
