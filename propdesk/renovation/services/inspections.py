"""Renovation inspections 巡检, rectification 整改, completion acceptance 验收 and the deposit refund, and the
neighbours' complaints linked to a renovation. Every write is one transaction under the renovation's row lock;
nothing is written when anything is refused."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.customers.models import Occupancy
from propdesk.fees.services.adjustments import yuan
from propdesk.fees.services.deposits import deposit_held_fen, deposit_refund
from propdesk.notify.services import notify_users
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Room
from propdesk.servicedesk.models import ServiceRequest
from propdesk.servicedesk.services.attachments import photos_prepare
from propdesk.servicedesk.services.people import project_managers
from propdesk.servicedesk.services.policy import policy_for
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import (
    ACTIVE_STATUSES,
    AcceptanceApproval,
    InspectionKind,
    RectificationStatus,
    Renovation,
    RenovationAcceptance,
    RenovationComplaint,
    RenovationInspection,
    RenovationInspectionItem,
    RenovationInspectionPhoto,
    RenovationRectification,
    RenovationSettings,
    RenovationStatus,
)
from ..rules.settings import DEFAULT_CHECKLIST

RECTIFY_WORKING_DAYS = 2
REINSPECT_AFTER = timedelta(minutes=10)  # a failed re-inspection sooner than this after the last one is a duplicate
MAX_NOTE = 500
MAX_DEDUCTIONS = 20
MAX_REASON = 100
# Words in a request that suggest it is about a renovation next door.
NOISE_WORDS = ("装修", "噪音", "电钻", "敲打")
NOISE_RE = re.compile("|".join(NOISE_WORDS))
# Statuses in which the work goes on and is inspected (accepted: the work is done, only the refund waits).
INSPECTED_STATUSES = (RenovationStatus.APPROVED, RenovationStatus.ACCEPTANCE_REQUESTED)


def _fields(message: str, errors: dict, status: int = 400) -> ApplicationError:
    return ApplicationError(message, {"fields": errors}, status_code=status)


def _field(name: str, message: str, status: int = 400) -> ApplicationError:
    return _fields(message, {name: [message]}, status)


def _require(actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise PermissionDenied(_("Your role may not do this."))


def checklist_of(project_id: int) -> list[str]:
    """The project's inspection checklist (its renovation rules), the defaults until the PM sets one."""
    row = RenovationSettings.objects.filter(project_id=project_id).only("checklist").first()
    items = [str(item).strip()[:100] for item in (row.checklist if row else []) if str(item).strip()]
    return items or list(DEFAULT_CHECKLIST)


def rectify_deadline(project, start: date, working_days: int = RECTIFY_WORKING_DAYS) -> date:
    """The ``working_days``-th working day of the project's calendar after ``start``."""
    calendar = policy_for(project).calendar
    day, left = start, max(1, working_days)
    while left:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            left -= 1
    return day


def household_users(room_id: int, on: date) -> list:
    """The app users of the people living in the home (they get the notices)."""
    return [o.resident.user for o in Occupancy.objects.current(on).filter(room_id=room_id, resident__user__isnull=False)
            .select_related("resident__user")]


def _lock(renovation_id: int) -> Renovation:
    return Renovation.objects.select_for_update().select_related("project", "room").get(pk=renovation_id)


@dataclass
class ItemAnswer:
    label: str
    passed: bool | None
    note: str = ""


@dataclass
class InspectionInput:
    answers: list[ItemAnswer]
    note: str = ""
    photos: list = field(default_factory=list)


def item_field(position: int) -> str:
    return f"item_{position}"


def _answer_errors(checklist: list[str], data: InspectionInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    given: dict[str, ItemAnswer] = {}
    for answer in data.answers:
        if answer.label not in checklist:
            errors.setdefault("items", []).append(_("“%(item)s” is not on this project's checklist.")
                                                  % {"item": answer.label[:100]})
        elif answer.label in given:
            errors.setdefault(item_field(checklist.index(answer.label)), []).append(
                _("“%(item)s” is answered twice.") % {"item": answer.label})
        given[answer.label] = answer
    for position, label in enumerate(checklist):
        answer = given.get(label)
        if answer is None or answer.passed is None:
            errors.setdefault(item_field(position), []).append(_("“%(item)s”: say whether it passes.")
                                                               % {"item": label})
        elif not answer.passed and not answer.note.strip():
            errors.setdefault(item_field(position), []).append(_("“%(item)s” fails: say what must be fixed.")
                                                               % {"item": label})
        elif len(answer.note) > MAX_NOTE:
            errors.setdefault(item_field(position), []).append(_("A note has at most %(n)d characters.")
                                                               % {"n": MAX_NOTE})
    if len(data.note) > MAX_NOTE:
        errors["note"] = [_("A note has at most %(n)d characters.") % {"n": MAX_NOTE}]
    return errors


def _already_error() -> ApplicationError:
    return _field("renovation", _("This renovation has already been inspected today: open it to see the "
                                  "inspection."), status=409)


def _not_inspected_error(renovation: Renovation) -> ApplicationError:
    return _field("renovation", _("Renovation %(number)s is %(status)s: it is not inspected now.") % {
        "number": renovation.number, "status": renovation.get_status_display()}, status=409)


def _open_rectification(renovation: Renovation):
    return (RenovationRectification.objects.select_for_update()
            .filter(renovation=renovation, status__in=(RectificationStatus.OPEN, RectificationStatus.OVERDUE))
            .order_by("created_at", "id").first())


def _store_photos(inspection: RenovationInspection, photos, now: datetime) -> None:
    for index, photo in enumerate(photos):
        row = RenovationInspectionPhoto(inspection=inspection, content_type=photo.content_type, uploaded_at=now)
        row.file.save(f"r{inspection.renovation_id}-{inspection.pk}-{index}.{photo.extension}",
                      ContentFile(photo.content), save=False)
        row.save()


def _prepared_photos(files) -> list:
    files = [f for f in files if getattr(f, "size", 1)]
    photos, problems = photos_prepare(files)
    if problems:
        raise _fields(_("Please correct the marked fields."), {"photos": problems})
    return photos


def _rectification_open(*, renovation, inspection, failed: list[dict], note: str, actor,
                        now) -> RenovationRectification:
    today = timezone.localdate(now)
    count = RenovationRectification.objects.filter(renovation=renovation).count()
    rectification = RenovationRectification.objects.create(
        renovation=renovation, project=renovation.project, inspection=inspection,
        number=f"ZG{renovation.number}-{count + 1}"[:32], items=failed, note=note[:MAX_NOTE],
        deadline=rectify_deadline(renovation.project, today), created_at=now, created_by=actor)
    url = reverse("renovation:my_acceptance", args=[renovation.pk])
    notify_users(users=household_users(renovation.room_id, today), event=f"renovation-rectify:{rectification.pk}",
                 kind="renovation_rectification", title=_("Rectification notice %(number)s: your renovation must be "
                                                          "put right by %(deadline)s") % {
                     "number": rectification.number, "deadline": rectification.deadline},
                 body="; ".join(f"{item['label']}: {item['note']}" for item in failed), url=url, email=False)
    return rectification


def _close_rectifications(*, renovation, inspection, now) -> int:
    return RenovationRectification.objects.filter(
        renovation=renovation, status__in=(RectificationStatus.OPEN, RectificationStatus.OVERDUE)).update(
        status=RectificationStatus.FIXED, closed_by=inspection, closed_at=now)


def inspection_record(*, actor, renovation_id: int, data: InspectionInput,
                      now: datetime | None = None) -> RenovationInspection:
    """Record today's inspection of a renovation in progress. With an open rectification it is the re-inspection:
    passed, it closes the rectification. A failed routine inspection opens a rectification (deadline: 2 working
    days) and tells the household. A second routine inspection the same day is refused (409)."""
    now = now or timezone.now()
    _require(actor, Capability.INSPECT_RENOVATIONS)
    try:
        with transaction.atomic():
            return _record(actor=actor, renovation_id=renovation_id, data=data, now=now)
    except IntegrityError:  # another steward's inspection of the same renovation and day committed first
        raise _already_error() from None


def _record(*, actor, renovation_id, data: InspectionInput, now) -> RenovationInspection:
    renovation = _lock(renovation_id)
    if renovation.status not in INSPECTED_STATUSES:
        raise _not_inspected_error(renovation)
    today = timezone.localdate(now)
    open_rect = _open_rectification(renovation)
    kind = InspectionKind.REINSPECTION if open_rect else InspectionKind.ROUTINE
    if kind == InspectionKind.ROUTINE and RenovationInspection.objects.filter(
            renovation=renovation, day=today, kind=InspectionKind.ROUTINE).exists():
        raise _already_error()
    checklist = checklist_of(renovation.project_id)
    errors = _answer_errors(checklist, data)
    if errors:
        raise _fields(_("Please correct the marked fields."), errors)
    photos = _prepared_photos(data.photos)
    answers = {answer.label: answer for answer in data.answers}
    failed = [{"label": label, "note": answers[label].note.strip()} for label in checklist
              if not answers[label].passed]
    if open_rect and failed and RenovationInspection.objects.filter(
            renovation=renovation, inspected_at__gt=now - REINSPECT_AFTER).exists():
        # A failure moments after the inspection that opened the rectification is a second steward recording the
        # same visit, not a re-inspection (a pass may come at once: the household cleared it while the steward waited)
        raise _already_error()
    inspection = RenovationInspection.objects.create(
        renovation=renovation, project=renovation.project, day=today, inspected_at=now, inspector=actor, kind=kind,
        passed=not failed, note=data.note.strip())
    RenovationInspectionItem.objects.bulk_create([
        RenovationInspectionItem(inspection=inspection, position=position, label=label,
                                 passed=bool(answers[label].passed), note=answers[label].note.strip())
        for position, label in enumerate(checklist)])
    _store_photos(inspection, photos, now)
    if failed and not open_rect:
        _rectification_open(renovation=renovation, inspection=inspection, failed=failed, note=data.note.strip(),
                            actor=actor, now=now)
    elif not failed and open_rect:
        _close_rectifications(renovation=renovation, inspection=inspection, now=now)
    return inspection


# ---- acceptance 验收 -------------------------------------------------------------------------------------------


def acceptance_request(*, actor, renovation_id: int, resident=None,
                       now: datetime | None = None) -> RenovationAcceptance:
    """The household (``resident``: the caller fetched the renovation through the resident's scope) or a steward
    asks for the completion acceptance of an approved renovation."""
    now = now or timezone.now()
    if resident is None:
        _require(actor, Capability.INSPECT_RENOVATIONS)
    with transaction.atomic():
        renovation = _lock(renovation_id)
        if renovation.status != RenovationStatus.APPROVED:
            raise _field("renovation", _("Acceptance can be asked for an approved renovation in progress; this one "
                                         "is %(status)s.") % {"status": renovation.get_status_display()}, status=409)
        renovation.status = RenovationStatus.ACCEPTANCE_REQUESTED
        renovation.acceptance_requested_at = now
        renovation.save(update_fields=["status", "acceptance_requested_at", "updated_at"])
        acceptance = RenovationAcceptance.objects.create(
            renovation=renovation, project=renovation.project, requested_at=now, requested_by=actor,
            requested_by_resident=resident)
        from propdesk.stewardship.selectors.zones import steward_by_building

        steward = steward_by_building([renovation.building_id]).get(renovation.building_id)
        notify_users(users=[steward] if steward else project_managers(renovation.project_id),
                     event=f"renovation-acceptance-asked:{acceptance.pk}", kind="renovation_acceptance",
                     title=_("Renovation %(number)s (%(home)s): acceptance asked for") % {
                         "number": renovation.number, "home": renovation.room.code},
                     url=reverse("renovation:acceptance_record", args=[renovation.pk]), email=False)
        return acceptance


@dataclass
class Deduction:
    reason: str
    amount_fen: int | None


@dataclass
class AcceptanceInput:
    passed: bool | None
    note: str = ""
    deductions: list[Deduction] = field(default_factory=list)
    photos: list = field(default_factory=list)


def _clean_deductions(deductions: list[Deduction]) -> tuple[list[dict], dict[str, list[str]]]:
    lines, errors = [], {}
    if len(deductions) > MAX_DEDUCTIONS:
        return [], {"deductions": [_("At most %(n)d deductions.") % {"n": MAX_DEDUCTIONS}]}
    for index, line in enumerate(deductions):
        reason = (line.reason or "").strip()
        if not reason and not line.amount_fen:
            continue
        if not reason or len(reason) > MAX_REASON:
            errors.setdefault(f"deduction_{index}", []).append(
                _("Say why it is deducted (at most %(n)d characters).") % {"n": MAX_REASON})
        if line.amount_fen is None or line.amount_fen <= 0:
            errors.setdefault(f"deduction_{index}", []).append(_("Enter an amount above zero."))
        lines.append({"reason": reason[:MAX_REASON], "amount_fen": int(line.amount_fen or 0)})
    return lines, errors


def _held(renovation: Renovation) -> int:
    return max(0, deposit_held_fen(renovation.deposit_bill)) if renovation.deposit_bill_id else 0


def acceptance_record(*, actor, renovation_id: int, data: AcceptanceInput,
                      now: datetime | None = None) -> RenovationAcceptance:
    """Record the acceptance inspection. Failed: the renovation goes back to approved with a rectification (what
    the note says). Passed: accepted, deductions at most the deposit held, the refund waits for approval; open
    rectifications are closed."""
    now = now or timezone.now()
    _require(actor, Capability.INSPECT_RENOVATIONS)
    with transaction.atomic():
        renovation = _lock(renovation_id)
        if renovation.status not in INSPECTED_STATUSES:
            raise _not_inspected_error(renovation)
        errors: dict[str, list[str]] = {}
        if data.passed is None:
            errors["passed"] = [_("Say whether the renovation passes the acceptance.")]
        note = (data.note or "").strip()
        if data.passed is False and not note:
            errors["note"] = [_("The acceptance fails: say what must be fixed.")]
        if len(note) > MAX_NOTE:
            errors["note"] = [_("A note has at most %(n)d characters.") % {"n": MAX_NOTE}]
        lines, line_errors = _clean_deductions(data.deductions if data.passed else [])
        errors.update(line_errors)
        held = _held(renovation)
        total = sum(line["amount_fen"] for line in lines)
        if not errors and total > held:
            errors["deductions"] = [_("The deductions (%(total)s yuan) are more than the deposit held "
                                      "(%(held)s yuan): a refund larger than the deposit cannot be made.") % {
                "total": yuan(total), "held": yuan(held)}]
        if errors:
            raise _fields(_("Please correct the marked fields."), errors)
        photos = _prepared_photos(data.photos)
        acceptance = (RenovationAcceptance.objects.select_for_update().filter(
            renovation=renovation, approval=AcceptanceApproval.WAITING, passed__isnull=True).order_by("-id").first()
            or RenovationAcceptance(renovation=renovation, project=renovation.project, requested_at=now,
                                    requested_by=actor))
        inspection = RenovationInspection.objects.create(
            renovation=renovation, project=renovation.project, day=timezone.localdate(now), inspected_at=now,
            inspector=actor, kind=InspectionKind.ACCEPTANCE, passed=bool(data.passed), note=note)
        _store_photos(inspection, photos, now)
        acceptance.inspection, acceptance.inspector, acceptance.inspected_at = inspection, actor, now
        acceptance.passed, acceptance.held_fen = bool(data.passed), held
        if data.passed:
            acceptance.deductions, acceptance.deductions_fen = lines, total
            acceptance.refund_fen = held - total
            acceptance.approval = AcceptanceApproval.PENDING
            acceptance.save()
            _close_rectifications(renovation=renovation, inspection=inspection, now=now)
            renovation.status = RenovationStatus.ACCEPTED
            renovation.save(update_fields=["status", "updated_at"])
            notify_users(users=[u for u in project_managers(renovation.project_id) if u.pk != actor.pk],
                         event=f"renovation-refund-pending:{acceptance.pk}", kind="renovation_refund",
                         title=_("Renovation %(number)s accepted: a deposit refund of %(refund)s yuan waits for "
                                 "approval") % {"number": renovation.number, "refund": yuan(acceptance.refund_fen)},
                         url=reverse("renovation:acceptance_list"), email=False)
        else:
            acceptance.save()
            _close_rectifications(renovation=renovation, inspection=inspection, now=now)  # replaced by this one
            _rectification_open(renovation=renovation, inspection=inspection, failed=[
                {"label": _("Acceptance"), "note": note}], note=note, actor=actor, now=now)
            renovation.status = RenovationStatus.APPROVED
            renovation.save(update_fields=["status", "updated_at"])
        return acceptance


def acceptance_decide(*, actor, acceptance_id: int, approve: bool, note: str = "",
                      now: datetime | None = None) -> RenovationAcceptance:
    """The PM approves the refund (paid now: held less deductions; the renovation is closed and the home gets its
    status back) or refuses it with a note (the acceptance is recorded again). The inspector may not decide their
    own acceptance."""
    now = now or timezone.now()
    _require(actor, Capability.APPROVE_RENOVATIONS)
    note = (note or "").strip()
    with transaction.atomic():
        # The renovation first, then its acceptance: the order every write of this module locks them in.
        renovation = _lock(RenovationAcceptance.objects.values_list("renovation_id", flat=True).get(pk=acceptance_id))
        acceptance = RenovationAcceptance.objects.select_for_update().get(pk=acceptance_id)
        if acceptance.inspector_id == actor.pk:
            raise PermissionDenied(_("You inspected this acceptance: someone else approves its refund."))
        if acceptance.approval != AcceptanceApproval.PENDING or renovation.status != RenovationStatus.ACCEPTED:
            raise _field("approval", _("This acceptance is not waiting for approval (%(state)s).") % {
                "state": acceptance.get_approval_display()}, status=409)
        if len(note) > MAX_NOTE:
            raise _field("note", _("A note has at most %(n)d characters.") % {"n": MAX_NOTE})
        acceptance.decided_by, acceptance.decided_at, acceptance.decision_note = actor, now, note
        today = timezone.localdate(now)
        if not approve:
            if not note:
                raise _field("note", _("Say why the refund is refused."))
            acceptance.approval = AcceptanceApproval.REFUSED
            acceptance.save()
            renovation.status = RenovationStatus.ACCEPTANCE_REQUESTED
            renovation.save(update_fields=["status", "updated_at"])
            RenovationAcceptance.objects.create(renovation=renovation, project=renovation.project, requested_at=now,
                                                requested_by=actor)
            notify_users(users=[acceptance.inspector], event=f"renovation-refund-refused:{acceptance.pk}",
                         kind="renovation_refund", title=_("Refund of renovation %(number)s refused: record the "
                                                           "acceptance again") % {"number": renovation.number},
                         body=note, url=reverse("renovation:acceptance_record", args=[renovation.pk]), email=False)
            return acceptance
        held = _held(renovation)
        if acceptance.deductions_fen > held:
            raise _field("deductions", _("The deposit now holds %(held)s yuan, less than the deductions: record the "
                                         "acceptance again.") % {"held": yuan(held)}, status=409)
        refund = held - acceptance.deductions_fen
        if refund > 0:
            acceptance.refund_entry = deposit_refund(
                bill=renovation.deposit_bill, amount_fen=refund, actor=actor, now=now,
                note=_("Renovation deposit refund %(number)s") % {"number": renovation.number})
        acceptance.refund_fen = refund
        acceptance.approval = AcceptanceApproval.APPROVED
        acceptance.save()
        renovation.status = RenovationStatus.CLOSED
        renovation.closed_at = now
        renovation.save(update_fields=["status", "closed_at", "updated_at"])
        room = Room.objects.select_for_update().get(pk=renovation.room_id)
        if room.status == RoomStatus.RENOVATING:
            room.status = renovation.room_status_before or RoomStatus.OCCUPIED
            room.save(update_fields=["status"])
        notify_users(users=household_users(renovation.room_id, today), event=f"renovation-closed:{renovation.pk}",
                     kind="renovation_closed", title=_("Your renovation %(number)s is accepted: %(refund)s yuan of "
                                                       "the deposit is refunded") % {
                         "number": renovation.number, "refund": yuan(refund)},
                     url=reverse("renovation:my_acceptance", args=[renovation.pk]), email=False)
        return acceptance


# ---- complaints --------------------------------------------------------------------------------------------------

COMPLAINT_KINDS = ("complaint",)


def is_noise_text(text: str) -> bool:
    return bool(NOISE_RE.search(text or ""))


def complaint_link(*, actor, renovation_id: int, request: ServiceRequest,
                   now: datetime | None = None) -> RenovationComplaint:
    """Link a complaint (or a request about noise) in the renovation's building to the renovation in progress.
    ``request`` is in the actor's scope (the caller fetched it)."""
    now = now or timezone.now()
    _require(actor, Capability.INSPECT_RENOVATIONS)
    with transaction.atomic():
        renovation = _lock(renovation_id)
        if renovation.status not in ACTIVE_STATUSES:
            raise _field("request", _("Only a renovation in progress takes complaints."), status=409)
        building_id = request.room.building_id if request.room_id else None
        if request.project_id != renovation.project_id or building_id != renovation.building_id:
            raise _field("request", _("Request %(number)s is not about a home in this renovation's building.") % {
                "number": request.number})
        if request.kind not in COMPLAINT_KINDS and not is_noise_text(request.description):
            raise _field("request", _("Request %(number)s is neither a complaint nor about noise.") % {
                "number": request.number})
        if RenovationComplaint.objects.filter(renovation=renovation, request=request).exists():
            raise _field("request", _("Request %(number)s is already linked to this renovation.") % {
                "number": request.number}, status=409)
        return RenovationComplaint.objects.create(renovation=renovation, project=renovation.project,
                                                  request=request, linked_at=now, linked_by=actor)


def complaint_unlink(*, actor, link: RenovationComplaint) -> None:
    _require(actor, Capability.INSPECT_RENOVATIONS)
    link.delete()


# ---- the sweep ---------------------------------------------------------------------------------------------------


def inspections_sweep(*, now: datetime | None = None) -> dict:
    """Hourly: open rectifications past their deadline become overdue (the building's steward and the PMs told once
    each); the stewards get one list a day of the renovations due an inspection; an inspection overdue (due before
    today, not done) is told to the PMs once per renovation and due day."""
    from propdesk.stewardship.selectors.zones import steward_by_building

    from ..selectors.inspections import due_rows, with_last_day

    now = now or timezone.now()
    today = timezone.localdate(now)
    managers: dict[int, list] = {}

    def pms(project_id):
        if project_id not in managers:
            managers[project_id] = project_managers(project_id)
        return managers[project_id]

    late = list(RenovationRectification.objects.filter(status=RectificationStatus.OPEN, deadline__lt=today)
                .select_related("renovation__room"))
    RenovationRectification.objects.filter(pk__in=[r.pk for r in late]).update(
        status=RectificationStatus.OVERDUE, overdue_at=now)
    renovations = list(with_last_day(Renovation.objects.filter(status__in=INSPECTED_STATUSES))
                       .select_related("room"))
    rows = due_rows(renovations, today)
    stewards = steward_by_building({r.building_id for r in renovations} | {r.renovation.building_id for r in late})
    told = {"rectifications_overdue": len(late), "notifications": 0}
    for rect in late:
        steward = stewards.get(rect.renovation.building_id)
        told["notifications"] += len(notify_users(
            users=[steward, *pms(rect.project_id)], event=f"renovation-rect-overdue:{rect.pk}",
            kind="renovation_rectification_overdue",
            title=_("Rectification %(number)s (%(home)s) is overdue: due %(deadline)s") % {
                "number": rect.number, "home": rect.renovation.room.code, "deadline": rect.deadline},
            url=reverse("renovation:rectification_notice", args=[rect.pk]), email=False))
    by_steward: dict[int, tuple] = {}
    for row in rows:
        steward = stewards.get(row.renovation.building_id)
        if steward is not None:
            by_steward.setdefault(steward.pk, (steward, []))[1].append(row.renovation.room.code)
        if row.overdue:
            told["notifications"] += len(notify_users(
                users=pms(row.renovation.project_id), event=f"renovation-insp-overdue:{row.renovation.pk}:"
                                                            f"{row.due_since}",
                kind="renovation_inspection_overdue",
                title=_("Renovation %(number)s (%(home)s): inspection overdue since %(since)s") % {
                    "number": row.renovation.number, "home": row.renovation.room.code, "since": row.due_since},
                url=reverse("renovation:inspection_worklist"), email=False))
    for steward, homes in by_steward.values():
        told["notifications"] += len(notify_users(
            users=[steward], event=f"renovation-due:{today}", kind="renovation_inspection_due",
            title=_("%(n)d renovations to inspect today") % {"n": len(homes)}, body="、".join(homes[:30]),
            url=reverse("renovation:inspection_worklist"), email=False))
    told["due"] = len(rows)
    return told
