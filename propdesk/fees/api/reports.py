"""Fees API: reports — the same figures as the pages (selectors/reports.py, selectors/closing.py).

- ``GET /api/fees/reports/collection?project=&year=&month=&group=`` (VIEW_FEE_REPORTS): the month in total and by
  project, building or fee item, the year's twelve months, and the target.
- ``GET /api/fees/reports/aging?project=&group=&day=`` (VIEW_FEE_REPORTS): arrears by age, amounts and homes.
- ``GET /api/fees/reports/closing?day=&cashier=`` (one's own with TAKE_PAYMENTS; any cashier's in scope with
  VIEW_FEE_REPORTS) and ``POST /api/fees/reports/closing`` (the cashier confirms their day: 409 when closed already).
- ``PUT /api/fees/targets`` (MANAGE_BILLING): a project's collection target for a year.

Amounts are integer fen; rates are exact strings ("66.67%") and basis points.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.org.api import require
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..rules.arrears import BUCKETS
from ..selectors.closing import ClosingDay, closing_days
from ..selectors.reports import Figures, aging_report, collection_report, report_filters
from ..services.reports import closing_confirm, target_set

router = Router(tags=["fees"])


class FeeReportQuery(Schema):
    project: str = Field("", description="A project id in your scope; empty: all of them.")
    year: str = Field("", description="Default: this year.")
    month: str = Field("", description="1–12 or YYYY-MM; default: this month.")
    group: str = Field("", description="collection: project, building (default) or item; aging: project (default) "
                                       "or building.")
    day: str = Field("", description="aging: the day the ages are counted on (YYYY-MM-DD, default today).")


class FeeRateFiguresOut(Schema):
    billed_fen: int
    collected_fen: int
    owed_fen: int
    collection_rate: str = Field(..., description="收缴率, e.g. \"93.75%\"; \"—\" when nothing was billed.")
    arrears_start_fen: int
    recovered_fen: int
    recovery_rate: str = Field(..., description="清欠率; \"—\" when nothing was owed at the month's start.")


def _figures(f: Figures) -> dict:
    return {"billed_fen": f.billed_fen, "collected_fen": f.collected_fen, "owed_fen": f.owed_fen,
            "collection_rate": f.rate_text, "arrears_start_fen": f.arrears_start_fen,
            "recovered_fen": f.recovered_fen, "recovery_rate": f.recovery_text}


class FeeCollectionRowOut(Schema):
    key: int | None
    label: str
    project_id: int = Field(..., ge=1, le=2**31 - 1)
    project: str
    figures: FeeRateFiguresOut
    target_bp: int | None


class FeeCollectionMonthOut(Schema):
    month: str
    figures: FeeRateFiguresOut


class FeeCollectionOut(Schema):
    month: str
    group: str
    project_ids: list[int]
    target_bp: int | None = Field(..., description="The project's target when the report covers one project.")
    total: FeeRateFiguresOut
    rows: list[FeeCollectionRowOut]
    months: list[FeeCollectionMonthOut]


def _filters(request, query: FeeReportQuery, **kwargs):
    return report_filters(request.user, query.model_dump(), today=timezone.localdate(), **kwargs)


@router.get("/reports/collection", response=FeeCollectionOut,
            summary="Collection rate 收缴率 and arrears recovery 清欠率 of a month, by project, building or item "
                    "(VIEW_FEE_REPORTS)")
def collection(request, query: Query[FeeReportQuery]):
    require(request, Capability.VIEW_FEE_REPORTS)
    filters = _filters(request, query)
    report = collection_report(user=request.user, year=filters.year, month=filters.month,
                               project_id=filters.project_id, group=filters.group)
    return {"month": report.month.key, "group": report.group, "project_ids": [p.pk for p in report.projects],
            "target_bp": report.target_bp, "total": _figures(report.total),
            "rows": [{"key": r.key, "label": r.label, "project_id": r.project_id, "project": r.project,
                      "figures": _figures(r.figures), "target_bp": r.target_bp} for r in report.rows],
            "months": [{"month": m.key, "figures": _figures(f)} for m, f in report.months]}


class FeeAgingRowOut(Schema):
    key: int | None
    label: str
    project: str
    amounts_fen: dict[str, int] = Field(..., description="Open fen per bucket: 0-3, 3-6, 6-12, 12+ (months).")
    homes: dict[str, int] = Field(..., description="Homes per bucket, each in the bucket of its oldest open bill.")
    total_fen: int


class FeeAgingOut(Schema):
    day: date
    group: str
    buckets: list[str]
    rows: list[FeeAgingRowOut]
    total: FeeAgingRowOut


def _aging_row(row) -> dict:
    return {"key": row.key, "label": row.label, "project": row.project, "amounts_fen": row.amounts,
            "homes": row.homes, "total_fen": row.total_fen}


@router.get("/reports/aging", response=FeeAgingOut,
            summary="Arrears by age (0–3, 3–6, 6–12, >12 months) by project or building (VIEW_FEE_REPORTS)")
def aging(request, query: Query[FeeReportQuery]):
    require(request, Capability.VIEW_FEE_REPORTS)
    groups = {"project": "project", "building": "building"}
    filters = _filters(request, query, groups=groups, default_group="project")
    report = aging_report(user=request.user, on=filters.day, project_id=filters.project_id, group=filters.group)
    return {"day": report.on, "group": report.group, "buckets": list(BUCKETS),
            "rows": [_aging_row(r) for r in report.rows], "total": _aging_row(report.total)}


class FeeClosingQuery(Schema):
    day: str = Field("", description="YYYY-MM-DD, default today.")
    cashier: int | None = Field(None, ge=1, le=2**31 - 1, description="A user id (VIEW_FEE_REPORTS); default yourself.")


class FeeVoidedOut(Schema):
    receipt_number: str
    amount_fen: int
    method: str
    voided_at: datetime | None
    reason: str


class FeeConfirmedOut(Schema):
    counted_cash_fen: int
    difference_fen: int
    note: str
    closed_at: datetime


class FeeClosingDayOut(Schema):
    project_id: int = Field(..., ge=1, le=2**31 - 1)
    project: str
    cashier_id: int
    day: date
    methods_fen: dict[str, int] = Field(..., description="Cash taken less given back, by payment method.")
    total_fen: int
    cash_fen: int
    first_receipt: str
    last_receipt: str
    receipts: int
    voided: list[FeeVoidedOut]
    closing: FeeConfirmedOut | None
    changed_since_closing: bool


def _day(day: ClosingDay) -> dict:
    closing = day.closing
    return {"project_id": day.project_id, "project": day.project, "cashier_id": day.cashier_id, "day": day.day,
            "methods_fen": day.methods, "total_fen": day.total_fen, "cash_fen": day.cash_fen,
            "first_receipt": day.first_receipt, "last_receipt": day.last_receipt, "receipts": day.receipts,
            "voided": day.voided, "changed_since_closing": day.changed_since_closing,
            "closing": None if closing is None else {
                "counted_cash_fen": closing.counted_cash_fen, "difference_fen": closing.difference_fen,
                "note": closing.note, "closed_at": closing.closed_at}}


def _cashier(request, chosen: int | None) -> int:
    user = request.user
    if not (user_can(user, Capability.VIEW_FEE_REPORTS) or user_can(user, Capability.TAKE_PAYMENTS)):
        require(request, Capability.TAKE_PAYMENTS)
    if chosen is None or chosen == user.pk:
        return user.pk
    if not user_can(user, Capability.VIEW_FEE_REPORTS):
        raise PermissionDenied(_("A cashier sees their own day only."))
    return chosen


@router.get("/reports/closing", response=list[FeeClosingDayOut],
            summary="A cashier's daily closing 日结 per project: money by payment method, receipts used and voided")
def closing(request, query: Query[FeeClosingQuery]):
    cashier_id = _cashier(request, query.cashier)
    filters = report_filters(request.user, {"day": query.day}, today=timezone.localdate())
    return [_day(d) for d in closing_days(user=request.user, cashier_id=cashier_id, day=filters.day)]


class FeeClosingIn(Schema):
    project_id: int = Field(..., ge=1, le=2**31 - 1)
    day: date
    counted_cash: str = Field(..., max_length=30, description="The cash counted, in yuan (\"1234.50\").")
    note: str = Field("", max_length=200, description="Required when the counted cash differs from the cash taken.")


@router.post("/reports/closing", response={201: FeeClosingDayOut},
             summary="The cashier confirms their day in a project (TAKE_PAYMENTS); figures recomputed now; 409 when "
                     "closed already")
def closing_confirm_api(request, payload: FeeClosingIn):
    require(request, Capability.TAKE_PAYMENTS)
    project = Project.objects.restrict(request.user).filter(pk=payload.project_id).first()
    if project is None:
        raise ApplicationError(_("Please correct the marked fields."),
                               {"fields": {"project_id": [_("No such project in your scope.")]}})
    closing_confirm(cashier=request.user, project=project, day=payload.day, counted_cash=payload.counted_cash,
                    note=payload.note)
    days = closing_days(user=request.user, cashier_id=request.user.pk, day=payload.day, project_id=project.pk)
    return Status(201, _day(days[0]))


class FeeTargetIn(Schema):
    project_id: int = Field(..., ge=1, le=2**31 - 1)
    year: int = Field(..., ge=2000, le=2100)
    rate: str = Field(..., max_length=10, description="Percent with at most two decimals, e.g. \"95\" or \"92.5\".")


class FeeTargetOut(Schema):
    project_id: int = Field(..., ge=1, le=2**31 - 1)
    year: int
    rate_bp: int
    updated_at: datetime


@router.put("/targets", response=FeeTargetOut,
            summary="Set a project's collection-rate target for a year (MANAGE_BILLING)")
def target_put(request, payload: FeeTargetIn):
    require(request, Capability.MANAGE_BILLING)
    project = Project.objects.restrict(request.user).filter(pk=payload.project_id).first()
    if project is None:
        raise ApplicationError(_("Please correct the marked fields."),
                               {"fields": {"project_id": [_("No such project in your scope.")]}})
    target = target_set(project=project, year=payload.year, rate=payload.rate, actor=request.user)
    return {"project_id": target.project_id, "year": target.year, "rate_bp": target.rate_bp,
            "updated_at": target.updated_at}
