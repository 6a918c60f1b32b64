"""Move-in 入伙/交房: buyers known before handover, the project's slots, bookings, the handover checklist and the
defects it found (each a request routed to the developer's after-sales department)."""

from .handovers import Handover, HandoverDefect, HandoverSettings
from .slots import BookingChannel, BookingStatus, HandoverBooking, HandoverBuyer, HandoverSlot

__all__ = ["BookingChannel", "BookingStatus", "Handover", "HandoverBooking", "HandoverBuyer", "HandoverDefect",
           "HandoverSettings", "HandoverSlot"]
