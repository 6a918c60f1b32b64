"""报事 intake, reply and closing. Every function is one transaction; bad input raises ApplicationError with
field-level messages and writes nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.core.sequences import counter_take
from propdesk.customers.models import Phone, Resident
from propdesk.customers.rules.phones import InvalidNumber, normalize_phone
from propdesk.notify.services import notify_users
from propdesk.org.models import CommonArea, Department, Project, Room
from propdesk.staff.permissions import user_role
from propdesk.wording.services import wording_record

from ..choices import Channel, ComplaintCategory, Emotion, EventKind, Kind, RequestStatus, Severity
from ..models import IdempotencyKey, ServiceRequest
from ..rules import escalation, numbers, sla
from ..rules import intake as intake_rules
from . import people
from .policy import policy_for
from .residents import tell_resident
from .timeline import event_add

OCCURRED_GRACE = timedelta(minutes=5)


@dataclass
class RequestInput:
    channel: str
    kind: str
    description: str
    contact_name: str = ""
    contact_phone: str = ""
    reporter_id: int | None = None
    room_id: int | None = None
    common_area_id: int | None = None
    location_note: str = ""
    occurred_at: datetime | None = None
    cause: str = ""
    impact: str = ""
    resident_request: str = ""
    resident_deadline: datetime | None = None
    appointment_at: datetime | None = None
    emotion: str = Emotion.CALM
    urgent: bool | None = None  # None: judged from the description (rules/sla.looks_urgent)
    complaint_category: str = ""
    severity: str = ""
    complained_department_id: int | None = None
    complained_person: str = ""
    extra: dict = field(default_factory=dict)
    # Rows read while validating, kept for the next validation of the same submission (the intake form checks before
    # it records; the API found the room by its code): each is read once per HTTP request. Not part of the input.
    lookups: dict = field(default_factory=dict, repr=False, compare=False)


def _lookup(data: RequestInput, key: tuple, read):
    if key not in data.lookups:
        data.lookups[key] = read()
    return data.lookups[key]


def remember_room(lookups: dict, room: Room) -> None:
    """Tell the validation a room the caller has already read (by its code, in the project): ``lookups`` is the
    ``RequestInput.lookups`` the submission will carry."""
    lookups[("room", room.project_id, room.pk)] = room


def _reporter(project: Project, resident_id: int) -> Resident | None:
    """The resident in ``project`` with their login and, as ``primary_phone``, the number to call them on."""
    primary = (Phone.objects.filter(resident=OuterRef("pk")).order_by("-is_primary", "id").values("number")[:1])
    return (Resident.objects.filter(pk=resident_id, project=project).select_related("user")
            .annotate(primary_phone=Subquery(primary)).first())


def _fail(errors: dict[str, list[str]]):
    raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})


def _validate(project: Project, data: RequestInput, now: datetime, actor) -> dict:
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if data.channel not in Channel.values:
        add("channel", _("Choose how the request came in."))
    if data.kind not in Kind.values:
        add("kind", _("Choose the kind of request."))
    if not (data.description or "").strip():
        add("description", _("Write down what happened."))
    for name_, (limit, length) in intake_rules.too_long({
            name_: (getattr(data, name_) or "").strip() for name_ in intake_rules.TEXT_LIMITS}).items():
        add(name_, _("At most %(limit)s characters (this has %(length)s).") % {"limit": limit, "length": length})
    values: dict = {}
    reporter = None
    if data.reporter_id:
        reporter = _lookup(data, ("reporter", project.pk, data.reporter_id),
                           lambda: _reporter(project, data.reporter_id))
        if reporter is None:
            add("reporter_id", _("The resident is not in this project's archive."))
    values["reporter"] = reporter
    name = (data.contact_name or "").strip() or (reporter.name if reporter else "")
    if not name and data.channel in (Channel.PATROL, Channel.STAFF):  # a finding of the staff member recording it
        profile = getattr(actor, "staff_profile", None)
        name = profile.display_name if profile else actor.get_username()
    if not name:
        add("contact_name", _("Enter the caller's name."))
    values["contact_name"] = name
    phone = (data.contact_phone or "").strip()
    if phone:
        try:
            phone, _kind = normalize_phone(phone)
        except InvalidNumber:
            add("contact_phone", _("“%(value)s” is not a valid phone number.") % {"value": data.contact_phone})
    elif reporter is not None:
        phone = reporter.primary_phone or ""
    values["contact_phone"] = phone
    room = area = None
    if data.room_id:
        room = _lookup(data, ("room", project.pk, data.room_id),
                       lambda: Room.objects.filter(pk=data.room_id, project=project).first())
        if room is None:
            add("room_id", _("Unknown room in this project."))
    if data.common_area_id:
        area = _lookup(data, ("area", project.pk, data.common_area_id),
                       lambda: CommonArea.objects.filter(pk=data.common_area_id, project=project).first())
        if area is None:
            add("common_area_id", _("Unknown common area in this project."))
    if room is None and area is None and not data.location_note.strip() and "room_id" not in errors:
        add("room_id", _("Say where: a room, a common area or a description of the place."))
    values.update(room=room, common_area=area)
    if data.kind == Kind.COMPLAINT:
        if data.complaint_category not in ComplaintCategory.values:
            add("complaint_category", _("Choose the complaint category."))
        if data.severity not in Severity.values:
            add("severity", _("Choose the severity: major, important or minor."))
    if data.emotion and data.emotion not in {e for e in Emotion.values}:
        add("emotion", _("Unknown emotion."))
    dept = None
    if data.complained_department_id:
        dept = _lookup(data, ("department", project.pk, data.complained_department_id), lambda: (
            Department.objects.filter(pk=data.complained_department_id).filter(project=project).first()
            or Department.objects.filter(pk=data.complained_department_id, project__isnull=True,
                                         branch_id=project.branch_id).first()))
        if dept is None:
            add("complained_department_id", _("Unknown department."))
    values["complained_department"] = dept
    for name_, value in (("resident_deadline", data.resident_deadline), ("appointment_at", data.appointment_at)):
        if value is not None and value < now:
            add(name_, _("This time is in the past."))
        elif value is not None and value > now + intake_rules.AHEAD_AT_MOST:
            add(name_, _("At most a year ahead."))
    # What happened has happened: a few minutes of grace for a caller's "just now" and clocks that disagree.
    if data.occurred_at is not None and data.occurred_at > now + OCCURRED_GRACE:
        add("occurred_at", _("When it happened cannot be in the future."))
    elif data.occurred_at is not None and data.occurred_at < now - intake_rules.BACK_AT_MOST:
        add("occurred_at", _("When it happened is at most a year ago."))
    if errors:
        _fail(errors)
    return values


def request_check(*, actor, project: Project, data: RequestInput, now: datetime | None = None) -> dict[str, list[str]]:
    """The field errors ``request_submit`` would raise for ``data``, written nowhere: a form shows them together with
    its own, so that one submission reports every field to correct."""
    try:
        _validate(project, data, now or timezone.now(), actor)
    except ApplicationError as error:
        return error.field_errors
    return {}


def _key_reused(used: IdempotencyKey, fingerprint: str) -> ServiceRequest:
    """The request a key already recorded, if this is a retry of that submission; a different submission under the
    same key is refused (422), never answered with the first one's request as if it had been recorded."""
    if fingerprint and used.fingerprint and fingerprint != used.fingerprint:
        message = _("This Idempotency-Key was already used for a different request. Send a new key with a new "
                    "request; a retry must repeat the first request exactly.")
        raise ApplicationError(message, {"fields": {"Idempotency-Key": [message]}}, status_code=422)
    return used.request


def request_submit(*, actor, project: Project, data: RequestInput, idempotency_key: str = "",
                   idempotency_fingerprint: str = "", now: datetime | None = None,
                   on_record: Callable[[ServiceRequest], None] | None = None,
                   tell_recorded: bool = True) -> ServiceRequest:
    """Record a request (报事), compute its deadlines, tell whoever must know at intake, and tell the resident it is
    recorded (``tell_recorded``; off only for a request answered in the same step, whose answer is the one message).
    With an idempotency key, a retried submission returns the request it created the first time; with a fingerprint
    of the submission too (the API's body digest), the same key with a different submission raises a 422.

    ``on_record(request)`` runs inside the request's transaction right after it is recorded (not for a retry that
    returns the first request): a dispatch in the same call that fails undoes the record. The returned request has
    ``recorded`` True when this call recorded it and ``recorded_events`` the timeline entries it wrote.

    Reads and checks come first; the number is taken last before the writes. Called outside a transaction (the
    desk's form and API) the number is committed at once, so creates in one project do not queue on the day's
    counter row (a request that then fails to save leaves a gap, see core/sequences.py); inside a caller's
    transaction it is the transaction's (gapless)."""
    now = now or timezone.now()
    if idempotency_key:
        existing = IdempotencyKey.objects.filter(user=actor, key=idempotency_key).select_related("request").first()
        if existing:
            return _key_reused(existing, idempotency_fingerprint)
    values = _validate(project, data, now, actor)
    urgent = data.urgent if data.urgent is not None else (
        data.kind == Kind.REPAIR and sla.looks_urgent(f"{data.description} {data.impact}"))
    policy = policy_for(project)
    target = policy.target_for(kind=data.kind, severity=data.severity if data.kind == Kind.COMPLAINT else None,
                               urgent=urgent)
    deadlines = sla.compute_deadlines(target=target, received_at=now, calendar=policy.calendar,
                                      resident_deadline=data.resident_deadline, appointment=data.appointment_at)
    local_day = timezone.localtime(now, policy.calendar.tz).date()
    request = ServiceRequest(
        project=project, channel=data.channel, kind=data.kind,
        location_note=data.location_note.strip(), occurred_at=data.occurred_at, description=data.description.strip(),
        cause=data.cause.strip(), impact=data.impact.strip(), resident_request=data.resident_request.strip(),
        resident_deadline=data.resident_deadline, appointment_at=data.appointment_at,
        emotion=data.emotion or Emotion.CALM, urgent=urgent,
        complaint_category=data.complaint_category if data.kind == Kind.COMPLAINT else "",
        severity=data.severity if data.kind == Kind.COMPLAINT else "",
        complained_person=data.complained_person.strip(),
        needs_written_reply=data.channel == Channel.LETTER,
        received_at=now, respond_by=deadlines.respond_by, resolve_by=deadlines.resolve_by,
        created_by=actor, **values,
    )
    request.next_escalation_at = request_next_escalation(request)  # written with the row, not by a second UPDATE
    # Outside a transaction: committed at once (the row is not held while this request is written).
    seq = counter_take(numbers.request_counter_key(project.pk, local_day))
    request.number = numbers.request_number(project.number_prefix, local_day, seq)
    with transaction.atomic():
        request.save(force_insert=True)
        if idempotency_key:
            try:
                with transaction.atomic():
                    IdempotencyKey.objects.create(user=actor, key=idempotency_key, request=request,
                                                  fingerprint=idempotency_fingerprint)
            except IntegrityError:  # the same key submitted concurrently: the other one won; undo ours
                winner = IdempotencyKey.objects.select_related("request").get(user=actor, key=idempotency_key)
                transaction.set_rollback(True)
                return _key_reused(winner, idempotency_fingerprint)
        request.recorded_events = [event_add(
            request=request, kind=EventKind.CREATED, actor=actor, at=now,
            message=_("Recorded via %(channel)s.") % {"channel": request.get_channel_display()},
            data={"urgent": urgent, "rule": sla.rule_key(data.kind, severity=request.severity or None,
                                                        urgent=urgent)})]
        request.recorded_events += _intake_escalations(request, now)
        if tell_recorded:
            tell_resident(request, "accepted",
                          _("Your request %(number)s has been recorded; we will handle it promptly.")
                          % {"number": request.number}, template="request_recorded",
                          params={"number": request.number}, now=now, new=True)
        request.recorded = True
        if on_record is not None:
            on_record(request)
    return request


def _intake_escalations(request: ServiceRequest, now: datetime) -> list:
    """Tell whoever the complaint's severity names at intake (rules/escalation.INTAKE_RULES): a major complaint the
    branch leadership and the project manager, an important one the project manager. Where an acknowledgement is
    asked for, the sweep tells the next level if it has not come by the response deadline."""
    if request.kind != Kind.COMPLAINT:
        return []
    events = []
    url = reverse("servicedesk:request_detail", args=[request.pk])
    for relation in escalation.intake_rule(request.severity).notify:
        # One event, one notice per person: someone who is both branch leader and project manager is told once.
        notify_users(users=people.recipients(relation, project=request.project), kind="complaint_intake", url=url,
                     event=f"intake:{request.pk}", body=request.description,
                     title=_("%(severity)s complaint %(number)s: %(summary)s")
                     % {"severity": request.get_severity_display(), "number": request.number,
                        "summary": request.description[:60]})
        events.append(event_add(request=request, kind=EventKind.ESCALATION, at=now, action=f"intake_{relation}",
                                message=_("Reported to the %(who)s at intake.") % {"who": _relation_label(relation)}))
    return events


UNHANDLED_RUNG = "unhandled_project_manager"


def intake_rule(request: ServiceRequest) -> escalation.IntakeRule:
    """The intake rule of a complaint; an empty rule for every other kind of request."""
    if request.kind != Kind.COMPLAINT or not request.severity:
        return escalation.IntakeRule()
    return escalation.intake_rule(request.severity)


def ack_deadline(request: ServiceRequest) -> datetime | None:
    """By when a complaint that asks for an acknowledgement must have it: its response deadline (the policy's
    respond time: 2 hours within the day for a major complaint, 1 hour for an important one by default)."""
    return request.respond_by if intake_rule(request).needs_acknowledgement else None


def request_next_escalation(request: ServiceRequest) -> datetime | None:
    """When the request-level sweep must look at this request next: the acknowledgement of a major or important
    complaint, and the request's own deadline while nothing has been dispatched for it (work orders carry their own
    ladder). Stored in an indexed column so that the sweep finds due requests by index."""
    sent = set(request.escalations_sent)
    times = []
    ack, rung = ack_deadline(request), intake_rule(request).ack_rung()
    if ack is not None and request.acknowledged_at is None and rung not in sent:
        times.append(ack)
    if request.resolve_by is not None and request.status == RequestStatus.OPEN and UNHANDLED_RUNG not in sent:
        times.append(request.resolve_by)
    return min(times) if times else None


def _relation_label(relation: str) -> str:
    return {"project_manager": _("project manager"), "branch_leader": _("branch leadership"),
            "department_head": _("department head"), "assignee": _("assignee"),
            "dispatcher": _("dispatcher"), "quality": _("quality department")}.get(relation, relation)


@transaction.atomic
def request_acknowledge(*, request: ServiceRequest, actor, now: datetime | None = None) -> ServiceRequest:
    """Take a complaint into handling ("I take this complaint"): a major one by the branch leadership, an important
    one by the project manager (or the branch leader). Stops the response clock and the escalation waiting on it;
    recorded on the timeline as its own event with who. Acknowledging twice changes nothing."""
    now = now or timezone.now()
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    rule = intake_rule(request)
    if not rule.needs_acknowledgement:
        raise ApplicationError(_("Only a major or important complaint waits for an acknowledgement."),
                               status_code=409)
    if not escalation.may_acknowledge(request.severity, user_role(actor)):
        raise ApplicationError(_("A major complaint is taken into handling by the branch leadership.")
                               if request.severity == Severity.MAJOR else
                               _("An important complaint is taken into handling by the project manager."),
                               status_code=403)
    if request.acknowledged_at is None:
        request.acknowledged_at, request.acknowledged_by = now, actor
        request.next_escalation_at = request_next_escalation(request)
        request.save(update_fields=["acknowledged_at", "acknowledged_by", "next_escalation_at", "updated_at"])
        on_time = request.respond_by is None or now <= request.respond_by
        event_add(request=request, kind=EventKind.ACKNOWLEDGED, actor=actor, at=now, action="acknowledge",
                  message=(_("Taken into handling by the %(who)s, within the response time.") if on_time else
                           _("Taken into handling by the %(who)s, after the response time."))
                  % {"who": _role_label(user_role(actor))},
                  data={"on_time": on_time, "role": user_role(actor)})
    return request


def _role_label(role: str | None) -> str:
    return {"branch_leader": _("branch leadership"), "project_manager": _("project manager"),
            "admin": _("administrator")}.get(role or "", role or "")


@transaction.atomic
def request_reply(*, request: ServiceRequest, actor, text: str, written: bool = False,
                  complaint_valid: bool | None = None, root_cause: str = "",
                  sms: tuple[str, dict] | None = None, now: datetime | None = None) -> ServiceRequest:
    """Answer the resident (答复). A request whose work is done and that has been answered is closed. ``sms``: the
    SMS template and parameters that carry the answer instead of ``request_reply`` (the inbox shows ``text``)."""
    now = now or timezone.now()
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = [_("Write the reply given to the resident.")]
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status in (RequestStatus.CLOSED, RequestStatus.CANCELLED):
        raise ApplicationError(_("This request is already %(status)s.") % {"status": request.get_status_display()})
    if request.kind == Kind.COMPLAINT and complaint_valid is None:
        errors["complaint_valid"] = [_("Record whether the complaint was valid.")]
    if errors:
        _fail(errors)
    request.reply, request.replied_at = text, now
    fields = ["reply", "replied_at", "updated_at"]
    if written:
        request.written_reply, request.written_reply_at = text, now
        fields += ["written_reply", "written_reply_at"]
    if request.kind == Kind.COMPLAINT:
        request.complaint_valid, request.root_cause = complaint_valid, root_cause.strip()
        fields += ["complaint_valid", "root_cause"]
    request.save(update_fields=fields)
    event_add(request=request, kind=EventKind.REPLY, actor=actor, at=now, message=text,
              data={"written": written})
    wording_record(user=actor, project=request.project_id, source="reply", source_id=request.pk, text=text, now=now)
    template, params = sms or ("request_reply", {"number": request.number, "text": text})
    tell_resident(request, f"reply-{now.timestamp():.0f}", text, template=template, params=params, now=now)
    from .workorders import request_refresh_status

    request_refresh_status(request=request, now=now, actor=actor)
    return request


@transaction.atomic
def request_comment(*, request: ServiceRequest, actor, text: str, internal: bool = True,
                    kind: str = EventKind.COMMENT) -> None:
    if not (text or "").strip():
        _fail({"text": [_("Write something.")]})
    event_add(request=request, kind=kind, actor=actor, message=text.strip(), internal=internal)
    if not internal:  # seen by the resident: what remained of the service-language check is counted
        wording_record(user=actor, project=request.project_id, source="comment", source_id=request.pk, text=text)
