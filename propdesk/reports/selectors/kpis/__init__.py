"""Service KPIs: figures.py (definitions, what is counted, the figures of a period), breakdowns.py (per group,
per week or month), report.py (the KPI page's filters and report). Everything is importable from here."""

from .breakdowns import (  # noqa: F401
    ALL_PARTS,
    GROUP_FIELDS,
    Bucket,
    Group,
    as_date,
    kpi_buckets,
    kpi_groups,
    trend_period,
)
from .figures import (  # noqa: F401
    ACCEPT,
    ALIVE_ORDER,
    ARRIVE,
    COMPLETE,
    GRAINS,
    GROUPS,
    KPI_BY_KEY,
    KPIS,
    SATISFIED,
    TREND_BUCKETS,
    Average,
    Figures,
    Kpi,
    Seconds,
    Share,
    figures_for_periods,
    figures_from,
    order_aggregates,
    orders_in,
    requests_in,
    visit_aggregates,
    visits_in,
    within,
)
from .report import KpiFilters, KpiReport, kpi_filters, kpi_report  # noqa: F401
