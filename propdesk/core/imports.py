"""Excel imports: reading an uploaded .xlsx sheet, and the result and error shapes every import shares.

An import checks every row before it writes anything. Every problem becomes an ``ImportRowError`` with the
Excel row number (the header is row 1), the column's header as the sheet spells it and a short reason; if
there is any, the service raises ``ImportFailed`` carrying all of them and nothing is written.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable, Sequence
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
# The work one upload may cause is bounded before anything is parsed, from the zip's directory (zipfile never
# inflates a member beyond the size its directory declares): an 8 MB upload must not become gigabytes of XML.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all members together; 20,000 full rows take some 10 MB
MAX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024  # openpyxl holds the whole string table in memory
MAX_COMPRESSION_RATIO = 100  # a member above 1 MB inflating more than this is a bomb, not a room list
MAX_ZIP_MEMBERS = 500
MAX_COLUMNS = 60  # columns beyond are not read (an import uses fewer than ten)
MAX_CELL_CHARS = 500  # in the columns an import reads; a name, a phone or a room code is far shorter
MAX_HEADER_CHARS = 100  # longer text in the rows searched for the header is no header
MAX_SCAN_ROWS = 2 * MAX_ROWS  # rows read at most, blank ones included
PROGRESS_EVERY = 500  # rows


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


@dataclass(frozen=True)
class WorkbookSize:
    """What the zip's directory says of an uploaded workbook, before anything is inflated."""

    uncompressed: int  # all members
    sheet_data: int  # worksheets and the shared string table: what reading the rows costs


def workbook_check(file) -> WorkbookSize:
    """Refuse, before any parsing, an upload whose reading would cost more than a room or owner list can:
    over MAX_FILE_BYTES, not a zip, over MAX_UNCOMPRESSED_BYTES inflated, or inflating suspiciously well.
    Raises ImportFailed with a message for the form; leaves the file at its start."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise ImportFailed(_("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFailed(_not_a_workbook()) from exc
    finally:
        file.seek(0)
    if not any(m.filename == "[Content_Types].xml" for m in members):  # every Office file has one
        raise ImportFailed(_not_a_workbook())
    too_big = _("The workbook holds more data than an import takes (%(mb)s MB unpacked at most). Remove "
                "unused sheets, pictures and formatting, or split it into several files.")
    too_big %= {"mb": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
    if len(members) > MAX_ZIP_MEMBERS:
        raise ImportFailed(too_big)
    total = sum(m.file_size for m in members)
    strings = sum(m.file_size for m in members if m.filename.lower().endswith("sharedstrings.xml"))
    if total > MAX_UNCOMPRESSED_BYTES or strings > MAX_SHARED_STRINGS_BYTES:
        raise ImportFailed(too_big)
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise ImportFailed(too_big)
    sheet_data = sum(m.file_size for m in members
                     if m.filename.lower().startswith("xl/worksheets/") or m.filename.lower().endswith(
                         "sharedstrings.xml"))
    return WorkbookSize(uncompressed=total, sheet_data=sheet_data)


def read_sheet(file, columns: Sequence[Column], *, progress: Callable[[int, int | None], None] | None = None
               ) -> Sheet:
    """Read the first worksheet of an uploaded .xlsx file, row by row (openpyxl's read-only mode). Raises
    ImportFailed when the file is too big once unpacked (``workbook_check``), is not a workbook, lacks a
    required column, has more than MAX_ROWS rows, or has cells longer than MAX_CELL_CHARS in the columns read.
    ``progress(rows_read, rows_claimed)`` is called every PROGRESS_EVERY rows (first with the number of rows the
    sheet says it has, which may be missing or wrong)."""
    spec = {c.key: c for c in columns}
    file_name = os.path.basename(getattr(file, "name", "") or "")
    workbook_check(file)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and openpyxl errors alike mean the bytes are not a workbook
        raise ImportFailed(_not_a_workbook()) from exc
    try:
        return _read_rows(workbook, spec, file_name, progress)
    except ImportFailed:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip
        raise ImportFailed(_not_a_workbook()) from exc
    finally:
        workbook.close()


def _not_a_workbook() -> str:
    return _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")


def _read_rows(workbook, spec: dict[str, Column], file_name: str, progress=None) -> Sheet:
    if not workbook.worksheets:
        raise ImportFailed(_("The workbook has no sheet."))
    lookup = {}
    for column in spec.values():
        for name in (column.header, *column.aliases):
            lookup.setdefault(header_key(name), column.key)
    worksheet = workbook.worksheets[0]
    if progress is not None:
        progress(0, worksheet.max_row)  # as the sheet's dimension claims (None when it does not say)
    # Never wider than MAX_COLUMNS nor longer than MAX_SCAN_ROWS, whatever the sheet's dimension claims.
    rows = worksheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_SCAN_ROWS + 1, values_only=True)

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
    headers = {key: text for key, (_i, text) in found.items()}
    data: list[tuple[int, dict[str, str]]] = []
    too_long: list[ImportRowError] = []
    blank_run = 0
    too_many = _("The file has more than %(max)s rows. Split it into files of at most %(max)s rows.")
    for number, values in enumerate(rows, start=header_row + 1):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number, None)
        cells = {key: cell_text(values[i]) if i < len(values) else "" for key, i in indexes.items()}
        if not any(cells.values()):
            blank_run += 1
            if blank_run >= BLANK_RUN_END or number > MAX_SCAN_ROWS:
                break
            continue
        if number > MAX_SCAN_ROWS:
            raise ImportFailed(too_many % {"max": f"{MAX_ROWS:,}"})
        blank_run = 0
        for key, text in cells.items():
            if len(text) > MAX_CELL_CHARS:
                too_long.append(ImportRowError(number, headers[key], _(
                    "At most %(limit)s characters (this has %(count)s).") % {
                        "limit": MAX_CELL_CHARS, "count": f"{len(text):,}"}))
                cells[key] = ""  # not kept: the import stops below
        data.append((number, cells))
        if len(data) > MAX_ROWS:
            raise ImportFailed(too_many % {"max": f"{MAX_ROWS:,}"})
    if too_long:
        raise import_failed(too_long)
    return Sheet(columns=indexes, headers=headers, rows=data, file_name=file_name, spec=spec)


def _match_header(values, lookup, number) -> tuple[dict[str, tuple[int, str]], list[ImportRowError]]:
    found: dict[str, tuple[int, str]] = {}
    errors = []
    for index, value in enumerate(values):
        text = cell_text(value)
        key = lookup.get(header_key(text)) if text and len(text) <= MAX_HEADER_CHARS else None
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


# --- importers that can run as background work -----------------------------------------------------------------

@dataclass(frozen=True)
class Importer:
    """An import a job can run: ``run(project=, file=, actor=, ip=, progress=)`` returns an ImportResult;
    ``message(project, counts)`` says what it did. Apps register theirs (AppConfig.ready), so the job runner in
    org reaches the residents import of customers without importing it."""

    kind: str
    run: Callable[..., ImportResult]
    message: Callable[..., str]


IMPORTERS: dict[str, Importer] = {}


def register_importer(kind: str, *, run, message) -> None:
    IMPORTERS[kind] = Importer(kind, run, message)
