from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, apply_to_form
from propdesk.core.views_utils import capability_required, client_ip, scoped_404
from propdesk.org.models import Project, Room
from propdesk.org.rules import parse_room_code
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..choices import Segment
from ..forms import NewResidentForm, OccupancyForm, ResidentForm
from ..models import Phone, Resident
from ..services.residents import FLAG_FIELDS, ResidentData, occupancy_add, resident_create, resident_update
from ..services.reveal import id_number_reveal, phone_reveal


def _data_from_form(cleaned) -> ResidentData:
    return ResidentData(
        name=cleaned["name"], phones=[cleaned.get("phone1", ""), cleaned.get("phone2", "")],
        gender=cleaned.get("gender", ""), id_number=cleaned.get("id_number", ""),
        segment=cleaned.get("segment", ""), note=cleaned.get("note", ""),
        flags={flag: cleaned.get(flag, False) for flag in FLAG_FIELDS},
    )


def _find_room(user, project, code_text) -> Room:
    code = parse_room_code(code_text or "")
    room = None
    if code:
        room = Room.objects.restrict(user).filter(project=project, code="-".join(code)).first()
    if room is None:
        raise ApplicationError(_("Room not found."), {"fields": {"room_code": [
            _("No room %(code)s in %(project)s. Use building-unit-room, e.g. 3-2-1802.")
            % {"code": code_text, "project": project.name}]}})
    return room


@capability_required(Capability.VIEW_ARCHIVE)
def resident_list(request):
    try:
        project_id = int(request.GET.get("project") or 0) or None
    except ValueError:
        project_id = None
    qs = selectors.residents_for_list(user=request.user, project_id=project_id,
                                      segment=request.GET.get("segment", ""), flag=request.GET.get("flag", ""),
                                      q=request.GET.get("q", ""))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "customers/resident_list.html", {
        "page": page,
        "projects": Project.objects.restrict(request.user).order_by("code"),
        "segments": Segment.choices,
        "flags": [(f, Resident._meta.get_field(f).verbose_name) for f in FLAG_FIELDS],
        "filters": request.GET,
        "can_edit": user_can(request.user, Capability.EDIT_CUSTOMERS),
    })


def resident_detail(request, pk):
    """Customer 360: who they are, their rooms and household. Later issues add requests, visits and fees."""
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={request.path}")
    with scoped_404():
        resident = selectors.resident_detail(user=request.user, resident_id=pk)
    role = user_role(request.user)
    if role == "resident":  # the archive is the staff's; a resident's own page is the portal
        return redirect("portal:home")
    return render(request, "customers/resident_detail.html", {
        "resident": resident,
        "occupancies": selectors.resident_rooms(resident=resident),
        "is_self": role == "resident",
        "can_edit": user_can(request.user, Capability.EDIT_CUSTOMERS),
        "can_reveal_phone": user_can(request.user, Capability.REVEAL_PHONE),
        "can_reveal_id": user_can(request.user, Capability.REVEAL_ID),
        "occupancy_form": OccupancyForm(),
        # The service desk's requests, read through the reverse relation (customers does not import servicedesk).
        "requests": resident.requests.restrict(request.user).select_related("room").order_by("-received_at")[:20],
        "can_record": user_can(request.user, Capability.RECORD_REQUESTS),
        **_visit_history(request.user, resident),
    })


def _visit_history(user, resident) -> dict:
    """The resident's follow-up visits and satisfaction. Follow-ups sit to the right of customers, so the model is
    read through the app registry, not imported."""
    from django.apps import apps
    from django.db.models import Count, Q

    visits = apps.get_model("followups", "FollowUpVisit").objects.restrict(user).filter(request__reporter=resident)
    summary = visits.aggregate(rated=Count("id", filter=Q(satisfaction__isnull=False)),
                               satisfied=Count("id", filter=Q(satisfaction__gte=4)))
    return {"visits": visits.select_related("request").order_by("-handled_at", "-id")[:20], "visit_summary": summary}


def _login_url():
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@capability_required(Capability.EDIT_CUSTOMERS)
def resident_create_view(request):
    projects = Project.objects.restrict(request.user).order_by("code")
    form = NewResidentForm(request.POST or None, projects=projects,
                           initial={"room_code": request.GET.get("room", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rooms = []
            if data.get("room_code"):
                rooms = [(_find_room(request.user, data["project"], data["room_code"]), data["relation"])]
            resident = resident_create(project=data["project"], data=_data_from_form(data), rooms=rooms)
        except ApplicationError as error:
            apply_to_form(form, _rename_phone_errors(error))
        else:
            messages.success(request, _("Resident %(name)s registered as %(no)s.")
                             % {"name": resident.name, "no": resident.archive_no})
            return redirect("customers:resident_detail", pk=resident.pk)
    return render(request, "customers/resident_form.html", {"form": form, "title": _("Register resident")})


@capability_required(Capability.EDIT_CUSTOMERS)
def resident_edit(request, pk):
    with scoped_404():
        resident = selectors.resident_detail(user=request.user, resident_id=pk)
    if not user_can(request.user, Capability.REVEAL_PHONE):
        raise_forbidden()
    # The edit form shows the full numbers: that is a reveal, and it is logged like one.
    phones = [phone_reveal(user=request.user, phone=p, ip=client_ip(request)) for p in resident.phones.all()]
    initial = {"name": resident.name, "phone1": phones[0] if phones else "",
               "phone2": phones[1] if len(phones) > 1 else "", "gender": resident.gender,
               "segment": resident.segment, "note": resident.note,
               **{f: getattr(resident, f) for f in FLAG_FIELDS}}
    form = ResidentForm(request.POST or None, initial=initial)
    if not user_can(request.user, Capability.REVEAL_ID):
        form.fields.pop("id_number")
    if request.method == "POST" and form.is_valid():
        data = _data_from_form({"id_number": resident.id_number, **form.cleaned_data})
        try:
            resident_update(resident=resident, data=data)
        except ApplicationError as error:
            apply_to_form(form, _rename_phone_errors(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("customers:resident_detail", pk=resident.pk)
    return render(request, "customers/resident_form.html",
                  {"form": form, "title": _("Edit %(name)s") % {"name": resident.name}, "resident": resident})


def raise_forbidden():
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def _rename_phone_errors(error: ApplicationError) -> ApplicationError:
    """The service speaks of ``phones``; the form has ``phone1``."""
    fields = dict(error.extra.get("fields", {}))
    if "phones" in fields:
        fields["phone1"] = fields.pop("phones")
    return ApplicationError(error.message, {**error.extra, "fields": fields})


@require_POST
@capability_required(Capability.EDIT_CUSTOMERS)
def occupancy_add_view(request, pk):
    with scoped_404():
        resident = selectors.resident_detail(user=request.user, resident_id=pk)
    form = OccupancyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            room = _find_room(request.user, resident.project, data["room_code"])
            occupancy_add(resident=resident, room=room, relation=data["relation"],
                          start_date=data["start_date"], end_date=data["end_date"])
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("Linked to room %(code)s.") % {"code": room.code})
            return redirect("customers:resident_detail", pk=resident.pk)
    return render(request, "customers/occupancy_form.html", {"form": form, "resident": resident}, status=400)


@require_POST
@capability_required(Capability.EDIT_CUSTOMERS)
def occupancy_end_view(request, pk):
    """Move-out: the link to the room ends today (or on the date given); history stays on the customer page."""
    from datetime import date

    from ..models import Occupancy
    from ..services.residents import occupancy_end

    with scoped_404():
        occupancy = Occupancy.objects.restrict(request.user).select_related("room").get(pk=pk)
    try:
        end = date.fromisoformat(request.POST["end_date"]) if request.POST.get("end_date") else None
        occupancy_end(occupancy=occupancy, end_date=end)
    except ValueError:
        messages.error(request, _("Enter the date as YYYY-MM-DD."))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The link to room %(code)s ends on %(date)s.")
                         % {"code": occupancy.room.code, "date": occupancy.end_date})
    return redirect("customers:resident_detail", pk=occupancy.resident_id)


@require_POST
@capability_required(Capability.REVEAL_PHONE)
def phone_reveal_view(request, pk):
    """HTMX: swap the masked number for the full one, and log who saw it."""
    with scoped_404():
        phone = Phone.objects.restrict(request.user).get(pk=pk)
    number = phone_reveal(user=request.user, phone=phone, ip=client_ip(request))
    return HttpResponse(format_html('<a class="masked revealed" href="tel:{0}">{0}</a>', number))


@require_POST
@capability_required(Capability.REVEAL_ID)
def id_reveal_view(request, pk):
    with scoped_404():
        resident = Resident.objects.restrict(request.user).get(pk=pk)
    number = id_number_reveal(user=request.user, resident=resident, ip=client_ip(request))
    return HttpResponse(format_html('<span class="masked revealed">{}</span>', number))
