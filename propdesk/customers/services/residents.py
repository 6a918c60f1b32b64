"""Writes to the customer archive. Every function is one transaction; bad input raises ApplicationError
with field-level messages and writes nothing."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.org.models import Project, Room

from .. import hooks
from ..choices import Gender, Relation, Segment
from ..models import Occupancy, Phone, Resident
from ..rules.phones import InvalidNumber, last4, normalize_phone, validate_id_number
from .archive import archive_numbers_take

FLAG_FIELDS = ("is_former_committee", "is_elderly_alone", "is_vip", "is_frequent_complainant")


@dataclass
class ResidentData:
    """What a form, the API or an import row says about a person, before it is checked."""

    name: str
    phones: list[str] = field(default_factory=list)
    gender: str = ""
    id_number: str = ""
    segment: str = ""
    note: str = ""
    flags: dict[str, bool] = field(default_factory=dict)


def resident_validate(data: ResidentData) -> tuple[dict, list[tuple[str, str]], dict[str, list[str]]]:
    """Check a person's data. Returns (clean field values, [(number, kind)], errors by field)."""
    errors: dict[str, list[str]] = {}
    values: dict = {}
    name = (data.name or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("Enter the resident's name."))
    elif len(name) > 50:
        errors.setdefault("name", []).append(_("A name has at most 50 characters."))
    values["name"] = name
    phones: list[tuple[str, str]] = []
    seen = set()
    for raw in data.phones:
        if not (raw or "").strip():
            continue
        try:
            number, kind = normalize_phone(raw)
        except InvalidNumber:
            errors.setdefault("phones", []).append(
                _("“%(value)s” is not a valid mobile (11 digits, starting 13–19) or landline (area code-number).")
                % {"value": raw})
            continue
        if number not in seen:
            seen.add(number)
            phones.append((number, kind))
    id_number = (data.id_number or "").strip()
    if id_number:
        try:
            id_number = validate_id_number(id_number)
        except InvalidNumber:
            errors.setdefault("id_number", []).append(
                _("The ID number must have 18 characters with a correct check digit."))
    values["id_number"] = id_number
    if data.gender and data.gender not in Gender.values:
        errors.setdefault("gender", []).append(_("Unknown gender."))
    values["gender"] = data.gender or ""
    if data.segment and data.segment not in Segment.values:
        errors.setdefault("segment", []).append(_("Unknown customer segment."))
    values["segment"] = data.segment or ""
    values["note"] = data.note or ""
    for flag in FLAG_FIELDS:
        values[flag] = bool(data.flags.get(flag, False))
    return values, phones, errors


@transaction.atomic
def resident_create(*, project: Project, data: ResidentData, registered_on: date | None = None,
                    rooms: list[tuple[Room, str]] = ()) -> Resident:
    values, phones, errors = resident_validate(data)
    if not phones and "phones" not in errors:
        errors["phones"] = [_("Enter at least one phone number so that the center can reach the resident.")]
    for room, relation in rooms:
        if room.project_id != project.pk:
            errors.setdefault("room", []).append(_("Room %(code)s is not in this project.") % {"code": room.code})
        if relation not in Relation.values:
            errors.setdefault("relation", []).append(_("Unknown relation to the room."))
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    registered_on = registered_on or timezone.localdate()
    (archive_no,) = archive_numbers_take(project_id=project.pk, day=registered_on)
    resident = Resident.objects.create(project=project, archive_no=archive_no, registered_on=registered_on,
                                       **values)
    _phones_replace(resident, phones)
    now = timezone.now()
    for room, relation in rooms:
        occupancy = Occupancy.objects.create(resident=resident, room=room, project=project, relation=relation,
                                             start_date=registered_on)
        hooks.occupancy_started(occupancy=occupancy, now=now)
    return resident


@transaction.atomic
def resident_update(*, resident: Resident, data: ResidentData) -> Resident:
    values, phones, errors = resident_validate(data)
    if not phones and "phones" not in errors:
        errors["phones"] = [_("Enter at least one phone number so that the center can reach the resident.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    for key, value in values.items():
        setattr(resident, key, value)
    resident.save()
    _phones_replace(resident, phones)
    return resident


def _phones_replace(resident: Resident, phones: list[tuple[str, str]]) -> None:
    existing = {p.number: p for p in resident.phones.all()}
    wanted = [number for number, _kind in phones]
    resident.phones.exclude(number__in=wanted).delete()
    for index, (number, kind) in enumerate(phones):
        phone = existing.get(number)
        if phone is None:
            Phone.objects.create(resident=resident, project_id=resident.project_id, number=number, kind=kind,
                                 last4=last4(number), is_primary=index == 0)
        elif phone.is_primary != (index == 0):
            phone.is_primary = index == 0
            phone.save(update_fields=["is_primary"])


@transaction.atomic
def occupancy_add(*, resident: Resident, room: Room, relation: str, start_date: date | None = None,
                  end_date: date | None = None) -> Occupancy:
    errors: dict[str, list[str]] = {}
    if room.project_id != resident.project_id:
        errors["room"] = [_("Room %(code)s is not in this resident's project.") % {"code": room.code}]
    if relation not in Relation.values:
        errors["relation"] = [_("Unknown relation to the room.")]
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = [_("The end date is before the start date.")]
    if not errors and Occupancy.objects.current().filter(resident=resident, room=room).exists():
        errors["room"] = [_("The resident is already linked to room %(code)s.") % {"code": room.code}]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    occupancy = Occupancy.objects.create(resident=resident, room=room, project_id=resident.project_id,
                                         relation=relation, start_date=start_date or timezone.localdate(),
                                         end_date=end_date)
    hooks.occupancy_started(occupancy=occupancy, now=timezone.now())
    return occupancy


@transaction.atomic
def occupancy_end(*, occupancy: Occupancy, end_date: date | None = None) -> Occupancy:
    end_date = end_date or timezone.localdate()
    if occupancy.start_date and end_date < occupancy.start_date:
        raise ApplicationError(_("The end date is before the start date."),
                               {"fields": {"end_date": [_("The end date is before the start date.")]}})
    occupancy.end_date = end_date
    occupancy.save(update_fields=["end_date", "updated_at"])
    return occupancy
