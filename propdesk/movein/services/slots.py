"""Slots and bookings. A booking locks its slot's row (``select_for_update``) and raises its count under the
database's check (booked ≤ capacity): of two clients taking the last place at once, one wins and the other is told
the slot is full. One active booking per home (a unique index); cancel or rebook until the day before."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.org.models import Building, Project
from propdesk.servicedesk.services.policy import policy_for

from ..models import BookingChannel, BookingStatus, HandoverBooking, HandoverBuyer, HandoverSettings, HandoverSlot
from ..rules.handover import MAX_CAPACITY, can_change_booking, day_slots


def _fail(fields: dict[str, list[str]], status_code: int = 400):
    message = next(iter(fields.values()))[0] if status_code == 409 else _("Please correct the marked fields.")
    raise ApplicationError(message, {"fields": fields}, status_code=status_code)


def _check_slot(*, project: Project, building: Building | None, starts_at, ends_at, capacity, now) -> dict:
    errors: dict[str, list[str]] = {}
    tz = policy_for(project).calendar.tz
    if building is not None and building.project_id != project.pk:
        errors["building"] = [_("Choose a building of this project.")]
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [_("Between 1 and %(n)d homes a slot.") % {"n": MAX_CAPACITY}]
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        errors["ends_at"] = [_("A slot ends after it starts.")]
    elif timezone.localtime(starts_at, tz).date() != timezone.localtime(ends_at, tz).date():
        errors["ends_at"] = [_("A slot starts and ends on the same day.")]
    day = timezone.localtime(starts_at, tz).date() if starts_at is not None else None
    if starts_at is not None and starts_at <= now:
        errors["starts_at"] = [_("This time is in the past.")]
    elif day is not None and not policy_for(project).calendar.is_workday(day):
        errors["starts_at"] = [_("%(day)s is not a working day of the project.") % {"day": day.isoformat()}]
    return errors


@transaction.atomic
def slot_create(*, actor, project: Project, starts_at: datetime, ends_at: datetime, capacity: int,
                building: Building | None = None, now: datetime | None = None) -> HandoverSlot:
    now = now or timezone.now()
    errors = _check_slot(project=project, building=building, starts_at=starts_at, ends_at=ends_at,
                         capacity=capacity, now=now)
    if errors:
        _fail(errors)
    return HandoverSlot.objects.create(project=project, building=building, starts_at=starts_at, ends_at=ends_at,
                                       capacity=capacity, created_at=now, created_by=actor)


@transaction.atomic
def slots_batch(*, actor, project: Project, day: date, first: time, last_end: time, minutes: int, capacity: int,
                building: Building | None = None, now: datetime | None = None) -> list[HandoverSlot]:
    """A day's slots from ``first`` every ``minutes`` until ``last_end`` (9:00–11:30 by 30 minutes: five). A slot
    already opened at one of these times (for the same building) is skipped, not doubled."""
    now = now or timezone.now()
    tz = policy_for(project).calendar.tz
    if not isinstance(minutes, int) or not 10 <= minutes <= 240:
        _fail({"minutes": [_("Between 10 and 240 minutes a slot.")]})
    plans = day_slots(day=day, first=first, last_end=last_end, minutes=minutes, tz=tz)
    if not plans:
        _fail({"last_end": [_("No slot fits between the first start and the last end.")]})
    errors = _check_slot(project=project, building=building, starts_at=plans[0].starts_at,
                         ends_at=plans[0].ends_at, capacity=capacity, now=now)
    if errors:
        _fail(errors)
    existing = set(HandoverSlot.objects.filter(project=project, building=building,
                                               starts_at__in=[p.starts_at for p in plans])
                   .values_list("starts_at", flat=True))
    slots = [HandoverSlot(project=project, building=building, starts_at=p.starts_at, ends_at=p.ends_at,
                          capacity=capacity, created_at=now, created_by=actor)
             for p in plans if p.starts_at not in existing]
    return HandoverSlot.objects.bulk_create(slots)


def _full_error():
    _fail({"slot": [_("This slot is full: choose another time.")]}, status_code=409)


def booking_create(*, actor, buyer: HandoverBuyer, slot_id: int, channel: str = BookingChannel.DESK,
                   now: datetime | None = None) -> HandoverBooking:
    """Book ``slot_id`` for the buyer's home. A second booking of the home (also for the same slot) is a 409 naming
    what it has; a full slot a 409; a slot of another project or building, past or closing today, a 400. With an
    active booking of another slot, cancel it first (``booking_rebook`` does both)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _book(actor=actor, buyer=buyer, slot_id=slot_id, channel=channel, now=now)
    except IntegrityError:  # the home's other booking, or the last place, taken at the same instant
        if HandoverBooking.objects.filter(room_id=buyer.room_id, status=BookingStatus.BOOKED).exists():
            _fail({"slot": [_("This home already has a handover booking.")]}, status_code=409)
        _full_error()


def _book(*, actor, buyer, slot_id, channel, now) -> HandoverBooking:
    slot = HandoverSlot.objects.select_for_update().filter(pk=slot_id, project_id=buyer.project_id).first()
    if slot is None or (slot.building_id and slot.building_id != buyer.building_id):
        _fail({"slot": [_("Choose a slot offered for this home.")]})
    if hasattr(buyer.room, "handover") or HandoverBooking.objects.filter(
            room_id=buyer.room_id, status=BookingStatus.DONE).exists():
        _fail({"slot": [_("This home is handed over already.")]}, status_code=409)
    tz = policy_for(slot.project).calendar.tz
    if not can_change_booking(slot_day=timezone.localtime(slot.starts_at, tz).date(),
                              today=timezone.localtime(now, tz).date()):
        _fail({"slot": [_("Book at the latest the day before: this slot is today or past.")]})
    active = HandoverBooking.objects.filter(room_id=buyer.room_id, status=BookingStatus.BOOKED).first()
    if active is not None:
        message = (_("You have already booked this slot.") if active.slot_id == slot.pk else
                   _("This home already has a handover booking (%(when)s): cancel it first.") % {
                       "when": timezone.localtime(active.slot.starts_at, tz).strftime("%Y-%m-%d %H:%M")})
        _fail({"slot": [message]}, status_code=409)
    if slot.booked >= slot.capacity:
        _full_error()
    HandoverSlot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    return HandoverBooking.objects.create(project_id=slot.project_id, slot=slot, buyer=buyer, room_id=buyer.room_id,
                                          channel=channel, booked_at=now,
                                          booked_by=actor if actor is not None and actor.is_authenticated else None)


@transaction.atomic
def booking_cancel(*, actor, booking: HandoverBooking, now: datetime | None = None) -> HandoverBooking:
    now = now or timezone.now()
    booking = HandoverBooking.objects.select_for_update().select_related("slot__project").get(pk=booking.pk)
    if booking.status != BookingStatus.BOOKED:
        _fail({"booking": [_("This booking is %(status)s.") % {"status": booking.get_status_display()}]},
              status_code=409)
    tz = policy_for(booking.slot.project).calendar.tz
    if not can_change_booking(slot_day=timezone.localtime(booking.slot.starts_at, tz).date(),
                              today=timezone.localtime(now, tz).date()):
        _fail({"booking": [_("A booking is cancelled at the latest the day before: call the desk.")]})
    HandoverSlot.objects.select_for_update().filter(pk=booking.slot_id).update(booked=F("booked") - 1)
    booking.status, booking.cancelled_at = BookingStatus.CANCELLED, now
    booking.save(update_fields=["status", "cancelled_at"])
    return booking


@transaction.atomic
def booking_rebook(*, actor, buyer: HandoverBuyer, slot_id: int, channel: str, now: datetime | None = None):
    """Move the home's active booking to ``slot_id`` (or book it when it has none); refused as a whole."""
    now = now or timezone.now()
    active = HandoverBooking.objects.filter(room_id=buyer.room_id, status=BookingStatus.BOOKED).first()
    if active is not None:
        if active.slot_id == slot_id:
            _fail({"slot": [_("You have already booked this slot.")]}, status_code=409)
        booking_cancel(actor=actor, booking=active, now=now)
    return booking_create(actor=actor, buyer=buyer, slot_id=slot_id, channel=channel, now=now)


@transaction.atomic
def settings_update(*, actor, project: Project, defect_days: int, now: datetime | None = None) -> HandoverSettings:
    if not isinstance(defect_days, int) or not 1 <= defect_days <= 120:
        _fail({"defect_days": [_("Between 1 and 120 working days.")]})
    found, _created = HandoverSettings.objects.update_or_create(
        project=project, defaults={"defect_days": defect_days, "updated_at": now or timezone.now(),
                                   "updated_by": actor})
    return found
