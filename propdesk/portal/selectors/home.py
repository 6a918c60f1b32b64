"""Reads of the resident's home page and report form: who else lives in the current home (name and relation, the
phone masked), the notices for the home, the common areas of the home's project a resident reports about, and the
visit windows its working calendar offers. Every read starts from the home the signed-in resident acts for."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, Prefetch, Q

from propdesk.customers.models import Occupancy, Phone
from propdesk.org.models import CommonArea
from propdesk.servicedesk.services.policy import policy_for

from ..windows import Window, visit_windows


@dataclass(frozen=True)
class Member:
    """A household member as the resident sees them: nothing of the archive but a name, a relation, a masked phone."""

    name: str
    relation: str
    relation_label: str
    phone: str  # masked


def household_members(*, home: Occupancy, on: date) -> list[Member]:
    """The other people living in the home's room today (owner, family, tenant alike), in one query plus their
    phones (one more), however many they are."""
    phones = Prefetch("resident__phones", queryset=Phone.objects.order_by("-is_primary", "id"))
    others = (Occupancy.objects.filter(room_id=home.room_id).current(on).exclude(resident_id=home.resident_id)
              .select_related("resident").prefetch_related(phones).order_by("id"))
    members, seen = [], set()
    for occupancy in others:
        if occupancy.resident_id in seen:
            continue
        seen.add(occupancy.resident_id)
        phone = next(iter(occupancy.resident.phones.all()), None)
        members.append(Member(name=occupancy.resident.name, relation=occupancy.relation,
                              relation_label=str(occupancy.get_relation_display()),
                              phone=phone.masked if phone else ""))
    return members


HOME_NOTICES = 5


def home_notices(*, user, home: Occupancy | None, now: datetime) -> list:
    """The notices in effect for the resident's current home that they have not read, pinned first, then newest (at
    most five; the notices page has the rest). Each item has ``title``, ``published_at``, ``urgent``, ``pinned``
    and ``url``."""
    from propdesk.notices.selectors import resident_notices

    if home is None:
        return []
    return list(resident_notices(user=user, homes=[home], now=now, unread_only=True, limit=HOME_NOTICES))


def report_areas(*, home: Occupancy):
    """The common areas a resident of ``home`` reports about: the project-wide ones (garage, square, gate …) and
    those of the home's own building (its lobby, its lifts), not the lifts of every other building."""
    building_id = home.room.building_id
    return (CommonArea.objects.filter(project_id=home.project_id)
            .filter(Q(building__isnull=True) | Q(building_id=building_id))
            .order_by(F("building_id").desc(nulls_last=True), "kind", "id"))


def offered_windows(*, project, now: datetime) -> list[Window]:
    """The visit windows the project offers at ``now`` (its working slots on its working calendar)."""
    return visit_windows(calendar=policy_for(project).calendar, now=now)
