"""The public service report 物业服务报告 pages (/reports/service-reports/).

- Staff with VIEW_REPORTS list their projects' reports (drafts and published) and open any month of a project in
  their scope (a month not written yet shows its figures as of now); a project manager (PUBLISH_REPORTS) writes the
  draft's texts and publishes a finished month (services.py), which freezes its figures.
- A resident lists and opens the published reports of their own project only (PublicReport.objects.restrict): a
  draft, another project's report or a month not published is a 404, never a hint that it exists.
- The detail page prints as a notice for the lobby board (A4). It shows aggregates only: no name, phone or room.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError
from propdesk.core.views_utils import capability_required
from propdesk.org.models import Project
from propdesk.servicedesk.choices import Kind
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from ..filters import parse_place
from ..models import PublicReport, PublicReportStatus
from ..periods import parse_period
from ..selectors.public import month_finished, public_report_figures, public_reports, published_reports
from ..services import public_report_publish, public_report_save

PAGE_SIZE = 24


def _is_resident(user) -> bool:
    return user_role(user) == "resident"


def _month(text: str) -> date:
    """The month of the URL (YYYY-MM, already shaped by the URL pattern); an impossible one is not there."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise Http404(text) from None


def figures_for_display(figures: dict) -> dict:
    """The stored figures with their labels in the reader's language (the JSON holds keys and numbers only)."""
    labels = dict(Kind.choices)
    return {**figures, "requests": [{**row, "label": labels.get(row["kind"], row["kind"])}
                                    for row in figures.get("requests", [])]}


# --- the list ---------------------------------------------------------------------------------------------

def public_report_list(request):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if _is_resident(user):
        page = Paginator(published_reports(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "reports/public/list.html", {"page": page, "resident": True, "filters": {}})
    if not user_can(user, Capability.VIEW_REPORTS):
        raise DjangoPermissionDenied
    projects = list(Project.objects.restrict(user).order_by("code"))
    sent = {name: request.GET.get(name, "").strip() for name in ("project", "month")}
    context = {"projects": projects, "sent": sent, "resident": False,
               "can_publish": user_can(user, Capability.PUBLISH_REPORTS)}
    if sent["month"]:  # "open a month": check both fields, then go to the month's page
        if not sent["project"] and len(projects) == 1:
            sent["project"] = str(projects[0].pk)
        errors: dict[str, list[str]] = {}
        place = parse_place(user, {"project": sent["project"]}, errors)
        if not sent["project"]:
            errors["project"] = [_("Choose a project.")]
        try:
            period = parse_period({"month": sent["month"]})
        except ApplicationError as error:
            errors.update(error.field_errors)
        if not errors:
            return redirect("reports:public_report_detail", project_id=place.project.pk,
                            month=f"{period.start:%Y-%m}")
        error = ApplicationError(_("Please correct the marked fields."), {"fields": errors})
        return render(request, "reports/public/list.html", {
            **context, "page": None, "error": error, "field_errors": error.field_errors}, status=400)
    reports = public_reports(user=user)
    if sent["project"].isdigit() and len(sent["project"]) <= 18:
        reports = reports.filter(project_id=int(sent["project"]))
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/public/list.html", {**context, "page": page,
                                                        "filters": {"project": sent["project"]}})


# --- one month --------------------------------------------------------------------------------------------

def public_report_detail(request, project_id: str, month: str):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    first = _month(month)
    if _is_resident(user):
        report = published_reports(user=user).filter(project_id=int(project_id), month=first).first()
        if report is None:
            raise Http404
        return render(request, "reports/public/detail.html", {
            "report": report, "project": report.project, "month": first, "resident": True,
            "month_label": date_format(first, "YEAR_MONTH_FORMAT"),
            "figures": figures_for_display(report.figures)})
    if not user_can(user, Capability.VIEW_REPORTS):
        raise DjangoPermissionDenied
    return _staff_detail(request, project_id, first)


def _staff_project(user, project_id) -> Project:
    project = Project.objects.restrict(user).filter(pk=int(project_id)).first()
    if project is None:
        raise Http404
    return project


def _staff_detail(request, project_id: str, first: date, *, error: ApplicationError | None = None,
                  sent: dict | None = None):
    project = _staff_project(request.user, project_id)
    context = {"project": project, "month": first, "resident": False,
               "month_label": date_format(first, "YEAR_MONTH_FORMAT")}
    try:
        parse_period({"month": f"{first:%Y-%m}"})
    except ApplicationError as bad_month:
        return render(request, "reports/public/detail.html", {
            **context, "error": bad_month, "field_errors": bad_month.field_errors}, status=400)
    report = PublicReport.objects.filter(project=project, month=first).select_related("published_by").first()
    published = report is not None and report.status == PublicReportStatus.PUBLISHED
    figures = report.figures if published else public_report_figures(project=project, month=first)
    can_publish = user_can(request.user, Capability.PUBLISH_REPORTS)
    context.update({
        "report": report, "published": published, "figures": figures_for_display(figures),
        "can_edit": can_publish and not published, "finished": month_finished(first),
        "can_publish": can_publish and not published and report is not None and month_finished(first),
        "texts": sent or {"improvements": getattr(report, "improvements", ""), "plans": getattr(report, "plans", "")},
        "save_url": reverse("reports:public_report_save", args=[project.pk, f"{first:%Y-%m}"]),
        "publish_url": reverse("reports:public_report_publish", args=[project.pk, f"{first:%Y-%m}"]),
    })
    if error is not None:
        context.update({"error": error, "field_errors": error.field_errors})
    return render(request, "reports/public/detail.html", context,
                  status=error.status_code if error is not None else 200)


@require_POST
@capability_required(Capability.PUBLISH_REPORTS)
def public_report_save_view(request, project_id: str, month: str):
    first = _month(month)
    project = _staff_project(request.user, project_id)
    sent = {"improvements": request.POST.get("improvements", ""), "plans": request.POST.get("plans", "")}
    try:
        public_report_save(actor=request.user, project=project, month=first, **sent)
    except ApplicationError as error:
        return _staff_detail(request, project_id, first, error=error, sent=sent)
    messages.success(request, _("The draft has been saved. Residents see it once it is published."))
    return redirect("reports:public_report_detail", project_id=project.pk, month=f"{first:%Y-%m}")


@require_POST
@capability_required(Capability.PUBLISH_REPORTS)
def public_report_publish_view(request, project_id: str, month: str):
    first = _month(month)
    project = _staff_project(request.user, project_id)
    try:
        public_report_publish(actor=request.user, project=project, month=first)
    except ApplicationError as error:
        return _staff_detail(request, project_id, first, error=error)
    messages.success(request, _("The report has been published to the residents of %(project)s.")
                     % {"project": project.name})
    return redirect("reports:public_report_detail", project_id=project.pk, month=f"{first:%Y-%m}")
