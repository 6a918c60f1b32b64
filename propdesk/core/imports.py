"""Excel imports: reading an uploaded .xlsx sheet, and the result and error shapes every import shares.

An import checks every row before it writes anything. Every problem becomes an ``ImportRowError`` with the
Excel row number (the header is row 1), the column's header as the sheet spells it and a short reason; if
there is any, the service raises ``ImportFailed`` carrying all of them and nothing is written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.styles import Alignment, Font, PatternFill

from .errors import ApplicationError

MAX_ROWS = 20_000
MAX_FILE_BYTES = 10 * 1024 * 1024
HEADER_SCAN_ROWS = 10  # a title row or two above the header is tolerated
BLANK_RUN_END = 1000  # this many blank rows in a row end the data (sheets formatted down to row 1,048,576)


@dataclass(frozen=True)
class ImportRowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    """What an import created, e.g. ``{"buildings": 2, "units": 4, "rooms": 160}``."""

    counts: dict[str, int] = field(default_factory=dict)
    file_name: str = ""


class ImportFailed(ApplicationError):
    """Nothing was imported. ``errors`` lists every bad row (empty when the file as a whole is unusable)."""

    def __init__(self, message, errors: Sequence[ImportRowError] = ()):
        self.errors = sorted(errors, key=lambda e: e.row)
        super().__init__(message, {"rows": [asdict(e) for e in self.errors]})

    @property
    def row_count(self) -> int:
        return len({e.row for e in self.errors})


def import_failed(errors: Sequence[ImportRowError]) -> ImportFailed:
    rows = len({e.row for e in errors})
    message = ngettext("Nothing was imported: %(count)s row has errors. Correct it and upload again.",
                       "Nothing was imported: %(count)s rows have errors. Correct them and upload again.",
                       rows)
    return ImportFailed(message % {"count": rows}, errors)


@dataclass(frozen=True)
class Column:
    """A column an import understands: ``header`` as in the template, ``aliases`` other names for it
    (Chinese and English; compared without spaces, case, ``*`` marks and bracketed units)."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass
class Sheet:
    """An uploaded sheet: ``columns`` maps a column key to its 0-based index, ``headers`` to its header as the
    sheet spells it; ``rows`` are (Excel row number, {key: text}) for the non-blank rows."""

    columns: dict[str, int]
    headers: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]
    file_name: str = ""
    spec: dict[str, Column] = field(default_factory=dict)

    def header(self, key: str) -> str:
        """The header to name in an error: the sheet's own, or the template's when the column is absent."""
        return self.headers.get(key) or self.spec[key].header


class RowErrors:
    """The errors of one row, collected with ``bad(key, message)``; false while there are none."""

    def __init__(self, sheet: Sheet, row: int):
        self.sheet, self.row, self._items = sheet, row, []

    def __call__(self, key: str, message) -> None:
        position = self.sheet.columns.get(key, len(self.sheet.spec))
        self._items.append((position, ImportRowError(self.row, self.sheet.header(key), str(message))))

    def __bool__(self) -> bool:
        return bool(self._items)

    @property
    def items(self) -> list[ImportRowError]:
        """In the order of the sheet's columns."""
        return [error for _position, error in sorted(self._items, key=lambda item: item[0])]


_BRACKETED = re.compile(r"[(（\[【].*?[)）\]】]")
_HEADER_NOISE = re.compile(r"[\s_\-.:：*＊]+")


def header_key(text) -> str:
    """``"建筑面积（㎡）*"`` → ``"建筑面积"``; ``"Building No."`` → ``"buildingno"``."""
    return _HEADER_NOISE.sub("", _BRACKETED.sub("", str(text or ""))).casefold()


def cell_text(value) -> str:
    """A cell as text: stripped; 3.0 → "3", 89.5 → "89.5", 13812345678.0 → "13812345678"; dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.10f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


def choice_lookup(table: dict, text: str):
    """The value ``text`` names in ``table`` (Chinese words, English values), or None."""
    return table.get(text) or table.get(text.casefold())


def choice_words(table: dict) -> str:
    """The first Chinese word of each value, "住宅、公寓、别墅…", to tell the user what is accepted."""
    words: dict = {}
    for word, value in table.items():
        if not word.isascii():
            words.setdefault(value, word)
    return "、".join(words.values())


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date_cell(text: str) -> date:
    """A date cell as ``cell_text`` gives it: ISO from a real Excel date, typed 2024-06-18, 2024/6/18,
    2024.6.18, 2024年6月18日 or 20240618, or an Excel serial number left in a number cell.
    Raises ValueError otherwise."""
    text = text.strip()
    match = _DATE.fullmatch(text)
    if match:
        return date(*(int(part) for part in match.groups()))
    if re.fullmatch(r"\d{8}", text):
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if re.fullmatch(r"\d{5}", text):  # days since 1899-12-30, as Excel counts
        return (datetime(1899, 12, 30) + timedelta(days=int(text))).date()
    raise ValueError(text)


def read_sheet(file, columns: Sequence[Column]) -> Sheet:
    """Read the first worksheet of an uploaded .xlsx file. Raises ImportFailed when the file is not a
    workbook, lacks a required column or has more than MAX_ROWS rows."""
    spec = {c.key: c for c in columns}
    file_name = os.path.basename(getattr(file, "name", "") or "")
    size = getattr(file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise ImportFailed(_("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
    try:
        if hasattr(file, "seek"):
            file.seek(0)
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and openpyxl errors alike mean the bytes are not a workbook
        raise ImportFailed(_not_a_workbook()) from exc
    try:
        return _read_rows(workbook, spec, file_name)
    except ImportFailed:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip
        raise ImportFailed(_not_a_workbook()) from exc
    finally:
        workbook.close()


def _not_a_workbook() -> str:
    return _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")


def _read_rows(workbook, spec: dict[str, Column], file_name: str) -> Sheet:
    if not workbook.worksheets:
        raise ImportFailed(_("The workbook has no sheet."))
    lookup = {}
    for column in spec.values():
        for name in (column.header, *column.aliases):
            lookup.setdefault(header_key(name), column.key)
    rows = workbook.worksheets[0].iter_rows(values_only=True)

    header_row, found, errors = 0, {}, []
    for number, values in enumerate(rows, start=1):
        found, errors = _match_header(values or (), lookup, number)
        if any(spec[key].required for key in found):
            header_row = number
            break
        if number >= HEADER_SCAN_ROWS:
            break
    if not header_row:
        header_row, found, errors = 1, {}, []
    errors += [ImportRowError(header_row, c.header, _("Required column is missing."))
               for c in spec.values() if c.required and c.key not in found]
    if errors:
        raise ImportFailed(_("The header row is not as expected: nothing was imported."), errors)

    indexes = {key: index for key, (index, _text) in found.items()}
    data: list[tuple[int, dict[str, str]]] = []
    blank_run = 0
    for number, values in enumerate(rows, start=header_row + 1):
        cells = {key: cell_text(values[i]) if i < len(values) else "" for key, i in indexes.items()}
        if not any(cells.values()):
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                break
            continue
        blank_run = 0
        data.append((number, cells))
        if len(data) > MAX_ROWS:
            message = _("The file has more than %(max)s rows. Split it into files of at most %(max)s rows.")
            raise ImportFailed(message % {"max": f"{MAX_ROWS:,}"})
    return Sheet(columns=indexes, headers={key: text for key, (_i, text) in found.items()}, rows=data,
                 file_name=file_name, spec=spec)


def _match_header(values, lookup, number) -> tuple[dict[str, tuple[int, str]], list[ImportRowError]]:
    found: dict[str, tuple[int, str]] = {}
    errors = []
    for index, value in enumerate(values):
        text = cell_text(value)
        key = lookup.get(header_key(text)) if text else None
        if key is None:
            continue  # columns the import does not use (备注 …) are ignored
        if key in found:
            message = _("Column “%(other)s” already holds this data; remove one of the two.")
            errors.append(ImportRowError(number, text, message % {"other": found[key][1]}))
            continue
        found[key] = (index, text)
    return found, errors


def template_workbook(*, title: str, headers: Sequence[str], rows: Sequence[Sequence],
                      required: Sequence[str] = (), text_headers: Sequence[str] = ()) -> bytes:
    """An .xlsx import template: bold header row (required columns marked), example rows, and text format on
    ``text_headers`` so that Excel keeps ID numbers, phones and room codes as typed."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF1D6")
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
        if header in required:
            cell.fill = required_fill
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(10, 2 * len(header) + 4)
        if header in text_headers:
            sheet.column_dimensions[letter].number_format = "@"
            for row_number in range(2, len(rows) + 2):
                sheet.cell(row=row_number, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
