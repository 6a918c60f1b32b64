"""Who the steward of a building or home is: read by every part (visits due, patrol supervisors, the customer page,
the resident's app). One query each."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum

from propdesk.core.masking import mask_phone
from propdesk.org.models import Building, Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability
from propdesk.stewardship.models import ContactTask, ZoneAssignment
from propdesk.stewardship.models.contacts import ContactStatus


def steward_by_building(building_ids) -> dict:
    """{building_id: steward user} for the buildings that have a steward."""
    rows = ZoneAssignment.objects.filter(building_id__in=list(building_ids)).select_related("steward",
                                                                                          "steward__staff_profile")
    return {row.building_id: row.steward for row in rows}


def steward_by_room(rooms) -> dict:
    """{room_id: steward user} for ``rooms`` (Room objects: their building_id is read)."""
    rooms = list(rooms)
    by_building = steward_by_building({room.building_id for room in rooms})
    return {room.pk: by_building[room.building_id] for room in rooms if room.building_id in by_building}


def building_ids_of(steward) -> list[int]:
    """The buildings in ``steward``'s zone."""
    return list(ZoneAssignment.objects.filter(steward=steward).values_list("building_id", flat=True))


# --- zones part: the load per steward, first-contact tasks, the steward shown to staff and residents -------------


OPEN_REQUEST_STATUSES = ("open", "in_progress", "resolved")  # not closed, not cancelled
BALANCE_TOLERANCE = 20  # percent above or below the average number of homes a steward may carry before the hint
LATE_SHOWN = 50
CONTACTS_PAGE = 50


def project_stewards(project_id: int):
    """The active stewards of a project, as users with their profile, by name."""
    return (get_user_model().objects.filter(staff_profile__project_id=project_id, staff_profile__role="steward",
                                            staff_profile__is_active=True, is_active=True)
            .select_related("staff_profile").order_by("staff_profile__display_name", "id"))


def steward_name(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile else user.get_username()


def steward_mobile(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.mobile if profile else ""


def steward_contact(room) -> dict | None:
    """{"name", "mobile"} of the steward of ``room``'s building, for the resident's app (the resident may call
    their steward: that is the point); None without a steward. One query."""
    steward = steward_by_building([room.building_id]).get(room.building_id)
    if steward is None:
        return None
    return {"name": steward_name(steward), "mobile": steward_mobile(steward)}


@dataclass
class BuildingLoad:
    building: object
    steward: object | None
    homes: int = 0
    residents: int = 0
    open_requests: int = 0
    owed_fen: int = 0
    homes_in_arrears: int = 0


@dataclass
class StewardLoad:
    user: object
    name: str
    mobile: str
    buildings: list = field(default_factory=list)
    homes: int = 0
    residents: int = 0
    open_requests: int = 0
    owed_fen: int = 0
    homes_in_arrears: int = 0
    visits_due: int = 0
    open_tasks: int = 0
    late_tasks: int = 0
    balance_pct: int = 0  # homes vs. the average of the project's stewards, in percent (+35: 35 % more)

    @property
    def balance(self) -> str:
        if self.balance_pct > BALANCE_TOLERANCE:
            return "heavy"
        if self.balance_pct < -BALANCE_TOLERANCE:
            return "light"
        return "ok"


@dataclass
class ZonesLoad:
    project: object
    buildings: list[BuildingLoad]
    stewards: list[StewardLoad]
    average_homes: float
    unassigned_buildings: int
    late: list  # late open first-contact tasks, oldest first (at most LATE_SHOWN)
    late_total: int


def zone_projects(user):
    """The projects whose zones ``user`` may see, by name."""
    return Project.objects.restrict(user).order_by("name")


def zones_load(*, user, project_id: int, now: datetime, day=None) -> ZonesLoad:
    """Every building of a project with its steward, and the load per steward, aggregated in SQL: a fixed number of
    queries whatever the number of buildings or stewards. Another scope's project: Project.DoesNotExist."""
    from propdesk.customers.models import Occupancy
    from propdesk.fees.models import Account
    from propdesk.servicedesk.models import ServiceRequest

    from . import visits

    project = Project.objects.restrict(user).get(pk=project_id)
    day = day or now.date()
    buildings = list(Building.objects.filter(project=project).select_related("zone__steward__staff_profile")
                     .annotate(homes=Count("rooms")).order_by("sort", "number", "id"))
    rows = {}
    for b in buildings:
        zone = getattr(b, "zone", None) if hasattr(b, "zone") else None
        rows[b.pk] = BuildingLoad(building=b, steward=zone.steward if zone else None, homes=b.homes)
    current = Occupancy.objects.current(on=day).filter(project=project)
    building_ids = list(rows)
    for row in (current.filter(room__building_id__in=building_ids).values("room__building_id")
                .annotate(n=Count("resident_id", distinct=True))):
        rows[row["room__building_id"]].residents = row["n"]
    for row in (ServiceRequest.objects.filter(project=project, status__in=OPEN_REQUEST_STATUSES,
                                              room__building_id__in=building_ids)
                .values("room__building_id").annotate(n=Count("id"))):
        rows[row["room__building_id"]].open_requests = row["n"]
    for row in (Account.objects.filter(project=project, owed_fen__gt=0, room__building_id__in=building_ids)
                .values("room__building_id").annotate(owed=Sum("owed_fen"), n=Count("id"))):
        rows[row["room__building_id"]].owed_fen = row["owed"] or 0
        rows[row["room__building_id"]].homes_in_arrears = row["n"]

    stewards = {u.pk: StewardLoad(user=u, name=steward_name(u), mobile=steward_mobile(u))
                for u in project_stewards(project.pk)}
    for row in rows.values():
        if row.steward is None:
            continue
        load = stewards.get(row.steward.pk)
        if load is None:  # a steward who has left or moved keeps buildings until they are reassigned
            load = stewards[row.steward.pk] = StewardLoad(user=row.steward, name=steward_name(row.steward),
                                                          mobile=steward_mobile(row.steward))
        load.buildings.append(row.building)
        load.homes += row.homes
        load.open_requests += row.open_requests
        load.owed_fen += row.owed_fen
        load.homes_in_arrears += row.homes_in_arrears
    for row in (current.filter(room__building__zone__isnull=False).values("room__building__zone__steward_id")
                .annotate(n=Count("resident_id", distinct=True))):
        if row["room__building__zone__steward_id"] in stewards:
            stewards[row["room__building__zone__steward_id"]].residents = row["n"]
    for steward_id, count in visits.visits_due_count_by_steward(project_id=project.pk, day=day).items():
        if steward_id in stewards:
            stewards[steward_id].visits_due = count
    open_tasks = ContactTask.objects.filter(project=project, status=ContactStatus.OPEN)
    for row in open_tasks.values("steward_id").annotate(n=Count("id"), late=Count("id", filter=Q(due_at__lt=now))):
        if row["steward_id"] in stewards:
            stewards[row["steward_id"]].open_tasks = row["n"]
            stewards[row["steward_id"]].late_tasks = row["late"]

    loads = sorted(stewards.values(), key=lambda s: (s.name, s.user.pk))
    average = sum(s.homes for s in loads) / len(loads) if loads else 0.0
    for load in loads:
        load.balance_pct = round((load.homes - average) * 100 / average) if average else 0
    late_qs = open_tasks.filter(due_at__lt=now)
    late = list(late_qs.select_related("resident", "room", "steward__staff_profile").order_by("due_at", "id")
                [:LATE_SHOWN])
    return ZonesLoad(project=project, buildings=list(rows.values()), stewards=loads, average_homes=average,
                     unassigned_buildings=sum(1 for r in rows.values() if r.steward is None), late=late,
                     late_total=late_qs.count() if len(late) == LATE_SHOWN else len(late))


def contact_tasks_queryset(*, user, status: str = ContactStatus.OPEN):
    """First-contact tasks ``user`` works on: a steward their own, a manager of zones every steward's in scope."""
    tasks = ContactTask.objects.restrict(user)
    if not user_can(user, Capability.MANAGE_ZONES):
        tasks = tasks.filter(steward=user)
    if status:
        tasks = tasks.filter(status=status)
    return tasks.select_related("resident", "room", "steward__staff_profile", "project").order_by("due_at", "id")


def contact_tasks_page(*, user, page=None):
    return Paginator(contact_tasks_queryset(user=user), CONTACTS_PAGE).get_page(page)


def contact_task_detail(*, user, task_id: int) -> ContactTask:
    """One task the user works on (open or done); anything else: ContactTask.DoesNotExist."""
    return contact_tasks_queryset(user=user, status="").get(pk=task_id)


def resident_stewards(*, user, resident, now: datetime) -> list[dict]:
    """For the customer 360 page: per current home of ``resident`` its steward (name, mobile masked unless the
    user may see phones) and the resident's open first-contact task. Three queries."""
    from propdesk.customers.models import Occupancy

    occupancies = list(Occupancy.objects.restrict(user).current(on=now.date()).filter(resident=resident)
                       .select_related("room").order_by("room__code"))
    stewards = steward_by_room([o.room for o in occupancies])
    tasks = {t.steward_id: t for t in ContactTask.objects.restrict(user)
             .filter(resident=resident, status=ContactStatus.OPEN)}
    reveal = user_can(user, Capability.REVEAL_PHONE)
    homes = []
    for occupancy in occupancies:
        steward = stewards.get(occupancy.room_id)
        mobile = steward_mobile(steward) if steward else ""
        task = tasks.get(steward.pk) if steward else None
        homes.append({"room": occupancy.room, "steward": steward, "name": steward_name(steward) if steward else "",
                      "mobile": mobile if reveal else mask_phone(mobile), "task": task,
                      "task_late": bool(task and task.due_at < now)})
    return homes
