"""Plans (the PM's): list, create and edit, add checkpoints, the printable QR sheet; and the report (completion and
findings per plan, person and month) for the PM and the branch leadership."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.org.models import CommonArea, Project
from propdesk.staff.rules.roles import Capability

from ...models.patrols import PatrolFrequency
from ...selectors import patrols as selectors
from ...services.patrols.plans import (
    PATROL_ROLES,
    CheckpointInput,
    PlanInput,
    checkpoint_add,
    plan_create,
    plan_update,
)

planner_required = capability_required(Capability.MANAGE_PATROLS)
report_required = capability_required(Capability.VIEW_REPORTS)
WEEKDAYS = [(0, gettext_lazy("Mon")), (1, gettext_lazy("Tue")), (2, gettext_lazy("Wed")), (3, gettext_lazy("Thu")),
            (4, gettext_lazy("Fri")), (5, gettext_lazy("Sat")), (6, gettext_lazy("Sun"))]


@planner_required
def plan_list_view(request):
    return render(request, "stewardship/patrols/plans.html", {"plans": selectors.plan_list(user=request.user)})


def _plan(request, pk):
    with scoped_404():
        return selectors.plan_detail(user=request.user, plan_id=pk)


@planner_required
def plan_view(request, pk):
    return render(request, "stewardship/patrols/plan.html", {"plan": _plan(request, pk)})


class PlanForm(forms.Form):
    project = forms.ModelChoiceField(label=gettext_lazy("Project"), queryset=Project.objects.none())
    name = forms.CharField(label=gettext_lazy("Plan name"), max_length=60)
    windows = forms.CharField(label=gettext_lazy("Windows"), max_length=200, initial="09:30-11:00, 15:00-17:00",
                              help_text=gettext_lazy("Comma-separated, e.g. 09:30-11:00, 15:00-17:00 (±15 minutes)."))
    frequency = forms.ChoiceField(label=gettext_lazy("Frequency"), choices=PatrolFrequency.choices)
    weekdays = forms.TypedMultipleChoiceField(label=gettext_lazy("Weekdays (weekly)"), choices=WEEKDAYS, coerce=int,
                                              required=False, widget=forms.CheckboxSelectMultiple)
    day_of_month = forms.IntegerField(label=gettext_lazy("Day of month (monthly)"), min_value=1, max_value=31,
                                      initial=1)
    working_days_only = forms.BooleanField(label=gettext_lazy("Working days only"), required=False, initial=True)
    assignee = forms.ModelChoiceField(label=gettext_lazy("Assigned to"), required=False,
                                      queryset=get_user_model().objects.none())
    assignee_role = forms.ChoiceField(label=gettext_lazy("or every member of the role"), required=False)
    supervisor = forms.ModelChoiceField(label=gettext_lazy("Supervisor (default: the project manager)"),
                                        required=False, queryset=get_user_model().objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.restrict(user).order_by("name")
        self.fields["project"].queryset = projects
        staff = get_user_model().objects.filter(
            is_active=True, staff_profile__is_active=True, staff_profile__project__in=projects
        ).select_related("staff_profile").order_by("staff_profile__display_name")
        for name in ("assignee", "supervisor"):
            self.fields[name].queryset = staff
            self.fields[name].label_from_instance = lambda u: u.staff_profile.display_name or u.username
        from propdesk.staff.models import Role
        self.fields["assignee_role"].choices = [("", "—")] + [(r, Role(r).label) for r in PATROL_ROLES]

    def to_input(self) -> PlanInput:
        d = self.cleaned_data
        return PlanInput(name=d["name"], windows=[w for w in d["windows"].replace("，", ",").split(",") if w.strip()],
                         frequency=d["frequency"], weekdays=d["weekdays"], day_of_month=d["day_of_month"],
                         working_days_only=d["working_days_only"],
                         assignee_id=d["assignee"].pk if d["assignee"] else None, assignee_role=d["assignee_role"],
                         supervisor_id=d["supervisor"].pk if d["supervisor"] else None)


FIELD_OF = {"assignee_id": "assignee", "supervisor_id": "supervisor"}


def _apply(form, error: ApplicationError):
    for name, problems in error.field_errors.items():
        form.add_error(FIELD_OF.get(name, name) if FIELD_OF.get(name, name) in form.fields else None, problems)


@planner_required
def plan_new(request):
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_create(actor=request.user, project=form.cleaned_data["project"], data=form.to_input(),
                               now=timezone.now())
        except ApplicationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Plan created: now add its checkpoints."))
            return redirect("stewardship:patrol_plan", pk=plan.pk)
    return render(request, "stewardship/patrols/plan_form.html", {"form": form}, status=400 if form.errors else 200)


@planner_required
def plan_edit(request, pk):
    plan = _plan(request, pk)
    initial = {"project": plan.project, "name": plan.name, "windows": ", ".join(plan.windows),
               "frequency": plan.frequency, "weekdays": plan.weekdays, "day_of_month": plan.day_of_month,
               "working_days_only": plan.working_days_only, "assignee": plan.assignee,
               "assignee_role": plan.assignee_role, "supervisor": plan.supervisor}
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    form.fields["project"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            plan_update(plan=plan, actor=request.user, data=form.to_input())
        except ApplicationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("stewardship:patrol_plan", pk=plan.pk)
    return render(request, "stewardship/patrols/plan_form.html", {"form": form, "plan": plan},
                  status=400 if form.errors else 200)


class CheckpointForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Checkpoint name"), max_length=60)
    common_area = forms.ModelChoiceField(label=gettext_lazy("Common area"), required=False,
                                         queryset=CommonArea.objects.none())
    place_note = forms.CharField(label=gettext_lazy("Place (free text)"), max_length=100, required=False)
    items = forms.CharField(label=gettext_lazy("Checklist (one item a line)"), widget=forms.Textarea(attrs={"rows": 5}),
                            max_length=2500)
    photo_required = forms.BooleanField(label=gettext_lazy("Photo required when not fine"), required=False,
                                        initial=True)
    note_required = forms.BooleanField(label=gettext_lazy("Note required when not fine"), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["common_area"].queryset = CommonArea.objects.filter(project_id=plan.project_id).order_by("name")


@planner_required
def checkpoint_new(request, pk):
    plan = _plan(request, pk)
    form = CheckpointForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        items = [{"text": line.strip(), "photo_required": d["photo_required"], "note_required": d["note_required"]}
                 for line in d["items"].splitlines() if line.strip()]
        try:
            checkpoint_add(plan=plan, actor=request.user, data=CheckpointInput(
                name=d["name"], items=items, common_area_id=d["common_area"].pk if d["common_area"] else None,
                place_note=d["place_note"]))
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Checkpoint added."))
            return redirect("stewardship:patrol_plan", pk=plan.pk)
    return render(request, "stewardship/patrols/checkpoint_form.html", {"form": form, "plan": plan},
                  status=400 if form.errors else 200)


def qr_svg(url: str) -> str:
    """An inline SVG QR code of ``url`` (segno, pure Python; no script, so the CSP allows it)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000")


@planner_required
def qr_sheet(request, pk):
    plan = _plan(request, pk)
    cards = []
    for point in plan.points:
        url = request.build_absolute_uri(reverse("stewardship:patrol_scan", args=[point.token]))
        cards.append({"point": point, "url": url, "svg": mark_safe(qr_svg(url))})  # noqa: S308 — segno's own SVG
    return render(request, "stewardship/patrols/qr.html", {"plan": plan, "cards": cards})


@report_required
def report(request):
    first, last, month = selectors.month_bounds(request.GET.get("month", ""), today=timezone.localdate())
    project_id = request.GET.get("project", "")
    project_id = int(project_id) if project_id.isdigit() and len(project_id) < 10 else None
    data = selectors.patrol_report(user=request.user, first=first, last=last, project_id=project_id)
    return render(request, "stewardship/patrols/report.html", {"r": data, "month": month, "first": first,
                                                                "last": last})
