"""Excel exports of the fee reports, in the shape finance keeps them (项目, 楼栋, 房号, 业主, 收费项目, 所属期间,
应收, 实收, 欠费, 账龄): a title row, the column names frozen under it, amounts in yuan with two decimals (written
from integer fen, never through a float sum). Written with openpyxl's write-only workbook into a temporary file
that the response streams; every export leaves one audit row, as the registers' exports do (reports/audit.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from tempfile import NamedTemporaryFile

from django.db.models import OuterRef, Q, Subquery, Sum
from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

from propdesk.core.models import AuditAction, AuditLog
from propdesk.core.views_utils import client_ip
from propdesk.customers.models import Occupancy

from .choices import EntryKind
from .rules.arrears import bucket_of, months_between
from .selectors.closing import ClosingDay
from .selectors.reports import BUCKET_LABELS, CollectionReport, overdue_bills

MONEY = "#,##0.00"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CHUNK = 2000


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]


def _cell(sheet, value):
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=_text(value))
        cell.data_type = "s"  # a name starting with "=" stays text
        return cell
    return value


def workbook_response(request, *, report: str, title: str, headers: list[str], rows: Iterable[list],
                      filename: str, filters: dict) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_text(title)[:31].replace("/", "-") or "sheet")
    sheet.freeze_panes = "A3"
    heading = WriteOnlyCell(sheet, value=_text(title))
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    header_cells = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    file = NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes (and so deletes) it
    try:
        workbook.save(file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    AuditLog.objects.create(actor=request.user, action=AuditAction.EXPORT, target_type=f"report:fees_{report}"[:64],
                            target_id="", target_label=title[:200], ip=client_ip(request),
                            detail={"filters": {k: str(v) for k, v in filters.items()}, "rows": count,
                                    "personal": report == "aging"})
    return FileResponse(file, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def collection_rows(report: CollectionReport) -> Iterable[list]:
    period = report.month.key
    for row in report.rows:
        f = row.figures
        target = f"{row.target_bp / 100:.2f}%" if row.target_bp is not None else ""
        yield [row.project, row.label, period, yuan(f.billed_fen), yuan(f.collected_fen), yuan(f.owed_fen),
               f.rate_text, target, yuan(f.arrears_start_fen), yuan(f.recovered_fen), f.recovery_text]


def collection_headers(group_label: str) -> list[str]:
    return [_("Project"), str(group_label), _("Period"), _("Billed"), _("Collected"), _("Owed"),
            _("Collection rate"), _("Target"), _("Arrears at the start"), _("Arrears recovered"),
            _("Recovery rate")]




def aging_headers() -> list[str]:
    return [_("Project"), _("Building"), _("Room"), _("Owner"), _("Fee item"), _("Period"), _("Billed"),
            _("Collected"), _("Owed"), _("Age")]


def aging_rows(user, projects: list[int], on: date) -> Iterable[list]:
    """One row per overdue bill, oldest first within each home: 应收 is the bill after its adjustments, 实收 what was
    paid on it, 欠费 what is still open. One query, read in chunks."""
    owner = (Occupancy.objects.current(on).filter(room_id=OuterRef("room_id"))
             .order_by("relation", "pk").filter(Q(relation="owner") | Q(relation="co_owner"))
             .values("resident__name")[:1])
    bills = (overdue_bills(user, projects, on)
             .annotate(adjusted=Sum("entries__receivable_fen", filter=Q(entries__kind=EntryKind.ADJUSTMENT),
                                    default=0), owner_name=Subquery(owner))
             .order_by("project__code", "room__building__number", "room__code", "due_date", "pk")
             .values("project__name", "room__building__name", "room__building__number", "room__code", "owner_name",
                     "item__name", "period_key", "amount_fen", "adjusted", "open_fen", "due_date"))
    for bill in bills.iterator(chunk_size=CHUNK):
        billed = bill["amount_fen"] + bill["adjusted"]
        age = _("%(months)s months (%(bucket)s)") % {"months": months_between(bill["due_date"], on),
                                                     "bucket": BUCKET_LABELS[bucket_of(bill["due_date"], on)]}
        yield [bill["project__name"], bill["room__building__name"] or bill["room__building__number"],
               bill["room__code"], bill["owner_name"] or "", bill["item__name"], bill["period_key"], yuan(billed),
               yuan(billed - bill["open_fen"]), yuan(bill["open_fen"]), age]


def closing_headers() -> list[str]:
    return [_("Project"), _("Cashier"), _("Day"), _("Payment method"), _("Amount"), _("Receipts"), _("Voided receipts")]


def closing_rows(days: list[ClosingDay], cashier: str) -> Iterable[list]:
    for day in days:
        receipts = f"{day.first_receipt}–{day.last_receipt} ({day.receipts})" if day.receipts else ""
        voided = ", ".join(v["receipt_number"] for v in day.voided)
        for _method, label, fen in day.lines:
            yield [day.project, cashier, day.day.isoformat(), label, yuan(fen), receipts, voided]
        yield [day.project, cashier, day.day.isoformat(), _("Total"), yuan(day.total_fen), receipts, voided]
        if day.closing is not None:
            yield [day.project, cashier, day.day.isoformat(), _("Cash counted"), yuan(day.closing.counted_cash_fen),
                   _("Difference"), yuan(day.closing.difference_fen)]
