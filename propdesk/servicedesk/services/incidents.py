"""Incidents: one cause behind many requests (a building without water). An update goes on every linked request's
timeline and to every reporter once; closing the incident answers every open linked request with the same reply, so
each closes as soon as its own work is done."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import EventKind, Kind, RequestStatus
from ..models import Incident, IncidentUpdate, IncidentUpdateKind, ServiceRequest
from .requests import request_reply
from .residents import tell_resident
from .timeline import event_add

_FINAL = (RequestStatus.CLOSED, RequestStatus.CANCELLED)


def _check_actor(actor) -> None:
    if not user_can(actor, Capability.DISPATCH):
        raise PermissionDenied(_("Only a dispatcher may manage incidents."))


def _fields(errors: dict[str, list[str]]):
    raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})


def _lock_open(incident: Incident) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not incident.is_open:
        raise ApplicationError(_("The incident “%(title)s” is closed.") % {"title": incident.title}, status_code=409)
    return incident


@transaction.atomic
def incident_create(*, project: Project, title: str, description: str = "", actor,
                    now: datetime | None = None) -> Incident:
    _check_actor(actor)
    title = (title or "").strip()
    if not title:
        _fields({"title": [_("Name the incident, e.g. “Building 3 without water”.")]})
    return Incident.objects.create(project=project, title=title[:200], description=(description or "").strip(),
                                   created_by=actor)


@transaction.atomic
def incident_link(*, incident: Incident, request: ServiceRequest, actor, now: datetime | None = None) -> ServiceRequest:
    """Put a request under the incident (same project only). Linking it again changes nothing."""
    _check_actor(actor)
    now = now or timezone.now()
    incident = _lock_open(incident)
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.project_id != incident.project_id:
        raise ApplicationError(_("Request %(number)s belongs to another project.") % {"number": request.number},
                               status_code=404)
    if request.incident_id == incident.pk:
        return request
    if request.status == RequestStatus.CANCELLED:
        raise ApplicationError(_("Request %(number)s is cancelled.") % {"number": request.number}, status_code=409)
    if request.incident_id is not None:
        raise ApplicationError(_("Request %(number)s already belongs to another incident; take it out first.")
                               % {"number": request.number}, status_code=409)
    request.incident = incident
    request.save(update_fields=["incident", "updated_at"])
    event_add(request=request, kind=EventKind.INCIDENT, action="link", actor=actor, at=now, internal=True,
              message=_("Linked to the incident “%(title)s”.") % {"title": incident.title},
              data={"incident_id": incident.pk})
    return request


@transaction.atomic
def incident_unlink(*, request: ServiceRequest, actor, now: datetime | None = None) -> ServiceRequest:
    _check_actor(actor)
    now = now or timezone.now()
    request = ServiceRequest.objects.select_for_update(of=("self",)).select_related("incident").get(pk=request.pk)
    if request.incident_id is None:
        return request
    incident = request.incident
    request.incident = None
    request.save(update_fields=["incident", "updated_at"])
    event_add(request=request, kind=EventKind.INCIDENT, action="unlink", actor=actor, at=now, internal=True,
              message=_("Taken out of the incident “%(title)s”.") % {"title": incident.title},
              data={"incident_id": incident.pk})
    return request


def _linked(incident: Incident):
    return (ServiceRequest.objects.select_for_update(of=("self",)).filter(incident=incident)
            .exclude(status=RequestStatus.CANCELLED).select_related("reporter").order_by("id"))


def _reporter_key(request: ServiceRequest) -> str:
    """Who the message goes to: one message per person even when they reported twice."""
    if request.contact_phone:
        return f"phone:{request.contact_phone}"
    if request.reporter_id:
        return f"resident:{request.reporter_id}"
    return f"request:{request.pk}"


@transaction.atomic
def incident_update(*, incident: Incident, text: str, actor, now: datetime | None = None) -> IncidentUpdate:
    """Tell everyone affected how it stands: one timeline entry on every linked request, one message per reporter
    (dedupe key per update and request, so a retry sends nothing twice)."""
    _check_actor(actor)
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        _fields({"text": [_("Write what the reporters should hear.")]})
    incident = _lock_open(incident)
    update = IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdateKind.UPDATE, text=text,
                                           actor=actor, at=now)
    told: set[str] = set()
    update.unreachable = []  # requests whose reporter has no mobile and no login: the desk calls them
    for request in _linked(incident):
        event_add(request=request, kind=EventKind.INCIDENT, action="update", actor=actor, at=now, message=text,
                  data={"incident_id": incident.pk, "update_id": update.pk})
        key = _reporter_key(request)
        if key in told:
            continue
        if request.contact_phone.startswith("1") or (request.reporter and request.reporter.user_id):
            told.add(key)
            tell_resident(request, f"incident-{update.pk}", text, template="incident_update",
                          params={"number": request.number, "text": text}, now=now)
        else:
            update.unreachable.append(request)
    update.reached = len(told)
    update.save(update_fields=["reached"])
    return update


@transaction.atomic
def incident_close(*, incident: Incident, reply: str, actor, complaint_valid: bool | None = None,
                   root_cause: str = "", now: datetime | None = None) -> Incident:
    """Close the incident and give every open linked request the same reply (request_reply): those whose work is done
    close now, the others as soon as their work orders complete."""
    _check_actor(actor)
    now = now or timezone.now()
    reply = (reply or "").strip()
    incident = _lock_open(incident)
    open_requests = [r for r in _linked(incident) if r.status not in _FINAL]
    errors: dict[str, list[str]] = {}
    if not reply:
        errors["reply"] = [_("Write the reply every reporter gets.")]
    if complaint_valid is None and any(r.kind == Kind.COMPLAINT for r in open_requests):
        errors["complaint_valid"] = [_("Complaints are linked: record whether they were valid.")]
    if errors:
        _fields(errors)
    IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdateKind.CLOSE, text=reply, actor=actor, at=now,
                                  reached=len(open_requests))
    for request in open_requests:
        event_add(request=request, kind=EventKind.INCIDENT, action="close", actor=actor, at=now, internal=True,
                  message=_("The incident “%(title)s” is closed.") % {"title": incident.title},
                  data={"incident_id": incident.pk})
        is_complaint = request.kind == Kind.COMPLAINT
        request_reply(request=request, actor=actor, text=reply, now=now,
                      complaint_valid=complaint_valid if is_complaint else None,
                      root_cause=(root_cause or incident.title) if is_complaint else "")
    incident.is_open, incident.closed_at = False, now
    incident.save(update_fields=["is_open", "closed_at"])
    return incident
