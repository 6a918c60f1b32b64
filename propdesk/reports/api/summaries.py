"""API endpoints of the summaries (see api/__init__.py), with the same filters, scope and messages as the pages:

- ``GET /api/reports/complaints/summary`` — the monthly complaint summary (default period: last month);
- ``GET /api/reports/visits/statistics`` — the visit statistics (default period: last quarter);
- ``GET /api/reports/public/{project_id}/{YYYY-MM}`` — a project's public service report figures: the frozen ones
  once published, else the figures as of now.

Period: ``month`` (YYYY-MM), ``quarter`` (YYYY-Qn), ``week`` (a day of it) or ``from`` + ``to`` (YYYY-MM-DD);
place: ``project``, ``branch``, ``department`` ids. A bad field (a future or reversed period, a project outside your
scope) is a 400 ``{"message", "extra": {"fields": {...}}}``; a missing capability (VIEW_REPORTS) a 403. Definitions
are in selectors/complaints.py, selectors/visits.py and selectors/public.py.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from propdesk.core.errors import ApplicationError
from propdesk.followups.api import CountsOut, GroupRateOut, LevelOut, OutcomesOut
from propdesk.org.api import require
from propdesk.staff.rules.roles import Capability

from ..filters import ReportFilters, parse_place, report_filters
from ..models import PublicReport, PublicReportStatus
from ..periods import parse_period
from ..selectors.complaints import ComplaintSummary, Totals, complaint_summary
from ..selectors.public import public_report_figures
from ..selectors.visits import VisitStatistics, visit_statistics
from .dashboards import PeriodOut, period_out

router = Router(tags=["reports"])


class ReportQuery(Schema):
    month: str = Field("", description="YYYY-MM")
    quarter: str = Field("", description="YYYY-Qn, e.g. 2026-Q3")
    week: str = Field("", description="Any day of the week, YYYY-MM-DD")
    date_from: str = Field("", alias="from", description="First day, YYYY-MM-DD (with `to`)")
    date_to: str = Field("", alias="to", description="Last day, YYYY-MM-DD (inclusive)")
    project: str = Field("", description="Project id in your scope")
    branch: str = Field("", description="Branch id in your scope")
    department: str = Field("", description="Department id (complaints: the department complained about)")

    def data(self) -> dict[str, str]:
        return {"month": self.month, "quarter": self.quarter, "week": self.week, "from": self.date_from,
                "to": self.date_to, "project": self.project, "branch": self.branch, "department": self.department}


class PlaceOut(Schema):
    project_id: int | None
    branch_id: int | None
    department_id: int | None


def _place(filters: ReportFilters) -> dict:
    place = filters.place
    return {name + "_id": getattr(place, name).pk if getattr(place, name) else None
            for name in ("project", "branch", "department")}


# --- the complaint summary --------------------------------------------------------------------------------

class TotalsOut(Schema):
    total: int
    valid: int
    invalid: int
    undecided: int
    on_time: int
    late: int
    open_not_due: int
    on_time_share: float | None = Field(..., description="on time ÷ (on time + late), percent.")
    repeat: int


class RowOut(Schema):
    key: str
    label: str
    count: int
    previous: int
    last_year: int


class IssueOut(Schema):
    category: str
    department_id: int | None
    label: str
    count: int
    previous: int
    last_year: int


class PlaceRowOut(Schema):
    kind: str = Field(..., description="building or area (common area)")
    id: int
    label: str
    count: int
    previous: int
    last_year: int


class RepeatOut(Schema):
    id: int
    number: str
    received_at: datetime
    room: str
    category: str
    earlier_id: int
    earlier_number: str
    earlier_received_at: datetime


class CauseOut(Schema):
    id: int
    number: str
    received_at: datetime
    text: str


class CauseGroupOut(Schema):
    category: str
    label: str
    with_cause: int
    causes: list[CauseOut]


class ComplaintSummaryOut(Schema):
    period: PeriodOut
    previous_period: PeriodOut
    last_year_period: PeriodOut
    place: PlaceOut
    current: TotalsOut
    previous: TotalsOut
    last_year: TotalsOut
    by_category: list[RowOut]
    by_severity: list[RowOut]
    by_department: list[RowOut]
    by_validity: list[RowOut]
    top_issues: list[IssueOut]
    top_places: list[PlaceRowOut]
    repeats: list[RepeatOut] = Field(..., description="The latest 50 repeat complaints of the period.")
    root_causes: list[CauseGroupOut]


def _totals(totals: Totals) -> dict:
    return {**totals.__dict__, "on_time_share": totals.on_time_share}


def _rows(rows) -> list[dict]:
    return [row._asdict() for row in rows]


def complaint_summary_out(summary: ComplaintSummary) -> dict:
    return {
        "period": period_out(summary.period), "previous_period": period_out(summary.previous_period),
        "last_year_period": period_out(summary.last_year_period), "place": _place(summary.filters),
        "current": _totals(summary.current), "previous": _totals(summary.previous),
        "last_year": _totals(summary.last_year),
        "by_category": _rows(summary.by_category), "by_severity": _rows(summary.by_severity),
        "by_department": _rows(summary.by_department), "by_validity": _rows(summary.by_validity),
        "top_issues": _rows(summary.top_issues), "top_places": _rows(summary.top_places),
        "repeats": [item.__dict__ for item in summary.repeats],
        "root_causes": [{"category": group.category, "label": group.label, "with_cause": group.with_cause,
                         "causes": [cause.__dict__ for cause in group.causes]} for group in summary.root_causes],
    }


@router.get("/complaints/summary", response=ComplaintSummaryOut,
            summary="Monthly complaint summary with comparisons (VIEW_REPORTS)",
            description="Counts by category, severity, department complained about and validity; solved on time; "
                        "repeat complaints; top issues and places; root causes — each against the previous period "
                        "and the same period a year earlier. Default period: last month.")
def complaint_summary_api(request, query: Query[ReportQuery]):
    require(request, Capability.VIEW_REPORTS)
    filters = report_filters(request.user, query.data(), default="last_month")
    return complaint_summary_out(complaint_summary(user=request.user, filters=filters))


# --- the visit statistics ---------------------------------------------------------------------------------

class KindOut(CountsOut):
    key: str
    label: str
    target: int | None = Field(..., description="Required visit rate in percent; null: set by the supervisor.")
    met: bool | None = Field(..., description="null: no target, nothing due, or the period is still running.")


class MonthOut(CountsOut):
    month: str


class StatisticsCaseOut(Schema):
    visit_id: int
    request_id: int
    request_number: str
    project_id: int
    department_id: int | None
    rule: str
    due_by: datetime
    satisfaction: int
    decision: str
    request_status: str
    follow_request_number: str | None
    follow_request_status: str | None


class VisitStatisticsOut(Schema):
    period: PeriodOut
    place: PlaceOut
    total: CountsOut
    kinds: list[KindOut]
    satisfaction_levels: list[LevelOut]
    outcomes: OutcomesOut
    cases: list[StatisticsCaseOut] = Field(..., description="The latest 100 dissatisfied visits of the period.")
    projects: list[GroupRateOut]
    departments: list[GroupRateOut]
    months: list[MonthOut]


def _counts(counts) -> dict:
    return {**counts.__dict__, "visit_rate": counts.visit_rate, "satisfaction_rate": counts.satisfaction_rate}


def visit_statistics_out(stats: VisitStatistics) -> dict:
    return {
        "period": period_out(stats.period), "place": _place(stats.filters), "total": _counts(stats.total),
        "kinds": [{**_counts(k.counts), "key": k.key, "label": k.label, "target": k.target,
                   "met": None if stats.period.running else k.met}
                  for k in stats.kinds],
        "satisfaction_levels": [level.__dict__ for level in stats.levels], "outcomes": stats.outcomes.__dict__,
        "cases": [{"visit_id": v.pk, "request_id": v.request_id, "request_number": v.request.number,
                   "project_id": v.project_id, "department_id": v.department_id, "rule": v.rule, "due_by": v.due_by,
                   "satisfaction": v.satisfaction, "decision": v.decision, "request_status": v.request.status,
                   "follow_request_number": v.follow_request.number if v.follow_request else None,
                   "follow_request_status": v.follow_request.status if v.follow_request else None}
                  for v in stats.cases],
        "projects": [{**_counts(g.counts), "id": g.id, "name": g.name} for g in stats.projects],
        "departments": [{**_counts(g.counts), "id": g.id, "name": g.name} for g in stats.departments],
        "months": [{**_counts(m.counts), "month": f"{m.month:%Y-%m}"} for m in stats.months],
    }


@router.get("/visits/statistics", response=VisitStatisticsOut,
            summary="Visit statistics: rates per kind against targets, satisfaction, outcomes (VIEW_REPORTS)",
            description="Visits count in the period they were due; cancelled visits are left out. Default period: "
                        "last quarter.")
def visit_statistics_api(request, query: Query[ReportQuery]):
    require(request, Capability.VIEW_REPORTS)
    filters = report_filters(request.user, query.data(), default="last_quarter")
    return visit_statistics_out(visit_statistics(user=request.user, filters=filters))


# --- the public service report ----------------------------------------------------------------------------

class PublicReportOut(Schema):
    project_id: int
    month: str
    status: str = Field(..., description="draft, published, or none (not written yet)")
    frozen: bool = Field(..., description="True once published: the figures no longer change.")
    published_at: datetime | None
    improvements: str
    plans: str
    figures: dict = Field(..., description="requests (per kind: received, completed), requests_total, "
                                           "completed_total, repairs, visits, complaints — aggregates only.")


@router.get("/public/{project_id}/{month}", response=PublicReportOut,
            summary="A project's public service report figures for a month (VIEW_REPORTS)")
def public_report_api(request, project_id: str, month: str):
    require(request, Capability.VIEW_REPORTS)
    errors: dict[str, list[str]] = {}
    place = parse_place(request.user, {"project": project_id}, errors)
    period = None
    try:
        period = parse_period({"month": month})
    except ApplicationError as error:
        errors.update(error.field_errors)
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    report = PublicReport.objects.filter(project=place.project, month=period.start).first()
    published = report is not None and report.status == PublicReportStatus.PUBLISHED
    return {"project_id": place.project.pk, "month": f"{period.start:%Y-%m}",
            "status": report.status if report else "none", "frozen": published,
            "published_at": report.published_at if report else None,
            "improvements": report.improvements if report else "", "plans": report.plans if report else "",
            "figures": report.figures if published else public_report_figures(project=place.project,
                                                                               month=period.start)}
