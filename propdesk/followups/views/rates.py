"""The rates page: visit rate per kind against its target, satisfaction, dissatisfied cases and their outcome, by
project, department and month, with bar charts drawn on the server (charts.py). Same figures as
GET /api/followups/rates (selectors/rates.py)."""

from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from propdesk.core.charts import bar_chart
from propdesk.core.errors import ApplicationError
from propdesk.core.views_utils import capability_required
from propdesk.org.models import Department, Project
from propdesk.staff.rules.roles import Capability

from ..selectors.rates import RateReport, rate_filters, rate_report


@capability_required(Capability.VIEW_RATES)
def rates_page(request):
    sent = {name: request.GET.get(name, "").strip() for name in ("project", "department", "from", "to")}
    projects = list(Project.objects.restrict(request.user).order_by("code"))
    # distinct(): a project-scoped restrict() joins branch → projects for branch departments and repeats rows.
    departments = Department.objects.restrict(request.user).filter(project__isnull=False).distinct()
    if sent["project"].isdigit() and len(sent["project"]) <= 18:
        departments = departments.filter(project_id=int(sent["project"]))
    context = {"sent": sent, "projects": projects,
               "departments": list(departments.order_by("project__code", "kind", "id"))}
    try:
        filters = rate_filters(user=request.user, project=sent["project"], department=sent["department"],
                               month_from=sent["from"], month_to=sent["to"])
    except ApplicationError as error:
        return render(request, "followups/rates.html", {
            **context, "error": error, "field_errors": error.field_errors, "period": {"from": "", "to": ""}},
            status=400)
    report = rate_report(user=request.user, filters=filters)
    months = [{"month": m, "label": date_format(m.month, "YEAR_MONTH_FORMAT"), "counts": m.counts}
              for m in report.months]
    return render(request, "followups/rates.html", {
        **context, "report": report, "months": months, "charts": rate_charts(report),
        "period": {"from": f"{filters.start:%Y-%m}", "to": f"{filters.end:%Y-%m}",
                   "from_label": date_format(filters.start, "YEAR_MONTH_FORMAT"),
                   "to_label": date_format(filters.end, "YEAR_MONTH_FORMAT")}})


def rate_charts(report: RateReport) -> list[dict]:
    """One chart of the monthly visit rate per kind, its target as a dashed line, then the satisfaction rate."""
    labels = [date_format(m.month, "M") for m in report.months]
    years = [str(m.month.year) if i == 0 or m.month.month == 1 else "" for i, m in enumerate(report.months)]
    charts = []
    for kind in report.kinds:
        title = _("Visit rate by month: %(kind)s") % {"kind": kind.label}
        target_label = _("target %(rate)s%%") % {"rate": kind.target} if kind.target is not None else ""
        charts.append({"title": title, "key": kind.key, "target": kind.target, "svg": bar_chart(
            labels=labels, sublabels=years, unit="%", max_value=100, title=title, chart_id=f"chart-{kind.key}",
            series=[(kind.label, [m.kinds[kind.key].visit_rate for m in report.months])],
            target=kind.target, target_label=target_label)})
    title = _("Satisfaction rate by month")
    charts.append({"title": title, "key": "satisfaction", "target": None, "svg": bar_chart(
        labels=labels, sublabels=years, unit="%", max_value=100, title=title, chart_id="chart-satisfaction",
        series=[(_("satisfaction rate"), [m.counts.satisfaction_rate for m in report.months])])})
    return charts
