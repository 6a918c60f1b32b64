"""Import of buildings, units and rooms from the room list (房屋清单) a property company keeps in Excel.

Every row is checked first; one bad row and nothing is written. Then one transaction with bulk inserts, so a
5,000-room estate imports in seconds.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from propdesk.core.imports import (
    Column,
    ImportFailed,
    ImportResult,
    RowErrors,
    choice_lookup,
    choice_words,
    import_failed,
    read_sheet,
)
from propdesk.core.imports import template_workbook as _template_workbook
from propdesk.core.models import AuditAction, AuditLog

from ..choices import RoomStatus, RoomType
from ..models import Building, Project, Room, Unit, room_code
from ..rules import parse_room_code

COLUMNS = (
    Column("building", "楼栋", ("楼栋号", "楼号", "栋号", "楼宇", "building", "building no",
                                "building number"), required=True),
    Column("unit", "单元", ("单元号", "unit", "unit no", "unit number"), required=True),
    Column("room", "房号", ("房间号", "室号", "门牌号", "room", "room no", "room number"), required=True),
    Column("floor", "楼层", ("所在楼层", "层", "floor")),
    Column("area", "建筑面积", ("面积", "area", "floor area", "gross area")),
    Column("room_type", "房屋类型", ("类型", "房屋性质", "room type", "type")),
    Column("status", "房屋状态", ("状态", "room status", "status")),
)

ROOM_TYPES = {
    "住宅": RoomType.RESIDENCE, "公寓": RoomType.APARTMENT, "别墅": RoomType.VILLA, "商铺": RoomType.SHOP,
    "写字楼": RoomType.OFFICE, "其他": RoomType.OTHER, "其它": RoomType.OTHER, "办公": RoomType.OFFICE,
}
ROOM_STATUSES = {
    "已入住": RoomStatus.OCCUPIED, "入住": RoomStatus.OCCUPIED, "空置": RoomStatus.VACANT,
    "装修中": RoomStatus.RENOVATING, "装修": RoomStatus.RENOVATING,
}
ROOM_TYPES.update({value: value for value in RoomType.values})  # the English values are accepted as well
ROOM_STATUSES.update({value: value for value in RoomStatus.values})

_PART = re.compile(r"[0-9A-Za-z]{1,16}")  # what propdesk.org.rules.parse_room_code reads back
_NUMBER_SUFFIXES = {"building": ("号楼", "栋", "幢", "座", "号"), "unit": ("单元",), "room": ("室", "号")}
_AREA_UNITS = re.compile(r"(㎡|m²|m2|平方米|平米)$", re.IGNORECASE)
MAX_AREA = Decimal("999999.99")

TEMPLATE_HEADERS = [c.header for c in COLUMNS]
TEMPLATE_ROWS = [
    ["12", "1", "1801", 18, 89.5, "住宅", "已入住"],
    ["12", "2", "1802", 18, 126.38, "住宅", "空置"],
]


@dataclass
class _RoomRow:
    row: int
    building: str
    unit: str
    number: str
    floor: int
    area: Decimal | None
    room_type: str
    status: str

    @property
    def code(self) -> str:
        return room_code(self.building, self.unit, self.number)


def rooms_template() -> bytes:
    """The .xlsx a user downloads, fills in and uploads."""
    return _template_workbook(title="房屋", headers=TEMPLATE_HEADERS, rows=TEMPLATE_ROWS,
                              required=[c.header for c in COLUMNS if c.required],
                              text_headers=["楼栋", "单元", "房号"])


def rooms_import(*, project: Project, file, actor, ip: str | None = None, progress=None) -> ImportResult:
    """Create the rooms listed in an uploaded sheet, with the buildings and units that do not exist yet.
    Raises ImportFailed with every bad row and writes nothing if any row is bad."""
    sheet = read_sheet(file, COLUMNS, progress=progress)
    try:
        with transaction.atomic():
            rows = _rows_validate(project, sheet)
            result = _rooms_write(project, rows)
            result.file_name = sheet.file_name
            AuditLog.objects.create(
                actor=actor, action=AuditAction.IMPORT, target_type="org.room",
                target_label=f"{project.name} {sheet.file_name}"[:200],
                detail={"project_id": project.pk, "file": sheet.file_name, "rows": len(rows),
                        **result.counts}, ip=ip)
    except IntegrityError as exc:  # rooms added by someone else between our check and our insert
        message = _("The rooms of this project changed during the import. Upload the file again.")
        raise ImportFailed(message) from exc
    return result


def rooms_message(project: Project, counts: dict) -> str:
    """What a finished rooms import says."""
    return _("%(project)s: %(rooms)s rooms imported (%(buildings)s new buildings, %(units)s new units).") % {
        "project": project.name, **counts}


def _rows_validate(project: Project, sheet) -> list[_RoomRow]:
    existing_codes = set(Room.objects.filter(project=project).values_list("code", flat=True))
    errors = []
    rows: list[_RoomRow] = []
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        bad = RowErrors(sheet, number)
        parts = {}
        for key in ("building", "unit", "room"):
            value = _strip_suffix(cells.get(key, ""), _NUMBER_SUFFIXES[key])
            if key in ("building", "unit") and value.isdigit():
                value = str(int(value))  # "03" is building 3
            if key == "room" and "-" in value:  # a whole code such as 3-2-1802 in the room column
                code = parse_room_code(value)
                if code and code[:2] == (parts["building"], parts["unit"]):
                    value = code[2]
            if not value:
                bad(key, _("Required."))
            elif not _PART.fullmatch(value):
                bad(key, _("“%(value)s”: use letters and digits only, at most 16.") % {"value": value})
            parts[key] = value
        floor = _floor(cells.get("floor", ""), parts["room"], bad)
        area = _area(cells.get("area", ""), bad)
        room_type = _choice(cells.get("room_type", ""), ROOM_TYPES, RoomType.RESIDENCE, "room_type",
                            _("Unknown room type “%(value)s”. Use %(choices)s."), bad)
        status = _choice(cells.get("status", ""), ROOM_STATUSES, RoomStatus.VACANT, "status",
                         _("Unknown room status “%(value)s”. Use %(choices)s."), bad)
        if not bad:
            item = _RoomRow(number, parts["building"], parts["unit"], parts["room"], floor, area, room_type,
                            status)
            if item.code in seen:
                bad("room", _("Room %(code)s is already in row %(row)s.")
                    % {"code": item.code, "row": seen[item.code]})
            elif item.code in existing_codes:
                bad("room", _("Room %(code)s already exists in this project.") % {"code": item.code})
            else:
                seen[item.code] = number
                rows.append(item)
        errors += bad.items
    if errors:
        raise import_failed(errors)
    if not rows:
        raise ImportFailed(_("The sheet has no rows to import."))
    return rows


def _strip_suffix(value: str, suffixes) -> str:
    value = value.replace(" ", "")
    for suffix in suffixes:
        if value.endswith(suffix) and len(value) > len(suffix):
            return value[: -len(suffix)]
    return value


def _floor(text: str, room_number: str, bad) -> int | None:
    text = re.sub(r"(层|楼|F|f)$", "", text.replace(" ", ""))
    if not text:
        if room_number.isdigit() and len(room_number) >= 3:
            return int(room_number[:-2])  # 1802 is on floor 18
        if room_number:
            bad("floor", _("Enter the floor: it cannot be read from room number %(number)s.")
                % {"number": room_number})
        return None
    if not re.fullmatch(r"-?\d{1,3}", text):
        bad("floor", _("“%(value)s” is not a whole number.") % {"value": text})
        return None
    return int(text)


def _area(text: str, bad) -> Decimal | None:
    text = _AREA_UNITS.sub("", text.replace(" ", "").replace(",", ""))
    if not text:
        return None
    try:
        area = Decimal(text).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        bad("area", _("“%(value)s” is not a number of square metres.") % {"value": text})
        return None
    if not area.is_finite() or area < 0 or area > MAX_AREA:
        bad("area", _("The area must be between 0 and %(max)s m².") % {"max": MAX_AREA})
        return None
    return area


def _choice(text: str, table: dict, default, key: str, message: str, bad):
    if not text:
        return default
    value = choice_lookup(table, text)
    if value is None:
        bad(key, message % {"value": text, "choices": choice_words(table)})
    return value


def _natural(number: str):
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


def _rooms_write(project: Project, rows: list[_RoomRow]) -> ImportResult:
    top_floor: dict[str, int] = {}
    for item in rows:
        top_floor[item.building] = max(top_floor.get(item.building, 1), item.floor)

    buildings = {b.number: b for b in Building.objects.select_for_update().filter(project=project)}
    new_numbers = sorted((n for n in top_floor if n not in buildings), key=_natural)
    sort_base = len(buildings)
    Building.objects.bulk_create([
        Building(project=project, number=n, floors=top_floor[n], sort=sort_base + i)
        for i, n in enumerate(new_numbers, start=1)
    ])
    raised = [b for n, b in buildings.items() if n in top_floor and top_floor[n] > b.floors]
    for building in raised:
        building.floors = top_floor[building.number]
    Building.objects.bulk_update(raised, ["floors"])
    buildings = {b.number: b for b in Building.objects.filter(project=project, number__in=top_floor)}

    def units_by_key():
        return {(u.building.number, u.number): u
                for u in Unit.objects.filter(building__in=buildings.values()).select_related("building")}

    units = units_by_key()
    wanted = sorted({(r.building, r.unit) for r in rows} - units.keys(),
                    key=lambda k: (_natural(k[0]), _natural(k[1])))
    Unit.objects.bulk_create([Unit(project=project, building=buildings[b], number=u) for b, u in wanted])
    units = units_by_key()

    Room.objects.bulk_create([
        Room(project=project, building=buildings[r.building], unit=units[(r.building, r.unit)],
             number=r.number, code=r.code, floor=r.floor, area=r.area, room_type=r.room_type, status=r.status)
        for r in rows
    ], batch_size=1000)
    return ImportResult(counts={"buildings": len(new_numbers), "units": len(wanted), "rooms": len(rows)})
