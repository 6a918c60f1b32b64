from django.tasks import task

from .delivery import monthly_summary_delivery
from .rollups import complaints as complaint_rollups
from .rollups import kpis as kpi_rollups
from .rollups import visits as visit_rollups


@task
def deliver_monthly_summary():
    return monthly_summary_delivery()


@task
def refresh_rollups():
    """Recompute the rollup buckets changed since the watermark (the first run builds them all)."""
    return {"complaints": complaint_rollups.refresh(), "kpis": kpi_rollups.refresh(),
            "visits": visit_rollups.refresh()}
