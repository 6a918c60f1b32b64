"""Renovation applications: staff pages under /renovation/ (list, desk application, a renovation's page with the
decision, the printable permit and passes, the project's rules) and the resident's under /my/renovation/ (my
homes' renovations, apply on the phone, one renovation). VIEW_RENOVATIONS reads, RECORD_RENOVATIONS applies at the
desk, APPROVE_RENOVATIONS decides, EDIT_RENOVATION_RULES sets the rules; another scope's or household's renovation
is a 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from propdesk.core.errors import ApplicationError, apply_to_form, message_text
from propdesk.core.views_utils import capability_required, client_ip, scoped_404
from propdesk.customers.models import Occupancy
from propdesk.org.models import Project, Room
from propdesk.portal.views import resident_required
from propdesk.servicedesk.views.attachments import attachment_response
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from ..models import Decision, RenovationStatus
from ..rules import items as item_rules
from ..rules.hours import hours_of, windows_text
from ..selectors import applications as selectors
from ..services.applications import (
    ApplicationInput,
    WorkerInput,
    renovation_apply,
    renovation_decide,
    renovation_settings_update,
    renovation_withdraw,
    worker_id_reveal,
)

viewer_required = capability_required(Capability.VIEW_RENOVATIONS)
PAGE_SIZE = 30
WORKER_ROWS = 5


def _int(value) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None


class ApplicationForm(forms.Form):
    items = forms.MultipleChoiceField(label=gettext_lazy("Work items"), required=False,
                                      choices=[(i.code, i.label) for i in item_rules.ITEMS],
                                      widget=forms.CheckboxSelectMultiple)
    contractor_name = forms.CharField(label=gettext_lazy("Contractor"), max_length=100, required=False)
    contractor_licence = forms.CharField(label=gettext_lazy("Business licence number"), max_length=50,
                                         required=False)
    contractor_contact = forms.CharField(label=gettext_lazy("Contractor contact"), max_length=50, required=False)
    contractor_phone = forms.CharField(label=gettext_lazy("Contractor phone"), max_length=24, required=False,
                                       widget=forms.TextInput(attrs={"inputmode": "tel"}))
    planned_start = forms.DateField(label=gettext_lazy("Planned start"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    planned_end = forms.DateField(label=gettext_lazy("Planned end"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=gettext_lazy("What will be done"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, homes=None, occupants=None, **kwargs):
        super().__init__(*args, **kwargs)
        if homes is not None:
            self.fields["home"] = forms.ChoiceField(label=gettext_lazy("Home"), choices=[
                (str(o.room_id), f"{o.project.name} {o.room.code}") for o in homes])
        if occupants is not None:
            self.fields["applicant"] = forms.ChoiceField(label=gettext_lazy("Applicant"), choices=[
                (str(o.resident_id), f"{o.resident.name}（{o.get_relation_display()}）") for o in occupants])
        self.worker_rows = []
        for i in range(WORKER_ROWS):
            for name, label, length in (("name", gettext_lazy("Name"), 50), ("id", gettext_lazy("ID number"), 18),
                                        ("trade", gettext_lazy("Trade"), 30), ("phone", gettext_lazy("Phone"), 24)):
                self.fields[f"worker_{name}_{i}"] = forms.CharField(label=label, max_length=length, required=False)
            self.worker_rows.append({"index": i, "number": i + 1, **{
                n: self[f"worker_{n}_{i}"] for n in ("name", "id", "trade", "phone")}})

    def to_input(self, *, room_id, applicant_id=None, files=None) -> tuple[ApplicationInput, dict]:
        data = self.cleaned_data
        workers = [WorkerInput(name=data.get(f"worker_name_{i}") or "", id_number=data.get(f"worker_id_{i}") or "",
                               trade=data.get(f"worker_trade_{i}") or "", phone=data.get(f"worker_phone_{i}") or "")
                   for i in range(WORKER_ROWS)]
        photos = files.getlist("photos")[:10] if files else []
        worker_photos = {}
        if files:  # the position among the rows that are filled in
            filled = [i for i, w in enumerate(workers) if w.name or w.id_number or w.phone]
            for position, i in enumerate(filled):
                upload = files.get(f"worker_photo_{i}")
                if upload:
                    worker_photos[position] = upload
        return ApplicationInput(
            room_id=room_id, applicant_id=applicant_id, items=data.get("items") or [],
            contractor_name=data.get("contractor_name") or "", contractor_licence=data.get("contractor_licence") or "",
            contractor_contact=data.get("contractor_contact") or "",
            contractor_phone=data.get("contractor_phone") or "", planned_start=data.get("planned_start"),
            planned_end=data.get("planned_end"), description=data.get("description") or "", workers=workers,
            photos=photos), worker_photos


def _apply_error(form, error: ApplicationError) -> None:
    for name, problems in error.field_errors.items():
        target = {"room": "home" if "home" in form.fields else None}.get(name, name)
        target = target if target in form.fields else None
        for problem in problems:
            form.add_error(target, problem)
    if not error.field_errors:
        form.add_error(None, error.message)


def _rules_context(project_id: int) -> dict:
    settings = selectors.settings_of(project_id)
    check = item_rules.items_check(item_rules.CODES, forbidden_items=settings.forbidden_items or [],
                                   flagged_items=settings.flagged_items or [],
                                   balcony_closing_banned=settings.balcony_closing_banned)
    return {"rules": settings, "hours_text": windows_text(hours_of(settings)),
            "refused_items": check.refused, "flagged_items": check.flagged}


# ---------------------------------------------------------------- staff

@viewer_required
@require_safe
def renovation_list(request):
    default = "mine" if user_role(request.user) == "steward" else ""
    zone = (request.GET.get("zone") if "zone" in request.GET else default) or ""
    filters = selectors.RenovationFilters(
        status=(request.GET.get("status") or "").strip()[:24], building_id=_int(request.GET.get("building")),
        steward_id=request.user.pk if zone == "mine" else None, query=(request.GET.get("q") or "").strip()[:50])
    page = Paginator(selectors.renovation_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = {"status": filters.status, "building": filters.building_id or "", "zone": zone, "q": filters.query}
    return render(request, "renovation/list.html", {
        "page": page, "renovations": page.object_list, "f": filters, "zone": zone,
        "filters": {k: v for k, v in query.items() if v}, "statuses": RenovationStatus.choices,
        "buildings": selectors.buildings_for_filter(user=request.user), "is_steward": default == "mine",
        "can_record": user_can(request.user, Capability.RECORD_RENOVATIONS),
        "can_edit_rules": user_can(request.user, Capability.EDIT_RENOVATION_RULES)})


@capability_required(Capability.RECORD_RENOVATIONS)
def renovation_new(request):
    """The desk: find the home by its code, then fill in the application for one of its residents."""
    projects = list(Project.objects.restrict(request.user).order_by("id"))
    room = None
    room_id = _int(request.GET.get("room") or request.POST.get("room"))
    code = (request.GET.get("code") or "").strip()[:50]
    if room_id:
        with scoped_404():
            room = Room.objects.restrict(request.user).select_related("project").get(pk=room_id)
    elif code:
        project_id = _int(request.GET.get("project")) or (projects[0].pk if projects else None)
        room = (Room.objects.restrict(request.user).select_related("project")
                .filter(project_id=project_id, code=code).first())
        if room is None:
            messages.error(request, _("No home %(code)s in this project.") % {"code": code})
    if room is None:
        return render(request, "renovation/new.html", {"projects": projects, "code": code, "room": None})
    occupants = list(Occupancy.objects.current().filter(room=room).select_related("resident").order_by("id"))
    form = ApplicationForm(request.POST or None, occupants=occupants)
    if request.method == "POST" and form.is_valid():
        data, worker_photos = form.to_input(room_id=room.pk, applicant_id=_int(form.cleaned_data.get("applicant")),
                                            files=request.FILES)
        try:
            renovation = renovation_apply(actor=request.user, data=data, worker_photos=worker_photos,
                                          now=timezone.now())
        except ApplicationError as error:
            if error.status_code == 409:
                messages.error(request, message_text(error))
            _apply_error(form, error)
        else:
            messages.success(request, _("Application %(number)s recorded.") % {"number": renovation.number})
            return redirect("renovation:detail", renovation.pk)
    return render(request, "renovation/new.html", {"projects": projects, "room": room, "form": form,
                                                   "occupants": occupants, **_rules_context(room.project_id)})


def _detail_context(request, renovation) -> dict:
    settings = selectors.settings_of(renovation.project_id)
    return {"renovation": renovation, "rules": settings, "hours_text": windows_text(hours_of(settings)),
            "deposit": selectors.bill_state(renovation.deposit_bill), "fee": selectors.bill_state(renovation.fee_bill),
            "approved": renovation.status not in (RenovationStatus.SUBMITTED, RenovationStatus.REFUSED,
                                                  RenovationStatus.WITHDRAWN) and bool(renovation.permit_number)}


@viewer_required
@require_safe
def renovation_detail(request, pk):
    with scoped_404():
        renovation = selectors.renovation_detail(user=request.user, renovation_id=pk)
    context = _detail_context(request, renovation)
    can_decide = (user_can(request.user, Capability.APPROVE_RENOVATIONS)
                  and renovation.status == RenovationStatus.SUBMITTED)
    context.update({"can_decide": can_decide, "decisions": Decision.choices,
                    "can_reveal_id": user_can(request.user, Capability.REVEAL_ID),
                    "can_withdraw": user_can(request.user, Capability.RECORD_RENOVATIONS) and (
                        renovation.status == RenovationStatus.SUBMITTED or (
                            renovation.status == RenovationStatus.APPROVED
                            and renovation.planned_start > timezone.localdate()))})
    return render(request, "renovation/detail.html", context)


@require_POST
@capability_required(Capability.APPROVE_RENOVATIONS)
def renovation_decide_view(request, pk):
    with scoped_404():
        selectors.renovation_detail(user=request.user, renovation_id=pk)
    try:
        renovation = renovation_decide(actor=request.user, renovation_id=pk, now=timezone.now(),
                                       decision=request.POST.get("decision", "")[:16],
                                       conditions=request.POST.get("conditions", "")[:1001],
                                       note=request.POST.get("note", "")[:1001])
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("Application %(number)s: %(decision)s.") % {
            "number": renovation.number, "decision": renovation.get_decision_display()})
    return redirect("renovation:detail", pk)


@require_POST
@capability_required(Capability.RECORD_RENOVATIONS)
def renovation_withdraw_view(request, pk):
    with scoped_404():
        selectors.renovation_detail(user=request.user, renovation_id=pk)
    try:
        renovation_withdraw(actor=request.user, renovation_id=pk, reason=request.POST.get("reason", "")[:1000],
                            now=timezone.now())
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("renovation:detail", pk)


@viewer_required
@require_safe
def renovation_permit(request, pk):
    with scoped_404():
        renovation = selectors.renovation_detail(user=request.user, renovation_id=pk)
    if not renovation.permit_number:
        raise Http404("not approved")
    return render(request, "renovation/permit.html", {**_detail_context(request, renovation),
                                                      "printed_on": timezone.localdate()})


@require_safe
def renovation_photo(request, pk):
    """A drawing or a worker's photo: staff in scope or the household (scoped like the renovation)."""
    if not request.user.is_authenticated:
        raise Http404("sign in")
    if not (user_can(request.user, Capability.VIEW_RENOVATIONS) or selectors.is_resident(request.user)):
        raise Http404("no access")
    with scoped_404():
        photo = selectors.photo_of(user=request.user, photo_id=pk)
    return attachment_response(photo)


@require_POST
@capability_required(Capability.REVEAL_ID)
def worker_id_reveal_view(request, pk):
    with scoped_404():
        worker = selectors.worker_of(user=request.user, worker_id=pk)
    number = worker_id_reveal(user=request.user, worker=worker, ip=client_ip(request))
    return HttpResponse(format_html('<span class="masked revealed">{}</span>', number))


class SettingsForm(forms.Form):
    forbidden_items = forms.MultipleChoiceField(label=gettext_lazy("Forbidden work items"), required=False,
                                                choices=[(i.code, i.label) for i in item_rules.ITEMS if not i.rule],
                                                widget=forms.CheckboxSelectMultiple)
    flagged_items = forms.MultipleChoiceField(label=gettext_lazy("Work items the PM must look at"), required=False,
                                              choices=[(i.code, i.label) for i in item_rules.ITEMS if not i.rule],
                                              widget=forms.CheckboxSelectMultiple)
    balcony_closing_banned = forms.BooleanField(label=gettext_lazy("Closing balconies is banned"), required=False)
    work_start = forms.TimeField(label=gettext_lazy("Work from"), widget=forms.TimeInput(attrs={"type": "time"}))
    work_end = forms.TimeField(label=gettext_lazy("Work until"), widget=forms.TimeInput(attrs={"type": "time"}))
    noon_quiet_start = forms.TimeField(label=gettext_lazy("Noon quiet from"),
                                       widget=forms.TimeInput(attrs={"type": "time"}))
    noon_quiet_end = forms.TimeField(label=gettext_lazy("Noon quiet until"),
                                     widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_days = forms.CharField(label=gettext_lazy("Quiet days (one date a line, e.g. 2027-06-07)"),
                                 required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    max_days = forms.IntegerField(label=gettext_lazy("Longest permitted period (days)"), min_value=1,
                                  max_value=366)
    deposit_yuan = forms.DecimalField(label=gettext_lazy("Deposit (yuan)"), min_value=0, max_value=100000,
                                      decimal_places=2)
    fee_yuan = forms.DecimalField(label=gettext_lazy("Debris removal fee (yuan)"), min_value=0, max_value=100000,
                                  decimal_places=2)
    inspect_every_days = forms.IntegerField(label=gettext_lazy("Inspect every (days)"), min_value=1, max_value=30)
    checklist = forms.CharField(label=gettext_lazy("Inspection checklist, one item a line"), required=False,
                                max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))


@capability_required(Capability.EDIT_RENOVATION_RULES)
def renovation_settings(request):
    projects = list(Project.objects.restrict(request.user).order_by("id"))
    project_id = _int(request.GET.get("project")) or (projects[0].pk if projects else None)
    project = next((p for p in projects if p.pk == project_id), None)
    if project is None:
        raise Http404("no such project")
    rules = selectors.settings_of(project.pk)
    initial = {"forbidden_items": rules.forbidden_items, "flagged_items": rules.flagged_items,
               "balcony_closing_banned": rules.balcony_closing_banned, "work_start": rules.work_start,
               "work_end": rules.work_end, "noon_quiet_start": rules.noon_quiet_start,
               "noon_quiet_end": rules.noon_quiet_end, "quiet_days": "\n".join(rules.quiet_days or []),
               "max_days": rules.max_days, "deposit_yuan": rules.deposit_fen / 100, "fee_yuan": rules.fee_fen / 100,
               "inspect_every_days": rules.inspect_every_days, "checklist": "\n".join(rules.checklist or [])}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        values = {k: v for k, v in data.items() if k not in ("deposit_yuan", "fee_yuan", "quiet_days", "checklist")}
        values.update(deposit_fen=int(data["deposit_yuan"] * 100), fee_fen=int(data["fee_yuan"] * 100),
                      quiet_days=[line for line in data["quiet_days"].splitlines() if line.strip()],
                      checklist=data["checklist"].splitlines())
        try:
            renovation_settings_update(actor=request.user, project_id=project.pk, values=values, now=timezone.now())
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            messages.success(request, _("The renovation rules of %(project)s are saved.") % {"project": project.name})
            return redirect(f"{reverse('renovation:settings')}?project={project.pk}")
    return render(request, "renovation/settings.html", {"project": project, "projects": projects, "form": form,
                                                        "saved": rules.pk is not None})


# ---------------------------------------------------------------- residents

@require_safe
@resident_required
def my_list(request, resident):
    today = timezone.localdate()
    homes = selectors.my_homes(resident=resident, on=today)
    return render(request, "renovation/my/list.html", {
        "resident": resident, "homes": homes, "renovations": selectors.my_renovations(user=request.user)})


@resident_required
def my_apply(request, resident):
    today = timezone.localdate()
    homes = selectors.my_homes(resident=resident, on=today)
    if not homes:
        raise Http404("no home")
    form = ApplicationForm(request.POST or None, homes=homes, initial={"planned_start": today})
    if request.method == "POST" and form.is_valid():
        data, worker_photos = form.to_input(room_id=_int(form.cleaned_data["home"]), files=request.FILES)
        try:
            renovation = renovation_apply(actor=request.user, data=data, worker_photos=worker_photos,
                                          now=timezone.now())
        except ObjectDoesNotExist:
            raise Http404("not your home") from None
        except ApplicationError as error:
            if error.status_code == 409:
                messages.error(request, message_text(error))
            _apply_error(form, error)
        else:
            messages.success(request, _("Your application %(number)s is sent. The property manager will answer "
                                        "within 3 working days.") % {"number": renovation.number})
            return redirect("renovation:my_detail", renovation.pk)
    return render(request, "renovation/my/apply.html", {
        "resident": resident, "homes": homes, "form": form, **_rules_context(homes[0].project_id)})


@require_safe
@resident_required
def my_detail(request, resident, pk):
    with scoped_404():
        renovation = selectors.renovation_detail(user=request.user, renovation_id=pk)
    context = _detail_context(request, renovation)
    context.update({"resident": resident, "can_withdraw": renovation.status == RenovationStatus.SUBMITTED or (
        renovation.status == RenovationStatus.APPROVED and renovation.planned_start > timezone.localdate())})
    return render(request, "renovation/my/detail.html", context)


@require_POST
@resident_required
def my_withdraw(request, resident, pk):
    with scoped_404():
        selectors.renovation_detail(user=request.user, renovation_id=pk)
    try:
        renovation_withdraw(actor=request.user, renovation_id=pk, reason=request.POST.get("reason", "")[:1000],
                            now=timezone.now())
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("renovation:my_detail", pk)


urlpatterns = [
    path("renovation/", renovation_list, name="list"),
    path("renovation/new/", renovation_new, name="new"),
    path("renovation/settings/", renovation_settings, name="settings"),
    path("renovation/<int:pk>/", renovation_detail, name="detail"),
    path("renovation/<int:pk>/decide/", renovation_decide_view, name="decide"),
    path("renovation/<int:pk>/withdraw/", renovation_withdraw_view, name="withdraw"),
    path("renovation/<int:pk>/permit/", renovation_permit, name="permit"),
    path("renovation/photos/<int:pk>/", renovation_photo, name="photo"),
    path("renovation/workers/<int:pk>/reveal-id/", worker_id_reveal_view, name="worker_id_reveal"),
    path("my/renovation/", my_list, name="my_list"),
    path("my/renovation/apply/", my_apply, name="my_apply"),
    path("my/renovation/<int:pk>/", my_detail, name="my_detail"),
    path("my/renovation/<int:pk>/withdraw/", my_withdraw, name="my_withdraw"),
]
