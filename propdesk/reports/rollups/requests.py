"""The dashboards' rollup of requests: RequestDay, the non-cancelled requests of a project received on a local day,
counted per kind (the project dashboard's requests-by-kind weeks).

**Keyed by the day received**, which never moves, nor does the kind (both set at intake); what changes (the status:
cancelled or not) is counted in that bucket, so a changed request is made good by recomputing its one bucket.

**Part of the KPI family** (kpis.py): the KPIs already count requests by the day received and recompute the bucket
of every request changed since their watermark, so RequestDay is recomputed, rebuilt and read with KpiDay, under
the same watermark and dirty buckets — the dashboard, which reads the KPIs anyway, learns them once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from propdesk.servicedesk.choices import RequestStatus
from propdesk.servicedesk.models import ServiceRequest

from ..models import RequestDay
from ..periods import _at_midnight
from . import state

Bucket = tuple[int, date]  # (project id, local day received)


_day = state.as_day


def buckets_q(buckets: Iterable[Bucket], *, raw: bool) -> Q:
    """Rows of these buckets: requests (``raw``: received within the local day) or RequestDay rows."""
    return state.buckets_q(buckets, "received_at" if raw else None)


def bucket_facts(requests: QuerySet) -> list[dict]:
    """The pure aggregation that fills RequestDay: the non-cancelled requests among ``requests`` per project,
    local day received and kind."""
    return [{**row, "day": _day(row["day"])} for row in
            requests.exclude(status=RequestStatus.CANCELLED).annotate(day=TruncDate("received_at"))
            .values("project_id", "day", "kind").annotate(received=Count("id")).order_by()]


def _insert(facts: list[dict]) -> int:
    RequestDay.objects.bulk_create([RequestDay(**fact) for fact in facts], batch_size=1000)
    return len(facts)


def replace(buckets: list[Bucket]) -> int:
    """Replace the rows of these buckets by the aggregation of the raw rows (inside the KPIs' transaction)."""
    RequestDay.objects.filter(buckets_q(buckets, raw=False)).delete()
    return _insert(bucket_facts(ServiceRequest.objects.filter(buckets_q(buckets, raw=True))))


def rebuild_project(project_id: int, since: date | None) -> int:
    """Rebuild one project's rows (from a local day received on), inside the KPIs' transaction."""
    requests, kept = ServiceRequest.objects.filter(project_id=project_id), RequestDay.objects.filter(
        project_id=project_id)
    if since is not None:
        requests, kept = requests.filter(received_at__gte=_at_midnight(since)), kept.filter(day__gte=since)
    kept.delete()
    return _insert(bucket_facts(requests))
