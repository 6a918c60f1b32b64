"""Violations 违章: record (with photos), notice to the household, follow-up, escalate, refer, close; and the sweep
that escalates notices past their deadline. Every service takes ``actor`` and ``now``, checks the role, raises
ApplicationError (400 for bad input, 409 for a state that refuses) and writes nothing on failure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.customers.models import Occupancy
from propdesk.fees.services.dunning import occupant_mobiles
from propdesk.notify.services import notify_users, outbox_add
from propdesk.org.models import Building, CommonArea, Project, Room
from propdesk.renovation.models import Renovation
from propdesk.renovation.models.applications import ACTIVE_STATUSES as RENOVATION_ACTIVE
from propdesk.servicedesk.services.attachments import photos_prepare
from propdesk.servicedesk.services.people import project_managers
from propdesk.servicedesk.services.policy import policy_for
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from .. import rules
from ..models import (
    Authority,
    NoticeChannel,
    Violation,
    ViolationFollowUp,
    ViolationKind,
    ViolationNotice,
    ViolationPhoto,
    ViolationSource,
    ViolationStatus,
)

SMS_TEMPLATE = "violation_notice"  # 您的住房{room}有违章（{kind}），请于{deadline}前整改。详情请在住这儿App中查看。


def _need(actor, capability, message):
    if not user_can(actor, capability):
        raise PermissionDenied(message)


def _field(name: str, message) -> ApplicationError:
    return ApplicationError(_("Please correct the marked fields."), {"fields": {name: [str(message)]}})


def _conflict(message) -> ApplicationError:
    return ApplicationError(message, status_code=409)


def _locked(violation_id: int) -> Violation:
    return Violation.objects.select_for_update(of=("self",)).get(pk=violation_id)


def household_users(room_id: int, *, on: date) -> list:
    """The signed-up residents living in the home now (owners, family, tenants): who is told in the app."""
    return [o.resident.user for o in Occupancy.objects.current(on).filter(room_id=room_id, resident__user__isnull=False)
            .select_related("resident__user") if o.resident.user.is_active]


def default_deadline(*, project: Project, kind: str, today: date) -> date:
    """The default of a notice's deadline: working days of the project's calendar, by kind."""
    calendar = policy_for(project).calendar
    return rules.add_working_days(today, rules.DEFAULT_WORKING_DAYS.get(kind, 5), calendar.is_workday)


def _store_photos(*, violation, files, actor, now, follow_up=None, required: bool, name: str = "photos"):
    photos, problems = photos_prepare(list(files))
    if problems:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {name: problems}})
    if required and not photos:
        raise _field(name, _("Take at least one photo of the violation."))
    for photo in photos:
        row = ViolationPhoto(violation=violation, follow_up=follow_up, project_id=violation.project_id,
                             content_type=photo.content_type, size=photo.size, original_name=photo.original_name,
                             uploaded_at=now, uploaded_by=actor)
        row.file.save(f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False)
        row.save()


@dataclass
class ViolationInput:
    kind: str
    description: str
    project_id: int | None = None
    building_id: int | None = None
    room_code: str = ""
    room_id: int | None = None
    common_area_id: int | None = None
    location: str = ""
    finding_id: int | None = None
    request_id: int | None = None
    renovation_id: int | None = None  # None: the home's active renovation, if any; 0: none
    photos: list = field(default_factory=list)


def _pick(queryset, value, name, message):
    if value in (None, ""):
        return None
    found = queryset.filter(pk=value).first() if isinstance(value, int) or str(value).isdigit() else None
    if found is None:
        raise _field(name, message)
    return found


@transaction.atomic
def violation_record(*, actor, data: ViolationInput, now: datetime | None = None) -> Violation:
    """Record a violation with its photos (at least one); a home's violation is linked to the home's active
    renovation and its household is told in the app."""
    from propdesk.servicedesk.models import ServiceRequest
    from propdesk.stewardship.models import PatrolFinding

    now = now or timezone.now()
    _need(actor, Capability.RECORD_VIOLATIONS, _("Your role may not record violations."))
    errors: dict[str, list[str]] = {}
    if data.kind not in ViolationKind.values:
        errors["kind"] = [_("Pick what kind of violation it is.")]
    description = (data.description or "").strip()
    if not description:
        errors["description"] = [_("Describe what you saw.")]
    elif len(description) > 2000:
        errors["description"] = [_("At most 2000 characters.")]
    location = (data.location or "").strip()[:200]
    projects = Project.objects.restrict(actor)
    finding = request = None
    if data.finding_id:
        finding = _pick(PatrolFinding.objects.restrict(actor).select_related("request", "visit__checkpoint"),
                        data.finding_id, "finding_id", _("No such patrol finding in your scope."))
    if data.request_id:
        request = _pick(ServiceRequest.objects.restrict(actor), data.request_id, "request_id",
                        _("No such request in your scope."))
    project_id = data.project_id or (finding.project_id if finding else None) or (
        request.project_id if request else None)
    if project_id is None:
        own = list(projects.values_list("pk", flat=True)[:2])
        project_id = own[0] if len(own) == 1 else None
    project = projects.filter(pk=project_id).first() if project_id else None
    if project is None:
        raise _field("project_id", _("Pick the project."))
    for linked, name in ((finding, "finding_id"), (request, "request_id")):
        if linked is not None and linked.project_id != project.pk:
            errors[name] = [_("It belongs to another project.")]
    room = common_area = building = None
    if data.room_id or data.room_code.strip():
        rooms = Room.objects.filter(project=project)
        room = (rooms.filter(pk=data.room_id).first() if data.room_id
                else rooms.filter(code=data.room_code.strip()).first())
        if room is None:
            errors["room_code"] = [_("No such home in the project (a code like 3-2-1802).")]
    if data.common_area_id:
        common_area = CommonArea.objects.filter(project=project, pk=data.common_area_id).first()
        if common_area is None:
            errors["common_area_id"] = [_("No such common area in the project.")]
    if data.building_id:
        building = Building.objects.filter(project=project, pk=data.building_id).first()
        if building is None:
            errors["building_id"] = [_("No such building in the project.")]
    if room is None and common_area is None and not location and "room_code" not in errors:
        errors["location"] = [_("Say where: a home, a common area or the place in words.")]
    if room is not None:
        building = room.building
    elif common_area is not None and common_area.building_id and building is None:
        building = common_area.building
    renovation = None
    if data.renovation_id:
        renovation = Renovation.objects.filter(project=project, pk=data.renovation_id,
                                               room=room).first() if room else None
        if renovation is None:
            errors["renovation_id"] = [_("No such renovation of this home.")]
    elif data.renovation_id is None and room is not None:
        renovation = (Renovation.objects.filter(room=room, status__in=RENOVATION_ACTIVE)
                      .order_by("-created_at").first())
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    source = (ViolationSource.PATROL if finding else ViolationSource.RESIDENT if request else ViolationSource.STAFF)
    violation = Violation.objects.create(
        project=project, building=building, room=room, common_area=common_area, location=location, kind=data.kind,
        description=description, source=source, finding=finding, request=request, renovation=renovation,
        recorded_at=now, recorded_by=actor)
    _store_photos(violation=violation, files=data.photos, actor=actor, now=now, required=True)
    if room is not None:
        notify_users(users=household_users(room.pk, on=timezone.localdate(now)), event=f"violation:{violation.pk}",
                     kind="violation", title=_("A violation was recorded at your home %(code)s: %(kind)s") % {
                         "code": room.code, "kind": violation.get_kind_display()},
                     body=_("The service center will send you a notice with what to put right and by when."),
                     url=reverse("violations:my_violations"), email=False)
    return violation


@transaction.atomic
def notice_issue(*, actor, violation_id: int, text: str, deadline: date | None, channel: str,
                 now: datetime | None = None) -> ViolationNotice:
    """A notice 违章整改通知书 to the home's household, with a deadline in the future; sent in the app (and by SMS),
    or recorded as printed and delivered by hand. The violation is then notified (an escalated one stays so)."""
    now = now or timezone.now()
    _need(actor, Capability.HANDLE_VIOLATIONS, _("Your role may not issue violation notices."))
    violation = _locked(violation_id)
    if violation.status not in rules.NOTICE_FROM:
        raise _conflict(_("A notice cannot be issued on a violation that is %(status)s.") % {
            "status": violation.get_status_display()})
    if violation.room_id is None:
        raise _conflict(_("A notice goes to a household: this violation is not at a home."))
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("Write what the household must put right.")]
    elif len(text) > 2000:
        errors["text"] = [_("At most 2000 characters.")]
    today = timezone.localdate(now)
    if deadline is None:
        errors["deadline"] = [_("Give the deadline.")]
    elif deadline <= today:
        errors["deadline"] = [_("The deadline must be after today.")]
    if channel not in NoticeChannel.values:
        errors["channel"] = [_("Pick how the notice reaches the household.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    notice = ViolationNotice.objects.create(violation=violation, project_id=violation.project_id,
                                            room_id=violation.room_id, text=text, deadline=deadline, channel=channel,
                                            sent_at=now, sent_by=actor)
    violation.deadline = deadline
    if violation.status == ViolationStatus.OPEN:
        violation.status = ViolationStatus.NOTIFIED
    violation.save(update_fields=["deadline", "status"])
    room = violation.room
    if channel in (NoticeChannel.APP, NoticeChannel.SMS):
        notify_users(users=household_users(room.pk, on=today), event=f"violation-notice:{notice.pk}",
                     kind="violation_notice", title=_("Violation notice for %(code)s: put right by %(deadline)s") % {
                         "code": room.code, "deadline": deadline.isoformat()},
                     body=text[:500], url=reverse("violations:my_notice", args=[notice.pk]), email=False)
    if channel == NoticeChannel.SMS:  # one text per current occupant, as the fees reminders do
        for phone in occupant_mobiles(room_ids=[room.pk], on=today).get(room.pk, []):
            outbox_add(channel="sms", to=phone, key=f"violation-notice:{notice.pk}:sms:{phone}",
                       template=SMS_TEMPLATE, project=violation.project, now=now,
                       params={"room": room.code, "kind": violation.get_kind_display(),
                               "deadline": deadline.isoformat()})
    return notice


def _escalate(violation: Violation, *, actor, now: datetime, reason: str) -> None:
    violation.status = ViolationStatus.ESCALATED
    violation.escalated_at = now
    violation.escalated_by = actor
    violation.escalation_reason = reason[:500]
    violation.save(update_fields=["status", "escalated_at", "escalated_by", "escalation_reason"])
    place = violation.room.code if violation.room_id else (violation.location or violation.get_kind_display())
    notify_users(users=project_managers(violation.project_id), event=f"violation-escalated:{violation.pk}",
                 kind="violation_escalated", title=_("Violation %(number)s escalated: %(kind)s, %(place)s") % {
                     "number": violation.number, "kind": violation.get_kind_display(), "place": place},
                 body=reason[:500], url=reverse("violations:violation_detail", args=[violation.pk]), email=False)


@transaction.atomic
def follow_up_record(*, actor, violation_id: int, fixed: bool | None, note: str = "", photos=(),
                     now: datetime | None = None) -> ViolationFollowUp:
    """A follow-up inspection: put right → rectified; not put right after the deadline → escalated to the PM."""
    now = now or timezone.now()
    _need(actor, Capability.HANDLE_VIOLATIONS, _("Your role may not record follow-ups of violations."))
    violation = _locked(violation_id)
    if violation.status not in rules.FOLLOW_UP_FROM:
        raise _conflict(_("A follow-up cannot be recorded on a violation that is %(status)s.") % {
            "status": violation.get_status_display()})
    note = (note or "").strip()
    if fixed is None:
        raise _field("fixed", _("Say whether it was put right."))
    if not fixed and not note:
        raise _field("note", _("Say what is still wrong."))
    if len(note) > 500:
        raise _field("note", _("At most 500 characters."))
    follow_up = ViolationFollowUp.objects.create(violation=violation, project_id=violation.project_id, at=now,
                                                 by=actor, fixed=fixed, note=note)
    _store_photos(violation=violation, files=photos, actor=actor, now=now, follow_up=follow_up, required=False)
    today = timezone.localdate(now)
    if fixed:
        violation.status = ViolationStatus.RECTIFIED
        violation.save(update_fields=["status"])
    elif violation.status == ViolationStatus.NOTIFIED and rules.overdue(
            status=violation.status, deadline=violation.deadline, today=today):
        _escalate(violation, actor=actor, now=now, reason=_("Not put right by the deadline %(deadline)s: %(note)s") % {
            "deadline": violation.deadline.isoformat(), "note": note})
    return follow_up


@transaction.atomic
def violation_escalate(*, actor, violation_id: int, reason: str, now: datetime | None = None) -> Violation:
    now = now or timezone.now()
    _need(actor, Capability.ESCALATE_VIOLATIONS, _("Your role may not escalate violations."))
    violation = _locked(violation_id)
    if violation.status not in rules.ESCALATE_FROM:
        raise _conflict(_("A violation that is %(status)s cannot be escalated.") % {
            "status": violation.get_status_display()})
    reason = (reason or "").strip()
    if not reason:
        raise _field("reason", _("Say why it is escalated."))
    _escalate(violation, actor=actor, now=now, reason=reason)
    return violation


@transaction.atomic
def violation_refer(*, actor, violation_id: int, authority: str, note: str, now: datetime | None = None) -> Violation:
    """The PM flags an escalated violation for referral to an authority (城管, 公安, 消防, 街道办, 住建)."""
    now = now or timezone.now()
    _need(actor, Capability.ESCALATE_VIOLATIONS, _("Your role may not refer violations to the authorities."))
    violation = _locked(violation_id)
    if violation.status not in rules.REFER_FROM:
        raise _conflict(_("Only an escalated violation can be referred; this one is %(status)s.") % {
            "status": violation.get_status_display()})
    errors = {}
    if authority not in Authority.values:
        errors["authority"] = [_("Pick the authority.")]
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Say what the authority is asked to do.")]
    elif len(note) > 1000:
        errors["note"] = [_("At most 1000 characters.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    violation.status = ViolationStatus.REFERRED
    violation.referral_authority, violation.referral_note = authority, note
    violation.referred_at, violation.referred_by = now, actor
    violation.save(update_fields=["status", "referral_authority", "referral_note", "referred_at", "referred_by"])
    return violation


@transaction.atomic
def violation_close(*, actor, violation_id: int, outcome: str, now: datetime | None = None) -> Violation:
    now = now or timezone.now()
    _need(actor, Capability.HANDLE_VIOLATIONS, _("Your role may not close violations."))
    violation = _locked(violation_id)
    if violation.status not in rules.CLOSE_FROM:
        raise _conflict(_("This violation is already closed."))
    if violation.status in rules.CLOSE_NEEDS_ESCALATE and not user_can(actor, Capability.ESCALATE_VIOLATIONS):
        raise PermissionDenied(_("The project manager closes a violation that was escalated."))
    outcome = (outcome or "").strip()
    if not outcome:
        raise _field("outcome", _("Say how it ended."))
    if len(outcome) > 1000:
        raise _field("outcome", _("At most 1000 characters."))
    violation.status = ViolationStatus.CLOSED
    violation.closed_at, violation.closed_by, violation.outcome = now, actor, outcome
    violation.save(update_fields=["status", "closed_at", "closed_by", "outcome"])
    return violation


@transaction.atomic
def violation_link_renovation(*, actor, violation_id: int, renovation_id: int | None,
                              now: datetime | None = None) -> Violation:
    """Change the renovation a home's violation is linked to (any renovation of the same home), or unlink it."""
    _need(actor, Capability.HANDLE_VIOLATIONS, _("Your role may not change violations."))
    violation = _locked(violation_id)
    if violation.status == ViolationStatus.CLOSED:
        raise _conflict(_("This violation is already closed."))
    renovation = None
    if renovation_id:
        renovation = (Renovation.objects.filter(pk=renovation_id, room_id=violation.room_id).first()
                      if violation.room_id else None)
        if renovation is None:
            raise _field("renovation_id", _("No such renovation of this home."))
    violation.renovation = renovation
    violation.save(update_fields=["renovation"])
    return violation


def violations_sweep(*, now: datetime | None = None) -> int:
    """Notices past their deadline and not put right: escalated to the PM, once each (an escalated violation is no
    longer notified). Returns how many were escalated."""
    now = now or timezone.now()
    done = 0
    candidates = Violation.objects.filter(status=ViolationStatus.NOTIFIED, deadline__isnull=False).select_related(
        "project").only("pk", "deadline", "project__timezone")
    for violation in candidates.iterator(chunk_size=500):
        if violation.deadline >= timezone.localdate(now, timezone=_zone(violation.project)):
            continue
        with transaction.atomic():
            locked = Violation.objects.select_for_update(of=("self",)).select_related("room").get(pk=violation.pk)
            if locked.status != ViolationStatus.NOTIFIED:
                continue
            _escalate(locked, actor=None, now=now, reason=_("The deadline %(deadline)s passed with no follow-up "
                                                           "finding it put right.") % {
                "deadline": locked.deadline.isoformat()})
            done += 1
    return done


def _zone(project):
    from zoneinfo import ZoneInfo

    return ZoneInfo(project.timezone or "Asia/Shanghai")
