"""Background work of the zones part: the hourly sweep of late first contacts (console/clock.py enqueues it)."""

from django.tasks import task
from django.utils import timezone


@task
def sweep_contacts_late():
    from .services.zones import contacts_escalate_late

    return contacts_escalate_late(now=timezone.now())
