"""Who is on duty: read by dispatch (suggestions), the escalation sweep (at night the on-duty person of the rung's
role), and the dispatch queue's "on duty now" box."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from propdesk.duty.models import RosterEntry, ShiftKind
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department, Project
from propdesk.staff.models import Role

from ..rules.rosters import ShiftNeed, coverage_gaps, days_from, week_start

MANAGERS = object()  # department=MANAGERS: the project's duty managers (shifts without a department)


def on_duty_entries(*, project_id: int, at: datetime, department_id=None):
    """Roster entries covering ``at`` in a project; ``department_id`` narrows to one department (``MANAGERS``: the
    project's duty managers). One indexed query; the person is selected along."""
    rows = RosterEntry.objects.filter(project_id=project_id, starts_at__lte=at, ends_at__gt=at)
    if department_id is MANAGERS:
        rows = rows.filter(department__isnull=True)
    elif department_id is not None:
        rows = rows.filter(department_id=department_id)
    return rows.select_related("user", "user__staff_profile", "shift", "department").order_by("starts_at", "id")


def on_duty_user_ids(*, project_id: int, at: datetime, department_id=None) -> set[int]:
    rows = RosterEntry.objects.filter(project_id=project_id, starts_at__lte=at, ends_at__gt=at)
    if department_id is MANAGERS:
        rows = rows.filter(department__isnull=True)
    elif department_id is not None:
        rows = rows.filter(department_id=department_id)
    return set(rows.values_list("user_id", flat=True))


# -- issue 13: roster — pages and the API read through these, restricted to the user's scope ---------------------

MANAGER_ROLES = (Role.PROJECT_MANAGER, Role.AGENT, Role.STEWARD)  # who may stand as the project's duty manager


def projects_of(user):
    return Project.objects.restrict(user).order_by("name", "id")


def project_get(*, user, project_id) -> Project:
    """A project in the user's scope (Project.DoesNotExist otherwise: a 404)."""
    return projects_of(user).get(pk=project_id)


def departments_of(project: Project):
    """The project's own departments (customer service, engineering, security …), the ones that keep rosters."""
    return Department.objects.filter(project=project).order_by("kind", "id")


def department_of(project: Project, department_id) -> Department | None:
    """One department of the project; None for the duty managers. DoesNotExist for another project's."""
    if department_id in (None, "", "managers"):
        return None
    return departments_of(project).get(pk=int(department_id))


def shift_kinds(*, user, project_id=None, department_id=None, active_only=False):
    rows = ShiftKind.objects.restrict(user).select_related("project", "department")
    if project_id is not None:
        rows = rows.filter(project_id=project_id)
    if department_id is MANAGERS:
        rows = rows.filter(department__isnull=True)
    elif department_id is not None:
        rows = rows.filter(department_id=department_id)
    if active_only:
        rows = rows.filter(is_active=True)
    return rows.order_by("project_id", "department_id", "starts", "id")


def shift_kind_get(*, user, shift_id: int) -> ShiftKind:
    return ShiftKind.objects.restrict(user).select_related("project", "department").get(pk=shift_id)


def entry_get(*, user, entry_id: int) -> RosterEntry:
    return RosterEntry.objects.restrict(user).select_related("project", "department", "shift", "user").get(pk=entry_id)


def eligible_people(*, project: Project, department: Department | None):
    """Who may be put on a shift: the active staff of the department (for the customer service center, the
    project's agents too); for the duty managers, the project's managers, agents and stewards."""
    users = get_user_model().objects.filter(is_active=True, staff_profile__is_active=True)
    if department is not None and department.kind == DepartmentKind.CUSTOMER_SERVICE:
        # the customer service center's shifts: its staff, and the project's agents (who have no department)
        users = users.filter(Q(staff_profile__department=department)
                             | Q(staff_profile__project=project, staff_profile__role=Role.AGENT))
    elif department is not None:
        users = users.filter(staff_profile__department=department)
    else:
        users = users.filter(staff_profile__project=project, staff_profile__role__in=MANAGER_ROLES)
    return users.select_related("staff_profile").order_by("staff_profile__display_name", "id")


def person_label(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile else user.get_username()


def person_mobile(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.mobile if profile else ""


@dataclass
class Cell:
    shift: ShiftKind
    day: date
    entries: list = field(default_factory=list)

    @property
    def short(self) -> bool:
        return len(self.entries) < self.shift.min_people


@dataclass
class WeekGrid:
    project: Project
    department: Department | None
    monday: date
    days: list[date]
    rows: list[tuple[ShiftKind, list[Cell]]]

    @property
    def gaps(self) -> int:
        return sum(1 for _shift, cells in self.rows for cell in cells if cell.short)


def roster_week(*, user, project: Project, department: Department | None, day: date) -> WeekGrid:
    """The week grid (Monday to Sunday around ``day``) of a department or of the duty managers: rows are the active
    shifts, columns the days, each cell its people. Two queries whatever the number of people."""
    monday = week_start(day)
    days = days_from(monday, 7)
    scope = MANAGERS if department is None else department.pk
    shifts = list(shift_kinds(user=user, project_id=project.pk, department_id=scope, active_only=True))
    cells = {(s.pk, d): Cell(s, d) for s in shifts for d in days}
    entries = (RosterEntry.objects.restrict(user).filter(project=project, day__gte=monday, day__lte=days[-1],
                                                         shift__in=[s.pk for s in shifts])
               .select_related("user", "user__staff_profile").order_by("starts_at", "id"))
    for entry in entries:
        cell = cells.get((entry.shift_id, entry.day))
        if cell is not None:
            cell.entries.append(entry)
    return WeekGrid(project, department, monday, days, [(s, [cells[(s.pk, d)] for d in days]) for s in shifts])


def roster_entries(*, user, project_id: int, department_id=None, first: date, last: date):
    rows = RosterEntry.objects.restrict(user).filter(project_id=project_id, day__gte=first, day__lte=last)
    if department_id is MANAGERS:
        rows = rows.filter(department__isnull=True)
    elif department_id is not None:
        rows = rows.filter(department_id=department_id)
    return rows.select_related("user", "user__staff_profile", "shift", "department").order_by("starts_at", "id")


@dataclass
class OnDutyGroup:
    project: Project
    label: str  # the department's name, or 值班经理
    department: Department | None
    entries: list


def on_duty_now(*, user, at, project_id=None) -> list[OnDutyGroup]:
    """Who is on duty at ``at`` in the projects the user sees, grouped per project and department (duty managers
    first). One query."""
    rows = (RosterEntry.objects.restrict(user).filter(starts_at__lte=at, ends_at__gt=at)
            .select_related("project", "department", "shift", "user", "user__staff_profile")
            .order_by("project__name", "project_id", "department__kind", "department_id", "starts_at", "id"))
    if project_id is not None:
        rows = rows.filter(project_id=project_id)
    groups: dict[tuple[int, int | None], OnDutyGroup] = {}
    for entry in rows:
        key = (entry.project_id, entry.department_id)
        if key not in groups:
            label = entry.department.name if entry.department_id else _("Duty manager")
            groups[key] = OnDutyGroup(entry.project, label, entry.department, [])
        groups[key].entries.append(entry)
    return sorted(groups.values(), key=lambda g: (g.project.name, g.project.pk, g.department is not None,
                                                   g.department.kind if g.department else "", g.label))


def project_today(project: Project, at) -> date:
    return at.astimezone(ZoneInfo(project.timezone or "Asia/Shanghai")).date()


def gaps_ahead(*, projects, at, days: int = 8) -> list[tuple[ShiftKind, date, int]]:
    """For each project, from its today (in its zone) for ``days`` days (today and the 7 days after): each
    active shift with fewer people than it needs, as (shift, day, people scheduled). Two queries for all the
    projects."""
    projects = list(projects)
    if not projects:
        return []
    firsts = {p.pk: project_today(p, at) for p in projects}
    first, last = min(firsts.values()), max(firsts.values()) + timedelta(days=days - 1)
    shifts = list(ShiftKind.objects.filter(project__in=projects, is_active=True)
                  .select_related("project", "department").order_by("project_id", "department_id", "starts", "id"))
    counts = {(row["shift_id"], row["day"]): row["n"] for row in
              RosterEntry.objects.filter(project__in=projects, day__gte=first, day__lte=last)
              .values("shift_id", "day").annotate(n=Count("id")).order_by()}
    by_pk = {s.pk: s for s in shifts}
    out = []
    for project in projects:
        mine = [ShiftNeed(s.pk, s.starts, s.ends, s.min_people) for s in shifts if s.project_id == project.pk]
        for gap in coverage_gaps(mine, days_from(firsts[project.pk], days), counts):
            out.append((by_pk[gap.shift_id], gap.day, gap.have))
    return out
