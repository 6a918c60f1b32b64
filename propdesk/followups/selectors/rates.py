"""Rates against targets: visit rate per kind, satisfaction, dissatisfied cases and what became of them — per
project, department and month, in the caller's data scope. Every figure is counted by the database
(``Count(filter=…)`` over ``values().annotate()``); Python only divides the counts and fills empty months.

Definitions (the page, the API and the tests share them):

- A visit belongs to the month it was **due** (``due_by``, local time), whatever month it was done: a visit due in
  March and done in April counts for March.
- **Due**: visits whose ``due_by`` falls in the period, cancelled ones excluded. **Done**: of those, the visits
  recorded (status done, late or not). Unreachable and still pending visits are due but not done.
- **Visit rate** = done ÷ due, per rule key (complaint, repair, help, other), held against the rule's
  ``target_rate`` from the company's policy; a rule without a target ("other") is "set by the supervisor".
- **Satisfaction rate** = (very satisfied + satisfied) ÷ visits with a satisfaction.
- **Dissatisfied**: satisfaction ≤ 2; outcome = the decision on the record (request reopened, complaint created,
  none yet) and whether the reopened request / the follow-up complaint has been closed since.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, DateField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from propdesk.core.errors import ApplicationError
from propdesk.core.months import add_months, parse_month
from propdesk.core.scoping import pick_in_scope, scope_of
from propdesk.org.models import Department, Project
from propdesk.servicedesk.choices import RequestStatus
from propdesk.servicedesk.models import ServiceRequest

from ..choices import Decision, Satisfaction, VisitStatus
from ..models import FollowUpVisit
from ..rules.schedule import DEFAULT_RULES, VisitRule
from ..services.policy import visit_policy_for

DEFAULT_MONTHS = 12
MAX_MONTHS = 36
CASES_SHOWN = 100
SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)
DISSATISFIED_MAX = Satisfaction.DISSATISFIED


# --- the filters ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RateFilters:
    start: date  # first day of the first month
    end: date  # first day of the last month
    project: Project | None = None
    department: Department | None = None
    running: bool = False  # the period reaches this month: visits due later this month are not done yet

    @property
    def months(self) -> list[date]:
        months, current = [], self.start
        while current <= self.end:
            months.append(current)
            current = add_months(current, 1)
        return months


def rate_filters(*, user, project: str | int | None = None, department: str | int | None = None,
                 month_from: str = "", month_to: str = "", today: date | None = None) -> RateFilters:
    """Check the filters a person sent; anything wrong is one ApplicationError naming the fields (nothing is
    counted for a bad period, an unknown project or one outside the caller's scope)."""
    this_month = (today or timezone.localdate()).replace(day=1)
    errors: dict[str, list[str]] = {}
    start = end = None
    for name, text in (("from", month_from), ("to", month_to)):
        if text and text.strip():
            parsed = parse_month(text)
            if parsed is None:
                errors[name] = [_("Give a month as YYYY-MM, e.g. 2026-03.")]
            elif parsed > this_month:
                errors[name] = [_("The period cannot reach into the future: the last month is %(month)s.")
                                % {"month": f"{this_month:%Y-%m}"}]
            elif name == "from":
                start = parsed
            else:
                end = parsed
    if not errors:
        end = end or this_month
        start = start or add_months(end, 1 - DEFAULT_MONTHS)
        if start > end:
            errors["from"] = [_("The period starts after it ends.")]
        elif add_months(start, MAX_MONTHS) <= end:
            errors["from"] = [_("Choose a period of at most %(count)d months.") % {"count": MAX_MONTHS}]
    found_project = pick_in_scope(Project.objects.restrict(user), project, "project", errors,
                                  _("No such project in your scope."))
    departments = Department.objects.restrict(user)
    if found_project is not None:
        departments = departments.filter(project=found_project)
    found_department = pick_in_scope(departments, department, "department", errors,
                                     _("No such department in your scope or in this project."))
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    return RateFilters(start=start, end=end, project=found_project, department=found_department,
                       running=end == this_month)


# --- the figures ------------------------------------------------------------------------------------------

@dataclass
class Counts:
    due: int = 0
    done: int = 0
    late: int = 0
    unreachable: int = 0
    pending: int = 0
    rated: int = 0
    satisfied: int = 0
    dissatisfied: int = 0

    @property
    def visit_rate(self) -> float | None:
        return _percent(self.done, self.due)

    @property
    def satisfaction_rate(self) -> float | None:
        return _percent(self.satisfied, self.rated)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


COUNTERS = {
    "due": Count("id"),
    "done": Count("id", filter=Q(status=VisitStatus.DONE)),
    "late": Count("id", filter=Q(status=VisitStatus.DONE, late=True)),
    "unreachable": Count("id", filter=Q(status=VisitStatus.UNREACHABLE)),
    "pending": Count("id", filter=Q(status=VisitStatus.PENDING)),
    "rated": Count("id", filter=Q(satisfaction__isnull=False)),
    "satisfied": Count("id", filter=Q(satisfaction__in=SATISFIED)),
    "dissatisfied": Count("id", filter=Q(satisfaction__lte=DISSATISFIED_MAX)),
}


def _counts(row: dict) -> Counts:
    return Counts(**{name: row.get(name) or 0 for name in COUNTERS})


@dataclass
class KindRate:
    key: str
    label: str
    target: int | None  # percent; None: set by the customer-service supervisor
    counts: Counts

    @property
    def met(self) -> bool | None:
        """None when there is no target or nothing was due."""
        if self.target is None or self.counts.visit_rate is None:
            return None
        return self.counts.visit_rate >= self.target


@dataclass
class GroupRate:
    id: int | None
    name: str
    counts: Counts


@dataclass
class MonthRate:
    month: date
    counts: Counts
    kinds: dict[str, Counts]


@dataclass
class Level:
    value: int
    label: str
    count: int
    percent: float | None


@dataclass
class Outcomes:
    total: int = 0
    reopened: int = 0
    reopened_closed: int = 0  # the reopened request has been closed again
    complaint: int = 0
    complaint_closed: int = 0  # the follow-up complaint has been closed
    undecided: int = 0


@dataclass(kw_only=True)
class RateFigures:
    """What ``rate_figures`` counts; the rates page and the reports' visit statistics add their own filters."""
    total: Counts
    kinds: list[KindRate]
    levels: list[Level]
    outcomes: Outcomes
    cases: list[FollowUpVisit]
    projects: list[GroupRate]
    departments: list[GroupRate]
    months: list[MonthRate]
    targets: dict[str, int | None] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.total.due == 0


@dataclass(kw_only=True)
class RateReport(RateFigures):
    filters: RateFilters


KIND_LABELS = {"complaint": gettext_lazy("complaint"), "repair": gettext_lazy("repair"), "help": gettext_lazy("help"),
               "other": gettext_lazy("other work")}


def kind_label(key: str) -> str:
    return str(KIND_LABELS.get(key, key))


def visits_in_period(*, user, filters: RateFilters) -> QuerySet:
    """The due visits of the period in the caller's scope: due_by in the months chosen, cancelled excluded."""
    tz = timezone.get_current_timezone()
    after = datetime.combine(add_months(filters.end, 1), time.min, tzinfo=tz)
    visits = (FollowUpVisit.objects.restrict(user)
              .filter(due_by__gte=datetime.combine(filters.start, time.min, tzinfo=tz), due_by__lt=after)
              .exclude(status=VisitStatus.CANCELLED))
    if filters.project is not None:
        visits = visits.filter(project=filters.project)
    if filters.department is not None:
        visits = visits.filter(department=filters.department)
    return visits


def visit_rules_for(user, filters: RateFilters) -> dict[str, VisitRule]:
    """The targets of the company whose visits are shown: the project's, else the caller's; a superuser looking
    across several companies sees the handbook's defaults."""
    company_id = filters.project.company_id if filters.project else scope_of(user).company_id
    if company_id is None:
        companies = list(Project.objects.restrict(user).values_list("company_id", flat=True).distinct()[:2])
        company_id = companies[0] if len(companies) == 1 else None
    return visit_policy_for(company_id).rules if company_id else dict(DEFAULT_RULES)


def rate_report(*, user, filters: RateFilters) -> RateReport:
    """All the figures of the rates page and of GET /api/followups/rates, in a fixed number of queries."""
    visits = visits_in_period(user=user, filters=filters)
    return RateReport(filters=filters, **rate_figures(visits, rules=visit_rules_for(user, filters),
                                                      months=filters.months))


def figure_counters() -> dict:
    """Every aggregate behind the figures of a set of due visits: COUNTERS, the count per satisfaction level
    (``level_<n>``) and the outcomes of the dissatisfied (``case_<name>``). The reports' visit rollup
    (propdesk/reports/rollups/visits.py) stores exactly these per project, day, rule and department."""
    return {**COUNTERS, **{f"level_{level.value}": Count("id", filter=Q(satisfaction=level.value))
                           for level in Satisfaction}, **_outcome_counters()}


def rate_figures(visits: QuerySet, *, rules: dict[str, VisitRule], months: list[date]) -> dict:
    """The figures of a set of due visits (already narrowed to a period and a scope), as the keyword arguments of
    RateFigures (RateReport here, VisitStatistics in the reports): totals, per kind against ``rules``' targets,
    satisfaction levels, outcomes of the dissatisfied, per project, per department and per month of ``months``."""
    monthly = visits.annotate(month=TruncMonth("due_by", output_field=DateField()))
    totals = visits.aggregate(**figure_counters())
    by_kind = {row["rule"]: _counts(row) for row in visits.values("rule").annotate(**COUNTERS).order_by()}
    per_month_kind: dict[date, dict[str, Counts]] = {}
    for row in monthly.values("month", "rule").annotate(**COUNTERS).order_by():
        per_month_kind.setdefault(_as_date(row["month"]), {})[row["rule"]] = _counts(row)
    per_month = {_as_date(row["month"]): _counts(row)
                 for row in monthly.values("month").annotate(**COUNTERS).order_by()}
    projects = [GroupRate(row["project_id"], row["project__name"], _counts(row))
                for row in visits.values("project_id", "project__name").annotate(**COUNTERS)
                .order_by("project__code")]
    departments = [GroupRate(row["department_id"], row["department__name"] or _("no department"), _counts(row))
                   for row in visits.values("department_id", "department__name").annotate(**COUNTERS)
                   .order_by("department__project_id", "department__kind", "department_id")]
    return assemble_figures(totals=totals, by_kind=by_kind, per_month=per_month, per_month_kind=per_month_kind,
                            projects=projects, departments=departments, cases=dissatisfied_cases(visits),
                            rules=rules, months=months)


def assemble_figures(*, totals: dict, by_kind: dict[str, Counts], per_month: dict[date, Counts],
                     per_month_kind: dict[date, dict[str, Counts]], projects: list[GroupRate],
                     departments: list[GroupRate], cases: list[FollowUpVisit], rules: dict[str, VisitRule],
                     months: list[date]) -> dict:
    """The keyword arguments of RateFigures from the counts (``totals``: every ``figure_counters`` name), however
    they were counted (raw rows here, the rollup in the reports)."""
    total = _counts(totals)
    keys = list(rules) + sorted(key for key in by_kind if key not in rules)
    kinds = [KindRate(key, kind_label(key), rules[key].target_rate if key in rules else None,
                      by_kind.get(key, Counts())) for key in keys]
    month_rates = [MonthRate(month, per_month.get(month, Counts()),
                             {key: per_month_kind.get(month, {}).get(key, Counts()) for key in keys})
                   for month in months]
    levels = [Level(level.value, str(level.label), totals[f"level_{level.value}"] or 0,
                    _percent(totals[f"level_{level.value}"] or 0, total.rated)) for level in Satisfaction]
    outcomes = Outcomes(**{name: totals[f"case_{name}"] or 0 for name in Outcomes.__dataclass_fields__})
    return {"total": total, "kinds": kinds, "levels": levels, "outcomes": outcomes,
            "cases": cases, "projects": projects, "departments": departments,
            "months": month_rates, "targets": {key: rules[key].target_rate for key in rules}}


def _closed(field: str) -> Exists:
    """The visit's ``field`` (its request, its follow-up complaint) is closed: a lookup by primary key made only for
    the few dissatisfied visits the filter reaches, instead of joining every visit of the period to its request
    (at a million requests that join scanned the whole requests table)."""
    return Exists(ServiceRequest.objects.filter(pk=OuterRef(field), status=RequestStatus.CLOSED))


def _outcome_counters() -> dict:
    unhappy = Q(satisfaction__lte=DISSATISFIED_MAX)
    reopened, complaint = unhappy & Q(decision=Decision.REOPENED), unhappy & Q(decision=Decision.COMPLAINT)
    return {
        "case_total": Count("id", filter=unhappy),
        "case_reopened": Count("id", filter=reopened),
        "case_reopened_closed": Count("id", filter=reopened & Q(_closed("request_id"))),
        "case_complaint": Count("id", filter=complaint),
        "case_complaint_closed": Count("id", filter=complaint & Q(_closed("follow_request_id"))),
        "case_undecided": Count("id", filter=unhappy & Q(decision=Decision.NONE)),
    }


def dissatisfied_cases(visits: QuerySet, limit: int = CASES_SHOWN, *, since: datetime | None = None
                       ) -> list[FollowUpVisit]:
    """The dissatisfied visits of the period, latest due first, with their request and follow-up complaint. Two
    queries: the ids of the few rows shown (visits only, by their project/due index; ``since`` — a due time before
    which none of them can lie, learnt from the reports' rollup — narrows the walk), then those rows with their
    relations by primary key, so that no plan joins every visit of the period to the requests table."""
    chosen = visits.filter(satisfaction__lte=DISSATISFIED_MAX)
    if since is not None:
        chosen = chosen.filter(due_by__gte=since)
    ids = list(chosen.order_by("-due_by", "-id").values_list("id", flat=True)[:limit])
    if not ids:
        return []
    return list(FollowUpVisit.objects.filter(pk__in=ids)
                .select_related("request", "project", "department", "follow_request")
                .order_by("-due_by", "-id"))


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value
