"""Vacant homes 空置房, the writes: the project manager's checklist, a steward's inspection of a home. Each
not-fine item becomes a request in the same step (``finding_to_request``: channel patrol, dispatched by the
project's rules, the owner as reporter when the archive knows one); nothing is written when anything is refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.customers.models import Occupancy
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Room
from propdesk.stewardship.models import VacantChecklist, VacantInspection, VacantInspectionItem, VacantInspectionResult
from propdesk.stewardship.rules.vacant import (
    MAX_INTERVAL_DAYS,
    MAX_ITEMS,
    MAX_LABEL,
    MIN_INTERVAL_DAYS,
    ItemAnswer,
    check_answers,
    clean_checklist,
    parse_reading,
)
from propdesk.stewardship.selectors.vacant import OWNER_RELATIONS, checklist_of
from propdesk.stewardship.services.findings import finding_to_request

MAX_NOTE = 500


def _checklist_messages(code: str) -> str:
    return {
        "empty": _("Give at least one item, one a line."),
        "too_many": _("At most %(n)d items.") % {"n": MAX_ITEMS},
        "too_long": _("An item has at most %(n)d characters.") % {"n": MAX_LABEL},
        "range": _("Between %(low)d and %(high)d days.") % {"low": MIN_INTERVAL_DAYS, "high": MAX_INTERVAL_DAYS},
    }[code]


@transaction.atomic
def vacant_checklist_update(*, actor, project, items, interval_days, now: datetime) -> VacantChecklist:
    """Save the project's checklist (one item a line) and how often each vacant home is inspected."""
    cleaned, interval, errors = clean_checklist(items, interval_days)
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {
            name: [_checklist_messages(code) for code in codes] for name, codes in errors.items()}})
    checklist, _created = VacantChecklist.objects.select_for_update().update_or_create(
        project=project, defaults={"items": cleaned, "interval_days": interval, "updated_at": now,
                                   "updated_by": actor})
    return checklist


@dataclass
class InspectionInput:
    answers: list[ItemAnswer]
    photos: dict[str, list] = field(default_factory=dict)  # item label → uploaded photos (for the request)
    water_reading: str = ""
    power_reading: str = ""
    note: str = ""


def item_field(position: int) -> str:
    """The field name of the checklist item at ``position`` in forms and error answers: item_0, item_1 …"""
    return f"item_{position}"


def _answer_errors(checklist: list[str], data: InspectionInput) -> dict[str, list[str]]:
    messages = {"unanswered": _("“%(item)s”: say whether it is fine."),
                "note": _("“%(item)s” is not fine: say what you found."),
                "unknown": _("“%(item)s” is not on this project's checklist."),
                "twice": _("“%(item)s” is answered twice.")}
    errors: dict[str, list[str]] = {}
    for label, code in check_answers(checklist, data.answers).items():
        name = item_field(checklist.index(label)) if label in checklist else "items"
        errors.setdefault(name, []).append(messages[code] % {"item": label[:MAX_LABEL]})
    for name in ("water_reading", "power_reading"):
        if not parse_reading(getattr(data, name))[1]:
            errors[name] = [_("A meter reading is a number, 0 or more.")]
    if len(data.note) > MAX_NOTE or any(len(a.note) > MAX_NOTE for a in data.answers):
        errors.setdefault("note", []).append(_("A note has at most %(n)d characters.") % {"n": MAX_NOTE})
    return errors


def _owner_id(room: Room, today) -> int | None:
    occupancy = (Occupancy.objects.filter(room=room, relation__in=OWNER_RELATIONS, end_date__isnull=True)
                 .order_by("relation", "id").first()
                 or Occupancy.objects.filter(room=room, relation__in=OWNER_RELATIONS, end_date__gte=today)
                 .order_by("relation", "id").first())
    return occupancy.resident_id if occupancy else None


def _finding_text(room: Room, label: str, note: str) -> str:
    return _("Vacant home %(code)s, inspection: %(item)s — %(note)s") % {
        "code": room.code, "item": label, "note": note.strip()}


def vacant_inspection_record(*, actor, room_id: int, data: InspectionInput, now: datetime) -> VacantInspection:
    """Record the inspection of a vacant home today and turn each not-fine item into a request. Refused: a home
    that is not vacant, a home already inspected today (409; two stewards at once: one wins), an item unanswered
    or not fine without a note, a reading that is not a number. ``room_id`` must be in the actor's scope (the
    caller fetched it)."""
    try:
        with transaction.atomic():
            return _record(actor=actor, room_id=room_id, data=data, now=now)
    except IntegrityError:  # the other steward's inspection of the same home and day committed first
        raise _already_error() from None


def _already_error() -> ApplicationError:
    message = _("This home has already been inspected today: open its record to see the inspection.")
    return ApplicationError(message, {"fields": {"room": [message]}}, status_code=409)


def _record(*, actor, room_id: int, data: InspectionInput, now: datetime) -> VacantInspection:
    room = Room.objects.select_for_update().select_related("project").get(pk=room_id)
    if room.status != RoomStatus.VACANT:
        message = _("%(code)s is not a vacant home (the archive says: %(status)s); only vacant homes are "
                    "inspected.") % {"code": room.code, "status": room.get_status_display()}
        raise ApplicationError(message, {"fields": {"room": [message]}})
    today = timezone.localtime(now).date()
    if VacantInspection.objects.filter(room=room, day=today).exists():
        raise _already_error()
    checklist = checklist_of(room.project_id).items
    errors = _answer_errors(checklist, data)
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    answers = {answer.label: answer for answer in data.answers}
    not_fine = [label for label in checklist if not answers[label].fine]
    inspection = VacantInspection.objects.create(
        project=room.project, building_id=room.building_id, room=room, day=today, inspected_at=now, inspector=actor,
        result=VacantInspectionResult.FINDINGS if not_fine else VacantInspectionResult.FINE, findings=len(not_fine),
        water_reading=parse_reading(data.water_reading)[0], power_reading=parse_reading(data.power_reading)[0],
        note=data.note.strip())
    reporter_id = _owner_id(room, today) if not_fine else None
    items = []
    for position, label in enumerate(checklist):
        answer = answers[label]
        request = None
        if not answer.fine:
            try:
                request = finding_to_request(
                    actor=actor, project=room.project, now=now, channel="patrol", kind="repair", room_id=room.pk,
                    reporter_id=reporter_id, description=_finding_text(room, label, answer.note),
                    photos=data.photos.get(label, ()))
            except ApplicationError as error:  # a photo that is not one: name the item's field
                fields = {item_field(position) if name == "photos" else name: messages
                          for name, messages in error.field_errors.items()}
                raise ApplicationError(error.message, {"fields": fields}, status_code=error.status_code) from None
        items.append(VacantInspectionItem(inspection=inspection, position=position, label=label, fine=answer.fine,
                                          note=answer.note.strip(), request=request))
    VacantInspectionItem.objects.bulk_create(items)
    return inspection
