"""Import of residents from the owner list (业主信息表) a property company keeps in Excel.

One row is a person in a room. The same person (same name and phone) on several rows becomes one resident
with several occupancies; a person already in the project's archive under that name and phone gets the new
occupancies and is otherwise left as it is. Every row is checked first; one bad row and nothing is written.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.imports import (
    Column,
    ImportFailed,
    ImportResult,
    RowErrors,
    choice_lookup,
    choice_words,
    import_failed,
    parse_date_cell,
    read_sheet,
    template_workbook,
)
from propdesk.core.models import AuditAction, AuditLog
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Project, Room
from propdesk.org.rules import parse_room_code

from ..choices import Gender, Relation, Segment
from ..models import Occupancy, Phone, Resident
from ..rules.phones import InvalidNumber, last4, normalize_phone
from .archive import archive_numbers_take
from .residents import ResidentData, resident_validate

COLUMNS = (
    Column("name", "姓名", ("客户姓名", "业主姓名", "住户姓名", "name"), required=True),
    Column("phone", "手机", ("联系电话", "手机号", "手机号码", "电话", "联系方式", "phone", "mobile"),
           required=True),
    Column("phone2", "备用电话", ("其他电话", "备用手机", "second phone", "phone 2")),
    Column("room", "房号", ("房屋", "房间号", "房屋编号", "房屋编码", "room", "room code"), required=True),
    Column("relation", "关系", ("与房屋关系", "客户身份", "身份", "relation")),
    Column("id_number", "身份证号", ("身份证", "身份证号码", "证件号码", "证件号", "id number")),
    Column("gender", "性别", ("gender", "sex")),
    Column("start_date", "入住日期", ("入伙日期", "入住时间", "start date", "move-in date")),
    Column("segment", "客户类别", ("客户细分", "客户分类", "segment", "customer segment")),
)

RELATIONS = {
    "业主": Relation.OWNER, "产权人": Relation.OWNER, "共有人": Relation.CO_OWNER, "租户": Relation.TENANT,
    "家属": Relation.FAMILY, "非业主使用人": Relation.OCCUPANT, "使用人": Relation.OCCUPANT,
    **{value: value for value in Relation.values},
}
GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE, "male": Gender.MALE, "female": Gender.FEMALE,
           **{value: value for value in Gender.values}}
SEGMENTS = {
    "社会新锐": Segment.YOUNG_PROFESSIONALS, "富贵之家": Segment.AFFLUENT,
    "望子成龙": Segment.SCHOOL_FAMILIES, "健康养老": Segment.RETIREES, "务实之家": Segment.PRAGMATIC,
    **{value: value for value in Segment.values},
}
# An owner or tenant moving in makes a vacant room occupied.
OCCUPYING = {Relation.OWNER, Relation.TENANT}
CHUNK = 2000  # ids per IN (…) query: far below SQLite's variable limit

TEMPLATE_HEADERS = [c.header for c in COLUMNS]
TEMPLATE_ROWS = [
    ["王丽华", "13916820457", "021-58861234", "12-1-1801", "业主", "310115198507213427", "女",
     date(2021, 6, 18), "富贵之家"],
    ["陈浩", "13764239815", "", "12-1-1801", "家属", "", "男", date(2021, 6, 18), ""],
]


@dataclass
class _Line:
    """A checked row: a person and one room."""

    row: int
    values: dict
    phones: list[tuple[str, str]]
    room_id: int
    room_code: str
    relation: str
    start_date: date | None


@dataclass
class _Person:
    row: int  # first row naming the person
    values: dict
    phones: list[tuple[str, str]]
    resident_id: int | None = None  # already in the archive
    lines: list[_Line] = field(default_factory=list)


def residents_template() -> bytes:
    return template_workbook(title="业主", headers=TEMPLATE_HEADERS, rows=TEMPLATE_ROWS,
                             required=[c.header for c in COLUMNS if c.required],
                             text_headers=["手机", "备用电话", "房号", "身份证号"])


def residents_message(project: Project, counts: dict) -> str:
    """What a finished residents import says."""
    return _("%(project)s: %(residents)s residents added, %(existing_residents)s already in the archive; "
             "%(occupancies)s room links, %(rooms_occupied)s rooms marked occupied.") % {
        "project": project.name, **counts}


def residents_import(*, project: Project, file, actor, ip: str | None = None, progress=None) -> ImportResult:
    """Create residents, their phones and occupancies from an uploaded sheet. Raises ImportFailed with every
    bad row and writes nothing if any row is bad."""
    sheet = read_sheet(file, COLUMNS, progress=progress)
    try:
        with transaction.atomic():
            rooms = _room_ids(project)
            lines, errors = _lines_validate(sheet, rooms)
            persons, person_errors = _persons_group(project, sheet, lines)
            errors += person_errors
            if errors:
                raise import_failed(errors)
            if not persons:
                raise ImportFailed(_("The sheet has no rows to import."))
            result = _residents_write(project, persons)
            result.file_name = sheet.file_name
            AuditLog.objects.create(
                actor=actor, action=AuditAction.IMPORT, target_type="customers.resident",
                target_label=f"{project.name} {sheet.file_name}"[:200],
                detail={"project_id": project.pk, "file": sheet.file_name, "rows": len(lines),
                        **result.counts}, ip=ip)
    except IntegrityError as exc:
        raise ImportFailed(_("The archive changed during the import. Upload the file again.")) from exc
    return result


def _room_ids(project: Project) -> dict[str, int]:
    return dict(Room.objects.filter(project=project).values_list("code", "id"))


def _room_lookup(text: str, rooms: dict[str, int]) -> tuple[str, int | None] | None:
    """(code, room id or None) for a room code cell; None when the text is not a room code."""
    parts = parse_room_code(text)
    if parts is None:
        return None
    code = "-".join(parts)
    if code not in rooms:  # 03-02-1802 for 3-2-1802
        plain = "-".join([*(str(int(p)) if p.isdigit() else p for p in parts[:2]), parts[2]])
        if plain in rooms:
            code = plain
    return code, rooms.get(code)


def _phone_ok(raw: str) -> bool:
    try:
        normalize_phone(raw)
    except InvalidNumber:
        return False
    return True


def _lines_validate(sheet, rooms: dict[str, int]) -> tuple[list[_Line], list]:
    lines: list[_Line] = []
    errors = []
    for number, cells in sheet.rows:
        bad = RowErrors(sheet, number)
        person = {}
        for key, table, message in (
            ("gender", GENDERS, _("Unknown gender “%(value)s”. Use %(choices)s.")),
            ("segment", SEGMENTS, _("Unknown customer segment “%(value)s”. Use %(choices)s.")),
        ):
            text = cells.get(key, "")
            person[key] = (choice_lookup(table, text) or "") if text else ""
            if text and not person[key]:
                bad(key, message % {"value": text, "choices": choice_words(table)})
        raw_phones = [cells.get("phone", ""), cells.get("phone2", "")]
        values, phones, field_errors = resident_validate(ResidentData(
            name=cells.get("name", ""), phones=raw_phones, gender=person["gender"],
            id_number=cells.get("id_number", ""), segment=person["segment"]))
        for name in ("name", "id_number"):
            for message in field_errors.get(name, []):
                bad(name, message)
        phone_messages = iter(field_errors.get("phones", []))
        for key, raw in zip(("phone", "phone2"), raw_phones, strict=True):
            if raw and not _phone_ok(raw):
                bad(key, next(phone_messages, _("Not a valid phone number.")))
        if not phones and "phones" not in field_errors:
            bad("phone", _("Required."))

        room_text = cells.get("room", "")
        found = _room_lookup(room_text, rooms) if room_text else None
        if not room_text:
            bad("room", _("Required."))
        elif found is None:
            bad("room", _("“%(value)s” is not a room code such as 3-2-1802.") % {"value": room_text})
        elif found[1] is None:
            bad("room", _("Room %(code)s does not exist in this project.") % {"code": found[0]})

        relation_text = cells.get("relation", "")
        relation = choice_lookup(RELATIONS, relation_text) if relation_text else Relation.OWNER
        if relation is None:
            bad("relation", _("Unknown relation “%(value)s”. Use %(choices)s.")
                % {"value": relation_text, "choices": choice_words(RELATIONS)})

        start_date = None
        if cells.get("start_date"):
            try:
                start_date = parse_date_cell(cells["start_date"])
            except ValueError:
                bad("start_date", _("“%(value)s” is not a date such as 2024-06-18.")
                    % {"value": cells["start_date"]})

        if bad:
            errors += bad.items
        else:
            lines.append(_Line(number, values, phones, found[1], found[0], relation, start_date))
    return lines, errors


def _persons_group(project: Project, sheet, lines: list[_Line]) -> tuple[list[_Person], list]:
    """One person per name + phone, across rows and with the archive; rows that contradict each other are
    errors."""
    numbers = sorted({number for line in lines for number, _kind in line.phones})
    archive: dict[tuple[str, str], int] = {}
    for start in range(0, len(numbers), CHUNK):
        found = Phone.objects.filter(project=project, number__in=numbers[start:start + CHUNK])
        for number, resident_id, name in found.values_list("number", "resident_id", "resident__name"):
            archive.setdefault((name, number), resident_id)
    linked = set()
    known_ids = sorted(set(archive.values()))
    for start in range(0, len(known_ids), CHUNK):
        linked.update(Occupancy.objects.current().filter(resident_id__in=known_ids[start:start + CHUNK])
                      .values_list("resident_id", "room_id"))

    persons: list[_Person] = []
    by_key: dict[tuple[str, str], _Person] = {}
    errors = []
    for line in lines:
        bad = RowErrors(sheet, line.row)
        name = line.values["name"]
        keys = [(name, number) for number, _kind in line.phones]
        person = next((by_key[k] for k in keys if k in by_key), None)
        if person is None:
            resident_id = next((archive[k] for k in keys if k in archive), None)
            person = _Person(line.row, dict(line.values), list(line.phones), resident_id)
            persons.append(person)
        elif line.values["id_number"] and person.values["id_number"] not in ("", line.values["id_number"]):
            bad("id_number", _("Same person as row %(row)s but a different ID number.") % {"row": person.row})
        earlier = next((other for other in person.lines if other.room_id == line.room_id), None)
        if earlier is not None:
            bad("room", _("%(name)s is already linked to room %(code)s in row %(row)s.")
                % {"name": name, "code": line.room_code, "row": earlier.row})
        elif person.resident_id and (person.resident_id, line.room_id) in linked:
            bad("room", _("%(name)s is already linked to room %(code)s in the archive.")
                % {"name": name, "code": line.room_code})
        if bad:
            errors += bad.items
            continue
        for key in ("gender", "id_number", "segment"):  # a later row may fill what an earlier one left blank
            person.values[key] = person.values[key] or line.values[key]
        for phone in line.phones:
            if phone not in person.phones:
                person.phones.append(phone)
        for key in keys:
            by_key.setdefault(key, person)
        person.lines.append(line)
    return persons, errors


def _residents_write(project: Project, persons: list[_Person]) -> ImportResult:
    today = timezone.localdate()
    new = [p for p in persons if p.resident_id is None]
    numbers = archive_numbers_take(project_id=project.pk, day=today, count=len(new)) if new else []
    residents = Resident.objects.bulk_create(
        [Resident(project=project, archive_no=archive_no, registered_on=today, **person.values)
         for person, archive_no in zip(new, numbers, strict=True)], batch_size=1000)
    if residents and not all(r.pk for r in residents):  # backends that do not return ids from bulk_create
        ids = dict(Resident.objects.filter(project=project, archive_no__in=numbers)
                   .values_list("archive_no", "id"))
        for resident in residents:
            resident.pk = resident.id = ids[resident.archive_no]
    for person, resident in zip(new, residents, strict=True):
        person.resident_id = resident.pk

    phones = [Phone(resident_id=person.resident_id, project=project, number=number, kind=kind,
                    last4=last4(number), is_primary=index == 0)
              for person in new for index, (number, kind) in enumerate(person.phones)]
    Phone.objects.bulk_create(phones, batch_size=1000)
    occupancies = [Occupancy(resident_id=person.resident_id, room_id=line.room_id, project=project,
                             relation=line.relation, start_date=line.start_date)
                   for person in persons for line in person.lines]
    Occupancy.objects.bulk_create(occupancies, batch_size=1000)

    occupied_ids = sorted({o.room_id for o in occupancies if o.relation in OCCUPYING})
    occupied = 0
    for start in range(0, len(occupied_ids), CHUNK):
        occupied += (Room.objects.filter(pk__in=occupied_ids[start:start + CHUNK], status=RoomStatus.VACANT)
                     .update(status=RoomStatus.OCCUPIED, updated_at=timezone.now()))
    return ImportResult(counts={
        "residents": len(new), "existing_residents": len(persons) - len(new), "phones": len(phones),
        "occupancies": len(occupancies), "rooms_occupied": occupied,
    })
