"""Incidents: one cause behind many requests (a building without water). An update goes on every linked request's
timeline and to every reporter once; closing the incident answers every open linked request with the same reply, so
each closes as soon as its own work is done.

An incident may have an affected scope (the whole project, buildings or units) and an expected restore time: its
scope is an outage notice (notices app) published when the scope is set. Every update then revises the notice (text,
restore time; unread again) and reaches every resident in the scope — their inbox, and an SMS when the incident is
urgent — not only the reporters, who hear it once, as before. Closing ends the notice's validity with the reply."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.notices.choices import NoticeKind
from propdesk.notices.services import UNCHANGED, NoticeInput, notice_publish, notice_retarget, notice_revise
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability
from propdesk.wording.services import wording_record

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
def incident_create(*, project: Project, title: str, description: str = "", actor, scope: str = "",
                    building_ids=(), unit_ids=(), expected_restore_at: datetime | None = None, urgent: bool = False,
                    now: datetime | None = None) -> Incident:
    """Open an incident; with a ``scope`` (project, buildings, units) its outage notice goes to the residents there
    at once (an SMS too when ``urgent``)."""
    _check_actor(actor)
    now = now or timezone.now()
    title = (title or "").strip()
    if not title:
        _fields({"title": [_("Name the incident, e.g. “Building 3 without water”.")]})
    incident = Incident.objects.create(project=project, title=title[:200], description=(description or "").strip(),
                                       created_by=actor, expected_restore_at=expected_restore_at, urgent=urgent)
    if scope:
        incident.notice = _publish_notice(incident, scope=scope, building_ids=building_ids, unit_ids=unit_ids,
                                          actor=actor, now=now)
        incident.save(update_fields=["notice"])
    return incident


def _notice_body(incident: Incident, latest: str = "") -> str:
    """The outage notice's text: the latest word first, then what is known."""
    parts = [text for text in ((latest or "").strip(), incident.description) if text]
    return "\n\n".join(dict.fromkeys(parts)) or incident.title


def _publish_notice(incident: Incident, *, scope, building_ids, unit_ids, actor, now):
    title = incident.title if len(incident.title) <= 80 else incident.title[:79] + "…"
    return notice_publish(project=incident.project, actor=actor, now=now, data=NoticeInput(
        kind=NoticeKind.OUTAGE, title=title, body=_notice_body(incident), scope=scope,
        building_ids=list(building_ids), unit_ids=list(unit_ids), valid_from=now,
        expected_restore_at=incident.expected_restore_at, pinned=True, urgent=incident.urgent))


@transaction.atomic
def incident_set_scope(*, incident: Incident, scope: str, building_ids=(), unit_ids=(),
                       expected_restore_at: datetime | None = None, urgent: bool = False, actor,
                       now: datetime | None = None) -> Incident:
    """Set (or correct) the affected scope, the expected restore time and whether updates go by SMS. The first time
    publishes the outage notice to the scope; later the notice is re-targeted, and a changed restore time reaches
    everyone in the scope as an update."""
    _check_actor(actor)
    now = now or timezone.now()
    incident = _lock_open(incident)
    restore_changed = incident.expected_restore_at != expected_restore_at
    incident.expected_restore_at, incident.urgent = expected_restore_at, urgent
    if incident.notice_id is None:
        incident.notice = _publish_notice(incident, scope=scope, building_ids=building_ids, unit_ids=unit_ids,
                                          actor=actor, now=now)
    else:
        notice_retarget(notice=incident.notice, scope=scope, building_ids=building_ids, unit_ids=unit_ids,
                        actor=actor, now=now)
        if restore_changed:
            text = (_("Expected restore time: %(time)s.") % {"time": _local(expected_restore_at)}
                    if expected_restore_at else _("The expected restore time is not known yet."))
            notice_revise(notice=incident.notice, actor=actor, body=_notice_body(incident, text), update_text=text,
                          sms=incident.urgent, expected_restore_at=expected_restore_at, wording=False, now=now)
    incident.save(update_fields=["notice", "expected_restore_at", "urgent"])
    return incident


def _local(when: datetime) -> str:
    return timezone.localtime(when).strftime("%m-%d %H:%M")


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
def incident_update(*, incident: Incident, text: str, actor, expected_restore_at=UNCHANGED,
                    now: datetime | None = None) -> IncidentUpdate:
    """Tell everyone affected how it stands: one timeline entry on every linked request, one message per reporter
    (dedupe key per update and request, so a retry sends nothing twice), and — with an affected scope — the outage
    notice revised and every other resident in the scope told (inbox; SMS when the incident is urgent).
    ``expected_restore_at`` moves the expected restore time (None: not known any more)."""
    _check_actor(actor)
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        _fields({"text": [_("Write what the reporters should hear.")]})
    incident = _lock_open(incident)
    if expected_restore_at is not UNCHANGED:
        incident.expected_restore_at = expected_restore_at
        incident.save(update_fields=["expected_restore_at"])
    update = IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdateKind.UPDATE, text=text,
                                           actor=actor, at=now)
    told: set[str] = set()
    phones, users = set(), set()  # the reporters told here: the scope's residents hear it once, not twice
    update.unreachable = []  # requests whose reporter has no mobile and no login: the desk calls them
    for request in _linked(incident):
        event_add(request=request, kind=EventKind.INCIDENT, action="update", actor=actor, at=now, message=text,
                  data={"incident_id": incident.pk, "update_id": update.pk})
        key = _reporter_key(request)
        if key in told:
            continue
        if request.contact_phone.startswith("1") or (request.reporter and request.reporter.user_id):
            told.add(key)
            phones.add(request.contact_phone)
            if request.reporter and request.reporter.user_id:
                users.add(request.reporter.user_id)
            tell_resident(request, f"incident-{update.pk}", text, template="incident_update",
                          params={"number": request.number, "text": text}, now=now)
        else:
            update.unreachable.append(request)
    update.reached = len(told)
    # The text reaches residents (reporters, the notice's scope): what remained of the service-language check is
    # counted once, as the incident's — not again as the notice's.
    wording_record(user=actor, project=incident.project_id, source="incident", source_id=update.pk, text=text,
                   now=now)
    if incident.notice_id is not None:
        update.residents_reached = notice_revise(
            notice=incident.notice, actor=actor, body=_notice_body(incident, text), update_text=text,
            sms=incident.urgent, expected_restore_at=incident.expected_restore_at, skip_user_ids=users,
            skip_phones=phones, wording=False, now=now)
    update.save(update_fields=["reached", "residents_reached"])
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
    closing = IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdateKind.CLOSE, text=reply, actor=actor,
                                           at=now, reached=len(open_requests))
    for request in open_requests:
        event_add(request=request, kind=EventKind.INCIDENT, action="close", actor=actor, at=now, internal=True,
                  message=_("The incident “%(title)s” is closed.") % {"title": incident.title},
                  data={"incident_id": incident.pk})
        is_complaint = request.kind == Kind.COMPLAINT
        request_reply(request=request, actor=actor, text=reply, now=now,
                      complaint_valid=complaint_valid if is_complaint else None,
                      root_cause=(root_cause or incident.title) if is_complaint else "")
    if incident.notice_id is not None:  # the notice ends now, with the reply; the scope hears it once more
        if not open_requests:  # the reply reaches the scope only: counted here (request_reply counts it otherwise)
            wording_record(user=actor, project=incident.project_id, source="incident", source_id=closing.pk,
                           text=reply, now=now)
        reporters = [r for r in _linked(incident)]
        notice_revise(notice=incident.notice, actor=actor, body=reply, update_text=reply, sms=incident.urgent,
                      end=True, now=now, skip_phones={r.contact_phone for r in reporters if r.contact_phone},
                      skip_user_ids={r.reporter.user_id for r in reporters if r.reporter and r.reporter.user_id},
                      wording=False)
    incident.is_open, incident.closed_at = False, now
    incident.save(update_fields=["is_open", "closed_at"])
    return incident
