"""The complaint summary's definitions as Q objects, pure of any page: solved on time, late, open and not yet due,
repeat complaint (selectors/complaints/__init__.py states them in words). They sit below both the selectors and the
rollups (rollups/complaints.py), so imports go one way: selectors → rollups → rules."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value

from propdesk.servicedesk.choices import Kind, RequestStatus
from propdesk.servicedesk.models import ServiceRequest

REPEAT_WINDOW = timedelta(days=90)


def on_time_q() -> Q:
    """Solved on time: resolved no later than its deadline."""
    return Q(resolved_at__isnull=False, resolve_by__isnull=False, resolved_at__lte=F("resolve_by"))


def late_q(now: datetime) -> Q:
    """Late: resolved after the deadline, or not resolved and the deadline passed before ``now``."""
    return Q(resolved_at__gt=F("resolve_by")) | Q(resolved_at__isnull=True, resolve_by__lt=now)


def open_not_due_q(now: datetime) -> Q:
    """Neither on time nor late: not resolved with the deadline still ahead (or no deadline at all)."""
    return Q(resolve_by__isnull=True) | Q(resolved_at__isnull=True, resolve_by__gte=now)


def earlier_same_complaints() -> QuerySet:
    """Non-cancelled complaints of the outer complaint's room and category received in the 90 days before it
    (the index request_repeat_complaint serves it)."""
    since = ExpressionWrapper(OuterRef("received_at") - Value(REPEAT_WINDOW), output_field=DateTimeField())
    return (ServiceRequest.objects
            .filter(project_id=OuterRef("project_id"), kind=Kind.COMPLAINT, room_id=OuterRef("room_id"),
                    complaint_category=OuterRef("complaint_category"), received_at__lt=OuterRef("received_at"),
                    received_at__gte=since)
            .exclude(status=RequestStatus.CANCELLED))


def repeat_q() -> Q:
    return Q(room__isnull=False) & Q(Exists(earlier_same_complaints()))
