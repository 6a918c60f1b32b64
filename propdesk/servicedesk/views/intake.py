import json

from django.contrib import messages
from django.db import transaction
from django.http import Http404
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

from .. import hooks, selectors
from ..forms import IntakeForm, parse_dispatch
from ..models import DispatchRule
from ..rules.sla import URGENT_REPAIR_HINTS
from ..services.attachments import attachments_add
from ..services.dispatch import dispatch_rule_for, request_dispatch, request_dispatch_by_rule
from ..services.requests import RequestInput, remember_room, request_check, request_submit


def _project_for(request, resident):
    if resident is not None:
        return resident.project
    projects = Project.objects.restrict(request.user).select_related("company").order_by("code")
    chosen = request.POST.get("project") or request.GET.get("project")
    if chosen:  # a project named but not one of the caller's ("-1", "abc", another's id) is a 404, never a fallback
        if not str(chosen).isdigit():
            raise Http404
        with scoped_404():
            return projects.get(pk=int(chosen))
    return projects.first()


def _intake_form(request, project, resident, *, bound=True):
    departments = list(Department.objects.filter(project=project).order_by("kind", "id"))
    staff = (StaffProfile.objects.filter(department__in=departments, is_active=True, user__is_active=True)
             .order_by("department_id", "display_name"))
    form = IntakeForm(request.POST or None if bound else None, request.FILES or None if bound else None,
                      common_areas=CommonArea.objects.filter(project=project).order_by("kind", "id"),
                      departments=departments, staff=staff,
                      pools=selectors.pool_department_ids(department_ids=[d.pk for d in departments]),
                      has_rules=DispatchRule.objects.filter(project=project).exists(),
                      # a submitted form shows what was sent: the caller's details are for a blank one
                      initial={} if bound and request.method == "POST" else _initial(resident))
    return form, departments


def _caller_context(request, resident):
    if resident is None:
        return {}
    return {"occupancies": resident_rooms(resident=resident),
            "history": selectors.request_list(user=request.user, filters={"reporter_id": resident.pk})[:10]}


@capability_required(Capability.RECORD_REQUESTS)
def intake(request):
    """The screen for a ringing phone: find the caller, see their history, record and dispatch in one form."""
    resident = None
    resident_id = request.POST.get("reporter_id") or request.GET.get("resident")
    if resident_id and str(resident_id).isdigit():
        with scoped_404():
            resident = (Resident.objects.restrict(request.user).select_related("project", "project__company")
                        .get(pk=int(resident_id)))
    project = _project_for(request, resident)
    if project is None:
        raise ApplicationError(_("No project in your scope."), status_code=403)
    form, departments = _intake_form(request, project, resident)
    if request.method == "POST":
        form.is_valid()
        lookups = {}  # the rows the check reads, for the record to reuse
        _check(request, form, project, resident, lookups)  # the service's findings beside the form's: all at once
        if not form.errors:
            try:
                created = _record(request, project, resident, form.cleaned_data, departments, lookups)
            except ApplicationError as error:
                apply_to_form(form, _rename(error))
            else:
                _tell_triage(request, created, departments)
                messages.success(request, _("Request %(number)s recorded.") % {"number": created.number})
                return redirect("servicedesk:request_detail", pk=created.pk)
    context = {"form": form, "project": project, "resident": resident,
               "urgent_hints": json.dumps(URGENT_REPAIR_HINTS, ensure_ascii=False),
               "projects": Project.objects.restrict(request.user).order_by("code"),
               "triage_suggested": (request.POST.get("triage") or "")[:TRIAGE_MAX],
               # A browser cannot keep chosen files across a refused submission: say so where they were.
               "photos_again": bool(form.errors and request.FILES.getlist("photos") and "photos" not in form.errors),
               **_caller_context(request, resident)}
    return render(request, "servicedesk/intake.html", context)


@capability_required(Capability.RECORD_REQUESTS)
def intake_caller(request, pk):
    """The caller picked from the search, for the intake page to show and to fill in without reloading (what the
    agent has typed stays). When the caller lives in another project than the page shows, the project's own
    choices (common areas, departments, dispatch) come along, swapped in out of band."""
    with scoped_404():
        resident = Resident.objects.restrict(request.user).select_related("project").get(pk=pk)
    project = resident.project
    changed = request.GET.get("project") != str(project.pk)
    form, _departments = _intake_form(request, project, resident, bound=False)
    caller = {name: form.initial.get(name, "") for name in ("reporter_id", "contact_name", "contact_phone",
                                                              "room_code")}
    return render(request, "servicedesk/_intake_caller.html", {
        "resident": resident, "project": project, "form": form, "caller": caller, "project_changed": changed,
        **_caller_context(request, resident)})


def _initial(resident):
    if resident is None:
        return {}
    rooms = [o for o in resident_rooms(resident=resident) if o.end_date is None]
    primary = resident.phones.order_by("-is_primary", "id").first()
    return {"reporter_id": resident.pk, "contact_name": resident.name,
            "contact_phone": primary.masked if primary else "", "room_code": rooms[0].room.code if rooms else ""}


TRIAGE_MAX = 1000  # the suggestions panel's labels as posted back: a few short words


def _tell_triage(request, created, departments) -> None:
    """What the suggestions panel showed and what the agent recorded, for triage to keep (hooks.intake_recorded);
    nothing when the panel showed nothing (no script, or too few words). The department chosen is that of the work
    order the dispatch made (a pool, a person or the rules), if any."""
    suggested = (request.POST.get("triage") or "")[:TRIAGE_MAX]
    if not suggested:
        return
    chosen = {"kind": created.kind, "emotion": created.emotion, "urgency": "urgent" if created.urgent else "normal"}
    if created.kind == "complaint":
        chosen.update(category=created.complaint_category, severity=created.severity)
    kinds = {d.pk: d.kind for d in departments}
    chosen["department"] = kinds.get(created.work_orders.order_by("pk").values_list("department_id", flat=True).first())
    hooks.intake_recorded(request=created, actor=request.user, text=created.description, suggested=suggested,
                          chosen={k: v for k, v in chosen.items() if v}, channel=created.channel,
                          now=created.received_at)


FIELD_NAMES = {"room_id": "room_code", "reporter_id": "contact_name", "department_id": "dispatch",
               "assignee_id": "dispatch"}


def _check(request, form, project, resident, lookups: dict) -> None:
    """Put on ``form`` what the service would refuse, for every field the form itself found no fault with: the room
    code, the fields a complaint needs, a time in the past, lengths … so the agent corrects everything at once."""
    data = form.cleaned_data
    errors: dict[str, list[str]] = {}
    room_id = None
    if data.get("room_code"):
        room_id = _room_id(project, data["room_code"], lookups)
        if room_id is None:
            errors["room_code"] = [_("No room %(code)s in %(project)s.") % {"code": data["room_code"],
                                                                          "project": project.name}]
    found = request_check(actor=request.user, project=project, data=_input(data, resident, room_id, lookups))
    for name, messages_ in _rename(ApplicationError("", {"fields": found})).field_errors.items():
        errors.setdefault(name, messages_)
    for name, messages_ in errors.items():
        if name in form.errors:  # the form's own message says it already
            continue
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


def _room_id(project, text, lookups: dict) -> int | None:
    code = parse_room_code(text)
    if not code:
        return None
    key = ("room_code", project.pk, "-".join(code))
    if key not in lookups:
        room = Room.objects.filter(project=project, code="-".join(code)).first()
        lookups[key] = room.pk if room else None
        if room is not None:
            remember_room(lookups, room)  # the service validates the same room
    return lookups[key]


def _input(data, resident, room_id, lookups: dict) -> RequestInput:
    phone = data.get("contact_phone") or ""
    if "*" in phone:  # the masked number shown for a known caller: keep the archive's number
        phone = ""
    return RequestInput(
        channel=data.get("channel") or "", kind=data.get("kind") or "", description=data.get("description") or "",
        contact_name=data.get("contact_name") or "", contact_phone=phone,
        reporter_id=resident.pk if resident else None, room_id=room_id, common_area_id=data.get("common_area_id"),
        location_note=data.get("location_note") or "", occurred_at=data.get("occurred_at"),
        cause=data.get("cause") or "", impact=data.get("impact") or "",
        resident_request=data.get("resident_request") or "", resident_deadline=data.get("resident_deadline"),
        appointment_at=data.get("appointment_at"), emotion=data.get("emotion") or "calm",
        urgent=bool(data.get("urgent")), complaint_category=data.get("complaint_category") or "",
        severity=data.get("severity") or "", complained_department_id=data.get("complained_department_id"),
        complained_person=data.get("complained_person") or "", lookups=lookups)


def _rename(error: ApplicationError) -> ApplicationError:
    fields = {FIELD_NAMES.get(k, k): v for k, v in error.extra.get("fields", {}).items()}
    return ApplicationError(error.message, {**error.extra, "fields": fields})


def _record(request, project, resident, data, departments, lookups: dict):
    """Record the request and, in its transaction, its photos and dispatch: a dispatch refused records nothing.
    Not inside a transaction of its own, so that the request's number is committed at once (services/requests)."""
    room_id = None
    if data.get("room_code"):
        room_id = _room_id(project, data["room_code"], lookups)
        if room_id is None:
            raise ApplicationError(_("Room not found."), {"fields": {"room_code": [
                _("No room %(code)s in %(project)s.") % {"code": data["room_code"], "project": project.name}]}})
    created = request_submit(actor=request.user, project=project, idempotency_key=data["form_token"],
                             data=_input(data, resident, room_id, lookups),
                             on_record=lambda sr: _complete(request, sr, data, departments, fresh=True))
    if not getattr(created, "recorded", False):  # a double-submitted form: finish what the first one left
        with transaction.atomic():
            _complete(request, created, data, departments, fresh=False)
    return created


def _complete(request, created, data, departments, *, fresh: bool) -> None:
    if data.get("photos") and (fresh or not created.attachments.exists()):
        attachments_add(request=created, files=data["photos"], actor=request.user)
    choice = data.get("dispatch") or ""
    if not fresh and created.work_orders.exists():  # the first submission dispatched it already
        return
    if choice == "auto":
        if request_dispatch_by_rule(request=created, actor=request.user) is None:
            if dispatch_rule_for(created) is None:
                messages.info(request, _("No dispatch rule matches: the request waits in the dispatch queue."))
            else:
                messages.warning(request, _("The dispatch rule sends it to a pool nobody can grab from: the request "
                                            "waits in the dispatch queue."))
        return
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
