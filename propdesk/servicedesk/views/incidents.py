"""Incidents in the console: the list, one incident with its requests, updates to every reporter, closing with one
reply, and linking a request from its own page."""

from contextlib import suppress

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import ApplicationError
from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.notices.picker import chosen_ids, picker_context
from propdesk.notices.selectors import notice_detail
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from .. import selectors
from ..choices import Kind
from ..models import ServiceRequest
from ..selectors import billing as selectors_billing
from ..selectors import request_number_q
from ..services.incidents import (
    incident_close,
    incident_create,
    incident_link,
    incident_set_scope,
    incident_unlink,
    incident_update,
)
from .billing import _error


def _load(request, pk):
    with scoped_404():
        return selectors_billing.incident_detail(user=request.user, incident_id=pk)


def _back(incident):
    return redirect("servicedesk:incident_detail", pk=incident.pk)


def _restore_time(post):
    """The expected restore time typed (datetime-local, the project's zone); None when empty."""
    raw = (post.get("expected_restore_at") or "").strip()
    if not raw:
        return None
    parsed = parse_datetime(raw)
    if parsed is None:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {"expected_restore_at": [
            _("Enter the expected restore time as date and time.")]}})
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _scope_args(post) -> dict:
    return {"scope": post.get("scope", ""), "building_ids": chosen_ids(post, "buildings"),
            "unit_ids": chosen_ids(post, "units"), "expected_restore_at": _restore_time(post),
            "urgent": post.get("urgent") == "on"}


@capability_required(Capability.RECORD_REQUESTS)
def incident_list(request):
    """GET: incidents in scope, open first. POST (dispatchers): open a new incident."""
    projects = Project.objects.restrict(request.user).order_by("code")
    if request.method == "POST":
        if not user_can(request.user, Capability.DISPATCH):
            raise PermissionDenied
        project = projects.filter(pk=request.POST.get("project") or 0).first()
        if project is None:
            messages.error(request, _("Choose a project."))
            return redirect("servicedesk:incident_list")
        try:
            incident = incident_create(project=project, title=request.POST.get("title", ""),
                                       description=request.POST.get("description", ""), actor=request.user,
                                       **_scope_args(request.POST))
        except ApplicationError as error:
            _error(request, error)
            return redirect("servicedesk:incident_list")
        return _back(incident)
    filters = {"state": request.GET.get("state", "open")}
    if request.GET.get("project", "").isdigit():
        filters["project_id"] = int(request.GET["project"])
    page = Paginator(selectors_billing.incident_list(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page"))
    chosen = projects.filter(pk=filters.get("project_id") or 0).first() or projects.first()
    return render(request, "servicedesk/incident_list.html", {
        "page": page, "filters": filters, "projects": projects,
        "can_dispatch": user_can(request.user, Capability.DISPATCH),
        **picker_context(project=chosen, scope="")})


@capability_required(Capability.RECORD_REQUESTS)
def incident_detail(request, pk):
    incident = _load(request, pk)
    linked = list(selectors_billing.incident_requests(incident=incident))
    notice = None
    if incident.notice_id:  # the outage notice: its audience and read count (as the notice page counts them)
        with suppress(ObjectDoesNotExist):
            notice = notice_detail(user=request.user, notice_id=incident.notice_id, now=timezone.now())
    targets = notice.targets.all() if notice else []
    return render(request, "servicedesk/incident_detail.html", {
        "incident": incident, "linked": linked, "updates": selectors_billing.incident_updates(incident=incident),
        "has_complaints": any(r.kind == Kind.COMPLAINT and r.status not in ("closed", "cancelled") for r in linked),
        "can_dispatch": user_can(request.user, Capability.DISPATCH) and incident.is_open, "notice": notice,
        **picker_context(project=incident.project, scope=notice.scope if notice else "buildings",
                         buildings=[t.building_id for t in targets if t.building_id],
                         units=[t.unit_id for t in targets if t.unit_id])})


@require_POST
@capability_required(Capability.DISPATCH)
def incident_scope_view(request, pk):
    """Set or correct the affected scope, the expected restore time and SMS for updates."""
    incident = _load(request, pk)
    try:
        incident_set_scope(incident=incident, actor=request.user, **_scope_args(request.POST))
    except ApplicationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Affected scope saved; the outage notice reaches every resident in it."))
    return _back(incident)


@require_POST
@capability_required(Capability.DISPATCH)
def incident_update_view(request, pk):
    incident = _load(request, pk)
    try:
        restore = _restore_time(request.POST) if "expected_restore_at" in request.POST else None
        extra = {"expected_restore_at": restore} if restore is not None else {}
        update = incident_update(incident=incident, text=request.POST.get("text", ""), actor=request.user, **extra)
    except ApplicationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Update sent to %(count)d reporters.") % {"count": update.reached})
        if incident.notice_id:
            messages.success(request, _("The outage notice was revised; %(count)d more residents in the scope were "
                                        "told.") % {"count": update.residents_reached})
        if update.unreachable:
            messages.warning(request, _("No mobile number for %(numbers)s: call them.")
                             % {"numbers": ", ".join(r.number for r in update.unreachable)})
    return _back(incident)


@require_POST
@capability_required(Capability.DISPATCH)
def incident_close_view(request, pk):
    incident = _load(request, pk)
    valid = {"yes": True, "no": False}.get(request.POST.get("complaint_valid", ""))
    try:
        incident_close(incident=incident, reply=request.POST.get("reply", ""), actor=request.user,
                       complaint_valid=valid, root_cause=request.POST.get("root_cause", ""))
    except ApplicationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Incident closed; every open request got the reply."))
    return _back(incident)


@require_POST
@capability_required(Capability.DISPATCH)
def incident_add_request(request, pk):
    """Link a request by its number (the incident page's own control)."""
    incident = _load(request, pk)
    number = request.POST.get("number", "").strip()
    by_number = request_number_q(request.user, number)  # whole, or the part after the project prefix
    sr = (ServiceRequest.objects.restrict(request.user).filter(by_number, project_id=incident.project_id).first()
          if by_number is not None else None)
    if sr is None:
        messages.error(request, _("No request %(number)s in this project.") % {"number": number})
        return _back(incident)
    try:
        incident_link(incident=incident, request=sr, actor=request.user)
    except ApplicationError as error:
        _error(request, error)
    return _back(incident)


@require_POST
@capability_required(Capability.DISPATCH)
def request_incident(request, pk):
    """From the request page: link to an open incident, open a new one for it, or take it out."""
    with scoped_404():
        sr = selectors.request_detail(user=request.user, request_id=pk)
    post = request.POST
    try:
        if post.get("unlink"):
            incident_unlink(request=sr, actor=request.user)
            messages.success(request, _("Taken out of the incident."))
        else:
            if post.get("incident_id", "").isdigit():
                with scoped_404():
                    incident = selectors_billing.incident_detail(user=request.user,
                                                                 incident_id=int(post["incident_id"]))
            else:
                incident = incident_create(project=sr.project, title=post.get("title", ""), actor=request.user,
                                           description=sr.description)
            incident_link(incident=incident, request=sr, actor=request.user)
            messages.success(request, _("Linked to the incident “%(title)s”.") % {"title": incident.title})
    except ApplicationError as error:
        _error(request, error)
    return redirect("servicedesk:request_detail", pk=sr.pk)
