"""Background work of violations, enqueued by the worker's clock (console/clock.py)."""

from django.tasks import task
from django.utils import timezone


@task
def sweep_violations_overdue():
    """Hourly: notices past their deadline and not put right are escalated to the project managers, once each."""
    from .services import violations_sweep

    return violations_sweep(now=timezone.now())
