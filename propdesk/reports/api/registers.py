"""API endpoints of the registers (see api/__init__.py): the same lists, filters, scope and columns as the pages
(selectors/registers.py).

- ``GET /api/reports/registers/{name}`` (requests, complaints, visits, orders; VIEW_REGISTERS): one page of 50 rows,
  ``{"count", "count_exact", "page", "pages", "has_next", "columns": [{"key", "label"}], "rows": [{key: value}]}``,
  phone numbers masked. The count stops at 1,000 (``count_exact`` false beyond): page on while ``has_next``.
- ``GET /api/reports/registers/{name}/export`` (EXPORT): the .xlsx file, audit-logged.

A bad filter is a 400 naming its field in ``extra.fields``; an unknown register a 404.
"""

from django.http import Http404
from ninja import Field, Query, Router, Schema

from propdesk.core.masking import mask_phone
from propdesk.core.pagination import CAP, CappedPaginator
from propdesk.org.api import require
from propdesk.staff.rules.roles import Capability

from ..exports import register_export
from ..selectors.registers import PAGE_SIZE, REGISTERS, Register, register_filters

router = Router(tags=["reports"])


class RegisterQuery(Schema):
    """Every register's filters; each register reads the ones it has (the drill-down contract)."""

    month: str = Field("", description="YYYY-MM (a period: month, quarter, week or from–to; default this month)")
    quarter: str = Field("", description="YYYY-Qn")
    week: str = Field("", description="Any day of the week, YYYY-MM-DD")
    period_from: str = Field("", alias="from", description="First day, YYYY-MM-DD")
    period_to: str = Field("", alias="to", description="Last day, YYYY-MM-DD (inclusive)")
    project: str = Field("", description="Project id; one outside your scope is a 400")
    branch: str = Field("", description="Branch id")
    department: str = Field("", description="Department id")
    kind: str = Field("", description="requests: inquiry, repair, complaint, help, suggestion, praise")
    category: str = Field("", description="requests, complaints: complaint category; none: not classified")
    severity: str = Field("", description="requests, complaints: major, important, minor; none: not graded")
    complained: str = Field("", description="requests, complaints: none — no department complained about named")
    building: str = Field("", description="requests, complaints: building id (rooms in that building)")
    area: str = Field("", description="requests, complaints: common-area id (requests about it naming no room)")
    status: str = Field("", description="the row's status (cancelled requests only when asked for)")
    valid: str = Field("", description="requests, complaints: 1 valid, 0 not valid, none not yet decided")
    on_time: str = Field("", description="1 on time, 0 late (complaints solved / orders completed); complaints: "
                                         "open — open and not yet due")
    repeat: str = Field("", description="requests, complaints: 1 repeat complaints (same room and category within "
                                        "90 days), 0 the others")
    measure: str = Field("", description="orders: created (default), accepted, arrived, completed — the time the "
                                         "period filters")
    assignee: str = Field("", description="orders: user id")
    reopened: str = Field("", description="orders: 1 reopened, 0 never reopened")
    first_fix: str = Field("", description="orders: 1 fixed at the first visit, 0 not")
    rule: str = Field("", description="visits: complaint, repair, help, other")
    satisfaction: str = Field("", description="visits: 1–5")
    dissatisfied: str = Field("", description="visits: 1 satisfaction 2 or less")
    page: int = Field(1, ge=1, le=10**9)

    def data(self) -> dict[str, str]:
        return {key: value for key, value in self.model_dump(by_alias=True).items() if key != "page"}


class ColumnOut(Schema):
    key: str
    label: str


class RegisterPageOut(Schema):
    count: int = Field(description=f"Rows in the register, counted up to {CAP}; more when count_exact is false")
    count_exact: bool = Field(description=f"False when the register has more than {CAP} rows")
    page: int
    pages: int = Field(description=f"Pages of the count (when count_exact is false, the pages of the first {CAP} "
                                   "rows: more follow while has_next)")
    has_next: bool
    columns: list[ColumnOut]
    rows: list[dict]


def _register(name: str) -> Register:
    if name not in REGISTERS:
        raise Http404(name)
    return REGISTERS[name]


def row_out(register: Register, row: dict) -> dict:
    out = {"id": row["id"]}
    for column in register.columns:
        value = column.value(row)
        out[column.key] = mask_phone(value) if column.phone and value else value
    return out


@router.get("/registers/{name}", response=RegisterPageOut,
            summary="A register (requests, complaints, visits, orders): one page of 50 rows, newest first "
                    "(VIEW_REGISTERS; phones masked)")
def register_list(request, name: str, query: Query[RegisterQuery]):
    require(request, Capability.VIEW_REGISTERS)
    register = _register(name)
    filters = register_filters(register, request.user, query.data())
    page = CappedPaginator(register.queryset(request.user, filters), PAGE_SIZE).get_page(query.page)
    rows = register.page_rows(request.user, page.object_list, first=page.start_index())
    return {"count": page.paginator.count, "count_exact": page.paginator.exact, "page": page.number,
            "pages": page.paginator.num_pages, "has_next": page.has_next(),
            "columns": [{"key": column.key, "label": str(column.header)} for column in register.columns],
            "rows": [row_out(register, row) for row in rows]}


@router.get("/registers/{name}/export", summary="A register as Excel (.xlsx), the paper form's columns (EXPORT; "
            "audit-logged; full phones only with REVEAL_PHONE)")
def register_export_api(request, name: str, query: Query[RegisterQuery]):
    require(request, Capability.EXPORT)
    register = _register(name)
    filters = register_filters(register, request.user, query.data())
    return register_export(request, register=register, filters=filters)
