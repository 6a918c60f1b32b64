"""The monthly complaint summary 投诉汇总 (/reports/complaints/) and the quarterly visit statistics 回访统计
(/reports/visits/): the figures of selectors/complaints.py and selectors/visits.py with their comparisons, charts
drawn on the server, a print layout and, with ``?format=xlsx`` (Capability.EXPORT), an Excel file of the same
figures — every export logged. Every count links to the register behind it with the drill-down parameters."""

from __future__ import annotations

from functools import wraps
from io import BytesIO

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from propdesk.core.charts import bar_chart
from propdesk.core.errors import ApplicationError
from propdesk.core.views_utils import capability_required
from propdesk.org.models import Branch, Department, Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..audit import export_logged
from ..filters import ReportFilters, report_filters
from ..periods import Period
from ..selectors.complaints import ComplaintSummary, change, complaint_summary
from ..selectors.register_fields import NONE
from ..selectors.visits import VisitStatistics, month_periods, visit_statistics

FILTER_NAMES = ("month", "quarter", "week", "from", "to", "project", "branch", "department")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- shared -----------------------------------------------------------------------------------------------

def filter_options(request) -> dict:
    """What the filter form offers and what was sent (the period inputs keep only what the person typed)."""
    user = request.user
    sent = {name: request.GET.get(name, "").strip() for name in FILTER_NAMES}
    departments = Department.objects.restrict(user).filter(project__isnull=False).distinct()
    if sent["project"].isdigit() and len(sent["project"]) <= 18:
        departments = departments.filter(project_id=int(sent["project"]))
    return {"sent": sent, "projects": list(Project.objects.restrict(user).order_by("code")),
            "branches": list(Branch.objects.restrict(user).distinct().order_by("code")),
            "departments": list(departments.order_by("project__code", "kind", "id")),
            "can_export": user_can(user, Capability.EXPORT)}


def register_url(name: str, query: dict) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def comparison_heads(period: Period) -> dict[str, str]:
    if period.grain == "month":
        return {"current": _("This month"), "previous": _("Previous month"), "last_year": _("Same month last year")}
    if period.grain == "quarter":
        return {"current": _("This quarter"), "previous": _("Previous quarter"),
                "last_year": _("Same quarter last year")}
    return {"current": _("This period"), "previous": _("Previous period"), "last_year": _("Same period last year")}


def line(filters: ReportFilters, label: str, values: tuple, extra: dict | None, *, unit: str = "",
         register: str = "reports:register_complaints") -> dict:
    """One compared figure: its label, the three values (this period, previous, a year earlier) each with the link
    to the register rows behind it (none when ``extra`` is None: no register parameter selects them), and the
    changes."""
    periods = (filters.period, filters.period.previous(), filters.period.year_before())
    links = [None] * 3 if extra is None else [
        register_url(register, {**p.query(), **filters.place.query(), **extra}) for p in periods]
    current, previous, last_year = values
    return {"label": label, "unit": unit, "cells": list(zip(values, links, strict=True)),
            "vs_previous": change(current, previous), "vs_last_year": change(current, last_year)}


def summary_page(template: str, *, default: str):
    """A summary page's common part: the filter form, the period and place read (a mistake renders the form again
    with the field marked, status 400), and ``?format=xlsx`` refused without Capability.EXPORT. The page itself
    gets the form's context and the checked filters."""
    def decorate(build):
        @capability_required(Capability.VIEW_REPORTS)
        @wraps(build)
        def view(request):
            context = filter_options(request)
            try:
                filters = report_filters(request.user, request.GET, default=default)
            except ApplicationError as error:
                return render(request, template, {**context, "error": error, "field_errors": error.field_errors},
                              status=400)
            if request.GET.get("format") == "xlsx" and not context["can_export"]:
                raise DjangoPermissionDenied
            return build(request, template, context, filters)
        return view
    return decorate


def _local(value):
    """An aware datetime as the naive local time Excel shows."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _workbook_response(workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _sheet_with_lines(sheet, title: str, heads: dict, sections: list[tuple[str, str, list[dict]]]) -> int:
    """Title, header row and the compared lines of each section; returns the number of data rows."""
    from openpyxl.styles import Font

    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    changed = pgettext("comparison", "Change")
    sheet.append([_("Figure"), heads["current"], heads["previous"], changed, heads["last_year"], changed])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    rows = 0
    for _key, section, lines in sections:
        sheet.append([section])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for item in lines:
            (current, _l1), (previous, _l2), (last_year, _l3) = item["cells"]
            sheet.append([item["label"], current, previous, item["vs_previous"].diff, last_year,
                          item["vs_last_year"].diff])
            rows += 1
    sheet.column_dimensions["A"].width = 36
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 16
    return rows


def _export(request, *, report: str, label: str, filters: ReportFilters, rows: int, personal: bool, workbook,
            filename: str):
    export_logged(request=request, report=report, label=label, filters=filters.query(), rows=rows,
                  personal=personal)
    return _workbook_response(workbook, filename)


# --- the complaint summary --------------------------------------------------------------------------------

# The register parameters selecting the complaints behind each of the summary's totals.
FIGURE_FILTERS = {"total": {}, "on_time": {"on_time": "1"}, "late": {"on_time": "0"},
                  "open_not_due": {"on_time": "open"}, "repeat": {"repeat": "1"}, "valid": {"valid": "1"},
                  "invalid": {"valid": "0"}, "undecided": {"valid": NONE}}


def complaint_sections(summary: ComplaintSummary) -> list[tuple[str, str, list[dict]]]:
    """The compared figures of the summary, section by section as (key, title, lines): the page and the Excel file
    show the same."""
    f, prev, ly = summary.filters, summary.previous, summary.last_year

    def three(name):
        return getattr(summary, name), getattr(prev, name), getattr(ly, name)

    def rows(items, parameter, empty=None):
        """A Row per item; the row of the empty key ("not classified", …) links to ``empty``."""
        return [line(f, item.label, (item.count, item.previous, item.last_year),
                     {parameter: item.key} if item.key else empty or {parameter: NONE}) for item in items]

    def issue(item):
        return {"category": item.category or NONE,
                **({"department": item.department_id} if item.department_id else {"complained": NONE})}

    overview = [
        line(f, _("Complaints received"), three("total"), FIGURE_FILTERS["total"]),
        line(f, _("Solved on time"), three("on_time"), FIGURE_FILTERS["on_time"]),
        line(f, _("Late"), three("late"), FIGURE_FILTERS["late"]),
        line(f, _("Open, not yet due"), three("open_not_due"), FIGURE_FILTERS["open_not_due"]),
        line(f, _("Share solved on time"), three("on_time_share"), None, unit="%"),
        line(f, _("Repeat complaints"), three("repeat"), FIGURE_FILTERS["repeat"]),
    ]
    issues = [line(f, item.label, (item.count, item.previous, item.last_year), issue(item))
              for item in summary.top_issues]
    # A place's kind ("building" or "area") is the register parameter that selects it.
    places = [line(f, item.label, (item.count, item.previous, item.last_year), {item.kind: item.id})
              for item in summary.top_places]
    return [("overview", _("Overview"), overview),
            ("category", _("By category"), rows(summary.by_category, "category")),
            ("severity", _("By severity"), rows(summary.by_severity, "severity")),
            ("department", _("By department complained about"),
             rows(summary.by_department, "department", {"complained": NONE})),
            ("validity", _("Validity"), rows(summary.by_validity, "valid")),
            ("issues", _("Top issues: category and department"), issues),
            ("places", _("Top places: buildings and common areas"), places)]


def complaint_chart(summary: ComplaintSummary, heads: dict) -> dict:
    """This period vs the previous one vs a year earlier, by category; each bar opens the register rows."""
    f = summary.filters
    periods = (f.period, f.period.previous(), f.period.year_before())
    labels = [row.label for row in summary.by_category]
    title = _("Complaints by category")
    links = [[register_url("reports:register_complaints",
                           {**p.query(), **f.place.query(), "category": row.key or NONE})
              for p in periods] for row in summary.by_category]
    svg = bar_chart(labels=labels, title=title, chart_id="chart-categories", links=links, series=[
        (heads["current"], [row.count for row in summary.by_category]),
        (heads["previous"], [row.previous for row in summary.by_category]),
        (heads["last_year"], [row.last_year for row in summary.by_category])])
    return {"title": title, "svg": svg, "links": links}


def figure_links(summary: ComplaintSummary) -> dict[str, str]:
    """This period's totals of the key-figure cards, each a link to the complaints behind it (safe HTML)."""
    query = summary.filters.query()
    return {name: format_html('<a href="{}">{}</a>', register_url("reports:register_complaints", {**query, **extra}),
                              getattr(summary, name)) for name, extra in FIGURE_FILTERS.items()}


def _title(filters: ReportFilters, name: str, projects: list) -> str:
    """The report's name, place and period (the printed page's title). Someone who sees one project only reads
    its name rather than "all projects in your scope"."""
    place = filters.place
    where = projects[0].name if not place.query() and len(projects) == 1 else place.label
    return f"{name} · {where} · {filters.period.label}"


@summary_page("reports/summaries/complaints.html", default="last_month")
def complaint_summary_page(request, template: str, context: dict, filters: ReportFilters):
    summary = complaint_summary(user=request.user, filters=filters)
    heads = comparison_heads(filters.period)
    sections = complaint_sections(summary)
    title = _title(filters, _("Complaint summary"), context["projects"])
    if request.GET.get("format") == "xlsx":
        return complaint_workbook(request, summary, heads, sections, title)
    return render(request, template, {
        **context, "summary": summary, "filters": filters, "heads": heads, "sections": sections, "title": title,
        "chart": complaint_chart(summary, heads), "figures": figure_links(summary),
        "export_url": f"?{urlencode({**filters.query(), 'format': 'xlsx'})}",
        "register_url": register_url("reports:register_complaints", filters.query())})


def complaint_workbook(request, summary: ComplaintSummary, heads: dict, sections, title: str):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Summary")[:31]
    rows = _sheet_with_lines(sheet, title, heads, sections)
    repeats = workbook.create_sheet(_("Repeat complaints")[:31])
    repeats.append([_("Number"), _("Received"), _("Room"), _("Category"), _("Department complained about"),
                    _("Earlier complaint"), _("Earlier received")])
    for item in summary.repeats:
        repeats.append([item.number, _local(item.received_at), item.room, item.category_label, item.department,
                        item.earlier_number, _local(item.earlier_received_at)])
    causes = workbook.create_sheet(_("Root causes")[:31])
    causes.append([_("Category"), _("Number"), _("Received"), _("Department complained about"), _("Root cause")])
    for group in summary.root_causes:
        for cause in group.causes:
            causes.append([group.label, cause.number, _local(cause.received_at), cause.department, cause.text])
    for extra in (repeats, causes):
        for column in "ABCDEFG":
            extra.column_dimensions[column].width = 18
    rows += len(summary.repeats) + sum(len(group.causes) for group in summary.root_causes)
    filters = summary.filters
    # The repeat complaints name rooms: the file holds personal data.
    return _export(request, report="complaint_summary", label=title, filters=filters, rows=rows,
                   personal=bool(summary.repeats), workbook=workbook,
                   filename=f"complaint-summary-{filters.period.key.replace('..', '_')}.xlsx")


# --- the visit statistics ---------------------------------------------------------------------------------

def _visit_line(filters: ReportFilters, label: str, counts, extra: dict | None, **more) -> dict:
    """A row of counts with its drill-down links (none when ``extra`` is None: no parameter selects the rows)."""
    def link(params):
        return None if extra is None else register_url("reports:register_visits", {**filters.query(), **params})

    base = extra or {}
    return {"label": label, "counts": counts, "due": link(base), "done": link({**base, "status": "done"}),
            "pending": link({**base, "status": "pending"}),
            "unreachable": link({**base, "status": "unreachable"}),
            "dissatisfied": link({**base, "dissatisfied": "1"}), **more}


def visit_tables(stats: VisitStatistics) -> dict:
    f = stats.filters
    months = []
    for (first, part), month in zip(month_periods(f.period), stats.months, strict=True):
        scoped = ReportFilters(period=part, place=f.place)
        months.append(_visit_line(scoped, date_format(first, "YEAR_MONTH_FORMAT"), month.counts, {}, month=month))
    return {
        "kinds": [_visit_line(f, kind.label, kind.counts, {"rule": kind.key}, kind=kind) for kind in stats.kinds],
        "levels": [{"level": level, "link": register_url("reports:register_visits",
                                                          {**f.query(), "satisfaction": level.value})}
                   for level in stats.levels],
        "projects": [_visit_line(f, group.name, group.counts, {"project": group.id}) for group in stats.projects],
        "departments": [_visit_line(f, group.name, group.counts, {"department": group.id} if group.id else None)
                        for group in stats.departments],
        "months": months,
        "total": _visit_line(f, _("All visits"), stats.total, {}),
    }


def visit_charts(stats: VisitStatistics) -> list[dict]:
    """Per kind, the visit rate month by month against its target; then the satisfaction distribution (bars
    labelled 5 … 1, the levels' names in the caption: long names would overlap under narrow bars)."""
    labels = [date_format(m.month, "M") for m in stats.months]
    years = [str(m.month.year) if i == 0 or m.month.month == 1 else "" for i, m in enumerate(stats.months)]
    charts = []
    for kind in stats.kinds:
        title = _("Visit rate by month: %(kind)s") % {"kind": kind.label}
        target_label = _("target %(rate)s%%") % {"rate": kind.target} if kind.target is not None else ""
        charts.append({"title": title, "key": kind.key, "svg": bar_chart(
            labels=labels, sublabels=years, unit="%", max_value=100, title=title, chart_id=f"chart-{kind.key}",
            series=[(kind.label, [m.kinds[kind.key].visit_rate for m in stats.months])],
            target=kind.target, target_label=target_label)})
    title = _("Satisfaction distribution")
    charts.append({"title": title, "key": "levels", "legend": " · ".join(
        f"{level.value} {level.label}" for level in stats.levels), "svg": bar_chart(
        labels=[str(level.value) for level in stats.levels], title=title, chart_id="chart-levels",
        series=[(_("visits"), [level.count for level in stats.levels])])})
    return charts


@summary_page("reports/summaries/visits.html", default="last_quarter")
def visit_statistics_page(request, template: str, context: dict, filters: ReportFilters):
    stats = visit_statistics(user=request.user, filters=filters)
    tables = visit_tables(stats)
    title = _title(filters, _("Visit statistics"), context["projects"])
    if request.GET.get("format") == "xlsx":
        return visit_workbook(request, stats, tables, title)
    return render(request, template, {
        **context, "stats": stats, "filters": filters, "tables": tables, "charts": visit_charts(stats),
        "title": title, "export_url": f"?{urlencode({**filters.query(), 'format': 'xlsx'})}",
        "register_url": register_url("reports:register_visits", filters.query())})


def visit_workbook(request, stats: VisitStatistics, tables: dict, title: str):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Visit statistics")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    heads = [_("Due"), _("Done"), _("of which late"), _("Unreachable"), _("Still to visit"), _("Visit rate"),
             _("Rated"), _("Satisfaction rate"), _("Dissatisfied")]
    rows = 0

    def counts_row(counts):
        return [counts.due, counts.done, counts.late, counts.unreachable, counts.pending, counts.visit_rate,
                counts.rated, counts.satisfaction_rate, counts.dissatisfied]

    for section, first_head, items in ((_("By kind"), _("Kind"), tables["kinds"]),
                                       (_("By month"), _("Month due"), tables["months"]),
                                       (_("By project"), _("Project"), tables["projects"]),
                                       (_("By department"), _("Department"), tables["departments"])):
        sheet.append([])
        sheet.append([section])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append([first_head, *heads, *([_("Target")] if section == _("By kind") else [])])
        for item in items:
            target = [item["kind"].target] if "kind" in item else []
            sheet.append([item["label"], *counts_row(item["counts"]), *target])
            rows += 1
    sheet.append([])
    sheet.append([_("Satisfaction")])
    sheet.append([_("Level"), _("Visits"), _("Share")])
    for level in stats.levels:
        sheet.append([level.label, level.count, level.percent])
        rows += 1
    sheet.column_dimensions["A"].width = 30
    cases = workbook.create_sheet(_("Dissatisfied")[:31])
    cases.append([_("Request"), _("Project"), _("Department"), _("Due"), _("Satisfaction"), _("Shortcomings"),
                  _("Outcome"), _("Follow-up complaint")])
    for visit in stats.cases:
        cases.append([visit.request.number, visit.project.name, visit.department.name if visit.department else "",
                      _local(visit.due_by), visit.get_satisfaction_display(), visit.shortcomings,
                      visit.get_decision_display() if visit.decision else _("no decision yet"),
                      visit.follow_request.number if visit.follow_request else ""])
    for column in "ABCDEFGH":
        cases.column_dimensions[column].width = 18
    rows += len(stats.cases)
    filters = stats.filters
    return _export(request, report="visit_statistics", label=title, filters=filters, rows=rows, personal=False,
                   workbook=workbook, filename=f"visit-statistics-{filters.period.key.replace('..', '_')}.xlsx")
