"""The dashboard of each role, and the address of the list behind every figure (drill-down).

- **Project** (a project manager; a leader who picked a project with ``?project=``): this month's KPIs against last
  month's, requests received per week by kind, the on-time share per week, and what is open right now.
- **Projects side by side** (branch leader, quality, admin): one row per project of the place with the month's
  received, completed, on-time share, reopen rate, satisfaction and the orders overdue now.
- **Agent**: today's queue of their project: recorded today, waiting for dispatch, open, overdue now, visits due
  today, reopened orders — each counted as the queue page it links to counts it.

Figures come from selectors/kpis/ (same definitions); the "now" counts are three aggregate queries. A dashboard
runs the same number of queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from propdesk.core.scoping import scope_of
from propdesk.followups.choices import VisitStatus
from propdesk.followups.models import FollowUpVisit
from propdesk.org.models import Project
from propdesk.servicedesk.choices import Kind, RequestStatus, WorkOrderStatus
from propdesk.servicedesk.selectors import LIVE_WO
from propdesk.staff.permissions import user_role

from ..filters import Place, report_filters
from ..periods import Period, week_period
from .kpis import (
    KPIS,
    Bucket,
    Figures,
    Kpi,
    as_date,
    figures_for_periods,
    kpi_buckets,
    kpi_groups,
    orders_in,
    requests_in,
    trend_period,
    within,
)
from .kpis.rollups import KpiReader, kpi_reader

# --- drill-down addresses ---------------------------------------------------------------------------------

# KPI → the register that lists what it counts, with the parameters that pick those rows (the registers' contract).
KPI_LISTS = {
    "received": ("reports:register_requests", {}),
    "completed": ("reports:register_orders", {"measure": "completed"}),
    "accept": ("reports:register_orders", {"measure": "accepted"}),
    "arrive": ("reports:register_orders", {"measure": "arrived"}),
    "complete": ("reports:register_orders", {"measure": "completed"}),
    "on_time": ("reports:register_orders", {"measure": "completed", "on_time": "1"}),
    "reopened": ("reports:register_orders", {"measure": "completed", "reopened": "1"}),
    "first_fix": ("reports:register_orders", {"measure": "completed", "first_fix": "1"}),
    "satisfaction": ("reports:register_visits", {}),
}
ORDER_KPIS = frozenset(key for key, (name, _fixed) in KPI_LISTS.items() if name == "reports:register_orders")


def list_url(name: str, params: dict | None = None) -> str:
    params = {key: value for key, value in (params or {}).items() if value not in (None, "")}
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def kpi_url(key: str, *, period: Period, place: dict[str, str], **extra) -> str:
    """The register behind KPI ``key`` for ``period`` and the place's parameters (project, branch, department)."""
    name, fixed = KPI_LISTS[key]
    return list_url(name, {**fixed, **period.query(), **place, **extra})


def group_kpi_url(key: str, *, group: str, group_key: int | None, period: Period, place: Place) -> str | None:
    """The register behind one cell of the KPI table; None where no register can pick those rows (a staff member's
    requests or visits, the "no department" row)."""
    if group_key is None:
        return None
    if group == "project":
        return kpi_url(key, period=period, place={"project": str(group_key)})
    if group == "department":
        return kpi_url(key, period=period, place={**place.query(), "department": str(group_key)})
    if key not in ORDER_KPIS:
        return None
    return kpi_url(key, period=period, place=place.query(), assignee=str(group_key))


# --- what is open now -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Live:
    """Counts at this moment, as the queue pages count them (links in ``urls``)."""

    received_today: int = 0
    open: int = 0  # recorded, nothing under way yet (status open): the dispatch queue's requests
    in_progress: int = 0
    to_answer: int = 0  # work done, the resident not yet answered
    orders_to_dispatch: int = 0
    overdue: int = 0  # live orders past their deadline
    reopened: int = 0  # reopened orders back in the dispatch queue
    visits_overdue: int = 0
    visits_today: int = 0
    urls: dict = field(default_factory=dict)

    @property
    def waiting_for_dispatch(self) -> int:
        return self.open + self.orders_to_dispatch

    @property
    def visits_due(self) -> int:
        return self.visits_overdue + self.visits_today


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def live_counts(*, user, place: Place, now: datetime, own_visits: bool) -> Live:
    """Three queries. ``own_visits``: the caller's own visits (an agent's visit queue), else the whole project's."""
    today = local_midnight(timezone.localtime(now).date())
    tomorrow = local_midnight(timezone.localtime(now).date() + timedelta(days=1))
    # Only the live requests and today's: the index (project, status, received_at) finds them, however long the
    # history (a project's closed requests are most of its rows).
    live = Q(status__in=[RequestStatus.OPEN, RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED])
    requests = requests_in(user, place).filter(live | Q(received_at__gte=today, received_at__lt=tomorrow)).aggregate(
        received_today=Count("id", filter=Q(received_at__gte=today, received_at__lt=tomorrow)),
        open=Count("id", filter=Q(status=RequestStatus.OPEN)),
        in_progress=Count("id", filter=Q(status=RequestStatus.IN_PROGRESS)),
        to_answer=Count("id", filter=Q(status=RequestStatus.RESOLVED)))
    orders = orders_in(user, place).filter(status__in=LIVE_WO).aggregate(
        orders_to_dispatch=Count("id", filter=Q(status=WorkOrderStatus.PENDING)),
        overdue=Count("id", filter=Q(resolve_by__lt=now)),
        reopened=Count("id", filter=Q(reopen_count__gt=0, status__in=[WorkOrderStatus.DISPATCHED,
                                                                       WorkOrderStatus.PENDING])))
    visits = FollowUpVisit.objects.restrict(user).filter(place.projects_q(), status=VisitStatus.PENDING)
    if own_visits:
        visits = visits.filter(visitor=user)
    visit_counts = visits.aggregate(visits_overdue=Count("id", filter=Q(due_by__lt=now)),
                                    visits_today=Count("id", filter=Q(due_by__gte=now, due_from__lt=tomorrow)))
    project = {"project": str(place.project.pk)} if place.project is not None else {}
    requests_url = "servicedesk:request_list"
    urls = {
        "received_today": list_url(requests_url, project),
        "open": list_url(requests_url, {**project, "status": RequestStatus.OPEN}),
        "in_progress": list_url(requests_url, {**project, "status": RequestStatus.IN_PROGRESS}),
        "to_answer": list_url(requests_url, {**project, "status": RequestStatus.RESOLVED}),
        "waiting_for_dispatch": reverse("servicedesk:dispatch_queue"),
        "reopened": reverse("servicedesk:dispatch_queue") + "#reopened",
        "overdue": reverse("servicedesk:overdue"),
        "visits": reverse("followups:visit_queue") + ("" if own_visits else "?all=1"),
    }
    return Live(**requests, **orders, **visit_counts, urls=urls)


# --- the project dashboard --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    kpi: Kpi
    figure: object  # int, Share or Average of this period
    value: float | int | None
    previous: float | int | None
    url: str

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)

    @property
    def better(self) -> bool | None:
        """True when the change is an improvement (shorter times, higher shares); None: no change or a count."""
        if not self.change or not self.kpi.better:
            return None
        return (self.change > 0) == (self.kpi.better == "higher")


@dataclass(frozen=True)
class KindSeries:
    kind: str
    label: str
    counts: list[int]
    urls: list[str]


@dataclass(frozen=True)
class ProjectDashboard:
    kind = "project"
    project: Project
    period: Period
    previous: Period
    cards: list[Card]
    weeks: list[Period]
    requests_by_kind: list[KindSeries]  # kinds with requests in the weeks shown
    on_time_weeks: list[Bucket]
    on_time_urls: list[str]
    live: Live


def requests_by_week_and_kind(*, user, place: Place, trend: Period, reader: KpiReader | None | bool = None
                               ) -> dict[str, dict[date, int]]:
    """The requests received per week (its Monday) and kind in the trend's weeks: from the rollup kept with the
    KPIs (RequestDay, through the page's KPI ``reader``; None: learn it here) once it is built, else (no rollup, a
    department, ``reader`` False) from the raw rows."""
    if reader is None:
        reader = kpi_reader(user, place)
    if not reader:
        return requests_by_week_and_kind_raw(user=user, place=place, trend=trend)
    out: dict[str, dict[date, int]] = {}
    for (day, kind), count in sorted(reader.requests_by_day_and_kind(trend.start, trend.end).items()):
        if count:
            weeks = out.setdefault(kind, {})
            monday = day - timedelta(days=day.weekday())
            weeks[monday] = weeks.get(monday, 0) + count
    return out


def requests_by_week_and_kind_raw(*, user, place: Place, trend: Period) -> dict[str, dict[date, int]]:
    rows = (requests_in(user, place).filter(within("received_at", trend))
            .annotate(week=TruncWeek("received_at", output_field=DateField()))
            .values("week", "kind").annotate(count=Count("id")).order_by())
    out: dict[str, dict[date, int]] = {}
    for row in rows:
        out.setdefault(row["kind"], {})[as_date(row["week"])] = row["count"]
    return out


def project_dashboard(*, user, place: Place, period: Period, now: datetime) -> ProjectDashboard:
    previous = period.previous()
    reader = kpi_reader(user, place) or False  # the KPI rollup, learnt once for the page (False: raw rows)
    this, before = figures_for_periods(user=user, place=place, periods=[period, previous], reader=reader)
    where = place.query()
    cards = [Card(kpi, kpi.figure(this), kpi.value(this), kpi.value(before),
                  kpi_url(kpi.key, period=period, place=where)) for kpi in KPIS]
    trend = trend_period(period, "week", today=timezone.localtime(now).date())
    weeks = [week_period(monday) for monday in trend.weeks()]
    counts = requests_by_week_and_kind(user=user, place=place, trend=trend, reader=reader)
    by_kind = [KindSeries(kind.value, str(kind.label), [counts[kind.value].get(week.start, 0) for week in weeks],
                          [kpi_url("received", period=week, place=where, kind=kind.value) for week in weeks])
               for kind in Kind if kind.value in counts]
    on_time = kpi_buckets(user=user, place=place, trend=trend, grain="week", parts=("completed_at",), reader=reader)
    return ProjectDashboard(
        project=place.project, period=period, previous=previous, cards=cards, weeks=weeks, requests_by_kind=by_kind,
        on_time_weeks=on_time, on_time_urls=[kpi_url("on_time", period=b.period, place=where) for b in on_time],
        live=live_counts(user=user, place=place, now=now, own_visits=False))


# --- projects side by side --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProjectRow:
    id: int
    name: str
    figures: Figures
    overdue: int
    urls: dict  # dashboard, received, completed, on_time, reopened, satisfaction


@dataclass(frozen=True)
class ProjectsDashboard:
    kind = "projects"
    place: Place
    period: Period
    rows: list[ProjectRow]
    overdue_url: str

    @property
    def empty(self) -> bool:
        return all(row.figures.empty for row in self.rows)


def projects_dashboard(*, user, place: Place, period: Period, now: datetime) -> ProjectsDashboard:
    groups = kpi_groups(user=user, place=place, period=period, group="project")
    overdue = dict(orders_in(user, place).filter(status__in=LIVE_WO, resolve_by__lt=now)
                   .values_list("project_id").annotate(count=Count("id")).order_by())
    rows = []
    for group in groups:
        if group.key is None:
            continue
        where = {"project": str(group.key)}
        urls = {key: kpi_url(key, period=period, place=where)
                for key in ("received", "completed", "on_time", "reopened", "satisfaction")}
        urls["dashboard"] = list_url("reports:dashboard", {**period.query(), **where})
        rows.append(ProjectRow(group.key, group.name, group.figures, overdue.get(group.key, 0), urls))
    return ProjectsDashboard(place=place, period=period, rows=rows, overdue_url=reverse("servicedesk:overdue"))


# --- the agent's day --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AgentDashboard:
    kind = "agent"
    project: Project | None
    today: date
    live: Live


# --- which one --------------------------------------------------------------------------------------------

Dashboard = ProjectDashboard | ProjectsDashboard | AgentDashboard


def dashboard_for(user, data, *, now: datetime | None = None) -> Dashboard:
    """The caller's dashboard from GET parameters (``month``/``week``/… and ``project`` or ``branch``); a bad or
    out-of-scope parameter raises one ApplicationError naming it."""
    now = now or timezone.now()
    filters = report_filters(user, data, default="month")
    place = filters.place
    if place.project is None and scope_of(user).project_id:
        project = Project.objects.restrict(user).filter(pk=scope_of(user).project_id).first()
        place = Place(project=project) if project is not None else place
    if user_role(user) == "agent":
        return AgentDashboard(project=place.project, today=timezone.localtime(now).date(),
                              live=live_counts(user=user, place=place, now=now, own_visits=True))
    if place.project is not None:
        return project_dashboard(user=user, place=Place(project=place.project), period=filters.period, now=now)
    return projects_dashboard(user=user, place=place, period=filters.period, now=now)
