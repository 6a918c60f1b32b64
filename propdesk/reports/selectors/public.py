"""The public service report 物业服务报告: one project's month told to its residents — aggregates only, never a
name, a phone number or a room.

Figures (``public_report_figures``; frozen into PublicReport.figures when the project manager publishes):

- ``requests``: per kind, the requests **received** in the month (cancelled left out) and how many of them have been
  **completed** since (resolved or closed: ``resolved_at`` set); ``requests_total`` / ``completed_total``.
- ``repairs``: work orders of repair requests **completed** in the month (cancelled orders left out): how many,
  how many on time (completed_at ≤ resolve_by) and the share, and the average time to complete in hours
  (completed_at − dispatched_at − held_seconds, over orders that were dispatched).
- ``visits``: follow-up visits due in the month (cancelled left out): rated, satisfied (very satisfied or satisfied)
  and the satisfaction rate (the counting of followups/selectors/rates.py through selectors/visits.py).
- ``complaints``: complaints received in the month (cancelled left out) and how many of them have been resolved.

The dict holds keys and numbers only (labels are translated when shown), so that it can be stored as JSON and read
back in any language.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from propdesk.followups.selectors.rates import COUNTERS, _counts
from propdesk.org.models import Project
from propdesk.servicedesk.choices import Kind, RequestStatus, WorkOrderStatus
from propdesk.servicedesk.models import ServiceRequest, WorkOrder

from ..filters import Place
from ..models import PublicReport, PublicReportStatus
from ..periods import Period, month_period
from .complaints import percent
from .visits import visits_due

FIGURES_VERSION = 1


def public_report_figures(*, project: Project, month: date) -> dict:
    """The month's figures of one project (5 queries), as stored in PublicReport.figures at publication."""
    period = month_period(month)
    requests = (ServiceRequest.objects.filter(project=project, received_at__gte=period.starts_at,
                                              received_at__lt=period.ends_at)
                .exclude(status=RequestStatus.CANCELLED))
    by_kind = {row["kind"]: row for row in requests.values("kind").annotate(
        received=Count("id"), completed=Count("id", filter=Q(resolved_at__isnull=False))).order_by()}
    kinds = [key for key in Kind.values if key in by_kind]
    complaints = by_kind.get(Kind.COMPLAINT, {"received": 0, "completed": 0})
    return {
        "version": FIGURES_VERSION,
        "month": f"{period.start:%Y-%m}",
        "requests": [{"kind": key, "received": by_kind[key]["received"], "completed": by_kind[key]["completed"]}
                     for key in kinds],
        "requests_total": sum(by_kind[key]["received"] for key in kinds),
        "completed_total": sum(by_kind[key]["completed"] for key in kinds),
        "repairs": _repairs(project, period),
        "visits": _visits(project, period),
        "complaints": {"received": complaints["received"], "resolved": complaints["completed"]},
    }


def _repairs(project: Project, period: Period) -> dict:
    orders = (WorkOrder.objects.filter(project=project, request__kind=Kind.REPAIR,
                                       completed_at__gte=period.starts_at, completed_at__lt=period.ends_at)
              .exclude(status=WorkOrderStatus.CANCELLED))
    dispatched = Q(dispatched_at__isnull=False)
    found = orders.aggregate(
        completed=Count("id"),
        on_time=Count("id", filter=Q(resolve_by__isnull=False, completed_at__lte=F("resolve_by"))),
        timed=Count("id", filter=dispatched),
        span=Avg(ExpressionWrapper(F("completed_at") - F("dispatched_at"), output_field=DurationField()),
                 filter=dispatched),
        held=Avg("held_seconds", filter=dispatched))
    average = None
    if found["timed"]:
        # avg(completed − dispatched − held) = avg(completed − dispatched) − avg(held) over the same orders.
        span = found["span"] if isinstance(found["span"], timedelta) else timedelta(microseconds=found["span"] or 0)
        average = round((span.total_seconds() - float(found["held"] or 0)) / 3600, 1)
    return {"completed": found["completed"], "on_time": found["on_time"],
            "on_time_share": percent(found["on_time"], found["completed"]), "average_hours": average}


def _visits(project: Project, period: Period) -> dict:
    counts = _counts(visits_due(period=period, place=Place(project=project)).aggregate(**COUNTERS))
    return {"rated": counts.rated, "satisfied": counts.satisfied, "satisfaction_rate": counts.satisfaction_rate}


# --- reading the reports ----------------------------------------------------------------------------------

def month_finished(month: date, *, now: datetime | None = None) -> bool:
    """True once the whole month lies in the past (local time)."""
    return month_period(month).end <= timezone.localdate(now or timezone.now())


def public_reports(*, user) -> QuerySet:
    """The reports the user may open: staff their projects' (drafts and published), a resident the published
    reports of their own project (PublicReport.objects.restrict)."""
    return PublicReport.objects.restrict(user).select_related("project").order_by("-month", "project__code")


def published_reports(*, user) -> QuerySet:
    return public_reports(user=user).filter(status=PublicReportStatus.PUBLISHED)
