"""Background work of the steward's day, enqueued by the worker's clock (console/clock.py)."""

from django.tasks import task
from django.utils import timezone


@task
def sweep_contacts_late():
    """Hourly: first-contact tasks past their week go to the project managers, once each."""
    from .services.zones import contacts_escalate_late

    return contacts_escalate_late(now=timezone.now())


@task
def sweep_patrols():
    """Every clock period: today's and tomorrow's patrol rounds are made; missed, late or skipped ones are told to
    the supervisor, once each."""
    from .services.patrols.sweep import patrols_sweep

    return patrols_sweep(now=timezone.now())


@task
def sweep_vacant_overdue():
    """Weekly: overdue vacant-home inspections go to the project managers, once per home and period."""
    from .services.vacant.sweep import vacant_overdue_sweep

    return vacant_overdue_sweep(now=timezone.now())
