"""Reads of the customer archive, always through the user's data scope."""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from propdesk.org.models import Room
from propdesk.org.rules import parse_room_code

from .models import Occupancy, Phone, Resident
from .rules.phones import InvalidNumber, normalize_phone

SEARCH_LIMIT = 20


@dataclass
class SearchResults:
    query: str
    residents: list[Resident]
    rooms: list[Room]
    requests: list = field(default_factory=list)  # by number or words, from the console (servicedesk is downstream)
    more_requests: bool = False  # the words find more requests than the box lists

    @property
    def total(self) -> int:
        return len(self.residents) + len(self.rooms) + len(self.requests)


def residents_for_list(*, user, project_id: int | None = None, segment: str = "", flag: str = "",
                       q: str = ""):
    """The resident list: scoped, filtered, with primary phone and current rooms fetched in a fixed number of
    queries whatever the page size."""
    qs = Resident.objects.restrict(user).select_related("project")
    if project_id:
        qs = qs.filter(project_id=project_id)
    if segment:
        qs = qs.filter(segment=segment)
    if flag in {"is_former_committee", "is_elderly_alone", "is_vip", "is_frequent_complainant"}:
        qs = qs.filter(**{flag: True})
    if q:
        qs = qs.filter(_resident_match(q, user))
    return qs.prefetch_related(
        Prefetch("phones", queryset=Phone.objects.order_by("-is_primary", "id")),
        Prefetch("occupancies", queryset=Occupancy.objects.current().select_related("room"),
                 to_attr="current_occupancies"),
    ).order_by("-id")


def _resident_match(q: str, user) -> Q:
    q = q.strip()
    digits = re.sub(r"\D", "", q)
    if digits and len(digits) == len(q.replace("-", "").replace(" ", "")):
        if len(digits) == 4:
            return Q(id__in=Phone.objects.restrict(user).filter(last4=digits).values("resident_id"))
        try:
            number, _kind = normalize_phone(q)
            return Q(id__in=Phone.objects.restrict(user).filter(number=number).values("resident_id"))
        except InvalidNumber:
            pass
    code = parse_room_code(q)
    if code:
        return Q(id__in=Occupancy.objects.restrict(user).current()
                 .filter(room__in=_rooms_by_code(user, code)).values("resident_id"))
    return Q(name__startswith=q) if len(q) < 2 else Q(name__contains=q)


def _rooms_by_code(user, code):
    building, unit, number = code
    return Room.objects.restrict(user).filter(code=f"{building}-{unit}-{number}")


def search(*, user, query: str, limit: int = SEARCH_LIMIT) -> SearchResults:
    """One box: phone (full or last 4 digits), room code (3-2-1802) or name. Rooms are returned for a room
    code; residents for everything."""
    query = (query or "").strip()
    if not query:
        return SearchResults(query, [], [])
    code = parse_room_code(query)
    if code:
        rooms = list(_rooms_by_code(user, code).select_related("project")[:limit])
    elif re.fullmatch(r"\d{3,5}", query):  # a bare room number: the agent heard "1802"
        rooms = list(Room.objects.restrict(user).filter(number=query).select_related("project")
                     .order_by("project_id", "building__sort", "building_id", "unit_id")[:limit])
    else:
        rooms = []
    residents = list(
        Resident.objects.restrict(user).filter(_resident_match(query, user)).select_related("project")
        .prefetch_related(
            Prefetch("phones", queryset=Phone.objects.order_by("-is_primary", "id")),
            Prefetch("occupancies", queryset=Occupancy.objects.current().select_related("room"),
                     to_attr="current_occupancies"),
        ).order_by("name", "id")[:limit]
    )
    _attach_households(rooms)
    return SearchResults(query, residents, rooms)


def _attach_households(rooms: list[Room]) -> None:
    """Who lives in each room found, so the agent recognises the caller's home at a glance (one query)."""
    by_room: dict[int, list[Occupancy]] = {}
    for occupancy in (Occupancy.objects.current().filter(room__in=rooms).select_related("resident")
                      .order_by("relation", "id")):
        by_room.setdefault(occupancy.room_id, []).append(occupancy)
    for room in rooms:
        room.household = by_room.get(room.pk, [])


def resident_detail(*, user, resident_id: int) -> Resident:
    """The customer 360 page's resident, or Resident.DoesNotExist when outside the user's scope."""
    return (Resident.objects.restrict(user).select_related("project", "project__branch")
            .prefetch_related(Prefetch("phones", queryset=Phone.objects.order_by("-is_primary", "id")))
            .get(pk=resident_id))


def resident_rooms(*, resident: Resident):
    """The resident's occupancies (current first) with each room's current household, in fixed queries."""
    occupancies = list(
        Occupancy.objects.filter(resident=resident).select_related("room", "room__building", "room__unit")
        .order_by("end_date", "-start_date")
    )
    room_ids = [o.room_id for o in occupancies]
    household = (Occupancy.objects.current().filter(room_id__in=room_ids).exclude(resident=resident)
                 .select_related("resident").order_by("relation", "id"))
    by_room: dict[int, list[Occupancy]] = {}
    for member in household:
        by_room.setdefault(member.room_id, []).append(member)
    for occupancy in occupancies:
        occupancy.household = by_room.get(occupancy.room_id, [])
    return occupancies
