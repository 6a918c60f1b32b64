from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError, message_text
from propdesk.core.pagination import CappedPaginator
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.org.models import Department, Project
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..choices import Kind, RequestStatus
from ..forms import CommentForm, ReplyForm
from ..models import ServiceRequest
from ..rules import escalation
from ..services.requests import request_acknowledge, request_comment, request_reply
from ..services.workorders import actions_for, workorder_create
from .workorders import action_forms_context


@login_required
def request_detail(request, pk):
    if user_role(request.user) == "resident":  # residents follow their requests in the portal, in plain words
        return redirect("portal:request_detail", pk=pk)
    with scoped_404():
        sr = selectors.request_detail(user=request.user, request_id=pk)
    is_resident = user_role(request.user) == "resident"
    work_orders = list(sr.work_orders.select_related("department", "assignee__staff_profile").order_by("id"))
    for wo in work_orders:
        wo.actions = [] if is_resident else actions_for(request.user, wo)
    departments = Department.objects.filter(project=sr.project_id).order_by("kind", "id")
    role = user_role(request.user)
    context = {
        "sr": sr,
        "work_orders": work_orders,
        "timeline": selectors.request_timeline(request=sr, include_internal=not is_resident),
        "attachments": sr.attachments.all(),
        "is_resident": is_resident,
        "now": timezone.now(),
        "can_dispatch": user_can(request.user, Capability.DISPATCH) and sr.status not in _FINAL,
        "can_reply": user_can(request.user, Capability.REPLY) and sr.status not in _FINAL,
        # The same rule request_acknowledge enforces: a major complaint by the branch leadership, an important one
        # by the project manager (or the branch leader).
        "can_acknowledge": (sr.needs_acknowledgement and sr.acknowledged_at is None and sr.status not in _FINAL
                            and user_can(request.user, Capability.ACKNOWLEDGE)
                            and escalation.may_acknowledge(sr.severity, role)),
        "can_comment": not is_resident,
        "responded_at": sr.responded_at(work_orders),
        "departments": departments,
        "reply_form": ReplyForm(),
        "comment_form": CommentForm(),
        **action_forms_context(sr.project_id, sr),
    }
    return render(request, "servicedesk/request_detail.html", context)


_FINAL = (RequestStatus.CLOSED, RequestStatus.CANCELLED)


def _load(request, pk) -> ServiceRequest:
    with scoped_404():
        return selectors.request_detail(user=request.user, request_id=pk)


def _back(request, sr, error: ApplicationError | None = None):
    if error is not None:
        messages.error(request, message_text(error))
    return redirect("servicedesk:request_detail", pk=sr.pk)


@require_POST
@capability_required(Capability.DISPATCH)
def workorder_add(request, pk):
    sr = _load(request, pk)
    department = Department.objects.filter(project=sr.project_id, pk=request.POST.get("department_id") or 0).first()
    if department is None:
        return _back(request, sr, ApplicationError(_("Choose a department of this project.")))
    try:
        workorder_create(request=sr, department=department, actor=request.user,
                         instructions=request.POST.get("instructions", ""))
    except ApplicationError as error:
        return _back(request, sr, error)
    messages.success(request, _("Work order for %(department)s created; dispatch it below.")
                     % {"department": department.name})
    return _back(request, sr)


@require_POST
@capability_required(Capability.REPLY)
def reply(request, pk):
    sr = _load(request, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _back(request, sr, ApplicationError(_("Write the reply given to the resident.")))
    data = form.cleaned_data
    try:
        request_reply(request=sr, actor=request.user, text=data["text"], written=data["written"],
                      complaint_valid=data["complaint_valid"], root_cause=data["root_cause"])
    except ApplicationError as error:
        return _back(request, sr, error)
    messages.success(request, _("Reply recorded."))
    return _back(request, sr)


@require_POST
@login_required
def comment(request, pk):
    sr = _load(request, pk)
    if user_role(request.user) == "resident":
        raise PermissionDenied
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _back(request, sr, ApplicationError(_("Write something.")))
    data = form.cleaned_data
    request_comment(request=sr, actor=request.user, text=data["text"], internal=data["internal"],
                    kind="call" if data["is_call"] else "comment")
    return _back(request, sr)


@require_POST
@capability_required(Capability.ACKNOWLEDGE)
def acknowledge(request, pk):
    sr = _load(request, pk)
    try:
        request_acknowledge(request=sr, actor=request.user)
    except ApplicationError as error:
        return _back(request, sr, error)
    messages.success(request, _("Acknowledged: the complaint is yours to handle."))
    return _back(request, sr)


SEARCH_COUNT_CAP = 200


@capability_required(Capability.RECORD_REQUESTS)
def request_list(request):
    filters = {k: request.GET.get(k, "") for k in ("status", "kind", "channel", "severity", "q")}
    if request.GET.get("project", "").isdigit():
        filters["project_id"] = int(request.GET["project"])
    filters["open"] = request.GET.get("open") == "1"  # not closed yet: open, in progress or resolved
    # Words are counted up to 200 ("200+", and the pages go on): a common word walks the project counting its hits
    # (16 ms for 1,000 of 水管 漏水 among 250,000 requests), and nobody reads past a few pages of hits.
    cap = SEARCH_COUNT_CAP if filters["q"].strip() else None
    rows = selectors.request_rows(selectors.request_list(user=request.user, filters=filters))
    page = CappedPaginator(rows, 50, cap=cap).get_page(request.GET.get("page"))
    return render(request, "servicedesk/request_list.html", {
        "page": page, "filters": request.GET, "statuses": RequestStatus.choices, "kinds": Kind.choices,
        "projects": Project.objects.restrict(request.user).order_by("code"), "now": timezone.now()})
