"""Renovation applications 装修申请: apply (resident app or desk), withdraw, decide (approve, approve with conditions,
refuse), and the project's rules. Approval charges the deposit and the debris-removal fee through the fees module,
issues the permit and the workers' passes and puts the home under renovation, in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.scoping import scope_of
from propdesk.customers.models import Occupancy
from propdesk.customers.rules.phones import InvalidNumber, validate_id_number
from propdesk.fees.choices import FeeKind
from propdesk.fees.models import FeeItem
from propdesk.fees.services.deposits import deposit_charge
from propdesk.notify.services import notify_user, notify_users
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Project, Room
from propdesk.servicedesk.services.attachments import photos_prepare
from propdesk.servicedesk.services.policy import policy_for
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import (
    OPEN_STATUSES,
    Channel,
    Decision,
    PhotoKind,
    Renovation,
    RenovationItem,
    RenovationPhoto,
    RenovationSettings,
    RenovationStatus,
    RenovationWorker,
)
from ..rules import items as item_rules
from ..rules.hours import hours_of, period_problems
from ..rules.settings import DEFAULTS

MAX_WORKERS = 30
TEXT_MAX = {"contractor_name": 100, "contractor_licence": 50, "contractor_contact": 50, "contractor_phone": 24,
            "applicant_name": 50, "applicant_phone": 24, "description": 2000}


@dataclass
class WorkerInput:
    name: str = ""
    id_number: str = ""
    trade: str = ""
    phone: str = ""


@dataclass
class ApplicationInput:
    room_id: int | None = None
    applicant_id: int | None = None  # the desk names the resident it applies for; the app applies as its user
    contractor_name: str = ""
    contractor_licence: str = ""
    contractor_contact: str = ""
    contractor_phone: str = ""
    planned_start: date | None = None
    planned_end: date | None = None
    description: str = ""
    items: list[str] = field(default_factory=list)
    workers: list[WorkerInput] = field(default_factory=list)
    photos: list = field(default_factory=list)


def settings_of(project_id: int, *, for_update: bool = False) -> RenovationSettings:
    """The project's rules: the saved row or an unsaved one with the defaults."""
    qs = RenovationSettings.objects.filter(project_id=project_id)
    if for_update:
        qs = qs.select_for_update()
    row = qs.first()
    if row is None:
        row = RenovationSettings(project_id=project_id, updated_at=timezone.now(), **DEFAULTS)
    return row


def _fields(errors: dict, status: int = 400) -> ApplicationError:
    return ApplicationError(_("Please correct the marked fields."), {"fields": errors}, status_code=status)


def _conflict(name: str, message: str) -> ApplicationError:
    return ApplicationError(message, {"fields": {name: [message]}}, status_code=409)


def _is_resident(actor) -> int | None:
    return scope_of(actor).resident_id


def _room_for(actor, room_id) -> Room:
    """The home the actor may apply for: a resident's current home, a staff member's home in scope (else 404)."""
    resident_id = _is_resident(actor)
    if resident_id:
        occupancy = (Occupancy.objects.current().filter(resident_id=resident_id, room_id=room_id)
                     .select_related("room").first())
        if occupancy is None:
            raise Room.DoesNotExist("not a home of the resident")
        return occupancy.room
    if not user_can(actor, Capability.RECORD_RENOVATIONS):
        raise PermissionDenied(_("Your role may not take renovation applications."))
    return Room.objects.restrict(actor).get(pk=room_id)


def _check_workers(workers: list[WorkerInput], errors: dict) -> list[WorkerInput]:
    clean = []
    for position, worker in enumerate(workers, start=1):
        name = (worker.name or "").strip()[:50]
        raw_id = (worker.id_number or "").strip()
        if not name and not raw_id and not (worker.phone or "").strip():
            continue  # an empty row of the form
        if not name:
            errors.setdefault("workers", []).append(_("Worker %(n)d: enter the name.") % {"n": position})
        if not raw_id:
            errors.setdefault("workers", []).append(
                _("Worker %(n)d (%(name)s): an ID number is required for every worker.")
                % {"n": position, "name": name or "?"})
            continue
        try:
            id_number = validate_id_number(raw_id)
        except InvalidNumber:
            errors.setdefault("workers", []).append(
                _("Worker %(n)d (%(name)s): this is not a valid ID number.") % {"n": position, "name": name or "?"})
            continue
        clean.append(WorkerInput(name=name, id_number=id_number, trade=(worker.trade or "").strip()[:30],
                                 phone=(worker.phone or "").strip()[:24]))
    if not clean and "workers" not in errors:
        errors["workers"] = [_("List at least one worker of the contractor, with the ID number.")]
    if len(clean) > MAX_WORKERS:
        errors["workers"] = [_("At most %(n)d workers.") % {"n": MAX_WORKERS}]
    return clean


def _next_number(project: Project, day: date) -> str:
    prefix = f"ZX{(project.number_prefix or project.code).upper()}{day:%y%m%d}"
    taken = Renovation.objects.filter(project_id=project.pk, number__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


def _store_photo(renovation, photo, *, kind, actor, now, worker=None) -> RenovationPhoto:
    row = RenovationPhoto(renovation=renovation, worker=worker, kind=kind, content_type=photo.content_type,
                          size=photo.size, original_name=(photo.original_name or "")[:200], uploaded_by=actor,
                          uploaded_at=now)
    row.file.save(f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False)
    row.save()
    return row


def renovation_apply(*, actor, data: ApplicationInput, worker_photos: dict | None = None,
                     now: datetime | None = None) -> Renovation:
    """A resident of the home (any relation) applies in the app, or the desk (RECORD_RENOVATIONS) for a named
    resident. Refused items, a worker without an ID number, a bad period or photo: field errors, nothing written.
    A second open application of the home: 409. ``worker_photos``: {worker position (0-based): uploaded file}."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    room = _room_for(actor, data.room_id)  # DoesNotExist: another household's or scope's home (404)
    resident_id = _is_resident(actor)
    errors: dict[str, list[str]] = {}
    values = {name: (getattr(data, name, "") or "").strip() for name in
              ("contractor_name", "contractor_licence", "contractor_contact", "contractor_phone", "description")}
    for name in ("contractor_name", "contractor_contact", "contractor_phone"):
        if not values[name]:
            errors[name] = [_("This field is required.")]
    for name, value in values.items():
        if len(value) > TEXT_MAX[name]:
            errors.setdefault(name, []).append(_("At most %(n)d characters.") % {"n": TEXT_MAX[name]})
    # The applicant: the app's resident, or the resident the desk names (a current occupant of the home).
    applicant_id = resident_id or data.applicant_id
    occupancy = (Occupancy.objects.current(today).filter(room_id=room.pk, resident_id=applicant_id)
                 .select_related("resident").first() if applicant_id else None)
    if occupancy is None:
        errors["applicant"] = [_("Choose a resident of this home.")]
    settings = settings_of(room.project_id)
    codes = [c for c in dict.fromkeys(data.items or []) if c]
    check = item_rules.items_check(codes, forbidden_items=settings.forbidden_items or [],
                                   flagged_items=settings.flagged_items or [],
                                   balcony_closing_banned=settings.balcony_closing_banned)
    if not codes:
        errors["items"] = [_("Choose at least one work item.")]
    for code in check.unknown:
        errors.setdefault("items", []).append(_("Unknown work item: %(code)s.") % {"code": code[:32]})
    for verdict in check.refused:
        errors.setdefault("items", []).append(_("%(item)s is not permitted: %(rule)s")
                                              % {"item": verdict.label, "rule": verdict.rule})
    workers = _check_workers(list(data.workers or []), errors)
    calendar = policy_for(room.project).calendar
    errors.update({k: errors.get(k, []) + v for k, v in period_problems(
        data.planned_start, data.planned_end, today=today, hours=hours_of(settings), max_days=settings.max_days,
        is_workday=calendar.is_workday).items()})
    photos, problems = photos_prepare(list(data.photos or []))
    if problems:
        errors["photos"] = problems
    prepared_worker_photos = {}
    for position, upload in (worker_photos or {}).items():
        prepared, problems = photos_prepare([upload])
        if problems:
            errors.setdefault("workers", []).extend(problems)
        elif prepared and int(position) < len(workers):
            prepared_worker_photos[int(position)] = prepared[0]
    if errors:
        raise _fields(errors)
    resident = occupancy.resident
    try:
        with transaction.atomic():
            project = Project.objects.select_for_update().get(pk=room.project_id)  # numbers in turn per project
            if Renovation.objects.filter(room_id=room.pk, status__in=OPEN_STATUSES).exists():
                raise _conflict("room", _("This home already has an open renovation application."))
            phone = resident.phones.order_by("id").values_list("number", flat=True).first() or ""
            renovation = Renovation.objects.create(
                project=project, building_id=room.building_id, room=room, number=_next_number(project, today),
                channel=Channel.APP if resident_id else Channel.DESK, applicant=resident,
                applicant_name=resident.name[:50], applicant_phone=phone[:24],
                contractor_name=values["contractor_name"], contractor_licence=values["contractor_licence"],
                contractor_contact=values["contractor_contact"], contractor_phone=values["contractor_phone"],
                planned_start=data.planned_start, planned_end=data.planned_end, description=values["description"],
                flags=[{"code": v.code, "label": v.label, "rule": v.rule} for v in check.flagged],
                created_at=now, created_by=actor)
            flagged = {v.code for v in check.flagged}
            RenovationItem.objects.bulk_create([RenovationItem(renovation=renovation, code=code,
                                                               flagged=code in flagged) for code in codes])
            for position, worker in enumerate(workers):
                row = RenovationWorker.objects.create(renovation=renovation, name=worker.name, trade=worker.trade,
                                                      phone=worker.phone, id_number=worker.id_number)
                if position in prepared_worker_photos:
                    _store_photo(renovation, prepared_worker_photos[position], kind=PhotoKind.WORKER, actor=actor,
                                 now=now, worker=row)
            for photo in photos:
                _store_photo(renovation, photo, kind=PhotoKind.DRAWING, actor=actor, now=now)
    except IntegrityError:  # a second application of the home at the same instant
        raise _conflict("room", _("This home already has an open renovation application.")) from None
    _tell_approvers(renovation)
    return renovation


def _tell_approvers(renovation: Renovation) -> None:
    from propdesk.staff.models import StaffProfile

    managers = [p.user for p in StaffProfile.objects.filter(project_id=renovation.project_id, role="project_manager",
                                                           is_active=True).select_related("user")]
    url = reverse("renovation:detail", args=[renovation.pk])
    transaction.on_commit(lambda: notify_users(
        users=managers, event=f"renovation:{renovation.pk}:submitted", kind="renovation_submitted",
        title=_("Renovation application %(number)s of %(room)s waits for approval")
        % {"number": renovation.number, "room": renovation.room.code}, url=url))


def _may_act_for(actor, renovation: Renovation) -> bool:
    resident_id = _is_resident(actor)
    if resident_id:
        return Occupancy.objects.current().filter(resident_id=resident_id, room_id=renovation.room_id).exists()
    return user_can(actor, Capability.RECORD_RENOVATIONS)


def renovation_get(*, actor, renovation_id: int, for_update: bool = False) -> Renovation:
    qs = Renovation.objects.restrict(actor).select_related("room", "project")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=renovation_id)


def renovation_withdraw(*, actor, renovation_id: int, reason: str = "", now: datetime | None = None) -> Renovation:
    """The applicant's household or the desk withdraws: before approval, or after it while work has not started
    (before the planned start). An approved home gets its status back; bills already issued stay with the desk."""
    now = now or timezone.now()
    with transaction.atomic():
        renovation = renovation_get(actor=actor, renovation_id=renovation_id, for_update=True)
        if not _may_act_for(actor, renovation):
            raise PermissionDenied(_("Your role may not withdraw renovation applications."))
        started = renovation.planned_start <= timezone.localdate(now)
        if renovation.status == RenovationStatus.APPROVED and started:
            raise _conflict("status", _("Work has started: the renovation can no longer be withdrawn."))
        if renovation.status not in (RenovationStatus.SUBMITTED, RenovationStatus.APPROVED):
            raise _conflict("status", _("Only an application waiting for approval or approved and not started can "
                                        "be withdrawn."))
        if renovation.status == RenovationStatus.APPROVED:
            Room.objects.filter(pk=renovation.room_id, status=RoomStatus.RENOVATING).update(
                status=renovation.room_status_before or RoomStatus.OCCUPIED)
        renovation.status = RenovationStatus.WITHDRAWN
        renovation.closed_at = now
        note = (reason or "").strip()[:1000]
        if note and not renovation.decision:  # the reason of a withdrawal before any decision; a decision keeps its own
            renovation.decision_note = note
        renovation.save(update_fields=["status", "closed_at", "decision_note", "updated_at"])
    return renovation


def _item(project_id: int, *, kind: str, code: str, name: str) -> FeeItem:
    item = FeeItem.objects.filter(project_id=project_id, code=code).first()
    if item is None:
        item = FeeItem.objects.create(project_id=project_id, code=code, name=name, kind=kind, unit="户",
                                      from_handover=False, position=90)
    return item


def renovation_decide(*, actor, renovation_id: int, decision: str, conditions: str = "", note: str = "",
                      now: datetime | None = None) -> Renovation:
    """APPROVE_RENOVATIONS decides an application waiting for approval. Approval (with or without conditions)
    charges the deposit and the debris fee, sets the permit and pass numbers and puts the home under renovation."""
    now = now or timezone.now()
    if not user_can(actor, Capability.APPROVE_RENOVATIONS):
        raise PermissionDenied(_("Your role may not decide renovation applications."))
    conditions = (conditions or "").strip()
    note = (note or "").strip()
    if decision not in Decision.values:
        raise _fields({"decision": [_("Choose approve, approve with conditions or refuse.")]})
    if len(conditions) > 1000 or len(note) > 1000:
        raise _fields({"conditions" if len(conditions) > 1000 else "note": [_("At most 1000 characters.")]})
    with transaction.atomic():
        renovation = renovation_get(actor=actor, renovation_id=renovation_id, for_update=True)
        if renovation.status != RenovationStatus.SUBMITTED:
            raise _conflict("status", _("This application has already been decided or withdrawn."))
        if decision == Decision.CONDITIONS and not conditions:
            raise _fields({"conditions": [_("Write the conditions of the approval.")]})
        if decision == Decision.REFUSED and not note:
            raise _fields({"note": [_("Give the reasons for the refusal.")]})
        if decision != Decision.REFUSED and renovation.flags and not (conditions or note):
            raise _fields({"conditions": [_("This application is flagged (%(items)s): approve it with conditions or "
                                            "a note that answers the flag.")
                                          % {"items": "、".join(f["label"] for f in renovation.flags)}]})
        renovation.decision = decision
        renovation.conditions = conditions if decision != Decision.REFUSED else ""
        renovation.decision_note = note
        renovation.decided_by = actor
        renovation.decided_at = now
        if decision == Decision.REFUSED:
            renovation.status = RenovationStatus.REFUSED
            renovation.closed_at = now
        else:
            _approve(renovation, actor=actor, now=now)
        renovation.save()
    _tell_decision(renovation)
    return renovation


def _approve(renovation: Renovation, *, actor, now: datetime) -> None:
    settings = settings_of(renovation.project_id, for_update=True)
    if settings.pk is None:
        settings.save()
    if settings.deposit_item_id is None:
        settings.deposit_item = _item(renovation.project_id, kind=FeeKind.DEPOSIT, code="renovation-deposit",
                                      name="装修押金")
    if settings.fee_item_id is None:
        settings.fee_item = _item(renovation.project_id, kind=FeeKind.ONE_OFF, code="renovation-debris",
                                  name="装修垃圾清运费")
    settings.save(update_fields=["deposit_item", "fee_item"])
    room = Room.objects.select_for_update().get(pk=renovation.room_id)
    if settings.deposit_fen:
        renovation.deposit_bill = deposit_charge(room=room, item=settings.deposit_item, amount_fen=settings.deposit_fen,
                                                 note=f"装修押金 {renovation.number}", actor=actor, now=now)
    if settings.fee_fen:
        renovation.fee_bill = deposit_charge(room=room, item=settings.fee_item, amount_fen=settings.fee_fen,
                                             note=f"装修垃圾清运费 {renovation.number}", actor=actor, now=now)
    renovation.permit_number = "XK" + renovation.number[2:]
    for position, worker in enumerate(renovation.workers.order_by("id"), start=1):
        worker.pass_number = f"{renovation.permit_number}-{position:02d}"
        worker.save(update_fields=["pass_number"])
    renovation.room_status_before = room.status if room.status != RoomStatus.RENOVATING else RoomStatus.OCCUPIED
    room.status = RoomStatus.RENOVATING
    room.save(update_fields=["status"])
    renovation.status = RenovationStatus.APPROVED


def _tell_decision(renovation: Renovation) -> None:
    from propdesk.stewardship.selectors.zones import steward_by_building

    resident = renovation.applicant
    words = {Decision.APPROVED: _("approved"), Decision.CONDITIONS: _("approved with conditions"),
             Decision.REFUSED: _("refused")}[renovation.decision]
    title = _("Your renovation application %(number)s for %(room)s: %(decision)s") % {
        "number": renovation.number, "room": renovation.room.code, "decision": words}
    event = f"renovation:{renovation.pk}:{renovation.decision}"

    def tell():
        if resident is not None and resident.user_id:
            notify_user(user=resident.user, kind="renovation_decided", title=title, email=False,
                        url=reverse("renovation:my_detail", args=[renovation.pk]), key=f"{event}:resident")
        if renovation.decision != Decision.REFUSED:
            steward = steward_by_building([renovation.building_id]).get(renovation.building_id)
            if steward is not None:
                notify_users(users=[steward], event=event, kind="renovation_approved", url=reverse(
                    "renovation:detail", args=[renovation.pk]),
                    title=_("Renovation of %(room)s approved (%(start)s–%(end)s): inspect it")
                    % {"room": renovation.room.code, "start": renovation.planned_start,
                       "end": renovation.planned_end})

    transaction.on_commit(tell)


SETTINGS_FIELDS = ("forbidden_items", "flagged_items", "balcony_closing_banned", "work_start", "work_end",
                   "noon_quiet_start", "noon_quiet_end", "quiet_days", "max_days", "deposit_fen", "fee_fen",
                   "inspect_every_days", "checklist")


def renovation_settings_update(*, actor, project_id: int, values: dict, now: datetime | None = None
                               ) -> RenovationSettings:
    """EDIT_RENOVATION_RULES sets the project's rules; only the keys given change."""
    now = now or timezone.now()
    if not user_can(actor, Capability.EDIT_RENOVATION_RULES):
        raise PermissionDenied(_("Your role may not change the renovation rules."))
    project = Project.objects.restrict(actor).get(pk=project_id)  # DoesNotExist: 404
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    for name in ("forbidden_items", "flagged_items"):
        if name in values:
            codes = [c for c in dict.fromkeys(values[name] or []) if c]
            bad = [c for c in codes if c not in item_rules.BY_CODE]
            if bad:
                errors[name] = [_("Unknown work item: %(code)s.") % {"code": ", ".join(bad)[:60]}]
            clean[name] = codes
    for name in ("work_start", "work_end", "noon_quiet_start", "noon_quiet_end"):
        if name in values:
            if not isinstance(values[name], time):
                errors[name] = [_("Enter a time like 08:00.")]
            clean[name] = values[name]
    if "quiet_days" in values:
        days = []
        for value in values["quiet_days"] or []:
            try:
                days.append(value if isinstance(value, date) else date.fromisoformat(str(value).strip()))
            except ValueError:
                errors["quiet_days"] = [_("Enter dates like 2027-06-07, one a line.")]
        clean["quiet_days"] = sorted({d.isoformat() for d in days})
    limits = {"max_days": (1, 366), "deposit_fen": (0, 10_000_000), "fee_fen": (0, 10_000_000),
              "inspect_every_days": (1, 30)}
    for name, (low, high) in limits.items():
        if name in values:
            try:
                number = int(values[name])
            except (TypeError, ValueError):
                number = None
            if number is None or not low <= number <= high:
                errors[name] = [_("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}]
            clean[name] = number
    if "balcony_closing_banned" in values:
        clean["balcony_closing_banned"] = bool(values["balcony_closing_banned"])
    if "checklist" in values:
        items = [str(i).strip()[:100] for i in values["checklist"] or [] if str(i).strip()]
        clean["checklist"] = list(dict.fromkeys(items))[:50]
    if not errors:
        start = clean.get("work_start")
        end = clean.get("work_end")
        if start and end and start >= end:
            errors["work_end"] = [_("Work must end after it starts.")]
    if errors:
        raise _fields(errors)
    with transaction.atomic():
        row = settings_of(project.pk, for_update=True)
        for name, value in clean.items():
            setattr(row, name, value)
        row.updated_at = now
        row.updated_by = actor
        row.save()
    return row


def resident_ids_of(actor) -> int | None:
    return _is_resident(actor)


__all__ = ["ApplicationInput", "WorkerInput", "renovation_apply", "renovation_decide", "renovation_settings_update",
           "renovation_withdraw", "settings_of", "worker_id_reveal"]


@transaction.atomic
def worker_id_reveal(*, user, worker: RenovationWorker, ip: str | None = None) -> str:
    """A worker's full ID number, for roles that may see full ID numbers (REVEAL_ID); every reveal is logged."""
    from propdesk.core.models import AuditAction, AuditLog

    if not user_can(user, Capability.REVEAL_ID):
        raise PermissionDenied(_("Your role may not see full ID numbers."))
    AuditLog.objects.create(actor=user, action=AuditAction.REVEAL_ID, target_type="renovation.renovationworker",
                            target_id=str(worker.pk), target_label=worker.masked_id_number,
                            detail={"renovation_id": worker.renovation_id}, ip=ip)
    return worker.id_number
