"""Where a report looks: a project, a branch or a department within the caller's data scope, checked together with
the period (periods.py) so that a person sees every wrong field at once.

Unknown ids and ids outside the caller's scope get the same message ("No such project in your scope."), so that a
report leaks nothing about other projects. The API turns the ApplicationError into 400 with the fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.core.scoping import pick_in_scope, scope_of
from propdesk.org.models import Branch, Department, Project

from .periods import Period, parse_period


@dataclass(frozen=True)
class Place:
    project: Project | None = None
    branch: Branch | None = None
    department: Department | None = None
    # The caller's own project ids when their scope is a branch or a company (parse_place sets it): a branch chosen
    # that holds the whole scope adds no filter of its own (below).
    scope_ids: frozenset[int] | None = field(default=None, compare=False, repr=False)

    def query(self) -> dict[str, str]:
        """The GET parameters that select this place (for links)."""
        out = {}
        for name in ("project", "branch", "department"):
            value = getattr(self, name)
            if value is not None:
                out[name] = str(value.pk)
        return out

    def projects_q(self, path: str = "project") -> Q:
        """A Q on ``<path>`` (a project foreign key) narrowing rows to this place's project or branch (the data
        scope itself is applied by ``restrict(user)``)."""
        if self.project is not None:
            return Q(**{f"{path}_id": self.project.pk})
        if self.branch is not None:  # the branch's project ids, not a join: the per-project indexes serve it
            if self.scope_ids is not None and self.scope_ids <= frozenset(self.branch_project_ids):
                # A branch leader's own branch: restrict(user) already says exactly this. The same IN list twice
                # made PostgreSQL square its selectivity and walk the wrong index (the complaint summary's list
                # of a branch of 50 projects at 1M requests: 73 ms instead of 1.3 ms).
                return Q()
            return Q(**{f"{path}_id__in": self.branch_project_ids})
        return Q()

    @cached_property
    def branch_project_ids(self) -> tuple[int, ...]:
        """The ids of the chosen branch's projects, read once per place."""
        if self.branch is None:
            return ()
        return tuple(Project.objects.filter(branch_id=self.branch.pk).order_by("id").values_list("id", flat=True))

    def project_ids_for(self, user) -> frozenset[int] | None:
        """The projects whose rows a page at this place can show to ``user`` (None: any). Used to keep only the
        rollups' dirty buckets that can matter to the page."""
        if self.project is not None:
            return frozenset({self.project.pk})
        if self.branch is not None:
            return frozenset(self.branch_project_ids)
        scope = scope_of(user)
        if scope.project_id:
            return frozenset({scope.project_id})
        if scope.branch_id or (scope.company_id and not scope.everything):
            return frozenset(scope.project_ids)
        return None

    @property
    def label(self) -> str:
        parts = [str(value) for value in (self.branch, self.project, self.department) if value is not None]
        return " · ".join(parts) or _("all projects in your scope")


@dataclass(frozen=True)
class ReportFilters:
    period: Period
    place: Place

    def query(self) -> dict[str, str]:
        return {**self.period.query(), **self.place.query()}


def parse_place(user, data, errors: dict | None = None) -> Place:
    """The project, branch and department a person chose (``project``, ``branch``, ``department`` ids), each in
    their scope and consistent with each other. Fills ``errors`` when given, else raises."""
    own = errors if errors is not None else {}
    project = pick_in_scope(Project.objects.restrict(user), data.get("project"), "project", own,
                            _("No such project in your scope."))
    branch = pick_in_scope(Branch.objects.restrict(user).distinct(), data.get("branch"), "branch", own,
                           _("No such branch in your scope."))
    if project is not None and branch is not None and project.branch_id != branch.pk:
        own["project"] = [_("This project is not in the branch chosen.")]
    departments = Department.objects.restrict(user)
    if project is not None:
        departments = departments.filter(Q(project=project) | Q(project__isnull=True, branch_id=project.branch_id))
    department = pick_in_scope(departments.distinct(), data.get("department"), "department", own,
                               _("No such department in your scope or in this project."))
    if errors is None and own:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": own})
    scope = scope_of(user)
    scope_ids = None
    if not scope.everything and not scope.project_id and (scope.branch_id or scope.company_id):
        scope_ids = frozenset(scope.project_ids)
    return Place(project=project, branch=branch, department=department, scope_ids=scope_ids)


def report_filters(user, data, *, default: str = "month") -> ReportFilters:
    """Period and place from GET parameters (or an API query), every wrong field in one ApplicationError."""
    errors: dict[str, list[str]] = {}
    period = None
    try:
        period = parse_period(data, default=default)
    except ApplicationError as error:
        errors.update(error.field_errors)
    place = parse_place(user, data, errors)
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    return ReportFilters(period=period, place=place)
