"""Home visits 拜访 pages under /steward/visits/: the due list (a steward their zone's; a manager every steward's,
with counts), recording a visit with its needs (each may become a request in the same step), a visit's record, the
project's plans (the PM) and the monthly counts per steward (PM, branch leader). Another scope's resident, visit or
plan is a 404."""

import re
from datetime import date

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import HomeVisitPlan
from ..models.visits import VisitFrequency, VisitImpression, VisitTarget, VisitWay
from ..rules import visits as rules
from ..selectors import visits as selectors
from ..services import visits as services

visitor_required = capability_required(Capability.HOME_VISITS)
planner_required = capability_required(Capability.PLAN_HOME_VISITS)
report_required = capability_required(Capability.VIEW_REPORTS)
NEED_ROWS = 3
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month(value: str, today: date) -> date:
    match = MONTH.match(value or "")
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    return today.replace(day=1)


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None


@visitor_required
def due(request):
    today = timezone.localdate()
    steward = selectors.is_steward(request.user)
    steward_id = None if steward else _int(request.GET.get("steward"))
    month_start, month_end = rules.month_bounds(today)
    rows = selectors.due_list(user=request.user, today=today, until=month_end, steward_id=steward_id)
    done = selectors.visit_list(user=request.user, month_start=month_start, steward_id=steward_id)
    counts = None if steward else selectors.steward_counts(user=request.user, month_start=month_start, today=today)
    return render(request, "stewardship/visits/due.html", {
        "overdue": [r for r in rows if r.status == "overdue"], "due_rows": [r for r in rows if r.status != "overdue"],
        "done": done, "counts": counts, "is_steward": steward, "steward_id": steward_id, "today": today,
        "can_plan": user_can(request.user, Capability.PLAN_HOME_VISITS)})


class VisitForm(forms.Form):
    way = forms.ChoiceField(label=gettext_lazy("Way"), choices=VisitWay.choices, widget=forms.RadioSelect,
                            initial=VisitWay.IN_PERSON)
    visited_at = forms.DateTimeField(label=gettext_lazy("When"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    met = forms.CharField(label=gettext_lazy("Who was met"), max_length=100,
                          help_text=gettext_lazy("The resident, a family member, the carer…"))
    discussed = forms.CharField(label=gettext_lazy("What was discussed"), max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 4}))
    impression = forms.ChoiceField(label=gettext_lazy("Satisfaction impression"), choices=VisitImpression.choices,
                                   widget=forms.RadioSelect, initial=VisitImpression.SATISFIED)


def _needs_from(post) -> list[services.NeedInput]:
    needs = []
    for index in range(NEED_ROWS):
        description = (post.get(f"need-{index}-description") or "").strip()
        if not description:  # an empty row (its "make a request" box is ticked by default)
            continue
        needs.append(services.NeedInput(description=description[:600],
                                        kind=post.get(f"need-{index}-kind") or "repair",
                                        make_request=bool(post.get(f"need-{index}-request"))))
    return needs


@visitor_required
def visit_new(request, resident_id):
    with scoped_404():
        resident = selectors.resident_for_visit(user=request.user, resident_id=resident_id)
    now = timezone.now()
    form = VisitForm(request.POST or None, initial={"visited_at": timezone.localtime(now).replace(second=0,
                                                                                                  microsecond=0),
                                                    "met": resident.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_record(actor=request.user, resident=resident, now=now, data=services.VisitInput(
                way=data["way"], visited_at=data["visited_at"], met=data["met"], discussed=data["discussed"],
                impression=data["impression"], needs=_needs_from(request.POST)))
        except ApplicationError as error:
            apply_to_form(form, error)
            need_errors = error.field_errors.get("needs", [])
        else:
            raised = sum(1 for need in visit.needs.all() if need.request_id)
            messages.success(request, _("Visit recorded; %(count)s request(s) raised.") % {"count": raised})
            return redirect("stewardship:visit_detail", pk=visit.pk)
    else:
        need_errors = []
    rows = [{"index": i, "description": request.POST.get(f"need-{i}-description", ""),
             "kind": request.POST.get(f"need-{i}-kind", "repair"),
             "request": bool(request.POST.get(f"need-{i}-request")) if request.method == "POST" else True}
            for i in range(NEED_ROWS)]
    return render(request, "stewardship/visits/new.html", {
        "resident": resident, "form": form, "need_rows": rows, "need_errors": need_errors,
        "need_kinds": [(k.value, k.label) for k in services.NEED_KINDS],
        "recent": selectors.resident_visits(user=request.user, resident_id=resident.pk, limit=3)})


@visitor_required
def visit_detail(request, pk):
    with scoped_404():
        visit = selectors.visit_detail(user=request.user, visit_id=pk)
    return render(request, "stewardship/visits/detail.html", {"visit": visit})


class PlanForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("Residents"), choices=VisitTarget.choices)
    frequency = forms.ChoiceField(label=gettext_lazy("Frequency"), choices=VisitFrequency.choices)
    after_complaint_days = forms.IntegerField(label=gettext_lazy("Days after a complaint"), initial=3,
                                              min_value=1, max_value=30)
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)


def _plan_project(request):
    projects = Project.objects.restrict(request.user).order_by("name")
    sent = request.POST.get("project") or request.GET.get("project")
    if not sent:
        return projects.first(), projects
    project = projects.filter(pk=_int(sent) or 0).first()
    if project is None:
        raise Http404("no such project")
    return project, projects


@planner_required
def plans(request):
    project, projects = _plan_project(request)
    now = timezone.now()
    if project is not None:
        services.plans_ensure_defaults(project=project, now=now, actor=request.user)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and project is not None and form.is_valid():
        try:
            services.plan_save(actor=request.user, project=project, now=now, **form.cleaned_data)
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect(f"{request.path}?project={project.pk}")
    rows = HomeVisitPlan.objects.restrict(request.user).filter(project=project) if project else []
    return render(request, "stewardship/visits/plans.html", {"project": project, "projects": projects,
                                                              "plans": rows, "form": form})


@planner_required
def plan_edit(request, pk):
    with scoped_404():
        plan = HomeVisitPlan.objects.restrict(request.user).select_related("project").get(pk=pk)
    form = PlanForm(request.POST or None, initial={"target": plan.target, "frequency": plan.frequency,
                                                   "after_complaint_days": plan.after_complaint_days,
                                                   "active": plan.active})
    back = f"{redirect('stewardship:visit_plans').url}?project={plan.project_id}"
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.plan_delete(plan=plan)
        messages.success(request, _("Plan deleted."))
        return redirect(back)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(actor=request.user, project=plan.project, plan=plan, now=timezone.now(),
                               **form.cleaned_data)
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect(back)
    return render(request, "stewardship/visits/plan_edit.html", {"plan": plan, "form": form, "back": back})


@report_required
def report(request):
    today = timezone.localdate()
    month_start = _month(request.GET.get("month", ""), today)
    counts = selectors.steward_counts(user=request.user, month_start=month_start, today=today)
    totals = {name: sum(getattr(c, name) for c in counts) for name in ("done", "due", "overdue", "needs", "requests")}
    previous = rules.add_months(month_start, -1)
    following = rules.add_months(month_start, 1)
    return render(request, "stewardship/visits/report.html", {
        "counts": counts, "totals": totals, "month": month_start, "is_current": month_start == today.replace(day=1),
        "previous": previous, "following": following if following <= today else None})


urlpatterns = [
    path("visits/", due, name="visits"),
    path("visits/report/", report, name="visits_report"),
    path("visits/plans/", plans, name="visit_plans"),
    path("visits/plans/<int:pk>/", plan_edit, name="visit_plan_edit"),
    path("visits/new/<int:resident_id>/", visit_new, name="visit_new"),
    path("visits/<int:pk>/", visit_detail, name="visit_detail"),
]
