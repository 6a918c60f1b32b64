"""Fees pages: reports — the collection rate and arrears recovery against the year's target (fees:reports), the
aging of arrears (fees:aging), the cashier's daily closing (fees:closing), and their Excel exports.

VIEW_FEE_REPORTS reads the reports of the projects in scope; MANAGE_BILLING sets the targets; a cashier
(TAKE_PAYMENTS) sees and confirms their own day, finance and managers (VIEW_FEE_REPORTS) any cashier's in scope."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.charts import bar_chart
from propdesk.core.errors import ApplicationError
from propdesk.core.views_utils import capability_required
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from .. import exports
from ..selectors.closing import cashier_name, cashiers_of_day, closing_days
from ..selectors.reports import BUCKET_LABELS, BUCKETS, GROUPS, aging_report, collection_report, report_filters
from ..services.reports import closing_confirm, target_set

AGING_GROUPS = {"project": GROUPS["project"], "building": GROUPS["building"]}


def _percent(rate) -> float | None:
    return None if rate is None else round(float(rate * 100), 2)  # the chart's bar height only; figures stay exact


def _filters(request, **kwargs):
    return report_filters(request.user, request.GET, today=timezone.localdate(), **kwargs)


def _error_page(request, template: str, error: ApplicationError, context: dict):
    return render(request, template, {**context, "error": error, "field_errors": error.field_errors}, status=400)


def _picker(request) -> dict:
    return {"projects": list(Project.objects.restrict(request.user).order_by("code")),
            "sent": {name: request.GET.get(name, "").strip() for name in ("project", "month", "group", "day",
                                                                          "cashier")}}


@capability_required(Capability.VIEW_FEE_REPORTS)
def collection(request):
    context = {**_picker(request), "groups": GROUPS.items()}
    try:
        filters = _filters(request)
    except ApplicationError as error:
        return _error_page(request, "fees/reports/collection.html", error, context)
    report = collection_report(user=request.user, year=filters.year, month=filters.month,
                               project_id=filters.project_id, group=filters.group)
    target = report.target_bp
    months = [f"{m.month}月" for m, _f in report.months]
    charts = [
        {"key": "collection", "title": _("Collection rate by month, %(year)s (%%)") % {"year": filters.year},
         "series": [(_("collection rate"), [_percent(f.rate) for _m, f in report.months])],
         "target": None if target is None else target / 100},
        {"key": "recovery", "title": _("Arrears recovery rate by month, %(year)s (%%)") % {"year": filters.year},
         "series": [(_("recovery rate"), [_percent(f.recovery) for _m, f in report.months])], "target": None}]
    for chart in charts:
        chart["svg"] = bar_chart(labels=months, title=chart["title"], chart_id=f"chart-{chart['key']}", unit="%",
                                 max_value=100, target=chart["target"], target_label=_("target"),
                                 series=chart["series"])
    query = {"project": filters.project_id or "", "month": report.month.key, "group": filters.group}
    can_target = user_can(request.user, Capability.MANAGE_BILLING) and len(report.projects) == 1
    return render(request, "fees/reports/collection.html", {
        **context, "report": report, "filters": filters, "charts": charts,
        "group_label": GROUPS[filters.group], "export_query": urlencode(query), "can_target": can_target,
        "target_percent": "" if target is None else f"{target / 100:.2f}"})


@require_POST
@capability_required(Capability.MANAGE_BILLING)
def target_save(request):
    project = Project.objects.restrict(request.user).filter(pk=_digits(request.POST.get("project"))).first()
    if project is None:
        raise Http404
    year = _digits(request.POST.get("year")) or 0
    try:
        target = target_set(project=project, year=year, rate=request.POST.get("rate", ""), actor=request.user)
    except ApplicationError as error:
        messages.error(request, " ".join(m for ms in error.field_errors.values() for m in ms) or error.message)
    else:
        messages.success(request, _("Target of %(project)s for %(year)s: %(rate).2f%%.")
                         % {"project": project.name, "year": target.year, "rate": target.rate_bp / 100})
    month = request.POST.get("month", "")
    return redirect(f"{reverse('fees:reports')}?{urlencode({'project': project.pk, 'month': month})}")


def _digits(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


@capability_required(Capability.VIEW_FEE_REPORTS)
def collection_export(request):
    try:
        filters = _filters(request)
    except ApplicationError as error:
        return _error_page(request, "fees/reports/collection.html", error, {**_picker(request),
                                                                            "groups": GROUPS.items()})
    report = collection_report(user=request.user, year=filters.year, month=filters.month,
                               project_id=filters.project_id, group=filters.group)
    place = report.projects[0].name if len(report.projects) == 1 else _("all projects in your scope")
    title = f"{_('Collection rate')} · {place} · {report.month.key}"
    return exports.workbook_response(
        request, report="collection", title=title, headers=exports.collection_headers(GROUPS[filters.group]),
        rows=exports.collection_rows(report), filename=f"collection-{report.month.key}.xlsx",
        filters=request.GET.dict())


@capability_required(Capability.VIEW_FEE_REPORTS)
def aging(request):
    context = {**_picker(request), "groups": AGING_GROUPS.items()}
    try:
        filters = _filters(request, groups=AGING_GROUPS, default_group="project")
    except ApplicationError as error:
        return _error_page(request, "fees/reports/aging.html", error, context)
    report = aging_report(user=request.user, on=filters.day, project_id=filters.project_id, group=filters.group)
    query = {"project": filters.project_id or "", "day": filters.day.isoformat()}
    return render(request, "fees/reports/aging.html", {
        **context, "report": report, "filters": filters, "buckets": [BUCKET_LABELS[b] for b in BUCKETS],
        "group_label": AGING_GROUPS[filters.group], "export_query": urlencode(query)})


@capability_required(Capability.VIEW_FEE_REPORTS)
def aging_export(request):
    try:
        filters = _filters(request, groups=AGING_GROUPS, default_group="project")
    except ApplicationError as error:
        return _error_page(request, "fees/reports/aging.html", error, {**_picker(request),
                                                                       "groups": AGING_GROUPS.items()})
    projects = [p.pk for p in Project.objects.restrict(request.user)
                if filters.project_id is None or p.pk == filters.project_id]
    title = f"{_('Arrears by age')} · {filters.day.isoformat()}"
    return exports.workbook_response(
        request, report="aging", title=title, headers=exports.aging_headers(),
        rows=exports.aging_rows(request.user, projects, filters.day), filename=f"aging-{filters.day}.xlsx",
        filters=request.GET.dict())


def closing_cashier(request, value) -> int:
    """The cashier whose day is shown: oneself, or (VIEW_FEE_REPORTS) anyone chosen; else PermissionDenied."""
    user = request.user
    may_see_all = user_can(user, Capability.VIEW_FEE_REPORTS)
    if not (may_see_all or user_can(user, Capability.TAKE_PAYMENTS)):
        raise PermissionDenied
    chosen = _digits(value)
    if chosen is None or chosen == user.pk:
        return user.pk
    if not may_see_all:
        raise PermissionDenied
    return chosen


def closing(request):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    cashier_id = closing_cashier(request, request.GET.get("cashier"))
    context = _picker(request)
    try:
        filters = _filters(request)
    except ApplicationError as error:
        return _error_page(request, "fees/reports/closing.html", error, context)
    form_error = None
    if request.method == "POST":
        project = Project.objects.restrict(request.user).filter(pk=_digits(request.POST.get("project"))).first()
        if project is None:
            raise Http404
        if cashier_id != request.user.pk or not user_can(request.user, Capability.TAKE_PAYMENTS):
            raise PermissionDenied
        try:
            closing_confirm(cashier=request.user, project=project, day=filters.day,
                            counted_cash=request.POST.get("counted_cash", ""), note=request.POST.get("note", ""))
        except ApplicationError as error:
            form_error = error
        else:
            messages.success(request, _("The day is closed."))
            return redirect(f"{request.path}?{urlencode({'day': filters.day.isoformat()})}")
    days = closing_days(user=request.user, cashier_id=cashier_id, day=filters.day, project_id=filters.project_id)
    from django.contrib.auth import get_user_model

    cashier = get_user_model().objects.filter(pk=cashier_id).select_related("staff_profile").first()
    return render(request, "fees/reports/closing.html", {
        **context, "filters": filters, "days": days, "cashier_id": cashier_id,
        "cashier_name": cashier_name(cashier) if cashier else "", "own": cashier_id == request.user.pk,
        "can_confirm": cashier_id == request.user.pk and user_can(request.user, Capability.TAKE_PAYMENTS),
        "cashiers": cashiers_of_day(user=request.user, day=filters.day)
        if user_can(request.user, Capability.VIEW_FEE_REPORTS) else [],
        "form_error": form_error, "form_errors": form_error.field_errors if form_error else {},
        "posted": request.POST if form_error else {},
        "export_query": urlencode({"day": filters.day.isoformat(), "cashier": cashier_id})},
        status=400 if form_error else 200)


def closing_export(request):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    cashier_id = closing_cashier(request, request.GET.get("cashier"))
    try:
        filters = _filters(request)
    except ApplicationError as error:
        return _error_page(request, "fees/reports/closing.html", error, _picker(request))
    days = closing_days(user=request.user, cashier_id=cashier_id, day=filters.day, project_id=filters.project_id)
    from django.contrib.auth import get_user_model

    cashier = get_user_model().objects.filter(pk=cashier_id).select_related("staff_profile").first()
    name = cashier_name(cashier) if cashier else ""
    title = f"{_('Daily closing')} · {name} · {filters.day.isoformat()}"
    return exports.workbook_response(request, report="closing", title=title, headers=exports.closing_headers(),
                                     rows=exports.closing_rows(days, name), filename=f"closing-{filters.day}.xlsx",
                                     filters=request.GET.dict())


urlpatterns = [
    path("fees/reports/", collection, name="reports"),
    path("fees/reports/export/", collection_export, name="reports_export"),
    path("fees/reports/target/", target_save, name="target_save"),
    path("fees/reports/aging/", aging, name="aging"),
    path("fees/reports/aging/export/", aging_export, name="aging_export"),
    path("fees/reports/closing/", closing, name="closing"),
    path("fees/reports/closing/export/", closing_export, name="closing_export"),
]
