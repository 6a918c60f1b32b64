"""Violations pages. Staff: the list (filters kind, status, building, overdue), recording one on the phone (kind as
big buttons, the place, photos; prefilled from a patrol finding), its page (timeline and the forms that move it on),
the notice form and the printable notice, the counts per building and month, the photos. VIEW_VIOLATIONS reads,
RECORD_VIOLATIONS records, HANDLE_VIOLATIONS issues notices, follows up and closes, ESCALATE_VIOLATIONS escalates
and refers. Another scope's violation is a 404.

The household: /my/violations/ lists the notices addressed to the homes the resident lives in; another notice is a
404."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from propdesk.core.errors import ApplicationError, apply_to_form, message_text
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.org.models import CommonArea, Project
from propdesk.portal.views import resident_required
from propdesk.servicedesk.views.attachments import attachment_response
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import Authority, NoticeChannel, ViolationKind, ViolationStatus
from ..selectors import (
    ViolationFilters,
    buildings_for_filter,
    decorate,
    month_counts,
    my_notice,
    my_notices,
    notice_detail,
    photo_get,
    timeline,
    violation_detail,
    violation_list,
)
from ..services import (
    ViolationInput,
    default_deadline,
    follow_up_record,
    notice_issue,
    violation_close,
    violation_escalate,
    violation_link_renovation,
    violation_record,
    violation_refer,
)

viewer_required = capability_required(Capability.VIEW_VIOLATIONS)
recorder_required = capability_required(Capability.RECORD_VIOLATIONS)
handler_required = capability_required(Capability.HANDLE_VIOLATIONS)
escalator_required = capability_required(Capability.ESCALATE_VIOLATIONS)
PAGE_SIZE = 50
MAX_PHOTOS = 6


def _int(value) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None


@require_safe
@viewer_required
def violation_list_view(request):
    today = timezone.localdate()
    filters = ViolationFilters(kind=(request.GET.get("kind") or "")[:16], status=(request.GET.get("status") or "")[:16],
                               building_id=_int(request.GET.get("building")),
                               project_id=_int(request.GET.get("project")),
                               overdue=request.GET.get("overdue") == "1", q=(request.GET.get("q") or "").strip()[:50])
    page = Paginator(violation_list(user=request.user, filters=filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = {"kind": filters.kind, "status": filters.status, "building": filters.building_id or "",
             "overdue": "1" if filters.overdue else "", "project": filters.project_id or "", "q": filters.q}
    return render(request, "violations/list.html", {
        "violations": decorate(list(page.object_list), today=today), "page": page, "f": filters,
        "filters": {k: v for k, v in query.items() if v}, "kinds": ViolationKind.choices,
        "statuses": [("open", _("all open")), *ViolationStatus.choices],
        "buildings": buildings_for_filter(user=request.user),
        "can_record": user_can(request.user, Capability.RECORD_VIOLATIONS)})


class RecordForm(forms.Form):
    project_id = forms.TypedChoiceField(label=gettext_lazy("Project"), coerce=int, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ViolationKind.choices, widget=forms.RadioSelect)
    room_code = forms.CharField(label=gettext_lazy("Home (code)"), required=False, max_length=50,
                                widget=forms.TextInput(attrs={"placeholder": "3-2-1802", "autocomplete": "off"}))
    common_area_id = forms.TypedChoiceField(label=gettext_lazy("Common area"), coerce=int, required=False,
                                            empty_value=None)
    location = forms.CharField(label=gettext_lazy("Place in words"), required=False, max_length=200)
    description = forms.CharField(label=gettext_lazy("What you saw"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    finding_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)
    request_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62)

    def __init__(self, *args, projects, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_id"].choices = [(p.pk, p.name) for p in projects]
        self.single_project = len(projects) == 1
        self.fields["common_area_id"].choices = [("", "—")] + [
            (a.pk, f"{a.project.name} {a.name}" if not self.single_project else a.name) for a in areas]


def _prefill(request, user) -> dict:
    """Initial values from ?finding=<id> (a patrol finding) or ?request=<id> (a resident's report) in scope."""
    from propdesk.servicedesk.models import ServiceRequest
    from propdesk.stewardship.models import PatrolFinding

    initial = {}
    finding_id, request_id = _int(request.GET.get("finding")), _int(request.GET.get("request"))
    if finding_id:
        with scoped_404():
            finding = PatrolFinding.objects.restrict(user).select_related(
                "request__room", "visit__checkpoint").get(pk=finding_id)
        checkpoint = finding.visit.checkpoint
        initial.update(finding_id=finding.pk, project_id=finding.project_id,
                       description=f"{finding.item_text}：{finding.note}".strip("："),
                       common_area_id=checkpoint.common_area_id or finding.request.common_area_id,
                       room_code=finding.request.room.code if finding.request.room_id else "",
                       location=checkpoint.place_note or checkpoint.name)
    elif request_id:
        with scoped_404():
            found = ServiceRequest.objects.restrict(user).select_related("room").get(pk=request_id)
        initial.update(request_id=found.pk, project_id=found.project_id, description=found.description[:2000],
                       room_code=found.room.code if found.room_id else "", common_area_id=found.common_area_id,
                       location=found.location_note)
    return initial


@recorder_required
def violation_new(request):
    projects = list(Project.objects.restrict(request.user).order_by("name"))
    areas = CommonArea.objects.restrict(request.user).select_related("project").order_by("project_id", "name")
    initial = _prefill(request, request.user) if request.method == "GET" else {}
    form = RecordForm(request.POST or None, initial=initial, projects=projects, areas=areas)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            violation = violation_record(actor=request.user, now=timezone.now(), data=ViolationInput(
                kind=data["kind"], description=data["description"],
                project_id=data["project_id"] or (projects[0].pk if len(projects) == 1 else None),
                room_code=data["room_code"], common_area_id=data["common_area_id"], location=data["location"],
                finding_id=data["finding_id"], request_id=data["request_id"],
                photos=request.FILES.getlist("photos")[:MAX_PHOTOS + 1]))
        except ApplicationError as error:
            photo_errors = error.field_errors.get("photos", [])
            rest = {name: errors for name, errors in error.field_errors.items() if name != "photos"}
            if "project_id" in rest and form.single_project:
                form.add_error(None, message_text(error))
            elif rest or not photo_errors:
                apply_to_form(form, ApplicationError(error.message, {"fields": rest}))
        else:
            messages.success(request, _("Violation %(number)s recorded.") % {"number": violation.number})
            if user_can(request.user, Capability.VIEW_VIOLATIONS):
                return redirect("violations:violation_detail", violation.pk)
            return redirect("violations:violation_new")
    else:
        photo_errors = []
    return render(request, "violations/new.html", {"form": form, "photo_errors": photo_errors})


class NoticeForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("What the household must put right"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    deadline = forms.DateField(label=gettext_lazy("Put right by"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    channel = forms.ChoiceField(label=gettext_lazy("How it reaches them"), choices=NoticeChannel.choices,
                                widget=forms.RadioSelect, initial=NoticeChannel.APP)


class FollowUpForm(forms.Form):
    fixed = forms.ChoiceField(label=gettext_lazy("Put right?"), widget=forms.RadioSelect, choices=[
        ("yes", gettext_lazy("Yes, put right")), ("no", gettext_lazy("No, still there"))])
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


class EscalateForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why"), max_length=500)


class ReferForm(forms.Form):
    authority = forms.ChoiceField(label=gettext_lazy("Authority"), choices=Authority.choices)
    note = forms.CharField(label=gettext_lazy("What they are asked to do"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    outcome = forms.CharField(label=gettext_lazy("Outcome"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


def _detail(request, pk, *, status=200, **bound):
    with scoped_404():
        violation = violation_detail(user=request.user, violation_id=pk)
    today = timezone.localdate()
    decorate([violation], today=today)
    user = request.user
    status_ = violation.status
    context = {
        "v": violation, "events": timeline(violation), "today": today,
        "can_notice": user_can(user, Capability.HANDLE_VIOLATIONS) and violation.room_id
        and status_ in ("open", "notified", "escalated"),
        "can_follow_up": user_can(user, Capability.HANDLE_VIOLATIONS) and status_ in ("notified", "escalated",
                                                                                     "referred"),
        "can_escalate": user_can(user, Capability.ESCALATE_VIOLATIONS) and status_ in ("open", "notified"),
        "can_refer": user_can(user, Capability.ESCALATE_VIOLATIONS) and status_ == "escalated",
        "can_close": status_ != "closed" and user_can(user, Capability.HANDLE_VIOLATIONS) and (
            status_ not in ("escalated", "referred") or user_can(user, Capability.ESCALATE_VIOLATIONS)),
        "follow_up_form": bound.get("follow_up_form") or FollowUpForm(),
        "escalate_form": bound.get("escalate_form") or EscalateForm(),
        "refer_form": bound.get("refer_form") or ReferForm(),
        "close_form": bound.get("close_form") or CloseForm(),
        "can_link": user_can(user, Capability.HANDLE_VIOLATIONS) and violation.room_id and status_ != "closed",
        "renovations": _room_renovations(violation) if violation.room_id else [],
    }
    return render(request, "violations/detail.html", context, status=status)


@require_safe
@viewer_required
def violation_detail_view(request, pk):
    return _detail(request, pk)


def _act(request, pk, form, name, run, done):
    with scoped_404():
        violation_detail(user=request.user, violation_id=pk)
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ApplicationError as error:
            if error.status_code == 409 or not error.field_errors:
                messages.error(request, message_text(error))
                return redirect("violations:violation_detail", pk)
            apply_to_form(form, error)
        else:
            messages.success(request, done)
            return redirect("violations:violation_detail", pk)
    return _detail(request, pk, status=400, **{name: form})


@require_POST
@handler_required
def violation_follow_up(request, pk):
    form = FollowUpForm(request.POST)
    return _act(request, pk, form, "follow_up_form", lambda d: follow_up_record(
        actor=request.user, violation_id=pk, fixed=d["fixed"] == "yes", note=d["note"],
        photos=request.FILES.getlist("photos")[:MAX_PHOTOS + 1], now=timezone.now()), _("Follow-up recorded."))


def _room_renovations(violation):
    from propdesk.renovation.models import Renovation

    return list(Renovation.objects.filter(room_id=violation.room_id).order_by("-created_at")[:20])


@require_POST
@handler_required
def violation_renovation(request, pk):
    """Link the violation to another renovation of its home, or to none."""
    with scoped_404():
        violation_detail(user=request.user, violation_id=pk)
    try:
        violation_link_renovation(actor=request.user, violation_id=pk,
                                  renovation_id=_int(request.POST.get("renovation")), now=timezone.now())
    except ApplicationError as error:
        messages.error(request, message_text(error))
    else:
        messages.success(request, _("The linked renovation is saved."))
    return redirect("violations:violation_detail", pk)


@require_POST
@escalator_required
def violation_escalate_view(request, pk):
    return _act(request, pk, EscalateForm(request.POST), "escalate_form", lambda d: violation_escalate(
        actor=request.user, violation_id=pk, reason=d["reason"], now=timezone.now()),
        _("Escalated to the project manager."))


@require_POST
@escalator_required
def violation_refer_view(request, pk):
    return _act(request, pk, ReferForm(request.POST), "refer_form", lambda d: violation_refer(
        actor=request.user, violation_id=pk, authority=d["authority"], note=d["note"], now=timezone.now()),
        _("Flagged for referral to the authority."))


@require_POST
@handler_required
def violation_close_view(request, pk):
    return _act(request, pk, CloseForm(request.POST), "close_form", lambda d: violation_close(
        actor=request.user, violation_id=pk, outcome=d["outcome"], now=timezone.now()), _("Violation closed."))


def notice_default_text(violation) -> str:
    return _("We found at your home %(code)s: %(kind)s (%(what)s). Under the management rules of the "
             "project and the owners' covenant, please put it right before the deadline below and tell the service "
             "center. If it is not put right, the management office will report it to the authorities.") % {
        "code": violation.room.code if violation.room_id else "", "kind": violation.get_kind_display(),
        "what": violation.description[:200]}


@handler_required
def violation_notice(request, pk):
    with scoped_404():
        violation = violation_detail(user=request.user, violation_id=pk)
    now = timezone.now()
    suggested = default_deadline(project=violation.project, kind=violation.kind, today=timezone.localdate(now))
    form = NoticeForm(request.POST or None, initial={"text": notice_default_text(violation), "deadline": suggested,
                                                     "channel": NoticeChannel.APP})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notice_issue(actor=request.user, violation_id=violation.pk, text=data["text"],
                                  deadline=data["deadline"], channel=data["channel"], now=now)
        except ApplicationError as error:
            if error.status_code == 409:
                messages.error(request, message_text(error))
                return redirect("violations:violation_detail", violation.pk)
            apply_to_form(form, error)
        else:
            messages.success(request, _("Notice issued: put right by %(deadline)s.") % {
                "deadline": notice.deadline.isoformat()})
            if notice.channel == NoticeChannel.PAPER:
                return redirect("violations:notice_print", notice.pk)
            return redirect("violations:violation_detail", violation.pk)
    return render(request, "violations/notice.html", {"v": violation, "form": form, "suggested": suggested})


@require_safe
@viewer_required
def notice_print(request, pk):
    with scoped_404():
        notice = notice_detail(user=request.user, notice_id=pk)
    return render(request, "violations/notice_print.html", {"notice": notice, "v": notice.violation,
                                                             "company": notice.project.company})


@require_safe
@viewer_required
def violation_photo(request, pk):
    with scoped_404():
        photo = photo_get(user=request.user, photo_id=pk)
    return attachment_response(photo)


@require_safe
@viewer_required
def violation_report(request):
    today = timezone.localdate()
    projects = list(Project.objects.restrict(request.user).order_by("name"))
    project_id = _int(request.GET.get("project"))
    if project_id not in {p.pk for p in projects}:
        project_id = None
    return render(request, "violations/report.html", {
        "report": month_counts(user=request.user, today=today, project_id=project_id), "projects": projects,
        "project_id": project_id})


# --- the household ------------------------------------------------------------------------------------------------

@require_safe
@resident_required
def my_violations(request, resident):
    return render(request, "violations/my_list.html", {"notices": list(my_notices(user=request.user)[:100]),
                                                       "today": timezone.localdate()})


@require_safe
@resident_required
def my_notice_view(request, resident, pk):
    with scoped_404():
        notice = my_notice(user=request.user, notice_id=pk)
    return render(request, "violations/my_notice.html", {"notice": notice, "today": timezone.localdate()})


urlpatterns = [
    path("violations/", violation_list_view, name="violation_list"),
    path("violations/new/", violation_new, name="violation_new"),
    path("violations/report/", violation_report, name="violation_report"),
    path("violations/<int:pk>/", violation_detail_view, name="violation_detail"),
    path("violations/<int:pk>/notice/", violation_notice, name="violation_notice"),
    path("violations/<int:pk>/follow-up/", violation_follow_up, name="violation_follow_up"),
    path("violations/<int:pk>/escalate/", violation_escalate_view, name="violation_escalate"),
    path("violations/<int:pk>/refer/", violation_refer_view, name="violation_refer"),
    path("violations/<int:pk>/close/", violation_close_view, name="violation_close"),
    path("violations/<int:pk>/renovation/", violation_renovation, name="violation_renovation"),
    path("violations/notices/<int:pk>/print/", notice_print, name="notice_print"),
    path("violations/photos/<int:pk>/", violation_photo, name="violation_photo"),
    path("my/violations/", my_violations, name="my_violations"),
    path("my/violations/notices/<int:pk>/", my_notice_view, name="my_notice"),
]
