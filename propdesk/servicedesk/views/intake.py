import json

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.customers.models import Resident
from propdesk.customers.selectors import resident_rooms
from propdesk.org.models import CommonArea, Department, Project, Room
from propdesk.org.rules import parse_room_code
from propdesk.staff.models import StaffProfile
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..forms import IntakeForm, parse_dispatch
from ..models import DispatchRule
from ..rules.sla import URGENT_REPAIR_HINTS
from ..services.attachments import attachments_add
from ..services.dispatch import request_dispatch, request_dispatch_by_rule
from ..services.requests import RequestInput, request_submit


def _project_for(request, resident):
    if resident is not None:
        return resident.project
    projects = Project.objects.restrict(request.user).order_by("code")
    chosen = request.POST.get("project") or request.GET.get("project")
    if chosen and str(chosen).isdigit():
        with scoped_404():
            return projects.get(pk=int(chosen))
    return projects.first()


@capability_required(Capability.RECORD_REQUESTS)
def intake(request):
    """The screen for a ringing phone: find the caller, see their history, record and dispatch in one form."""
    resident = None
    resident_id = request.POST.get("reporter_id") or request.GET.get("resident")
    if resident_id and str(resident_id).isdigit():
        with scoped_404():
            resident = Resident.objects.restrict(request.user).select_related("project").get(pk=int(resident_id))
    project = _project_for(request, resident)
    if project is None:
        raise ApplicationError(_("No project in your scope."), status_code=403)
    departments = list(Department.objects.filter(project=project).order_by("kind", "id"))
    staff = (StaffProfile.objects.filter(department__in=departments, is_active=True, user__is_active=True)
             .order_by("department_id", "display_name"))
    form = IntakeForm(request.POST or None, request.FILES or None,
                      common_areas=CommonArea.objects.filter(project=project).order_by("kind", "id"),
                      departments=departments, staff=staff,
                      has_rules=DispatchRule.objects.filter(project=project).exists(),
                      initial=_initial(resident))
    if request.method == "POST" and form.is_valid():
        try:
            created = _record(request, project, resident, form.cleaned_data, departments)
        except ApplicationError as error:
            apply_to_form(form, _rename(error))
        else:
            messages.success(request, _("Request %(number)s recorded.") % {"number": created.number})
            return redirect("servicedesk:request_detail", pk=created.pk)
    context = {"form": form, "project": project, "resident": resident,
               "urgent_hints": json.dumps(URGENT_REPAIR_HINTS, ensure_ascii=False),
               "projects": Project.objects.restrict(request.user).order_by("code")}
    if resident is not None:
        context["occupancies"] = resident_rooms(resident=resident)
        context["history"] = selectors.request_list(user=request.user, filters={"reporter_id": resident.pk})[:10]
    return render(request, "servicedesk/intake.html", context)


def _initial(resident):
    if resident is None:
        return {}
    rooms = [o for o in resident_rooms(resident=resident) if o.end_date is None]
    primary = resident.phones.order_by("-is_primary", "id").first()
    return {"reporter_id": resident.pk, "contact_name": resident.name,
            "contact_phone": primary.masked if primary else "", "room_code": rooms[0].room.code if rooms else ""}


FIELD_NAMES = {"room_id": "room_code", "reporter_id": "contact_name", "department_id": "dispatch",
               "assignee_id": "dispatch"}


def _rename(error: ApplicationError) -> ApplicationError:
    fields = {FIELD_NAMES.get(k, k): v for k, v in error.extra.get("fields", {}).items()}
    return ApplicationError(error.message, {**error.extra, "fields": fields})


@transaction.atomic
def _record(request, project, resident, data, departments):
    room_id = None
    if data.get("room_code"):
        code = parse_room_code(data["room_code"])
        room = Room.objects.filter(project=project, code="-".join(code)).first() if code else None
        if room is None:
            raise ApplicationError(_("Room not found."), {"fields": {"room_code": [
                _("No room %(code)s in %(project)s.") % {"code": data["room_code"], "project": project.name}]}})
        room_id = room.pk
    phone = data.get("contact_phone") or ""
    if "*" in phone:  # the masked number shown for a known caller: keep the archive's number
        phone = ""
    created = request_submit(actor=request.user, project=project, idempotency_key=data["form_token"], data=RequestInput(
        channel=data["channel"], kind=data["kind"], description=data["description"],
        contact_name=data.get("contact_name") or "", contact_phone=phone,
        reporter_id=resident.pk if resident else None, room_id=room_id, common_area_id=data.get("common_area_id"),
        location_note=data.get("location_note") or "", occurred_at=data.get("occurred_at"),
        cause=data.get("cause") or "", impact=data.get("impact") or "",
        resident_request=data.get("resident_request") or "", resident_deadline=data.get("resident_deadline"),
        appointment_at=data.get("appointment_at"), emotion=data.get("emotion") or "calm",
        urgent=bool(data.get("urgent")), complaint_category=data.get("complaint_category") or "",
        severity=data.get("severity") or "", complained_department_id=data.get("complained_department_id"),
        complained_person=data.get("complained_person") or ""))
    if data.get("photos") and not created.attachments.exists():
        attachments_add(request=created, files=data["photos"], actor=request.user)
    choice = data.get("dispatch") or ""
    if created.work_orders.exists():  # a double-submitted form: the first submission dispatched it already
        return created
    if choice == "auto":
        if request_dispatch_by_rule(request=created, actor=request.user) is None:
            messages.info(request, _("No dispatch rule matches: the request waits in the dispatch queue."))
        return created
    target = parse_dispatch(choice)
    if target:
        kind, ident = target
        department_id = ident if kind == "pool" else StaffProfile.objects.filter(
            user_id=ident, department__in=departments).values_list("department_id", flat=True).first()
        if department_id is None:
            raise ApplicationError(_("Choose a department of this project."),
                                   {"fields": {"dispatch": [_("Choose a department of this project.")]}})
        request_dispatch(request=created, actor=request.user, department_id=department_id,
                         assignee_id=ident if kind == "user" else None)
    return created
