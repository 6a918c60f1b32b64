"""Follow-up visits 回访 in the console: the visitor's queue, one visit with its forms (attempts, rescheduling, the
visit record, the manager's review), the logged phone reveal; and the resident's public rating page behind a texted
single-use link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, NotFound, apply_to_form
from propdesk.core.masking import mask_phone
from propdesk.core.models import AuditAction, AuditLog
from propdesk.core.views_utils import capability_required, client_ip, scoped_404
from propdesk.customers.services.reveal import phone_reveal
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..choices import VisitStatus
from ..forms import AttemptForm, RatingForm, RescheduleForm, ReviewForm, VisitRecordForm
from ..rules.schedule import in_calling_window, next_calling_time
from ..services.policy import visit_policy_for
from ..services.rating import rated_visit, rating_link_id, visit_from_token, visit_rate_online
from ..services.visits import (
    VisitRecord,
    visit_attempt,
    visit_record,
    visit_reschedule,
    visit_review,
)


def calling_status(company_id, now) -> dict:
    """Is now inside the residents' calling window (the company's policy), and if not, when is the next good time."""
    slots = visit_policy_for(company_id).calling_window
    local = timezone.localtime(now)
    inside = in_calling_window(local, slots)
    return {"inside": inside, "next": None if inside else next_calling_time(local, slots),
            "slots": ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in slots)}


def _company_of(user):
    profile = getattr(user, "staff_profile", None)
    return profile.company_id if profile is not None else None


# The queue ------------------------------------------------------------------------------------------------------

@capability_required(Capability.VISIT)
def visit_queue(request):
    """The visitor's pending visits: overdue, due today, upcoming. Project managers may switch to the whole
    project's."""
    can_see_all = user_can(request.user, Capability.REVIEW_VISITS)
    everyone = can_see_all and request.GET.get("all") == "1"
    queue = selectors.visit_queue(user=request.user, everyone=everyone)
    for rows in queue["rows"].values():
        for visit in rows:
            visit.masked_phone = mask_phone(visit.request.contact_phone)
    return render(request, "followups/visit_queue.html", {
        **queue, "everyone": everyone, "can_see_all": can_see_all,
        "calling": calling_status(_company_of(request.user), queue["now"]),
        "section_rows": selectors.QUEUE_SECTION_ROWS})


# One visit ------------------------------------------------------------------------------------------------------

def _load(request, pk):
    with scoped_404():
        return selectors.visit_detail(user=request.user, visit_id=pk)


def _phones(visit):
    """The number to call: the request's call-back number, else the reporter's primary phone (a Phone row)."""
    sr = visit.request
    if sr.contact_phone:
        return sr.contact_phone, None
    if sr.reporter_id:
        phone = sr.reporter.phones.order_by("-is_primary", "id").first()
        if phone is not None:
            return phone.number, phone
    return "", None


def _render_detail(request, visit, **forms):
    now = timezone.now()
    pending = visit.status == VisitStatus.PENDING
    number, _phone = _phones(visit)
    policy = visit_policy_for(visit.project.company_id)
    can_visit = user_can(request.user, Capability.VISIT)
    context = {
        "visit": visit, "sr": visit.request, "now": now, "pending": pending,
        "masked_phone": mask_phone(number), "has_phone": bool(number),
        "attempts": selectors.visit_attempts(visit=visit), "max_attempts": policy.max_attempts,
        "calling": calling_status(visit.project.company_id, now),
        "can_visit": can_visit and pending,
        "can_reveal": can_visit and bool(number) and (visit.visitor_id == request.user.pk
                                                      or user_can(request.user, Capability.REVEAL_PHONE)),
        "can_review": user_can(request.user, Capability.REVIEW_VISITS) and visit.status == VisitStatus.DONE,
        "late_now": pending and now > visit.due_by,
        "attempt_form": forms.get("attempt_form") or AttemptForm(),
        "reschedule_form": forms.get("reschedule_form") or RescheduleForm(
            initial={"due_by": timezone.localtime(visit.due_by).strftime("%Y-%m-%dT%H:%M")}),
        "record_form": forms.get("record_form") or VisitRecordForm(),
        "review_form": forms.get("review_form") or ReviewForm(initial={"comment": visit.review_comment}),
    }
    return render(request, "followups/visit_detail.html", context)


@capability_required(Capability.VIEW_RATES)
def visit_detail(request, pk):
    """The visit page: who to call and when, the record form, and once done the record with its decision."""
    return _render_detail(request, _load(request, pk))


def _post(request, pk, form_class, form_name, act):
    """Parse the form, call the service, and either go back to the page with a message or show the form again with
    the errors at their fields. A refusal that names no field of the form (the visit is already recorded) is a
    message on the page; nothing is written either way."""
    visit = _load(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = act(visit, form.cleaned_data)
        except ApplicationError as error:
            if not any(name in form.fields for name in error.field_errors):
                messages.error(request, str(error.message))
                return redirect("followups:visit_detail", pk=visit.pk)
            apply_to_form(form, error)
        else:
            messages.success(request, message)
            return redirect("followups:visit_detail", pk=visit.pk)
    return _render_detail(request, visit, **{form_name: form})


@require_POST
@capability_required(Capability.VISIT)
def visit_attempt_view(request, pk):
    def act(visit, data):
        visit = visit_attempt(visit=visit, actor=request.user, outcome=data["outcome"], note=data["note"])
        if visit.status == VisitStatus.UNREACHABLE:
            return _("Attempt %(count)d recorded: the resident is marked unreachable.") % {"count": visit.attempts}
        return _("Attempt %(count)d recorded.") % {"count": visit.attempts}

    return _post(request, pk, AttemptForm, "attempt_form", act)


@require_POST
@capability_required(Capability.VISIT)
def visit_reschedule_view(request, pk):
    def act(visit, data):
        visit = visit_reschedule(visit=visit, actor=request.user, due_by=data["due_by"], reason=data["reason"])
        return _("Visit moved to %(when)s.") % {"when": f"{timezone.localtime(visit.due_by):%Y-%m-%d %H:%M}"}

    return _post(request, pk, RescheduleForm, "reschedule_form", act)


@require_POST
@capability_required(Capability.VISIT)
def visit_record_view(request, pk):
    def act(visit, data):
        visit = visit_record(visit=visit, actor=request.user, record=VisitRecord(**data))
        message = _("Visit record saved.")
        if visit.late:
            message += " " + _("It was made after its window and is flagged late.")
        if visit.decision:
            message += " " + visit.decision_note
        return message

    return _post(request, pk, VisitRecordForm, "record_form", act)


@require_POST
@capability_required(Capability.REVIEW_VISITS)
def visit_review_view(request, pk):
    def act(visit, data):
        visit_review(visit=visit, actor=request.user, comment=data["comment"])
        return _("Your comment is on the record.")

    return _post(request, pk, ReviewForm, "review_form", act)


@require_POST
@capability_required(Capability.VISIT)
def visit_phone_reveal(request, pk):
    """HTMX: the full number to call, in place of the masked one; every reveal is in the audit log."""
    visit = _load(request, pk)
    if not (visit.visitor_id == request.user.pk or user_can(request.user, Capability.REVEAL_PHONE)):
        raise PermissionDenied
    number, phone = _phones(visit)
    if not number:
        raise Http404
    if phone is not None:
        try:
            number = phone_reveal(user=request.user, phone=phone, ip=client_ip(request))
        except ApplicationError:
            raise PermissionDenied from None
    else:
        sr = visit.request
        AuditLog.objects.create(actor=request.user, action=AuditAction.REVEAL_PHONE, target_type="servicedesk.request",
                                target_id=str(sr.pk), target_label=sr.number, detail={"visit_id": visit.pk},
                                ip=client_ip(request))
    return HttpResponse(format_html('<a class="masked revealed" href="tel:{0}">{0}</a>', number))


# The resident's rating page: no login, the texted single-use link is the key ----------------------------------
# A link that never existed, was used or has expired gets one page, 404, with nothing from any request on it.

RATED_SESSION_KEY = "followups_rated_link"


def _invalid_link(request):
    return render(request, "followups/rate_invalid.html", status=404)


@login_not_required
def rate(request, token):
    try:
        visit = visit_from_token(token)
    except NotFound:
        return _invalid_link(request)
    if visit.status == VisitStatus.DONE:
        return render(request, "followups/rate_thanks.html", {"visit": visit, "sr": visit.request,
                                                               "already": True})
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit_rate_online(token=token, satisfaction=form.cleaned_data["satisfaction"],
                              comment=form.cleaned_data["comment"])
        except NotFound:
            return _invalid_link(request)
        except ApplicationError as error:
            apply_to_form(form, error)
        else:
            # The link is spent; this browser alone may still see the thanks page behind it.
            request.session[RATED_SESSION_KEY] = rating_link_id(token)
            return redirect("followups:rate_thanks", token=token)
    return render(request, "followups/rate.html", {"visit": visit, "sr": visit.request, "form": form})


@login_not_required
def rate_thanks(request, token):
    visit = rated_visit(token, link_id=request.session.get(RATED_SESSION_KEY))
    if visit is None:
        return _invalid_link(request)
    return render(request, "followups/rate_thanks.html", {
        "visit": visit, "sr": visit.request, "will_call": visit.status == VisitStatus.PENDING})
