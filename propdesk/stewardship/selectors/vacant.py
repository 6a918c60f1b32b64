"""Vacant homes read by their pages and the API, through the user's scope. Query counts do not grow with rows:
the last inspection is a subquery, owners one prefetch, stewards one query for the page's buildings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Prefetch, Q, Subquery

from propdesk.customers.choices import Relation
from propdesk.customers.models import Occupancy
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Building, Project, Room
from propdesk.stewardship.models import VacantChecklist, VacantInspection, VacantInspectionItem
from propdesk.stewardship.models.vacant import DEFAULT_INTERVAL_DAYS
from propdesk.stewardship.rules.vacant import DEFAULT_ITEMS, is_overdue, next_due, overdue_cutoff
from propdesk.stewardship.selectors.zones import steward_by_building

OWNER_RELATIONS = (Relation.OWNER, Relation.CO_OWNER)


@dataclass(frozen=True)
class Checklist:
    project_id: int
    items: list[str]
    interval_days: int
    saved: bool = False  # False: the defaults, never saved by the project manager


def checklists_of(project_ids) -> dict[int, Checklist]:
    """{project id: its checklist} (the defaults where none was saved); one query."""
    ids = set(project_ids)
    saved = {row.project_id: Checklist(row.project_id, list(row.items), row.interval_days, True)
             for row in VacantChecklist.objects.filter(project_id__in=ids)}
    return {pid: saved.get(pid) or Checklist(pid, list(DEFAULT_ITEMS), DEFAULT_INTERVAL_DAYS) for pid in ids}


def checklist_of(project_id: int) -> Checklist:
    return checklists_of([project_id])[project_id]


def checklist_detail(*, user, project_id: int) -> tuple[Project, Checklist]:
    """The project (in the user's scope, else DoesNotExist) and its checklist."""
    project = Project.objects.restrict(user).get(pk=project_id)
    return project, checklist_of(project.pk)


def _owners(today: date) -> Prefetch:
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    return Prefetch("occupancies", to_attr="owners", queryset=Occupancy.objects.filter(
        current, relation__in=OWNER_RELATIONS).select_related("resident").order_by("relation", "id"))


def _with_last(rooms):
    last = VacantInspection.objects.filter(room=OuterRef("pk")).order_by("-day", "-id")
    return rooms.annotate(last_day=Subquery(last.values("day")[:1]), last_result=Subquery(last.values("result")[:1]),
                          last_findings=Subquery(last.values("findings")[:1]))


def vacant_rooms(*, user):
    """Vacant homes the user may see (a queryset)."""
    return Room.objects.restrict(user).filter(status=RoomStatus.VACANT)


def _overdue_q(checklists: dict[int, Checklist], today: date) -> Q:
    q = Q(last_day__isnull=True)
    for pid, checklist in checklists.items():
        q |= Q(project_id=pid, last_day__lt=overdue_cutoff(interval_days=checklist.interval_days, today=today))
    return q


@dataclass
class VacantFilters:
    building_id: int | None = None
    steward_id: int | None = None
    overdue: bool = False
    project_id: int | None = None


def vacant_home_list(*, user, today: date, filters: VacantFilters):
    """The vacant homes (a queryset, ordered by project, building, room) with ``last_day``, ``last_result``,
    ``last_findings`` and ``owners`` (current owners and co-owners). Call ``decorate`` on the page shown."""
    rooms = _with_last(vacant_rooms(user=user)).select_related("project", "building").prefetch_related(
        _owners(today))
    if filters.project_id:
        rooms = rooms.filter(project_id=filters.project_id)
    if filters.building_id:
        rooms = rooms.filter(building_id=filters.building_id)
    if filters.steward_id:
        rooms = rooms.filter(building_id__in=ZoneBuildings(filters.steward_id).ids())
    if filters.overdue:
        project_ids = Project.objects.restrict(user).values_list("pk", flat=True)
        if filters.project_id:
            project_ids = project_ids.filter(pk=filters.project_id)
        rooms = rooms.filter(_overdue_q(checklists_of(project_ids), today))
    return rooms.order_by("project_id", "building__sort", "building_id", "unit_id", "floor", "number")


class ZoneBuildings:
    """The buildings of a steward's zone, as a subquery."""

    def __init__(self, steward_id: int):
        self.steward_id = steward_id

    def ids(self):
        from propdesk.stewardship.models import ZoneAssignment

        return ZoneAssignment.objects.filter(steward_id=self.steward_id).values("building_id")


def decorate(rooms, *, today: date) -> list:
    """Put ``steward``, ``next_due`` and ``overdue`` on each room of a page (one query for the stewards, one for the
    checklists)."""
    rooms = list(rooms)
    stewards = steward_by_building({room.building_id for room in rooms})
    checklists = checklists_of({room.project_id for room in rooms})
    for room in rooms:
        interval = checklists[room.project_id].interval_days
        room.steward = stewards.get(room.building_id)
        room.next_due = next_due(last_day=room.last_day, interval_days=interval)
        room.overdue = is_overdue(last_day=room.last_day, interval_days=interval, today=today)
    return rooms


def buildings_for_filter(*, user):
    """Buildings the user may see that have a vacant home, for the filter and the round picker."""
    return (Building.objects.restrict(user).filter(rooms__status=RoomStatus.VACANT).distinct()
            .select_related("project").order_by("project_id", "sort", "id"))


def round_homes(*, user, building_id: int, today: date):
    """A building (in scope, else DoesNotExist) and its vacant homes in walking order, each with ``done_today``
    (the inspection of today, or None) and the last inspection."""
    building = Building.objects.restrict(user).select_related("project").get(pk=building_id)
    today_q = VacantInspection.objects.filter(room=OuterRef("pk"), day=today)
    rooms = decorate(_with_last(vacant_rooms(user=user).filter(building=building)).annotate(
        done_today=Subquery(today_q.values("pk")[:1])).order_by("unit_id", "-floor", "number"), today=today)
    return building, rooms


def home_detail(*, user, room_id: int):
    """A home in scope (any status: a home let since keeps its record), else DoesNotExist."""
    return Room.objects.restrict(user).select_related("project", "building").get(pk=room_id)


def home_record(*, user, room_id: int, today: date):
    """The home (in scope, else DoesNotExist), its inspections newest first with items and the requests they
    became, its current owners."""
    room = (_with_last(Room.objects.restrict(user)).select_related("project", "building")
            .prefetch_related(_owners(today)).get(pk=room_id))
    items = VacantInspectionItem.objects.select_related("request").order_by("position")
    inspections = list(VacantInspection.objects.filter(room=room).select_related("inspector")
                       .prefetch_related(Prefetch("items", queryset=items)).order_by("-day", "-id")[:200])
    decorate([room], today=today)
    return room, inspections


def inspection_list(*, user, project_id: int | None = None, room_id: int | None = None,
                    since: date | None = None, until: date | None = None):
    """Inspections the user may see, newest first, with their items and requests."""
    rows = VacantInspection.objects.restrict(user).select_related("room", "inspector")
    if project_id:
        rows = rows.filter(project_id=project_id)
    if room_id:
        rows = rows.filter(room_id=room_id)
    if since:
        rows = rows.filter(day__gte=since)
    if until:
        rows = rows.filter(day__lte=until)
    items = VacantInspectionItem.objects.select_related("request").order_by("position")
    return rows.prefetch_related(Prefetch("items", queryset=items)).order_by("-day", "-id")


def overdue_homes(*, today: date, project_ids=None):
    """Every vacant home whose inspection is overdue (for the weekly sweep; no user scope): rooms with ``last_day``
    and ``project``; one query plus the checklists."""
    rooms = _with_last(Room.objects.filter(status=RoomStatus.VACANT))
    projects = Project.objects.all() if project_ids is None else Project.objects.filter(pk__in=project_ids)
    checklists = checklists_of(projects.values_list("pk", flat=True))
    rooms = rooms.filter(project_id__in=list(checklists)).filter(_overdue_q(checklists, today))
    return rooms.select_related("project", "building").order_by("project_id", "building_id", "id"), checklists
