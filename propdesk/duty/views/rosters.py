"""Rosters 排班: shift kinds per department, the week grid (assign, copy last week, remove), who is on duty now, the
shifts short of people a week ahead. VIEW_ROSTERS reads; MANAGE_ROSTERS (the project manager, the admin) edits.
A project, shift or entry outside the user's scope is a 404."""

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, apply_to_form, message_text
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..selectors import rosters as selectors
from ..services.rosters import (
    roster_assign,
    roster_copy_week,
    roster_remove,
    shift_kind_create,
    shift_kind_delete,
    shift_kind_update,
)

viewer_required = capability_required(Capability.VIEW_ROSTERS)
manager_required = capability_required(Capability.MANAGE_ROSTERS)
MANAGERS_KEY = "managers"


def _project(request, *, required=True):
    """The project chosen with ?project= (or the form's), else the user's first: 404 outside the scope."""
    raw = (request.POST.get("project") or request.GET.get("project") or "").strip()
    with scoped_404():
        if raw:
            if not raw.isdigit() or len(raw) > 18:
                raise Http404
            return selectors.project_get(user=request.user, project_id=int(raw))
    project = selectors.projects_of(request.user).first()
    if project is None and required:
        raise Http404
    return project


def _department(request, project):
    raw = (request.POST.get("department") or request.GET.get("department") or MANAGERS_KEY).strip()
    if raw != MANAGERS_KEY and (not raw.isdigit() or len(raw) > 18):
        raise Http404
    with scoped_404():
        return selectors.department_of(project, raw)


def _week(request) -> date:
    raw = (request.POST.get("week") or request.GET.get("week") or "").strip()[:10]
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return timezone.localdate()


def _roster_url(project, department, day) -> str:
    return reverse("duty:roster") + (f"?project={project.pk}&department="
                                     f"{department.pk if department else MANAGERS_KEY}&week={day:%Y-%m-%d}")


class ShiftForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Shift name"), max_length=30,
                           widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. 早班, 夜班")}))
    starts = forms.TimeField(label=gettext_lazy("Starts"), widget=forms.TimeInput(attrs={"type": "time"},
                                                                                   format="%H:%M"))
    ends = forms.TimeField(label=gettext_lazy("Ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                           help_text=gettext_lazy("At or before the start: the shift ends the next day."))
    min_people = forms.IntegerField(label=gettext_lazy("People needed"), min_value=1, max_value=50, initial=1)
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)


@viewer_required
def shift_list(request):
    project = _project(request)
    departments = list(selectors.departments_of(project))
    can_edit = user_can(request.user, Capability.MANAGE_ROSTERS)
    form = ShiftForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        department = _department(request, project)
        if form.is_valid():
            data = form.cleaned_data
            try:
                shift = shift_kind_create(actor=request.user, project=project, department=department,
                                          name=data["name"], starts=data["starts"], ends=data["ends"],
                                          min_people=data["min_people"])
            except ApplicationError as error:
                apply_to_form(form, error)
            else:
                messages.success(request, _("Shift %(name)s added.") % {"name": shift.name})
                return redirect(reverse("duty:shifts") + f"?project={project.pk}")
    shifts = list(selectors.shift_kinds(user=request.user, project_id=project.pk))
    groups = [(_("Duty manager"), MANAGERS_KEY, [s for s in shifts if s.department_id is None])]
    groups += [(d.name, d.pk, [s for s in shifts if s.department_id == d.pk]) for d in departments]
    return render(request, "duty/rosters/shifts.html", {
        "project": project, "projects": selectors.projects_of(request.user), "groups": groups, "form": form,
        "departments": departments, "can_edit": can_edit,
        "chosen_department": request.POST.get("department", MANAGERS_KEY)})


def _shift(request, pk):
    with scoped_404():
        return selectors.shift_kind_get(user=request.user, shift_id=pk)


@manager_required
def shift_edit(request, pk):
    shift = _shift(request, pk)
    form = ShiftForm(request.POST or None, initial={"name": shift.name, "starts": shift.starts, "ends": shift.ends,
                                                    "min_people": shift.min_people, "is_active": shift.is_active})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shift_kind_update(actor=request.user, shift=shift, name=data["name"], starts=data["starts"],
                              ends=data["ends"], min_people=data["min_people"], is_active=data["is_active"])
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Shift saved."))
            return redirect(reverse("duty:shifts") + f"?project={shift.project_id}")
    return render(request, "duty/rosters/shift_edit.html", {"shift": shift, "form": form})


@require_POST
@manager_required
def shift_delete(request, pk):
    shift = _shift(request, pk)
    if shift_kind_delete(actor=request.user, shift=shift):
        messages.success(request, _("Shift deleted."))
    else:
        messages.success(request, _("People were scheduled on this shift: it is retired, not deleted."))
    return redirect(reverse("duty:shifts") + f"?project={shift.project_id}")


class AssignForm(forms.Form):
    shift = forms.TypedChoiceField(label=gettext_lazy("Shift"), coerce=int)
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.CharField(label=gettext_lazy("Person"), widget=forms.Select, max_length=20)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args, shifts, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].choices = [(s.pk, str(s)) for s in shifts]
        self.fields["user"].widget.choices = [("", "—")] + [
            (u.pk, selectors.person_label(u)) for u in people]


def _grid_context(request, project, department, day, form=None):
    grid = selectors.roster_week(user=request.user, project=project, department=department, day=day)
    can_edit = user_can(request.user, Capability.MANAGE_ROSTERS)
    shifts = [shift for shift, _cells in grid.rows]
    if can_edit and form is None:
        form = AssignForm(shifts=shifts, people=selectors.eligible_people(project=project, department=department),
                          initial={"day": max(grid.monday, timezone.localdate())})
    return {"grid": grid, "project": project, "department": department, "form": form, "can_edit": can_edit,
            "projects": selectors.projects_of(request.user), "departments": selectors.departments_of(project),
            "department_key": department.pk if department else MANAGERS_KEY,
            "previous": grid.monday - timedelta(days=7), "next": grid.monday + timedelta(days=7),
            "today": timezone.localdate()}


@viewer_required
def roster(request):
    project = _project(request)
    department = _department(request, project)
    return render(request, "duty/rosters/roster.html", _grid_context(request, project, department, _week(request)))


@manager_required
def roster_assign_view(request):
    project = _project(request)
    department = _department(request, project)
    day = _week(request)
    if request.method != "POST":
        return redirect(_roster_url(project, department, day))
    shifts = list(selectors.shift_kinds(user=request.user, project_id=project.pk,
                                        department_id=department.pk if department else selectors.MANAGERS,
                                        active_only=True))
    form = AssignForm(request.POST, shifts=shifts,
                      people=selectors.eligible_people(project=project, department=department))
    if form.is_valid():
        data = form.cleaned_data
        shift = next(s for s in shifts if s.pk == data["shift"])
        try:
            entry = roster_assign(actor=request.user, shift=shift, day=data["day"], user_id=data["user"],
                                  note=data["note"], now=timezone.now())
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("%(name)s is on %(shift)s on %(day)s.") % {
                "name": selectors.person_label(entry.user), "shift": shift.name, "day": f"{entry.day:%Y-%m-%d}"})
            return redirect(_roster_url(project, department, entry.day))
    week = form.cleaned_data.get("day") or day
    return render(request, "duty/rosters/roster.html", _grid_context(request, project, department, week, form),
                  status=400)


@require_POST
@manager_required
def roster_copy(request):
    project = _project(request)
    department = _department(request, project)
    day = _week(request)
    copied, skipped = roster_copy_week(actor=request.user, project=project, department=department, monday=day,
                                       now=timezone.now())
    messages.success(request, _("%(n)s entries copied from last week.") % {"n": copied})
    for reason in skipped[:10]:
        messages.warning(request, _("Not copied: %(reason)s") % {"reason": reason})
    return redirect(_roster_url(project, department, day))


@require_POST
@manager_required
def entry_remove(request, pk):
    with scoped_404():
        entry = selectors.entry_get(user=request.user, entry_id=pk)
    try:
        roster_remove(actor=request.user, entry=entry)
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("%(name)s taken off %(shift)s on %(day)s.") % {
            "name": selectors.person_label(entry.user), "shift": entry.shift.name, "day": f"{entry.day:%Y-%m-%d}"})
    return redirect(_roster_url(entry.project, entry.department, entry.day))


@viewer_required
def on_duty(request):
    project = _project(request, required=False) if request.GET.get("project") else None
    now = timezone.now()
    groups = selectors.on_duty_now(user=request.user, at=now, project_id=project.pk if project else None)
    return render(request, "duty/rosters/now.html", {"groups": groups, "now": now, "project": project,
                                                     "projects": selectors.projects_of(request.user)})


@viewer_required
def gaps(request):
    project = _project(request, required=False) if request.GET.get("project") else None
    projects = [project] if project else selectors.projects_of(request.user)
    rows = selectors.gaps_ahead(projects=projects, at=timezone.now())
    return render(request, "duty/rosters/gaps.html", {"rows": rows, "project": project,
                                                      "projects": selectors.projects_of(request.user)})


urlpatterns = [
    path("shifts/", shift_list, name="shifts"),
    path("shifts/<int:pk>/", shift_edit, name="shift_edit"),
    path("shifts/<int:pk>/delete/", shift_delete, name="shift_delete"),
    path("roster/", roster, name="roster"),
    path("roster/assign/", roster_assign_view, name="roster_assign"),
    path("roster/copy/", roster_copy, name="roster_copy"),
    path("roster/entries/<int:pk>/remove/", entry_remove, name="roster_remove"),
    path("now/", on_duty, name="now"),
    path("gaps/", gaps, name="gaps"),
]
