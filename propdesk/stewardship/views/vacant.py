"""Vacant homes 空置房: the list (a steward's zone by default, the project manager's whole project), a round (pick a
building, go home by home on the phone), the inspection form, each home's record, the project's checklist.
VIEW_VACANT reads, INSPECT_VACANT inspects, EDIT_VACANT_CHECKLIST sets the checklist; another scope's home,
building or project is a 404."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from ..rules.vacant import ItemAnswer
from ..selectors import vacant as selectors
from ..selectors.zones import steward_by_building
from ..services.vacant import InspectionInput, item_field, vacant_checklist_update, vacant_inspection_record

viewer_required = capability_required(Capability.VIEW_VACANT)
inspector_required = capability_required(Capability.INSPECT_VACANT)
PAGE_SIZE = 50


def _int(value) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None


@viewer_required
def vacant_list(request):
    today = timezone.localdate()
    # A steward sees their zone unless they pick another steward or all; everyone else sees all by default.
    default = "mine" if user_role(request.user) == "steward" else "all"
    steward_param = (request.GET.get("steward") or default).strip()[:12]
    steward_id = request.user.pk if steward_param == "mine" else _int(steward_param)
    filters = selectors.VacantFilters(building_id=_int(request.GET.get("building")), steward_id=steward_id,
                                      overdue=request.GET.get("overdue") == "1",
                                      project_id=_int(request.GET.get("project")))
    rooms = selectors.vacant_home_list(user=request.user, today=today, filters=filters)
    page = Paginator(rooms, PAGE_SIZE).get_page(request.GET.get("page"))
    homes = selectors.decorate(page.object_list, today=today)
    buildings = list(selectors.buildings_for_filter(user=request.user))
    stewards = {s.pk: s for s in steward_by_building([b.pk for b in buildings]).values()}
    query = {"building": filters.building_id or "", "steward": steward_param,
             "overdue": "1" if filters.overdue else "", "project": filters.project_id or ""}
    return render(request, "stewardship/vacant/list.html", {
        "homes": homes, "page": page, "buildings": buildings, "stewards": sorted(stewards.values(), key=str),
        "filters": {k: v for k, v in query.items() if v}, "f": filters, "steward_param": steward_param,
        "mine": steward_param == "mine", "is_steward": default == "mine", "today": today,
        "can_inspect": user_can(request.user, Capability.INSPECT_VACANT),
        "can_edit_checklist": user_can(request.user, Capability.EDIT_VACANT_CHECKLIST)})


@inspector_required
def vacant_round(request):
    today = timezone.localdate()
    building_id = _int(request.GET.get("building"))
    if building_id is None:
        return render(request, "stewardship/vacant/round_pick.html", {
            "buildings": selectors.buildings_for_filter(user=request.user)})
    with scoped_404():
        building, homes = selectors.round_homes(user=request.user, building_id=building_id, today=today)
    done = sum(1 for home in homes if home.done_today)
    return render(request, "stewardship/vacant/round.html", {
        "building": building, "homes": homes, "done": done, "today": today,
        "next_home": next((home for home in homes if not home.done_today), None)})


@viewer_required
def vacant_home(request, room_id):
    with scoped_404():
        room, inspections = selectors.home_record(user=request.user, room_id=room_id, today=timezone.localdate())
    return render(request, "stewardship/vacant/home.html", {
        "room": room, "inspections": inspections,
        "can_inspect": user_can(request.user, Capability.INSPECT_VACANT) and room.status == "vacant"})


class InspectionForm(forms.Form):
    water_reading = forms.CharField(label=gettext_lazy("Water meter"), required=False, max_length=20,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    power_reading = forms.CharField(label=gettext_lazy("Power meter"), required=False, max_length=20,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, checklist: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        choices = [("fine", gettext_lazy("Fine")), ("not_fine", gettext_lazy("Not fine"))]
        for position, label in enumerate(checklist):
            self.fields[item_field(position)] = forms.ChoiceField(label=label, choices=choices, required=False,
                                                                  widget=forms.RadioSelect)
            self.fields[f"note_{position}"] = forms.CharField(required=False, max_length=500)

    def rows(self):
        """(item field, note field, photo field name) per checklist item, for the template."""
        return [(self[item_field(i)], self[f"note_{i}"], f"photo_{i}") for i in range(len(self.checklist))]

    def to_input(self, files) -> InspectionInput:
        data = self.cleaned_data
        answers, photos = [], {}
        for position, label in enumerate(self.checklist):
            value = data.get(item_field(position))
            answers.append(ItemAnswer(label=label, fine=None if not value else value == "fine",
                                      note=data.get(f"note_{position}") or ""))
            photos[label] = files.getlist(f"photo_{position}")[:5]
        return InspectionInput(answers=answers, photos=photos, water_reading=data["water_reading"],
                               power_reading=data["power_reading"], note=data["note"])


@inspector_required
def vacant_inspect(request, room_id):
    with scoped_404():
        room = selectors.home_detail(user=request.user, room_id=room_id)
    checklist = selectors.checklist_of(room.project_id)
    form = InspectionForm(request.POST or None, checklist=checklist.items)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = vacant_inspection_record(actor=request.user, room_id=room.pk, data=form.to_input(
                request.FILES), now=timezone.now())
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            if inspection.findings:
                messages.success(request, _("%(code)s inspected: %(n)d findings became requests.") % {
                    "code": room.code, "n": inspection.findings})
            else:
                messages.success(request, _("%(code)s inspected: all fine.") % {"code": room.code})
            return redirect(f"{reverse('stewardship:vacant_round')}?building={room.building_id}")
    return render(request, "stewardship/vacant/inspect.html", {
        "room": room, "form": form, "not_vacant": room.status != "vacant"})


class ChecklistForm(forms.Form):
    items = forms.CharField(label=gettext_lazy("Checklist items, one a line"), widget=forms.Textarea(
        attrs={"rows": 9}), max_length=4000, required=False)
    interval_days = forms.CharField(label=gettext_lazy("Inspect each vacant home every (days)"), max_length=4,
                                    widget=forms.TextInput(attrs={"inputmode": "numeric"}))


@capability_required(Capability.EDIT_VACANT_CHECKLIST)
def vacant_checklist(request):
    projects = list(Project.objects.restrict(request.user).order_by("id"))
    project_id = _int(request.GET.get("project")) or (projects[0].pk if projects else None)
    with scoped_404():
        project, checklist = selectors.checklist_detail(user=request.user, project_id=project_id or 0)
    form = ChecklistForm(request.POST or None, initial={"items": "\n".join(checklist.items),
                                                       "interval_days": checklist.interval_days})
    if request.method == "POST" and form.is_valid():
        try:
            vacant_checklist_update(actor=request.user, project=project, now=timezone.now(),
                                    items=form.cleaned_data["items"].splitlines(),
                                    interval_days=form.cleaned_data["interval_days"])
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("The vacant-home checklist of %(project)s is saved.") % {
                "project": project.name})
            return redirect(f"{reverse('stewardship:vacant_checklist')}?project={project.pk}")
    return render(request, "stewardship/vacant/checklist.html", {
        "project": project, "projects": projects, "form": form, "checklist": checklist})


urlpatterns = [
    path("vacant/", vacant_list, name="vacant_list"),
    path("vacant/round/", vacant_round, name="vacant_round"),
    path("vacant/checklist/", vacant_checklist, name="vacant_checklist"),
    path("vacant/<int:room_id>/", vacant_home, name="vacant_home"),
    path("vacant/<int:room_id>/inspect/", vacant_inspect, name="vacant_inspect"),
]
