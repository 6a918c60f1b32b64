"""The service KPI page (/reports/kpis/) and the dashboard of each role (/reports/), with bar charts drawn on the
server (core/charts.py) whose bars open the list behind them. Figures: selectors/kpis/ (definitions) and
selectors/dashboards.py; GET /api/reports/kpis and /api/reports/dashboard give the same."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from propdesk.core.charts import bar_chart, count_axis, hbar_chart
from propdesk.core.errors import ApplicationError
from propdesk.core.scoping import scope_of
from propdesk.core.views_utils import capability_required
from propdesk.org.models import Department, Project
from propdesk.staff.rules.roles import Capability

from ..selectors.dashboards import (
    AgentDashboard,
    ProjectDashboard,
    ProjectsDashboard,
    dashboard_for,
    group_kpi_url,
    kpi_url,
)
from ..selectors.kpis import KPI_BY_KEY, KPIS, Average, Bucket, Figures, Kpi, KpiReport, Share, kpi_filters, kpi_report
from ..selectors.processes import process_figures

PERIOD_FIELDS = ("month", "quarter", "week", "from", "to")
CHART_PROJECTS = 40  # projects drawn side by side; the table lists them all


# --- how a figure reads -----------------------------------------------------------------------------------

def shown(kpi: Kpi, value) -> str:
    if value is None:
        return "—"
    if kpi.unit == "percent":
        return f"{value}%"
    if kpi.unit == "minutes":
        if value >= 120:  # "11.7 h" reads at a glance where "703.0 min" does not
            return _("%(value)s h") % {"value": round(value / 60, 1)}
        return _("%(value)s min") % {"value": value}
    if kpi.unit == "hours":
        return _("%(value)s h") % {"value": value}
    return str(value)


def shown_change(kpi: Kpi, change, value, previous) -> str:
    """The signed change of a card in the unit its values read in: "+21.0 min", or "-0.6 h" when the times are
    shown in hours (a change of minutes stays in minutes); shares in points and counts as plain numbers."""
    if change is None:
        return ""
    if kpi.unit == "minutes" and max(value, previous) >= 120 and abs(change) >= 6:
        return _("%(value)s h") % {"value": f"{round(change / 60, 1):+}"}
    if kpi.unit == "minutes":
        return _("%(value)s min") % {"value": f"{change:+}"}
    if kpi.unit == "hours":
        return _("%(value)s h") % {"value": f"{change:+}"}
    return f"{change:+}"


def detail(figure) -> str:
    """What a figure is made of: "3 / 4" for a share, "4 orders" for an average."""
    if isinstance(figure, Share):
        return f"{figure.numerator} / {figure.denominator}"
    if isinstance(figure, Average):
        return ngettext("%(count)d order", "%(count)d orders", figure.denominator) % {"count": figure.denominator}
    return ""


def cell(kpi: Kpi, figures: Figures, url: str | None) -> dict:
    return {"key": kpi.key, "label": kpi.label, "value": shown(kpi, kpi.value(figures)),
            "detail": detail(kpi.figure(figures)), "url": url}


def chart_title(kpi: Kpi) -> str:
    unit = {"minutes": _("minutes"), "hours": _("hours"), "percent": "%"}.get(kpi.unit)
    return f"{kpi.label} ({unit})" if unit else str(kpi.label)


def bucket_labels(periods, grain: str) -> tuple[list[str], list[str]]:
    """Week labels "11-02" (the Monday) or month labels, with the year under the first and every January."""
    labels, years, last_year = [], [], None
    for period in periods:
        labels.append(f"{period.start:%m-%d}" if grain == "week" else date_format(period.start, "M"))
        years.append(str(period.start.year) if period.start.year != last_year else "")
        last_year = period.start.year
    return labels, years


def kpi_chart(kpi: Kpi, buckets: list[Bucket], grain: str, place_query: dict) -> dict:
    labels, years = bucket_labels([b.period for b in buckets], grain)
    title = chart_title(kpi)
    values = [kpi.value(b.figures) for b in buckets]
    top = {"percent": 100, "count": count_axis(values)}.get(kpi.unit)
    return {"key": kpi.key, "title": title, "svg": bar_chart(
        labels=labels, sublabels=years, title=title, chart_id=f"chart-{kpi.key}",
        unit="%" if kpi.unit == "percent" else "", max_value=top, series=[(str(kpi.label), values)],
        links=[kpi_url(kpi.key, period=b.period, place=place_query) for b in buckets])}


# --- the KPI page -----------------------------------------------------------------------------------------

def _form_context(request) -> dict:
    sent = {name: request.GET.get(name, "").strip()
            for name in (*PERIOD_FIELDS, "project", "department", "grain", "group")}
    departments = Department.objects.restrict(request.user).filter(project__isnull=False).distinct()
    if sent["project"].isdigit() and len(sent["project"]) <= 18:
        departments = departments.filter(project_id=int(sent["project"]))
    return {"sent": sent, "projects": list(Project.objects.restrict(request.user).order_by("code")),
            "departments": list(departments.order_by("project__code", "kind", "id")),
            "grains": [("week", _("week")), ("month", _("month"))],
            "groups": [("project", _("project")), ("department", _("department")), ("staff", _("staff member"))]}


@capability_required(Capability.VIEW_REPORTS)
def kpis(request):
    context = _form_context(request)
    try:
        filters = kpi_filters(request.user, request.GET)
    except ApplicationError as error:
        return render(request, "reports/kpis.html", {**context, "error": error, "field_errors": error.field_errors,
                                                     "form": {**context["sent"]}}, status=400)
    report = kpi_report(user=request.user, filters=filters)
    period = filters.period
    month = period.key if period.grain == "month" else ""
    form = {**context["sent"], "month": month, "from": "" if month else f"{period.start:%Y-%m-%d}",
            "to": "" if month else f"{period.last_day:%Y-%m-%d}", "grain": filters.grain, "group": filters.group}
    return render(request, "reports/kpis.html", {
        **context, "form": form, "report": report, "filters": filters, "kpis": KPIS,
        "total": [cell(kpi, report.total, kpi_url(kpi.key, period=period, place=filters.place.query()))
                  for kpi in KPIS],
        "rows": kpi_rows(report),
        "group_label": dict(context["groups"])[filters.group],
        "charts": [kpi_chart(kpi, report.buckets, filters.grain, filters.place.query()) for kpi in KPIS]})


def kpi_rows(report: KpiReport) -> list[dict]:
    filters = report.filters
    return [{"key": group.key, "name": group.name, "cells": [
        cell(kpi, group.figures, group_kpi_url(kpi.key, group=filters.group, group_key=group.key,
                                               period=filters.period, place=filters.place))
        for kpi in KPIS]} for group in report.groups]


# --- the dashboards ---------------------------------------------------------------------------------------

@capability_required(Capability.VIEW_DASHBOARD)
def dashboard(request):
    pickable = not scope_of(request.user).project_id
    context = {"pickable": pickable, "sent": {name: request.GET.get(name, "").strip()
                                              for name in ("project", "branch", *PERIOD_FIELDS)}}
    if pickable:
        context["projects"] = list(Project.objects.restrict(request.user).order_by("code"))
    try:
        board = dashboard_for(request.user, request.GET)
    except ApplicationError as error:
        return render(request, "reports/dashboard.html", {**context, "error": error,
                                                          "field_errors": error.field_errors}, status=400)
    if isinstance(board, AgentDashboard):
        return render(request, "reports/dashboard_agent.html", {**context, "board": board, "pickable": False})
    context["month"] = board.period.key if board.period.grain == "month" else ""
    if isinstance(board, ProjectDashboard):
        processes = process_figures(project_ids=[board.project.pk], now=timezone.now())
        return render(request, "reports/dashboard_project.html", {**context, **project_context(board),
                                                                  "processes": processes})
    return render(request, "reports/dashboard_projects.html", {**context, **projects_context(board)})


def project_context(board: ProjectDashboard) -> dict:
    cards = [{"key": card.kpi.key, "label": card.kpi.label, "value": shown(card.kpi, card.value),
              "detail": detail(card.figure), "previous": shown(card.kpi, card.previous),
              "change": card.change, "change_text": shown_change(card.kpi, card.change, card.value, card.previous),
              "better": card.better, "url": card.url} for card in board.cards]
    labels, years = bucket_labels(board.weeks, "week")
    requests_title = _("Requests received per week, by kind")
    totals = [sum(series.counts[index] for series in board.requests_by_kind) for index in range(len(board.weeks))]
    requests_chart = bar_chart(
        labels=labels, sublabels=years, title=requests_title, chart_id="chart-requests", stacked=True,
        max_value=count_axis(totals),
        series=[(series.label, series.counts) for series in board.requests_by_kind],
        links=[[series.urls[index] for series in board.requests_by_kind] for index in range(len(board.weeks))])
    on_time_title = _("Completed on time per week (%)")
    on_time_chart = bar_chart(
        labels=labels, sublabels=years, title=on_time_title, chart_id="chart-on-time", unit="%", max_value=100,
        series=[(_("on time"), [bucket.figures.on_time.percent for bucket in board.on_time_weeks])],
        links=board.on_time_urls)
    return {"board": board, "cards": cards, "live": board.live,
            "charts": [{"key": "requests", "title": requests_title, "svg": requests_chart,
                        "empty": not board.requests_by_kind},
                       {"key": "on-time", "title": on_time_title, "svg": on_time_chart,
                        "empty": not any(b.figures.completed for b in board.on_time_weeks)}]}


def projects_context(board: ProjectsDashboard) -> dict:
    shown_rows = board.rows[:CHART_PROJECTS]
    names = [row.name for row in shown_rows]
    received_title = _("Requests received by project")
    received = [row.figures.received for row in shown_rows]
    received_chart = hbar_chart(labels=names, title=received_title, chart_id="chart-projects-received",
                                series=[(_("received"), received)], max_value=count_axis(received),
                                links=[row.urls["received"] for row in shown_rows])
    shares_title = _("Completed on time and satisfaction by project (%)")
    shares_chart = hbar_chart(
        labels=names, title=shares_title, chart_id="chart-projects-shares", unit="%", max_value=100,
        series=[(_("on time"), [row.figures.on_time.percent for row in shown_rows]),
                (_("satisfaction"), [row.figures.satisfaction.percent for row in shown_rows])],
        links=[[row.urls["on_time"], row.urls["satisfaction"]] for row in shown_rows])
    rows = [{"row": row, "cells": [cell(KPI_BY_KEY[key], row.figures, row.urls[key])
                                   for key in ("received", "completed", "on_time", "reopened", "satisfaction")]}
            for row in board.rows]
    return {"board": board, "rows": rows, "columns": [KPI_BY_KEY[key].label for key in
                                                      ("received", "completed", "on_time", "reopened",
                                                       "satisfaction")],
            "charts": [{"key": "projects-received", "title": received_title, "svg": received_chart},
                       {"key": "projects-shares", "title": shares_title, "svg": shares_chart}],
            "chart_capped": len(board.rows) > CHART_PROJECTS, "chart_limit": CHART_PROJECTS}
