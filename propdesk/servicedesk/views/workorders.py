from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError
from propdesk.core.models import AuditAction, AuditLog
from propdesk.core.pagination import CappedPaginator
from propdesk.core.views_utils import capability_required, client_ip, scoped_404
from propdesk.staff.models import StaffProfile
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..choices import ACTION_DONE, HoldReason
from ..forms import validate_photos
from ..selectors.suggestions import suggestions_by_department
from ..services.attachments import attachments_add
from ..services.workorders import actions_for, workorder_act, workorder_code_try, workorder_send_code


def action_forms_context(project_id, service_request=None) -> dict:
    """What the action forms need: the people a dispatcher can choose, the hold reasons. With the
    ``service_request``, each department's people come ranked for it, best first, with the reason (issue 13:
    dispatch suggestions)."""
    if service_request is not None:
        now = timezone.now()
        people = suggestions_by_department(request=service_request, now=now, today=timezone.localdate(now))
    else:
        people = (StaffProfile.objects.filter(project_id=project_id, department__isnull=False, is_active=True)
                  .select_related("department").order_by("department_id", "display_name"))
    return {"assignable": people, "hold_reasons": HoldReason.choices}


def _load(request, pk):
    with scoped_404():
        return selectors.workorder_detail(user=request.user, work_order_id=pk)


# The fields each action's form shows (_workorder_actions.html): a service error on one of them is shown next to it,
# any other goes to the top of the page.
ACTION_FIELDS = {
    "complete": ("result", "materials", "photos", "signature", "confirmation_code"),
    "dispatch": ("assignee_id", "reason"), "reassign": ("assignee_id", "reason"), "hold": ("hold_reason", "reason"),
}
TYPED_FIELDS = ("reason", "assignee_id", "hold_reason", "result", "materials", "signature", "confirmation_code")


def _detail_context(request, wo) -> dict:
    timeline = selectors.request_timeline(request=wo.request, include_internal=True).filter(work_order=wo)
    return {
        "wo": wo, "sr": wo.request, "actions": actions_for(request.user, wo), "now": timezone.now(),
        "photos": wo.request.attachments.all(), "timeline": timeline,
        # Why the work came back: the latest reopen's reason, for the 返工 mark.
        "rework": timeline.filter(action="reopen").last() if wo.reopen_count else None,
        **action_forms_context(wo.project_id, wo.request),
    }


@login_required
def workorder_detail(request, pk):
    """The technician's page on a phone: the job, the resident, the buttons the transition table allows."""
    if user_role(request.user) == "resident":  # residents follow their request's page, without internal notes
        raise Http404
    wo = _load(request, pk)
    return render(request, "servicedesk/workorder_detail.html", _detail_context(request, wo))


def done_message(action: str, wo) -> str:
    """The flash after an action, named by what was done ("已接单：工单 …"), not by the state it left."""
    template = ACTION_DONE.get(action)
    return str(template) % {"number": wo.number} if template else _("Saved.")


@require_POST
@login_required
def workorder_action(request, pk, action):
    """Apply one action. When it fails, the page comes back with everything typed kept (the result, the materials,
    the drawn signature), the action's form open and each error next to its field; nothing is half written."""
    if user_role(request.user) == "resident":
        raise Http404
    wo = _load(request, pk)
    post = request.POST
    failed = _act(request, wo, action)
    if failed is not None and (failed["errors"] or action == "complete"):
        messages.error(request, failed["message"])
        wo = _load(request, pk)  # as it is now, after the rollback
        return render(request, "servicedesk/workorder_detail.html",
                      {**_detail_context(request, wo), "failed": failed, "next": post.get("next", "")},
                      status=failed["status"])
    if failed is not None:
        messages.error(request, failed["message"])
    else:
        messages.success(request, done_message(action, wo))
    target = post.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("servicedesk:workorder_detail", pk=wo.pk)


def _code_try(request, wo, action) -> ApplicationError | None:
    """A completion code is counted on its own, before the completion (which may yet be undone): see
    workorder_code_try."""
    post = request.POST
    if action != "complete" or not post.get("confirmation_code", "").strip() or post.get("signature", ""):
        return None
    try:
        workorder_code_try(work_order=wo, actor=request.user, code=post["confirmation_code"])
    except ApplicationError as error:
        return error
    return None


def _act(request, wo, action) -> dict | None:
    """Run the action and store the photos of the work in one transaction. Returns None when done; otherwise what
    the page needs to show every problem at once (the service's and the photos'), and nothing is kept."""
    post = request.POST
    uploads = request.FILES.getlist("photos")
    try:
        photos, photo_errors = validate_photos(uploads), []
    except forms.ValidationError as error:
        photos, photo_errors = [], list(error.messages)
    refused = _code_try(request, wo, action)
    with transaction.atomic():  # the photos of the finished work and the completion land together, or neither
        try:
            if refused is not None:
                raise refused
            workorder_act(work_order=wo, actor=request.user, action=action, reason=post.get("reason", ""),
                          assignee_id=int(post["assignee_id"]) if post.get("assignee_id", "").isdigit() else None,
                          hold_reason=post.get("hold_reason", ""), result=post.get("result", ""),
                          materials=post.get("materials", ""), signature=post.get("signature", ""),
                          confirmation_code=post.get("confirmation_code", ""),
                          confirm_in_app=post.get("confirm_in_app") == "1")
        except ApplicationError as error:
            refused = error
        if refused is None and not photo_errors:
            if photos:
                attachments_add(request=wo.request, work_order=wo, files=photos, actor=request.user,
                                for_resident=action == "complete")  # the finished work, shown to the resident
            return None
        transaction.set_rollback(True)  # bad photos undo an otherwise good completion: all or nothing
    errors = refused.field_errors if refused else {}
    if photo_errors:
        errors["photos"] = photo_errors
    message = refused.message if refused else _("Please correct the marked fields.")
    shown = ACTION_FIELDS.get(action, ("reason",))
    stray = [m for name, msgs in errors.items() if name not in shown for m in msgs]
    data = {name: post.get(name, "") for name in TYPED_FIELDS}
    if "signature" in errors:  # a signature that cannot be read is not drawn again
        data["signature"] = ""
    return {
        "action": action, "work_order_id": wo.pk, "data": data, "status": refused.status_code if refused else 400,
        "errors": {name: msgs for name, msgs in errors.items() if name in shown},
        "message": " ".join([str(message), *stray]),
        "photos_again": bool(uploads) and not photo_errors,  # a browser cannot keep chosen files: say so
    }


@require_POST
@login_required
def send_code(request, pk):
    wo = _load(request, pk)
    try:
        workorder_send_code(work_order=wo, actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("A code was sent to the resident's mobile."))
    return redirect("servicedesk:workorder_detail", pk=wo.pk)


@require_POST
@login_required
def contact_reveal(request, pk):
    """The assignee (or anyone who may reveal numbers) sees the call-back number to call the resident; logged."""
    wo = _load(request, pk)
    if not (wo.assignee_id == request.user.pk or user_can(request.user, Capability.REVEAL_PHONE)):
        return HttpResponse(status=403)
    AuditLog.objects.create(actor=request.user, action=AuditAction.REVEAL_PHONE, target_type="servicedesk.request",
                            target_id=str(wo.request_id), target_label=wo.request.number,
                            detail={"work_order_id": wo.pk}, ip=client_ip(request))
    number = wo.request.contact_phone
    return HttpResponse(format_html('<a class="masked revealed" href="tel:{0}">{0}</a>', number))


@capability_required(Capability.DISPATCH)
def dispatch_queue(request):
    """What waits for the dispatcher: requests with nothing under way, and orders sent back or not yet sent."""
    requests = selectors.request_rows(selectors.requests_to_dispatch(user=request.user))
    rows = selectors.workorder_rows
    orders = rows(selectors.workorder_list(user=request.user, filters={"to_dispatch": True}))
    reopened = rows(selectors.workorder_list(user=request.user, filters={"reopened": True}))
    stranded = rows(selectors.workorder_list(user=request.user, filters={"nobody_can_grab": True}))
    return render(request, "servicedesk/dispatch_queue.html", {
        "requests": CappedPaginator(requests, 50).get_page(request.GET.get("page")), "orders": orders[:50],
        "reopened": reopened[:50], "stranded": stranded[:50], "now": timezone.now()})


@login_required
def my_orders(request):
    """The technician's list on a phone: assigned to me and still live, plus my department's pool to grab."""
    orders = list(selectors.workorder_list(user=request.user, filters={"mine_or_pool": request.user})[:100])
    for wo in orders:  # the one-tap actions (no field to fill in) under each card, from the transition table
        wo.quick_actions = [(action, t) for action, t in actions_for(request.user, wo) if action in QUICK_ACTIONS]
    return render(request, "servicedesk/my_orders.html", {"orders": orders, "now": timezone.now()})


QUICK_ACTIONS = ("grab", "accept", "arrive", "resume")


@capability_required(Capability.VIEW_ARCHIVE)
def overdue(request):
    rows = selectors.workorder_rows
    overdue_orders = rows(selectors.workorder_list(user=request.user, filters={"overdue": True}))
    due_soon = rows(selectors.workorder_list(user=request.user, filters={"due_soon": True}))
    return render(request, "servicedesk/overdue.html", {
        "overdue": CappedPaginator(overdue_orders, 50).get_page(request.GET.get("page")), "due_soon": due_soon[:50],
        "now": timezone.now()})
