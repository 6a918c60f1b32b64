"""Buyers 业主 (known before handover), handover slots and bookings.

A slot's ``booked`` counts its active bookings; it is changed only with the slot row locked, and the database refuses
``booked > capacity`` (``handover_slot_not_overbooked``), so the last place taken by two clients at once goes to one.
One active booking per home (``handover_booking_one_active``)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from propdesk.core.masking import mask_id_number, mask_phone
from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Building, Project, Room


def _nonce() -> str:
    return secrets.token_urlsafe(9)


class HandoverBuyer(models.Model):
    """The buyer of a home, entered or imported by the project manager before handover. The personal link in the
    handover SMS carries a signature of (id, nonce): a new nonce revokes the old link."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="+", verbose_name=_("building"))
    room = models.OneToOneField(Room, on_delete=models.PROTECT, related_name="handover_buyer", verbose_name=_("home"))
    name = models.CharField(_("name"), max_length=50)
    mobile = models.CharField(_("mobile"), max_length=20)
    id_number = models.CharField(_("ID number"), max_length=32, blank=True)
    nonce = models.CharField(max_length=16, default=_nonce, editable=False)
    resident = models.ForeignKey("customers.Resident", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("resident in the archive"))
    created_at = models.DateTimeField(_("entered at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        ordering = ["room__code"]
        indexes = [models.Index(fields=["project", "building"], name="handover_buyer_building")]

    def __str__(self):
        return f"{self.name} {self.room_id}"

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class HandoverSlot(models.Model):
    """A time the project receives buyers (9:00–9:30, 3 homes), for the whole project or one building."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    building = models.ForeignKey(Building, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("building"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("homes"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)
    created_at = models.DateTimeField(_("opened at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("opened by"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover slot")
        verbose_name_plural = _("handover slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="handover_slot_not_overbooked"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="handover_slot_ends_after_start"),
        ]
        indexes = [models.Index(fields=["project", "starts_at"], name="handover_slot_project_start")]

    def __str__(self):
        return f"{self.project_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked, 0)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    CANCELLED = "cancelled", _("cancelled")
    DONE = "done", _("handed over")


class BookingChannel(models.TextChoices):
    LINK = "link", _("buyer's link")
    DESK = "desk", _("at the desk")


class HandoverBooking(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    slot = models.ForeignKey(HandoverSlot, on_delete=models.PROTECT, related_name="bookings",
                             verbose_name=_("slot"))
    buyer = models.ForeignKey(HandoverBuyer, on_delete=models.PROTECT, related_name="bookings",
                              verbose_name=_("buyer"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name=_("home"))
    status = models.CharField(_("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    channel = models.CharField(_("booked through"), max_length=8, choices=BookingChannel.choices)
    booked_at = models.DateTimeField(_("booked at"))
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("booked by"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover booking")
        verbose_name_plural = _("handover bookings")
        ordering = ["slot__starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["room"], condition=Q(status="booked"),
                                               name="handover_booking_one_active")]
        indexes = [models.Index(fields=["project", "status"], name="handover_booking_status")]

    def __str__(self):
        return f"{self.room_id} @ {self.slot_id} ({self.status})"
