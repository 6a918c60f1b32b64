"""The KPI page's filters and report: see figures.py for the definitions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

from ...filters import Place, ReportFilters, report_filters
from ...periods import Period
from .breakdowns import Bucket, Group, kpi_buckets, kpi_groups, trend_period
from .figures import GRAINS, GROUPS, Figures, figures_for_periods

# --- the page's filters and report ------------------------------------------------------------------------

@dataclass(frozen=True)
class KpiFilters:
    period: Period  # the table's period (default this month)
    place: Place
    grain: str  # week or month: the charts' buckets
    group: str  # project, department or staff: the table's rows
    trend: Period  # what the charts cover

    def query(self) -> dict[str, str]:
        return {**self.period.query(), **self.place.query(), "grain": self.grain, "group": self.group}


def kpi_filters(user, data, *, today: date | None = None) -> KpiFilters:
    """Period (default this month), place, grain (default week) and grouping (default project) from GET
    parameters or an API query; every wrong field in one ApplicationError."""
    errors: dict[str, list[str]] = {}
    chosen: ReportFilters | None = None
    try:
        chosen = report_filters(user, data, default="month")
    except ApplicationError as error:
        errors.update(error.field_errors)
    grain = (data.get("grain") or "week").strip()
    group = (data.get("group") or "project").strip()
    if grain not in GRAINS:
        errors["grain"] = [_("Choose week or month.")]
    if group not in GROUPS:
        errors["group"] = [_("Choose project, department or staff.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    return KpiFilters(period=chosen.period, place=chosen.place, grain=grain, group=group,
                      trend=trend_period(chosen.period, grain, today=today))


@dataclass(frozen=True)
class KpiReport:
    filters: KpiFilters
    total: Figures
    groups: list[Group]
    buckets: list[Bucket]

    @property
    def empty(self) -> bool:
        return self.total.empty


def kpi_report(*, user, filters: KpiFilters) -> KpiReport:
    """Everything the KPI page and GET /api/reports/kpis show, in a fixed number of queries (3 for the total, 4 or
    5 for the groups, 5 for the buckets)."""
    from .rollups import kpi_reader

    place = filters.place
    reader = kpi_reader(user, place) or False  # the rollup's watermark and dirty buckets, learnt once (False: raw)
    total = figures_for_periods(user=user, place=place, periods=[filters.period], reader=reader)[0]
    return KpiReport(filters=filters, total=total,
                     groups=kpi_groups(user=user, place=place, period=filters.period, group=filters.group,
                                       reader=reader),
                     buckets=kpi_buckets(user=user, place=place, trend=filters.trend, grain=filters.grain,
                                         reader=reader))
