"""Reads of the phone sign-in: what a verified phone may sign in as. A phone is matched to every current occupancy of
every resident record that lists it (owner, co-owner, tenant, family, other occupant alike, in any project) and to
the staff profile whose mobile it is; records whose login was deactivated are left out."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from propdesk.customers.models import Occupancy, Phone
from propdesk.staff.models import StaffProfile

from .keys import phone_key

_ACTIVE_RESIDENT = Q(resident__user__isnull=True) | Q(resident__user__is_active=True)


@dataclass
class Choices:
    """Who a verified phone may sign in as: its homes (Occupancy rows, with room, project and resident) and its staff
    user, if any."""

    homes: list = field(default_factory=list)
    staff: object = None  # a User

    @property
    def empty(self) -> bool:
        return not self.homes and self.staff is None

    def as_ids(self) -> dict:
        return {"homes": [home.pk for home in self.homes], "staff": self.staff.pk if self.staff else None}


def _homes():
    return (Occupancy.objects.filter(_ACTIVE_RESIDENT)
            .select_related("room", "project", "resident__user").order_by("project_id", "room__code", "id"))


def phone_choices(*, number: str, on: date) -> Choices:
    """Everything ``number`` (a normalised mobile) may sign in as today: three queries whatever the count."""
    residents = Phone.objects.filter(number=number).values("resident_id")
    homes = list(_homes().current(on).filter(resident_id__in=residents))
    profile = (StaffProfile.objects.filter(mobile=number, is_active=True, user__is_active=True)
               .select_related("user").order_by("id").first())
    return Choices(homes=homes, staff=profile.user if profile else None)


def phone_known(*, number: str, on: date) -> bool:
    """Does the archive or the staff list know ``number`` (is a code worth texting)?"""
    residents = Phone.objects.filter(number=number).values("resident_id")
    return (_homes().current(on).filter(resident_id__in=residents).exists()
            or StaffProfile.objects.filter(mobile=number, is_active=True, user__is_active=True).exists())


def phone_owns_home(*, key: str, home: Occupancy) -> bool:
    """Is a phone of the home's resident the verified phone (``key``: its HMAC)? Reads ``resident.phones`` (prefetch
    it for several homes)."""
    return any(phone_key(phone.number) == key for phone in home.resident.phones.all())


def phone_owns_staff(*, key: str, user) -> bool:
    profile = getattr(user, "staff_profile", None)
    return bool(profile and profile.is_active and user.is_active and profile.mobile
                and phone_key(profile.mobile) == key)


def verified_choices(*, key: str, ids: dict, on: date) -> Choices:
    """The homes and staff account remembered at sign-in (``ids`` as Choices.as_ids), each still current today and
    still the verified phone's: a home that ended or a number that left a record since is no longer offered."""
    homes = [home for home in _homes().current(on).filter(pk__in=ids.get("homes") or [])
             .prefetch_related("resident__phones") if phone_owns_home(key=key, home=home)]
    staff = None
    if ids.get("staff"):
        profile = (StaffProfile.objects.filter(user_id=ids["staff"]).select_related("user").first())
        if profile is not None and phone_owns_staff(key=key, user=profile.user):
            staff = profile.user
    return Choices(homes=homes, staff=staff)


def home_of(*, occupancy_id, on: date):
    """A current home by id, with its room, project and resident, or None."""
    try:
        pk = int(occupancy_id)
    except (TypeError, ValueError):
        return None
    return _homes().current(on).filter(pk=pk).first()
