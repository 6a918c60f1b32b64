"""Excel imports of finance: meter readings (房号, 本期读数) and opening balances from the previous system (房号,
收费项目, 所属期间, 欠费金额, 预存余额).

As every import of the house (propdesk/core/imports.py): every row is checked first, one bad row and nothing is
written, each problem names its row and column. Opening arrears become bills of the project's item "opening"
(期初欠费), one per home, item and period, with their CHARGE entries; an opening prepaid balance is an OPENING
ledger entry (prepaid +, no cash: the money was taken by the previous system).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.core.imports import Column, ImportFailed, ImportResult, RowErrors, import_failed, read_sheet
from propdesk.core.imports import template_workbook as _template_workbook
from propdesk.core.models import AuditAction, AuditLog
from propdesk.org.models import Room

from ..choices import EntryKind, FeeKind
from ..models import Bill, FeeItem, LedgerEntry, MeterReading
from ..rules import charges, periods
from ..rules.money import AmountError, parse_amount
from . import ledger
from .readings import evaluate, period_of_item, previous_readings, reading_messages, reading_value
from .setup import STANDARD_ITEMS

ROOM = Column("room", "房号", ("房屋", "房屋编号", "房间号", "room", "room code"), required=True)
READING_COLUMNS = (ROOM, Column("reading", "本期读数", ("读数", "表读数", "reading"), required=True))
OPENING_COLUMNS = (
    ROOM,
    Column("item", "收费项目", ("项目", "费用名称", "item", "fee item")),
    Column("period", "所属期间", ("期间", "所属月份", "账期", "period")),
    Column("owed", "欠费金额", ("欠费", "欠款", "应收未收", "owed", "arrears")),
    Column("prepaid", "预存余额", ("预存", "预存款", "prepaid")),
)


def readings_template() -> bytes:
    return _template_workbook(title="抄表", headers=["房号", "本期读数"], rows=[["3-2-1802", 1234.5]],
                              required=["房号", "本期读数"], text_headers=["房号"])


def openings_template() -> bytes:
    return _template_workbook(title="期初", headers=[c.header for c in OPENING_COLUMNS],
                              rows=[["3-2-1802", "物业服务费", "2025-12", 249.2, 0], ["3-2-1801", "", "", 0, 500]],
                              required=["房号"], text_headers=["房号", "所属期间"])


def _rooms(project, codes) -> dict[str, Room]:
    return {room.code: room for room in Room.objects.filter(project=project, code__in=list(codes))
            .select_related("project")}


def _room_code(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


@dataclass
class _ReadingRow:
    row: int
    room: Room
    value: Decimal


def readings_import(*, project, item: FeeItem, period_key: str, file, actor, now: datetime | None = None,
                    ip: str | None = None) -> ImportResult:
    """The readings of one item and period for the homes listed. Unusual readings are kept unconfirmed (counted
    as ``unusual``), to be confirmed on the readings page before they are billed."""
    now = now or timezone.now()
    if item.project_id != project.pk or item.kind != FeeKind.METERED:
        raise ImportFailed(_("Choose a metered item of this project."))
    try:
        period = period_of_item(item, period_key)
    except ApplicationError as error:
        raise ImportFailed(error.message) from None
    sheet = read_sheet(file, READING_COLUMNS)
    rooms = _rooms(project, {_room_code(cells.get("room", "")) for _n, cells in sheet.rows})
    errors, rows, seen = [], [], {}
    for number, cells in sheet.rows:
        bad = RowErrors(sheet, number)
        code = _room_code(cells.get("room", ""))
        room = rooms.get(code)
        if not code:
            bad("room", _("Required."))
        elif room is None:
            bad("room", _("No room %(code)s in this project.") % {"code": code})
        elif code in seen:
            bad("room", _("Room %(code)s is already in row %(row)s.") % {"code": code, "row": seen[code]})
        try:
            value = reading_value(cells.get("reading", ""))
        except ApplicationError as error:
            bad("reading", error.message)
            value = None
        if not bad:
            seen[code] = number
            rows.append(_ReadingRow(number, room, value))
        errors += bad.items
    if not rows and not errors:
        raise ImportFailed(_("The sheet has no rows to import."))
    with transaction.atomic():
        room_ids = [r.room.pk for r in rows]
        existing = {r.room_id: r for r in MeterReading.objects.select_for_update().filter(
            room_id__in=room_ids, item=item, period_key=period.key)}
        earlier = previous_readings(room_ids=room_ids, item=item, period_key=period.key)
        evaluated = []
        for row in rows:
            bad = RowErrors(sheet, row.row)
            if row.room.pk in existing and existing[row.room.pk].bill_id:
                bad("reading", _("The reading of %(period)s is billed already.") % {"period": period.key})
            else:
                history = earlier.get(row.room.pk, [])
                try:
                    evaluated.append((row, evaluate(reading=row.value, earlier=history)))
                except charges.ReadingError as error:
                    last = history[-1].reading if history else Decimal(0)
                    bad("reading", reading_messages(getattr(error, "code", ""), last))
            errors += bad.items
        if errors:
            raise import_failed(errors)
        unusual = 0
        for row, found in evaluated:
            values = dict(project_id=project.pk, reading=row.value, previous=found.previous,
                          consumption=found.consumption, replaced_final=None, replaced_start=None, alarm=found.alarm,
                          confirmed_by=None, read_at=now, read_by=actor)
            unusual += found.alarm
            MeterReading.objects.update_or_create(room=row.room, item=item, period_key=period.key, defaults=values)
        AuditLog.objects.create(actor=actor, action=AuditAction.IMPORT, target_type="fees.meterreading",
                                target_label=f"{project.name} {item.name} {period.key} {sheet.file_name}"[:200],
                                detail={"project_id": project.pk, "item": item.code, "period": period.key,
                                        "rows": len(evaluated), "unusual": unusual}, ip=ip)
    return ImportResult(counts={"readings": len(evaluated), "unusual": unusual}, file_name=sheet.file_name)


_PERIOD_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def opening_period(text: str) -> periods.Period:
    """"2025-12", "2025/12", "2025年12月", "2025-Q4", "2025" → the period; ValueError otherwise."""
    text = (text or "").strip()
    match = _PERIOD_TEXT.match(text)
    if match:
        text = f"{match.group(1)}-{int(match.group(2)):02d}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # a date cell: its month
        text = text[:7]
    return periods.parse_period_key(text.upper())


@dataclass
class _OpeningRow:
    row: int
    room: Room
    item: FeeItem | None
    period: periods.Period | None
    owed_fen: int
    prepaid_fen: int


def _money(text: str, key: str, bad) -> int:
    if not (text or "").strip():
        return 0
    try:
        return parse_amount(text, allow_zero=True)
    except AmountError:
        bad(key, _("“%(value)s” is not an amount in yuan (at most two decimals, not negative).") % {"value": text})
        return 0


def opening_item(project) -> FeeItem:
    """The project's item "opening" (期初欠费), created as services/setup.STANDARD_ITEMS describes it."""
    spec = next(s for s in STANDARD_ITEMS if s[0] == "opening")
    item, _created = FeeItem.objects.get_or_create(project=project, code="opening", defaults=dict(
        name=spec[1], kind=FeeKind.OPENING, cycle=spec[3], position=len(STANDARD_ITEMS)))
    return item


def openings_import(*, project, file, actor, now: datetime | None = None, ip: str | None = None) -> ImportResult:
    """Opening arrears and prepaid balances of the project's homes, all or nothing."""
    now = now or timezone.now()
    sheet = read_sheet(file, OPENING_COLUMNS)
    rooms = _rooms(project, {_room_code(cells.get("room", "")) for _n, cells in sheet.rows})
    items = {}
    for item in FeeItem.objects.filter(project=project).exclude(kind__in=[FeeKind.OPENING, FeeKind.LATE_FEE]):
        items[item.name] = items[item.code] = item
    opening = FeeItem.objects.filter(project=project, code="opening").first()
    taken = set(Bill.objects.filter(item=opening).values_list("room_id", "period_key")) if opening else set()
    prepaid_done = set(LedgerEntry.objects.filter(project=project, kind=EntryKind.OPENING)
                       .values_list("room_id", flat=True))
    errors, rows = [], []
    seen_bills: dict[tuple, int] = {}
    seen_prepaid: dict[int, int] = {}
    for number, cells in sheet.rows:
        bad = RowErrors(sheet, number)
        code = _room_code(cells.get("room", ""))
        room = rooms.get(code)
        if not code:
            bad("room", _("Required."))
        elif room is None:
            bad("room", _("No room %(code)s in this project.") % {"code": code})
        owed = _money(cells.get("owed", ""), "owed", bad)
        prepaid = _money(cells.get("prepaid", ""), "prepaid", bad)
        item = period = None
        if owed:
            name = (cells.get("item") or "").strip()
            item = items.get(name) or items.get(name.lower())
            if not name:
                bad("item", _("Required with an amount owed."))
            elif item is None:
                bad("item", _("No fee item “%(name)s” in this project.") % {"name": name})
            try:
                period = opening_period(cells.get("period", ""))
            except ValueError:
                bad("period", _("Enter the period as 2025-12, 2025-Q4 or 2025."))
        elif not prepaid and not bad:
            bad("owed", _("Enter an amount owed or a prepaid balance."))
        if room is not None and item is not None and period is not None:
            key = (room.pk, f"{period.key}:{item.code}")
            if key in seen_bills:
                bad("period", _("This home, item and period is already in row %(row)s.") % {"row": seen_bills[key]})
            elif key in taken:
                bad("period", _("Imported before: this home already has opening arrears of this item and period."))
            seen_bills.setdefault(key, number)
        if room is not None and prepaid:
            if room.pk in seen_prepaid:
                bad("prepaid", _("The prepaid balance of this home is already in row %(row)s.")
                    % {"row": seen_prepaid[room.pk]})
            elif room.pk in prepaid_done:
                bad("prepaid", _("Imported before: this home already has an opening prepaid balance."))
            seen_prepaid.setdefault(room.pk, number)
        if not bad:
            rows.append(_OpeningRow(number, room, item, period, owed, prepaid))
        errors += bad.items
    if errors:
        raise import_failed(errors)
    if not rows:
        raise ImportFailed(_("The sheet has no rows to import."))
    bills = prepaid_total = owed_total = 0
    with transaction.atomic():
        opening = opening_item(project)
        by_room: dict[int, list[_OpeningRow]] = {}
        for row in rows:
            by_room.setdefault(row.room.pk, []).append(row)
        for room_rows in by_room.values():
            account = ledger.account_lock(room=room_rows[0].room)
            for row in room_rows:
                if row.owed_fen:
                    period = row.period
                    bill = Bill.objects.create(
                        project_id=project.pk, room=row.room, item=opening, period_key=f"{period.key}:{row.item.code}",
                        period_start=period.start, period_end=period.end,
                        due_date=periods.due_date(period, row.item.due_day, offset_months=row.item.due_offset_months),
                        amount_fen=row.owed_fen, open_fen=0, description=f"{row.item.name} {period.key}（期初）",
                        issued_at=now, issued_by=actor)
                    ledger.post(account=account, kind=EntryKind.CHARGE, at=now, actor=actor, bill=bill,
                                receivable=row.owed_fen, note=_("opening balance"))
                    bills += 1
                    owed_total += row.owed_fen
                if row.prepaid_fen:
                    ledger.post(account=account, kind=EntryKind.OPENING, at=now, actor=actor,
                                prepaid=row.prepaid_fen, note=_("opening balance"))
                    prepaid_total += row.prepaid_fen
            ledger.account_refresh(account)
        AuditLog.objects.create(actor=actor, action=AuditAction.IMPORT, target_type="fees.bill",
                                target_label=f"{project.name} {sheet.file_name}"[:200],
                                detail={"project_id": project.pk, "rows": len(rows), "bills": bills,
                                        "owed_fen": owed_total, "prepaid_fen": prepaid_total}, ip=ip)
    return ImportResult(counts={"homes": len(by_room), "bills": bills, "owed_fen": owed_total,
                                "prepaid_fen": prepaid_total}, file_name=sheet.file_name)
