"""Excel exports of the registers, streamed: rows come from one ``.iterator(chunk_size=CHUNK_SIZE)`` query (plus one
query per chunk for the requests' work orders) into an openpyxl write-only workbook on a temporary file, which the
response then streams — memory does not grow with the number of rows (openpyxl keeps only its table of distinct
strings). The sheet is the paper form: its title (form · place · period) on the first row, the form's column names
on the second, frozen above the data.

Phone numbers are in full only for users who may reveal them (Capability.REVEAL_PHONE), masked otherwise. Every
export writes one audit row (audit.export_logged) with the filters, the row count and whether full numbers left.
"""

from __future__ import annotations

import re
from datetime import datetime
from tempfile import NamedTemporaryFile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from propdesk.core.masking import mask_phone
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from .audit import export_logged
from .selectors.registers import Register, RegisterFilters

EXCEL_MAX_TEXT = 32767
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
UNSAFE_NAME = re.compile(r'[\\/:*?"<>|]+')


def place_name(user, filters: RegisterFilters, *, short: bool = False) -> str:
    """What the sheet covers: the place chosen, else the caller's only project, else "all projects in your scope".
    ``short``: the project (or branch) alone, for the file name."""
    place = filters.report.place
    if short and (place.project or place.branch):
        return str(place.project or place.branch)
    if place.project or place.branch or place.department:
        return place.label
    only = list(Project.objects.restrict(user).order_by("pk")[:2])
    return only[0].name if len(only) == 1 else place.label


def sheet_title(register: Register, user, filters: RegisterFilters) -> str:
    """e.g. 顾客投诉登记表 · 翠湖花园 · 2026年10月"""
    return " · ".join((str(register.title), place_name(user, filters), str(filters.report.period.label)))


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_MAX_TEXT]


def excel_cell(sheet, value):
    """A value as Excel keeps it: local date-times as dates, text never taken for a formula."""
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, str):
        value = _text(value)
        if value.startswith("="):  # a resident's "=…" is text, not a formula
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
    return value


def write_register(register: Register, user, filters: RegisterFilters, file, *, reveal: bool, title: str) -> int:
    """Write the register's sheet into ``file``; returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_text(str(register.title))[:31])
    for index, column in enumerate(register.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    heading = WriteOnlyCell(sheet, value=_text(title))
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    headers = []
    for column in register.columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        headers.append(cell)
    sheet.append(headers)
    count = 0
    for batch in register.batches(user, filters):
        for row in batch:
            count += 1
            row["_seq"] = count
            values = []
            for column in register.columns:
                value = column.value(row)
                if column.phone and value and not reveal:
                    value = mask_phone(value)
                values.append(excel_cell(sheet, value))
            sheet.append(values)
    workbook.save(file)
    return count


def register_export(request, *, register: Register, filters: RegisterFilters) -> FileResponse:
    """The register as .xlsx, streamed from a temporary file, with its audit row."""
    user = request.user
    reveal = register.has_phones and user_can(user, Capability.REVEAL_PHONE)
    title = sheet_title(register, user, filters)
    file = NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes (and so deletes) it
    try:
        rows = write_register(register, user, filters, file, reveal=reveal, title=title)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    export_logged(request=request, report=f"register:{register.name}", label=title, filters=filters.query(),
                  rows=rows, personal=reveal)
    name = "-".join((str(register.title), place_name(user, filters, short=True), filters.report.period.key))
    name = UNSAFE_NAME.sub("-", name).replace(" ", "") or _("register")
    return FileResponse(file, as_attachment=True, filename=f"{name}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
