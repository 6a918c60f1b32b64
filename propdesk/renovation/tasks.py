"""Background work of the renovation process, enqueued by the worker's clock (console/clock.py)."""

from django.tasks import task
from django.utils import timezone


@task
def sweep_renovation_inspections():
    """Hourly: overdue rectifications marked and told; inspections due today and overdue told, once each."""
    from .services.inspections import inspections_sweep

    return inspections_sweep(now=timezone.now())
