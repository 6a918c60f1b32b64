"""The project staff page (issue 13, staffdesk): /staff/ — a project manager's people by department with skills,
certificates (expiry warnings), on duty now and open work orders; add a person, edit them, record certificates,
deactivate. MANAGE_STAFF; another project's staff member is a 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, apply_to_form, message_text
from propdesk.core.errors import PermissionDenied as NotAllowed
from propdesk.core.views_utils import capability_required, scoped_404

from ..models import CertificateKindChoice, Role, SkillChoice
from ..permissions import user_role
from ..rules.roles import Capability
from ..rules.team import givable_roles
from ..selectors import team as selectors
from ..services import team as services

manager_required = capability_required(Capability.MANAGE_STAFF)


def _role_choices(user):
    return [(r, Role(r).label) for r in givable_roles(user_role(user))]


def _department_choices(project):
    return [("", gettext_lazy("— none —"))] + [(str(d.pk), d.name) for d in selectors.departments_of(project)]


class StaffAddForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    role = forms.ChoiceField(label=gettext_lazy("Role"))
    department_id = forms.ChoiceField(label=gettext_lazy("Department"), required=False)
    mobile = forms.CharField(label=gettext_lazy("Mobile"), max_length=30, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150, required=False,
                               help_text=gettext_lazy("Leave empty to use m + the mobile number."))
    skills = forms.MultipleChoiceField(label=gettext_lazy("Skills"), choices=SkillChoice.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    sign_in = forms.ChoiceField(label=gettext_lazy("Signs in with"), widget=forms.RadioSelect, initial="password",
                                choices=[("password", gettext_lazy("a temporary password, shown once")),
                                         ("mobile", gettext_lazy("a code texted to the mobile"))])

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(user)
        self.fields["department_id"].choices = _department_choices(project)


class StaffEditForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    role = forms.ChoiceField(label=gettext_lazy("Role"))
    department_id = forms.ChoiceField(label=gettext_lazy("Department"), required=False)
    mobile = forms.CharField(label=gettext_lazy("Mobile"), max_length=30, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    skills = forms.MultipleChoiceField(label=gettext_lazy("Skills"), choices=SkillChoice.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(user)
        self.fields["department_id"].choices = _department_choices(project)


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Certificate"), choices=CertificateKindChoice.choices)
    number = forms.CharField(label=gettext_lazy("Certificate number"), max_length=40)
    valid_until = forms.DateField(label=gettext_lazy("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))


def _now():
    now = timezone.now()
    return now, timezone.localdate(now)


@manager_required
def team_list(request):
    now, today = _now()
    with scoped_404():
        project = selectors.project_for(request.user, request.GET.get("project"))
    departments = selectors.departments_of(project)
    department_id = request.GET.get("department", "")
    department_id = int(department_id) if department_id.isdigit() and len(department_id) <= 18 else None
    skill = request.GET.get("skill", "")
    skill = skill if skill in SkillChoice.values else ""
    inactive = request.GET.get("inactive") == "1"
    rows = selectors.team(user=request.user, project=project, now=now, today=today, department_id=department_id,
                          skill=skill, include_inactive=inactive)
    groups: dict = {}
    for row in rows:
        groups.setdefault(row.profile.department, []).append(row)
    return render(request, "staff/team/list.html", {
        "project": project, "projects": selectors.projects_for(request.user), "departments": departments,
        "department_id": department_id, "skill": skill, "inactive": inactive, "skills": SkillChoice.choices,
        "groups": list(groups.items()), "count": len(rows),
        "expiring": sum(1 for r in rows for c in r.certificates if c.expiring),
        "expired": sum(1 for r in rows for c in r.certificates if c.expired)})


@manager_required
def member_add(request):
    with scoped_404():
        project = selectors.project_for(request.user, request.GET.get("project") or request.POST.get("project"))
    form = StaffAddForm(request.POST or None, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.staff_create(
                actor=request.user, project=project, display_name=data["display_name"], role=data["role"],
                department_id=data["department_id"], mobile=data["mobile"], username=data["username"],
                skills=data["skills"], sign_in=data["sign_in"])
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("%(name)s was added to the staff.") % {"name": created.profile.display_name})
            return _member_page(request, created.profile.pk, temporary_password=created.temporary_password,
                                status=201)
    return render(request, "staff/team/add.html", {"form": form, "project": project})


def _member_page(request, pk, *, edit_form=None, certificate_form=None, temporary_password="", status=200):
    now, today = _now()
    with scoped_404():
        row = selectors.member(user=request.user, profile_id=pk, now=now, today=today)
    profile = row.profile
    editable = profile.role in givable_roles(user_role(request.user)) and profile.user_id != request.user.pk
    if edit_form is None:
        edit_form = StaffEditForm(user=request.user, project=profile.project, initial={
            "display_name": profile.display_name, "role": profile.role,
            "department_id": str(profile.department_id or ""), "mobile": profile.mobile if editable else "",
            "skills": [s.skill for s in row.skills]})
    return render(request, "staff/team/member.html", {
        "row": row, "profile": profile, "editable": editable, "edit_form": edit_form,
        "certificate_form": certificate_form or CertificateForm(), "temporary_password": temporary_password,
        "username": profile.user.username}, status=status)


@manager_required
def member_detail(request, pk):
    if request.method != "POST":
        return _member_page(request, pk)
    with scoped_404():
        profile = selectors.profile_for(request.user, pk)
    form = StaffEditForm(request.POST, user=request.user, project=profile.project)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_update(actor=request.user, profile=profile, display_name=data["display_name"],
                                  role=data["role"], department_id=data["department_id"],
                                  clear_department=not data["department_id"], mobile=data["mobile"],
                                  skills=data["skills"])
        except NotAllowed:
            raise PermissionDenied from None
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("team:member", pk=pk)
    return _member_page(request, pk, edit_form=form, status=400)


@require_POST
@manager_required
def certificate_add(request, pk):
    with scoped_404():
        profile = selectors.profile_for(request.user, pk)
    form = CertificateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.certificate_add(actor=request.user, profile=profile, kind=data["kind"], number=data["number"],
                                     valid_until=data["valid_until"])
        except NotAllowed:
            raise PermissionDenied from None
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Certificate recorded."))
            return redirect("team:member", pk=pk)
    return _member_page(request, pk, certificate_form=form, status=400)


@require_POST
@manager_required
def certificate_remove(request, pk, certificate_id):
    with scoped_404():
        profile = selectors.profile_for(request.user, pk)
    try:
        services.certificate_remove(actor=request.user, profile=profile, certificate_id=certificate_id)
    except NotAllowed:
        raise PermissionDenied from None
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("Certificate removed."))
    return redirect("team:member", pk=pk)


@require_POST
@manager_required
def member_deactivate(request, pk):
    with scoped_404():
        profile = selectors.profile_for(request.user, pk)
    try:
        services.staff_deactivate(actor=request.user, profile=profile, now=timezone.now())
    except NotAllowed:
        raise PermissionDenied from None
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("%(name)s was deactivated: they can no longer sign in.")
                         % {"name": profile.display_name})
    return redirect("team:member", pk=pk)


@require_POST
@manager_required
def member_reactivate(request, pk):
    with scoped_404():
        profile = selectors.profile_for(request.user, pk)
    try:
        services.staff_reactivate(actor=request.user, profile=profile)
    except NotAllowed:
        raise PermissionDenied from None
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("%(name)s can sign in again.") % {"name": profile.display_name})
    return redirect("team:member", pk=pk)


app_name = "team"
urlpatterns = [
    path("", team_list, name="list"),
    path("add/", member_add, name="add"),
    path("<int:pk>/", member_detail, name="member"),
    path("<int:pk>/certificates/", certificate_add, name="certificate_add"),
    path("<int:pk>/certificates/<int:certificate_id>/remove/", certificate_remove, name="certificate_remove"),
    path("<int:pk>/deactivate/", member_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", member_reactivate, name="reactivate"),
]
