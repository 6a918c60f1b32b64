"""Renovation inspections pages: the steward's phone worklist and inspection form, the acceptance 验收 form with
deduction lines, the PM's refund approvals, the printable rectification notice 整改通知书, inspection photos, complaint
links, and the resident's acceptance page. VIEW_RENOVATIONS reads, INSPECT_RENOVATIONS inspects, APPROVE_RENOVATIONS
approves refunds; another scope's renovation, rectification, acceptance or photo is a 404."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from propdesk.core.errors import ApplicationError, PermissionDenied, apply_to_form, message_text
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.fees.services.amounts import fen_from_input
from propdesk.portal.views import resident_required
from propdesk.servicedesk.models import ServiceRequest
from propdesk.servicedesk.views.attachments import attachment_response
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from ..models import Renovation, RenovationComplaint, RenovationInspectionPhoto
from ..selectors import inspections as selectors
from ..services.inspections import (
    AcceptanceInput,
    Deduction,
    InspectionInput,
    ItemAnswer,
    acceptance_decide,
    acceptance_record,
    acceptance_request,
    complaint_link,
    complaint_unlink,
    inspection_record,
    item_field,
)

viewer_required = capability_required(Capability.VIEW_RENOVATIONS)
inspector_required = capability_required(Capability.INSPECT_RENOVATIONS)
approver_required = capability_required(Capability.APPROVE_RENOVATIONS)
DEDUCTION_ROWS = 5
MAX_PHOTOS = 6


def _back(request, renovation_id: int) -> str:
    """Where to go after an action on a renovation: the page it came from when it is ours, else the worklist."""
    target = request.POST.get("next", "")
    if target.startswith("/renovation/") and "//" not in target:
        return target
    return reverse("renovation:inspection_worklist")


@require_safe
@viewer_required
def inspection_worklist(request):
    today = timezone.localdate()
    default = "mine" if user_role(request.user) == "steward" else "all"
    scope = request.GET.get("zone", default)
    steward_id = request.user.pk if scope == "mine" else None
    work = selectors.worklist(user=request.user, today=today, steward_id=steward_id)
    return render(request, "renovation/inspections/worklist.html", {
        "work": work, "today": today, "mine": scope == "mine",
        "can_inspect": user_can(request.user, Capability.INSPECT_RENOVATIONS)})


class InspectionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, checklist: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        choices = [("pass", gettext_lazy("Pass")), ("fail", gettext_lazy("Fail"))]
        for position, label in enumerate(checklist):
            self.fields[item_field(position)] = forms.ChoiceField(label=label, choices=choices, required=False,
                                                                  widget=forms.RadioSelect)
            self.fields[f"note_{position}"] = forms.CharField(required=False, max_length=500)

    def rows(self):
        return [(self[item_field(i)], self[f"note_{i}"]) for i in range(len(self.checklist))]

    def to_input(self, files) -> InspectionInput:
        data = self.cleaned_data
        answers = [ItemAnswer(label=label, passed=None if not data.get(item_field(i)) else
                              data[item_field(i)] == "pass", note=data.get(f"note_{i}") or "")
                   for i, label in enumerate(self.checklist)]
        return InspectionInput(answers=answers, note=data["note"], photos=files.getlist("photos")[:MAX_PHOTOS])


@inspector_required
def inspect(request, pk):
    with scoped_404():
        renovation = selectors.renovation_for_inspection(user=request.user, renovation_id=pk)
    checklist = selectors.checklist_for(renovation)
    form = InspectionForm(request.POST or None, checklist=checklist)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = inspection_record(actor=request.user, renovation_id=renovation.pk,
                                           data=form.to_input(request.FILES), now=timezone.now())
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            if inspection.passed:
                messages.success(request, _("%(home)s inspected: passed.") % {"home": renovation.room.code})
            else:
                messages.warning(request, _("%(home)s inspected: failed, a rectification notice is issued.") % {
                    "home": renovation.room.code})
            return redirect("renovation:inspection_worklist")
    return render(request, "renovation/inspections/inspect.html", {
        "renovation": renovation, "form": form, "open_rectification": selectors.open_rectification(renovation.pk),
        "hours": selectors.permitted_hours(renovation, timezone.localdate()),
        "inspected": renovation.status in ("approved", "acceptance_requested")})


class AcceptanceForm(forms.Form):
    passed = forms.ChoiceField(label=gettext_lazy("Result"), required=False, widget=forms.RadioSelect,
                               choices=[("yes", gettext_lazy("Passed")), ("no", gettext_lazy("Failed"))])
    note = forms.CharField(label=gettext_lazy("Note (what must be fixed when it fails)"), required=False,
                           max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(DEDUCTION_ROWS):
            self.fields[f"reason_{i}"] = forms.CharField(required=False, max_length=100)
            self.fields[f"amount_{i}"] = forms.CharField(
                required=False, max_length=14, widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def lines(self):
        return [(self[f"reason_{i}"], self[f"amount_{i}"], f"deduction_{i}") for i in range(DEDUCTION_ROWS)]

    def to_input(self, files) -> AcceptanceInput:
        data = self.cleaned_data
        deductions = []
        for i in range(DEDUCTION_ROWS):
            reason, amount = data.get(f"reason_{i}", ""), (data.get(f"amount_{i}") or "").strip()
            if not reason.strip() and not amount:
                continue
            try:
                fen = fen_from_input(amount) if amount else None
            except (ApplicationError, ValueError, ArithmeticError):
                fen = None
            deductions.append(Deduction(reason=reason, amount_fen=fen))
        passed = {"yes": True, "no": False}.get(data.get("passed") or "")
        return AcceptanceInput(passed=passed, note=data["note"], deductions=deductions,
                               photos=files.getlist("photos")[:MAX_PHOTOS])


@inspector_required
def acceptance(request, pk):
    with scoped_404():
        renovation = selectors.renovation_for_inspection(user=request.user, renovation_id=pk)
    form = AcceptanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = acceptance_record(actor=request.user, renovation_id=renovation.pk,
                                       data=form.to_input(request.FILES), now=timezone.now())
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            if result.passed:
                messages.success(request, _("Acceptance passed: a refund of %(refund)s yuan waits for approval.") % {
                    "refund": f"{result.refund_fen / 100:.2f}"})
            else:
                messages.warning(request, _("Acceptance failed: a rectification notice is issued."))
            return redirect("renovation:inspection_worklist")
    held = selectors.held_fen(renovation)
    return render(request, "renovation/inspections/acceptance.html", {
        "renovation": renovation, "form": form, "held_yuan": f"{held / 100:.2f}",
        "acceptance": selectors.current_acceptance(renovation.pk),
        "open_rectification": selectors.open_rectification(renovation.pk),
        "can_record": renovation.status in ("approved", "acceptance_requested")})


@require_POST
@inspector_required
def acceptance_ask(request, pk):
    """A steward asks for the acceptance on the household's behalf (they told the steward the work is done)."""
    with scoped_404():
        renovation = selectors.renovation_for_inspection(user=request.user, renovation_id=pk)
    try:
        acceptance_request(actor=request.user, renovation_id=renovation.pk, now=timezone.now())
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("Acceptance asked for %(home)s.") % {"home": renovation.room.code})
    return redirect("renovation:acceptance_record", pk=renovation.pk)


@require_safe
@approver_required
def acceptance_list(request):
    rows = list(selectors.pending_acceptances(user=request.user)[:200])
    return render(request, "renovation/inspections/acceptances.html", {"rows": rows})


@require_POST
@approver_required
def acceptance_decision(request, pk):
    with scoped_404():
        row = selectors.acceptance_detail(user=request.user, acceptance_id=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        acceptance_decide(actor=request.user, acceptance_id=row.pk, approve=approve,
                          note=request.POST.get("note", "")[:600], now=timezone.now())
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("Refund approved and paid back; the renovation is closed.") if approve
                         else _("Refund refused: the acceptance is to be recorded again."))
    return redirect("renovation:acceptance_list")


@require_safe
@viewer_required
def rectification_notice(request, pk):
    with scoped_404():
        rect = selectors.rectification_detail(user=request.user, rectification_id=pk)
    return render(request, "renovation/inspections/notice.html", {"rect": rect, "renovation": rect.renovation})


@require_safe
@viewer_required
def photo(request, pk):
    with scoped_404():
        row = RenovationInspectionPhoto.objects.restrict(request.user).get(pk=pk)
    return attachment_response(row)


@require_POST
@inspector_required
def complaint_add(request, pk):
    with scoped_404():
        renovation = selectors.renovation_for_inspection(user=request.user, renovation_id=pk)
    raw = (request.POST.get("request") or "").strip()
    found = ServiceRequest.objects.restrict(request.user).filter(project_id=renovation.project_id)
    found = found.filter(pk=int(raw)) if raw.isdigit() and len(raw) < 12 else found.filter(number=raw[:20])
    req = found.select_related("room").first()
    if req is None:
        messages.error(request, _("No such request in this project."))
    else:
        try:
            complaint_link(actor=request.user, renovation_id=renovation.pk, request=req, now=timezone.now())
        except ApplicationError as error:
            messages.error(request, message_text(error))
        else:
            messages.success(request, _("Request %(number)s is linked to the renovation.") % {"number": req.number})
    return redirect(_back(request, renovation.pk))


@require_POST
@inspector_required
def complaint_remove(request, pk):
    with scoped_404():
        link = RenovationComplaint.objects.restrict(request.user).get(pk=pk)
    renovation_id = link.renovation_id
    complaint_unlink(actor=request.user, link=link)
    messages.success(request, _("The link is removed."))
    return redirect(_back(request, renovation_id))


@resident_required
def my_acceptance(request, resident, pk):
    """The household's page of their renovation: rectifications to do, the acceptance and its refund; ask for the
    acceptance when the work is done."""
    try:
        renovation = (Renovation.objects.restrict(request.user).select_related("room", "project").get(pk=pk))
    except (Renovation.DoesNotExist, OverflowError):
        raise Http404("not their renovation") from None
    if request.method == "POST":
        try:
            acceptance_request(actor=request.user, renovation_id=renovation.pk, resident=resident, now=timezone.now())
        except ApplicationError as error:
            messages.error(request, message_text(error))
        else:
            messages.success(request, _("Your request is sent: the steward will come for the acceptance."))
        return redirect("renovation:my_acceptance", pk=renovation.pk)
    return render(request, "renovation/inspections/my_acceptance.html", {
        "renovation": renovation, "rectifications": list(renovation.rectifications.all()[:20]),
        "acceptance": selectors.current_acceptance(renovation.pk),
        "can_ask": renovation.status == "approved"})


urlpatterns = [
    path("renovation/inspections/", inspection_worklist, name="inspection_worklist"),
    path("renovation/acceptances/", acceptance_list, name="acceptance_list"),
    path("renovation/acceptances/<int:pk>/decide/", acceptance_decision, name="acceptance_decide"),
    path("renovation/rectifications/<int:pk>/notice/", rectification_notice, name="rectification_notice"),
    path("renovation/inspection-photos/<int:pk>/", photo, name="inspection_photo"),
    path("renovation/complaints/<int:pk>/unlink/", complaint_remove, name="complaint_unlink"),
    path("renovation/<int:pk>/inspect/", inspect, name="inspect"),
    path("renovation/<int:pk>/acceptance/", acceptance, name="acceptance_record"),
    path("renovation/<int:pk>/acceptance/ask/", acceptance_ask, name="acceptance_ask"),
    path("renovation/<int:pk>/complaints/", complaint_add, name="complaint_link"),
    path("my/renovation/<int:pk>/acceptance/", my_acceptance, name="my_acceptance"),
]
