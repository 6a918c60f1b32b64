"""Zones 责任区: the PM's page of buildings and stewards with the load per steward and a one-step reassignment
(/steward/zones/), and the steward's first-contact worklist on the phone (/steward/contacts/). VIEW_ZONES reads the
zones, MANAGE_ZONES reassigns, CONTACT_RESIDENTS works the list; another scope's project or task is a 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models.contacts import ContactMethod
from ..selectors import zones as selectors
from ..services.zones import contact_record, zone_assign

viewer_required = capability_required(Capability.VIEW_ZONES)
contacts_required = capability_required(Capability.CONTACT_RESIDENTS)


class IdList(forms.Field):
    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        return [str(v) for v in (value or [])][:600]


class AssignForm(forms.Form):
    buildings = IdList(label=gettext_lazy("Buildings"), required=False)
    steward = forms.CharField(label=gettext_lazy("Steward"), max_length=20, required=False)


def _project_id(request, projects) -> int:
    """The project shown: ?project= (one the user may see), else the user's own, else the first."""
    chosen = (request.POST.get("project") or request.GET.get("project") or "").strip()
    ids = [p.pk for p in projects]
    if chosen:
        if chosen.isdigit() and int(chosen) in ids:
            return int(chosen)
        raise Http404
    profile = getattr(request.user, "staff_profile", None)
    if profile is not None and profile.project_id in ids:
        return profile.project_id
    if not ids:
        raise Http404
    return ids[0]


@viewer_required
def zones(request):
    now = timezone.now()
    projects = list(selectors.zone_projects(request.user))
    project_id = _project_id(request, projects)
    can_manage = user_can(request.user, Capability.MANAGE_ZONES)
    form = AssignForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            project = next(p for p in projects if p.pk == project_id)
            try:
                result = zone_assign(project=project, buildings=form.cleaned_data["buildings"],
                                     steward=form.cleaned_data["steward"], actor=request.user, now=now)
            except ApplicationError as error:
                apply_to_form(form, error)
            else:
                messages.success(request, _("%(buildings)d buildings reassigned, %(tasks)d first contacts to make.")
                                 % {"buildings": len(result["changed"]), "tasks": result["tasks_created"]})
                return redirect(f"{request.path}?project={project_id}")
    with scoped_404():
        load = selectors.zones_load(user=request.user, project_id=project_id, now=now)
    ticked = set(form.data.getlist("buildings")) if form.is_bound else set()
    return render(request, "stewardship/zones/zones.html", {
        "load": load, "projects": projects, "form": form, "can_manage": can_manage, "ticked": ticked,
        "chosen_steward": form.data.get("steward", "") if form.is_bound else "", "now": now})


@contacts_required
def contacts(request):
    now = timezone.now()
    page = selectors.contact_tasks_page(user=request.user, page=request.GET.get("page"))
    for task in page.object_list:
        task.late = task.is_late(now)
    return render(request, "stewardship/zones/contacts.html", {
        "page": page, "now": now, "all_stewards": user_can(request.user, Capability.MANAGE_ZONES)})


class ContactForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("How"), choices=ContactMethod.choices, widget=forms.RadioSelect,
                               initial=ContactMethod.PHONE)
    note = forms.CharField(label=gettext_lazy("What you talked about"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 4}))


@contacts_required
def contact_detail(request, pk):
    with scoped_404():
        task = selectors.contact_task_detail(user=request.user, task_id=pk)
    now = timezone.now()
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_record(task=task, actor=request.user, method=form.cleaned_data["method"],
                           note=form.cleaned_data["note"], now=now)
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Contact with %(name)s recorded.") % {"name": task.resident.name})
            return redirect("stewardship:contacts")
    return render(request, "stewardship/zones/contact.html", {
        "task": task, "form": form, "late": task.is_late(now), "is_open": task.status == "open"})


urlpatterns = [
    path("zones/", zones, name="zones"),
    path("contacts/", contacts, name="contacts"),
    path("contacts/<int:pk>/", contact_detail, name="contact_detail"),
]
