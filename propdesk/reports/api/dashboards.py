"""API endpoints of the KPIs and the dashboards (see api/__init__.py): the same figures, parameters and scope as
/reports/kpis/ and /reports/ (definitions in selectors/kpis.py). A wrong parameter, a future or reversed period, or
a project outside the caller's scope is a 400 naming the field in ``extra.fields``; a role without the capability
a 403."""

from datetime import date

from ninja import Field, Query, Router, Schema

from propdesk.org.api import require
from propdesk.staff.permissions import user_role
from propdesk.staff.rules.roles import Capability

from ..periods import Period
from ..selectors.dashboards import (
    AgentDashboard,
    Live,
    ProjectDashboard,
    ProjectsDashboard,
    dashboard_for,
    group_kpi_url,
    kpi_url,
)
from ..selectors.kpis import Average, Figures, Share, kpi_filters, kpi_report

router = Router(tags=["reports"])


class PeriodQuery(Schema):
    month: str = Field("", description="YYYY-MM; default this month.")
    quarter: str = Field("", description="YYYY-Qn.")
    week: str = Field("", description="Any day of the week, YYYY-MM-DD (the week runs Monday to Sunday).")
    date_from: str = Field("", alias="from", description="First day, YYYY-MM-DD (with `to`: a range).")
    date_to: str = Field("", alias="to", description="Last day, YYYY-MM-DD; default today.")
    project: str = Field("", description="Project id; one outside your scope is a 400.")
    branch: str = Field("", description="Branch id.")

    def data(self) -> dict:
        values = self.model_dump(by_alias=True)
        return {key: value for key, value in values.items() if value}


class KpiQuery(PeriodQuery):
    department: str = Field("", description="Department id (of the project, when one is given).")
    grain: str = Field("week", description="week or month: the buckets of `buckets`.")
    group: str = Field("project", description="project, department or staff: the rows of `groups`.")


class ShareOut(Schema):
    numerator: int
    denominator: int
    percent: float | None


class AverageOut(Schema):
    minutes: float | None = Field(..., description="Average in minutes; null when no order was measured.")
    hours: float | None
    denominator: int = Field(..., description="Orders measured.")


class FiguresOut(Schema):
    received: int = Field(..., description="Requests received in the period, cancelled ones excluded.")
    completed: int = Field(..., description="Orders completed in the period, cancelled ones excluded.")
    accept: AverageOut = Field(..., description="accepted_at − dispatched_at, over orders accepted in the period.")
    arrive: AverageOut = Field(..., description="arrived_at − dispatched_at, over orders arrived in the period.")
    complete: AverageOut = Field(..., description="completed_at − dispatched_at − time on hold.")
    on_time: ShareOut = Field(..., description="Completed by resolve_by ÷ completed.")
    reopened: ShareOut = Field(..., description="Completed orders reopened at least once ÷ completed.")
    first_fix: ShareOut = Field(..., description="Completed, never reopened nor held ÷ completed.")
    satisfaction: ShareOut = Field(..., description="Visits due in the period rated 4 or 5 ÷ rated.")


class PeriodOut(Schema):
    start: date
    end: date = Field(..., description="The last day, inclusive.")
    grain: str
    key: str
    label: str
    running: bool = Field(..., description="Today falls in the period: its figures count up to now, and the "
                                           "previous period is cut to as many days (like with like).")


class GroupOut(Schema):
    id: int | None = Field(..., description="Project, department or user id; null: no department / nobody.")
    name: str
    figures: FiguresOut
    list_urls: dict[str, str | None] = Field(..., description="The register behind each figure.")


class BucketOut(Schema):
    period: PeriodOut
    figures: FiguresOut
    list_urls: dict[str, str]


class KpisOut(Schema):
    period: PeriodOut
    trend: PeriodOut = Field(..., description="What `buckets` cover.")
    grain: str
    group: str
    project_id: int | None
    branch_id: int | None
    department_id: int | None
    total: FiguresOut
    groups: list[GroupOut]
    buckets: list[BucketOut]


def period_out(period: Period) -> dict:
    return {"start": period.start, "end": period.last_day, "grain": period.grain, "key": period.key,
            "label": str(period.label), "running": period.running}


def _share(share: Share) -> dict:
    return {"numerator": share.numerator, "denominator": share.denominator, "percent": share.percent}


def _average(average: Average) -> dict:
    return {"minutes": average.minutes, "hours": average.hours, "denominator": average.denominator}


def figures_out(figures: Figures) -> dict:
    return {"received": figures.received, "completed": figures.completed, "accept": _average(figures.accept),
            "arrive": _average(figures.arrive), "complete": _average(figures.complete),
            "on_time": _share(figures.on_time), "reopened": _share(figures.reopened),
            "first_fix": _share(figures.first_fix), "satisfaction": _share(figures.satisfaction)}


KEYS = ("received", "completed", "accept", "arrive", "complete", "on_time", "reopened", "first_fix", "satisfaction")


@router.get("/kpis", response=KpisOut, summary="Service KPIs in total, per group and per week or month "
            "(VIEW_REPORTS)", description="Same parameters as /reports/kpis/: a period (month, quarter, week, or "
            "from–to; default this month), a place (project, branch, department), grain (week|month) and group "
            "(project|department|staff). Buckets cover the 12 weeks (months) up to the period's end.")
def kpis(request, query: Query[KpiQuery]):
    require(request, Capability.VIEW_REPORTS)
    filters = kpi_filters(request.user, query.data())
    report = kpi_report(user=request.user, filters=filters)
    place = filters.place
    return {
        "period": period_out(filters.period), "trend": period_out(filters.trend), "grain": filters.grain,
        "group": filters.group, "project_id": place.project.pk if place.project else None,
        "branch_id": place.branch.pk if place.branch else None,
        "department_id": place.department.pk if place.department else None,
        "total": figures_out(report.total),
        "groups": [{"id": group.key, "name": group.name, "figures": figures_out(group.figures),
                    "list_urls": {key: group_kpi_url(key, group=filters.group, group_key=group.key,
                                                     period=filters.period, place=place) for key in KEYS}}
                   for group in report.groups],
        "buckets": [{"period": period_out(bucket.period), "figures": figures_out(bucket.figures),
                     "list_urls": {key: kpi_url(key, period=bucket.period, place=place.query()) for key in KEYS}}
                    for bucket in report.buckets],
    }


class LiveOut(Schema):
    received_today: int
    open: int = Field(..., description="Requests recorded and not yet under way (status open).")
    in_progress: int
    to_answer: int = Field(..., description="Requests whose work is done, the resident not yet answered.")
    orders_to_dispatch: int
    overdue: int = Field(..., description="Live orders past their deadline.")
    reopened: int = Field(..., description="Reopened orders back in the dispatch queue.")
    visits_overdue: int
    visits_today: int
    urls: dict[str, str]


class CardOut(Schema):
    key: str
    label: str
    value: float | None
    previous: float | None
    change: float | None
    better: bool | None
    list_url: str


class WeekOut(Schema):
    period: PeriodOut
    requests_by_kind: dict[str, int]
    on_time: ShareOut
    completed: int


class ProjectRowOut(Schema):
    id: int
    name: str
    figures: FiguresOut
    overdue: int


class DashboardOut(Schema):
    kind: str = Field(..., description="project, projects (side by side) or agent (today's queue).")
    role: str | None
    project_id: int | None
    period: PeriodOut | None
    previous: PeriodOut | None
    cards: list[CardOut] | None = Field(..., description="project: this period against the previous one.")
    weeks: list[WeekOut] | None = Field(..., description="project: the 12 weeks up to the period's end.")
    projects: list[ProjectRowOut] | None = Field(..., description="projects: one row per project.")
    live: LiveOut | None = Field(..., description="project and agent: counts at this moment.")


def live_out(live: Live) -> dict:
    return {**{name: getattr(live, name) for name in LiveOut.model_fields if name != "urls"}, "urls": live.urls}


@router.get("/dashboard", response=DashboardOut, summary="The caller's dashboard figures (VIEW_DASHBOARD)",
            description="A project manager gets their project; a branch leader, quality or admin their projects "
                        "side by side, or one project with `project`; an agent today's queue figures.")
def dashboard(request, query: Query[PeriodQuery]):
    require(request, Capability.VIEW_DASHBOARD)
    board = dashboard_for(request.user, query.data())
    out = {"kind": board.kind, "role": user_role(request.user), "project_id": None, "period": None,
           "previous": None, "cards": None, "weeks": None, "projects": None, "live": None}
    if isinstance(board, AgentDashboard):
        return {**out, "project_id": board.project.pk if board.project else None, "live": live_out(board.live)}
    if isinstance(board, ProjectsDashboard):
        return {**out, "period": period_out(board.period), "projects": [
            {"id": row.id, "name": row.name, "figures": figures_out(row.figures), "overdue": row.overdue}
            for row in board.rows]}
    return {**out, **project_board_out(board)}


def project_board_out(board: ProjectDashboard) -> dict:
    by_kind = {series.kind: series.counts for series in board.requests_by_kind}
    return {"project_id": board.project.pk, "period": period_out(board.period),
            "previous": period_out(board.previous), "live": live_out(board.live),
            "cards": [{"key": card.kpi.key, "label": str(card.kpi.label), "value": card.value,
                       "previous": card.previous, "change": card.change, "better": card.better,
                       "list_url": card.url} for card in board.cards],
            "weeks": [{"period": period_out(week), "requests_by_kind": {kind: counts[index]
                                                                        for kind, counts in by_kind.items()},
                       "on_time": _share(bucket.figures.on_time), "completed": bucket.figures.completed}
                      for index, (week, bucket) in enumerate(zip(board.weeks, board.on_time_weeks, strict=True))]}
