from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..forms import BuildingGenerateForm, RoomForm
from ..models import CommonArea, Department, Project
from ..services.buildings import building_create, room_update


@capability_required(Capability.VIEW_ARCHIVE)
def tree(request):
    return render(request, "org/tree.html", {"tree": selectors.org_tree(user=request.user)})


@capability_required(Capability.VIEW_ARCHIVE)
def project_detail(request, pk):
    with scoped_404():
        project, buildings = selectors.project_detail(user=request.user, project_id=pk)
    return render(request, "org/project_detail.html", {
        "project": project,
        "buildings": buildings,
        "departments": Department.objects.filter(project=project).order_by("kind"),
        "common_areas": CommonArea.objects.filter(project=project).select_related("building"),
        "can_edit": user_can(request.user, Capability.EDIT_ORG),
    })


@capability_required(Capability.EDIT_ORG)
def building_create_view(request, project_pk):
    with scoped_404():
        project = Project.objects.restrict(request.user).get(pk=project_pk)
    form = BuildingGenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            building = building_create(project=project, **form.cleaned_data)
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Building %(number)s created with %(count)s rooms.")
                             % {"number": building.number, "count": building.rooms.count()})
            return redirect("org:building_detail", pk=building.pk)
    return render(request, "org/building_form.html", {"project": project, "form": form})


@capability_required(Capability.VIEW_ARCHIVE)
def building_detail(request, pk):
    with scoped_404():
        building, units, grid = selectors.building_detail(user=request.user, building_id=pk)
    return render(request, "org/building_detail.html", {"building": building, "units": units, "grid": grid})


@login_required
def room_detail(request, pk):
    with scoped_404():
        room = selectors.room_detail(user=request.user, room_id=pk)
    occupancies = (room.occupancies.restrict(request.user).select_related("resident")
                   .prefetch_related("resident__phones").order_by("end_date", "relation"))
    return render(request, "org/room_detail.html", {
        "room": room, "occupancies": occupancies,
        "can_edit": user_can(request.user, Capability.EDIT_ORG),
    })


@capability_required(Capability.EDIT_ORG)
def room_edit(request, pk):
    with scoped_404():
        room = selectors.room_detail(user=request.user, room_id=pk)
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            room_update(room=room, floor=data["floor"], area=data["area"], room_type=data["room_type"],
                        status=data["status"], handed_over_on=data["handed_over_on"])
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Room %(code)s saved.") % {"code": room.code})
            return redirect("org:room_detail", pk=room.pk)
    return render(request, "org/room_form.html", {"room": room, "form": form})
