"""Home visits read by the steward's pages, the PM's load view, the morning page and the customer 360 page.

The due list is computed in three queries whatever its length: the plans of the projects in view, the residents they
cover (each with the date of their last visit, the first complaint since then and one current home, as subqueries on
indexed columns) and the stewards of those homes' buildings. ``rules.visits.next_due`` then says when each is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from propdesk.customers.models import Occupancy, Resident
from propdesk.org.models import Project
from propdesk.servicedesk.choices import Kind
from propdesk.servicedesk.models import ServiceRequest
from propdesk.staff.models import StaffProfile

from ..models import HomeVisit, HomeVisitNeed, HomeVisitPlan
from ..rules import visits as rules
from .zones import building_ids_of, steward_by_building

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
RECENT_LIMIT = 5


@dataclass
class DueVisit:
    resident_id: int
    resident_name: str
    project_id: int
    room_id: int | None
    room_code: str
    steward_id: int | None
    steward_name: str
    due_on: date
    target: str
    frequency: str
    status: str
    last_visit: date | None

    @property
    def reason(self) -> str:
        return f"{rules_label(self.target)} · {frequency_label(self.frequency)}"

    @property
    def url(self) -> str:
        return reverse("stewardship:visit_new", args=[self.resident_id])


def rules_label(target: str) -> str:
    from ..models.visits import VisitTarget

    return str(VisitTarget(target).label) if target in VisitTarget.values else target


def frequency_label(frequency: str) -> str:
    from ..models.visits import VisitFrequency

    return str(VisitFrequency(frequency).label) if frequency in VisitFrequency.values else frequency


def staff_name(user) -> str:
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile else user.get_username()


def is_steward(user) -> bool:
    profile = getattr(user, "staff_profile", None) if hasattr(user, "staff_profile") else None
    return bool(profile and profile.role == "steward")


def _plans(project_ids) -> dict[int, list[rules.PlanRule]]:
    by_project: dict[int, list[rules.PlanRule]] = {}
    for plan in HomeVisitPlan.objects.filter(project_id__in=list(project_ids), active=True):
        by_project.setdefault(plan.project_id, []).append(
            rules.PlanRule(plan.target, plan.frequency, plan.after_complaint_days))
    return by_project


def _target_q(target: str) -> Q:
    if target.startswith(rules.SEGMENT_PREFIX):
        return Q(segment=target.removeprefix(rules.SEGMENT_PREFIX))
    field = rules.FLAG_FIELDS.get(target)
    return Q(**{field: True}) if field else Q(pk__in=[])


def due_rows(*, project_ids, today: date, building_ids=None, until: date | None = None,
             resident_ids=None) -> list[DueVisit]:
    """Every resident the active plans of ``project_ids`` ask a visit of, with when (``until``: only those due on or
    before it), optionally only those living in ``building_ids``; soonest first."""
    plans = _plans(project_ids)
    if not plans:
        return []
    covered = Q(pk__in=[])
    for project_id, project_plans in plans.items():
        targets = Q(pk__in=[])
        for plan in project_plans:
            targets |= _target_q(plan.target)
        covered |= Q(project_id=project_id) & targets
    homes = Occupancy.objects.current(on=today).filter(resident_id=OuterRef("pk"))
    if building_ids is not None:
        homes = homes.filter(room__building_id__in=list(building_ids))
    homes = homes.order_by("id")
    last_visit = HomeVisit.objects.filter(resident_id=OuterRef("pk")).order_by("-visited_at").values("visited_at")[:1]
    complaint = (ServiceRequest.objects.filter(reporter_id=OuterRef("pk"), kind=Kind.COMPLAINT,
                                               received_at__gt=Coalesce(OuterRef("last_visit_at"), EPOCH))
                 .order_by("received_at").values("received_at")[:1])
    residents = Resident.objects.filter(covered)
    if resident_ids is not None:
        residents = residents.filter(pk__in=list(resident_ids))
    residents = (residents.filter(Exists(homes))
                 .annotate(last_visit_at=Subquery(last_visit), room_id_=Subquery(homes.values("room_id")[:1]),
                           room_code_=Subquery(homes.values("room__code")[:1]),
                           building_id_=Subquery(homes.values("room__building_id")[:1]))
                 .annotate(complaint_at=Subquery(complaint))
                 .only("id", "name", "project_id", "segment", *rules.FLAG_FIELDS.values()))
    rows, buildings = [], set()
    for resident in residents:
        flags = {field for field in rules.FLAG_FIELDS.values() if getattr(resident, field)}
        last = timezone.localtime(resident.last_visit_at).date() if resident.last_visit_at else None
        complained = timezone.localtime(resident.complaint_at).date() if resident.complaint_at else None
        due = rules.next_due(plans=plans.get(resident.project_id, []),
                             targets=rules.targets_of(segment=resident.segment, flags=flags),
                             last_visit=last, first_complaint_since=complained, today=today)
        if due is None or (until is not None and due.due_on > until):
            continue
        buildings.add(resident.building_id_)
        rows.append((resident, due, last))
    stewards = steward_by_building(buildings) if rows else {}
    result = []
    for resident, due, last in rows:
        steward = stewards.get(resident.building_id_)
        result.append(DueVisit(resident.pk, resident.name, resident.project_id, resident.room_id_,
                               resident.room_code_ or "",
                               steward.pk if steward else None, staff_name(steward), due.due_on, due.target,
                               due.frequency, rules.status(due.due_on, today), last))
    result.sort(key=lambda row: (row.due_on, row.room_code, row.resident_id))
    return result


def project_ids_of(user) -> list[int]:
    return list(Project.objects.restrict(user).values_list("pk", flat=True))


def due_list(*, user, today: date, until: date | None = None, steward_id: int | None = None) -> list[DueVisit]:
    """What ``user`` may see: a steward the residents of their zone, a manager every steward's (``steward_id``: one)."""
    if is_steward(user):
        profile = user.staff_profile
        return due_rows(project_ids=[profile.project_id] if profile.project_id else project_ids_of(user),
                        today=today, building_ids=building_ids_of(user), until=until)
    building_ids = None
    if steward_id:
        building_ids = building_ids_of(steward_id)
    return due_rows(project_ids=project_ids_of(user), today=today, building_ids=building_ids, until=until)


def visits_due(*, user, day) -> list:
    """Home visits due on or before ``day`` for what ``user`` may see (a steward: their own; a manager: the project's),
    as dicts {"resident_id", "resident_name", "room_code", "reason", "due_on", "steward_name", "url"}."""
    return [{"resident_id": row.resident_id, "resident_name": row.resident_name, "room_code": row.room_code,
             "reason": row.reason, "due_on": row.due_on, "steward_name": row.steward_name, "url": row.url}
            for row in due_list(user=user, today=timezone.localdate(), until=day)]


def visits_due_count_by_steward(*, project_id: int, day) -> dict:
    """{steward user id: number of home visits due on or before ``day``} in a project (the PM's load view)."""
    counts: dict = {}
    for row in due_rows(project_ids=[project_id], today=min(day, timezone.localdate()), until=day):
        if row.steward_id:
            counts[row.steward_id] = counts.get(row.steward_id, 0) + 1
    return counts


def _month_range(month_start: date):
    start = timezone.make_aware(datetime.combine(month_start, datetime.min.time()))
    end_day = rules.add_months(month_start, 1)
    return start, timezone.make_aware(datetime.combine(end_day, datetime.min.time()))


def visit_list(*, user, month_start: date, steward_id: int | None = None):
    """The visits of a month in ``user``'s scope (a steward: their own), newest first, with their needs."""
    start, end = _month_range(month_start)
    visits = HomeVisit.objects.restrict(user).filter(visited_at__gte=start, visited_at__lt=end)
    if is_steward(user):
        visits = visits.filter(steward=user)
    elif steward_id:
        visits = visits.filter(steward_id=steward_id)
    return (visits.select_related("resident", "room", "steward__staff_profile")
            .prefetch_related("needs__request").order_by("-visited_at", "-id"))


def visit_detail(*, user, visit_id: int) -> HomeVisit:
    """One visit in scope (DoesNotExist otherwise)."""
    return (HomeVisit.objects.restrict(user).select_related("resident", "room", "steward__staff_profile", "project")
            .prefetch_related("needs__request").get(pk=visit_id))


def resident_for_visit(*, user, resident_id: int) -> Resident:
    return Resident.objects.restrict(user).select_related("project__company").get(pk=resident_id)


def resident_visits(*, user, resident_id: int, limit: int = RECENT_LIMIT) -> list[HomeVisit]:
    return list(HomeVisit.objects.restrict(user).filter(resident_id=resident_id)
                .select_related("steward__staff_profile").order_by("-visited_at", "-id")[:limit])


def resident_next_due(*, resident, today: date) -> DueVisit | None:
    rows = due_rows(project_ids=[resident.project_id], today=today, resident_ids=[resident.pk])
    return rows[0] if rows else None


@dataclass
class StewardCount:
    steward_id: int
    name: str
    done: int = 0
    due: int = 0
    overdue: int = 0
    needs: int = 0
    requests: int = 0


def steward_counts(*, user, month_start: date, today: date) -> list[StewardCount]:
    """Per steward in ``user``'s scope for a month: visits done, needs found, requests raised; for the current month
    also the visits due by its end and those overdue today (a past month has no due list any more)."""
    project_ids = project_ids_of(user)
    stewards = StaffProfile.objects.filter(project_id__in=project_ids, role="steward", is_active=True)
    counts = {p.user_id: StewardCount(p.user_id, p.display_name) for p in stewards.order_by("display_name", "id")}
    start, end = _month_range(month_start)
    done = (HomeVisit.objects.restrict(user).filter(visited_at__gte=start, visited_at__lt=end)
            .values("steward_id", "steward__staff_profile__display_name")
            .annotate(n=Count("id", distinct=True)).order_by())
    for row in done:
        entry = counts.setdefault(row["steward_id"], StewardCount(
            row["steward_id"], row["steward__staff_profile__display_name"] or ""))
        entry.done = row["n"]
    needs = (HomeVisitNeed.objects.restrict(user).filter(visit__visited_at__gte=start, visit__visited_at__lt=end)
             .values("visit__steward_id").annotate(n=Count("id"), r=Count("request_id")).order_by())
    for row in needs:
        entry = counts.get(row["visit__steward_id"])
        if entry:
            entry.needs, entry.requests = row["n"], row["r"]
    month_end = rules.month_bounds(month_start)[1]
    if month_start <= today <= month_end:
        for row in due_rows(project_ids=project_ids, today=today, until=month_end):
            entry = counts.get(row.steward_id)
            if entry is None:
                continue
            if row.status == "overdue":
                entry.overdue += 1
            else:
                entry.due += 1
    return list(counts.values())
