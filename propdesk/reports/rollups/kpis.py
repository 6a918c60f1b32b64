"""The service KPIs' rollup: KpiDay, per project × local day × department × assignee, the counts and duration sums
behind every KPI (selectors/kpis/figures.py defines them): work orders by the day of each event, requests by the day
received, visits by the day due. RequestDay (requests.py, the requests per kind) is kept with them.

**Dates that move**: a reopened order's accepted/arrived/completed times are cleared and set again later, a visit's
due_by moves when it is rescheduled. So each order and visit keeps a RollupMark: the buckets (project, day) it was
last counted in. A pass recomputes, for every row changed since the watermark (``updated_at``), its marked buckets
(where it was) and its current ones (where it is now), then marks the current ones. Requests are counted by the day
received, which never moves. Buckets are whole (project, day): a reassigned order (department, assignee) is made
good by the same recomputation.

**Exactness**: as for complaints (complaints.py), a page reads the rollup for clean buckets and the raw rows for the
buckets dirty since the watermark. Until the first pass (no watermark) pages read raw rows only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from propdesk.followups.choices import VisitStatus
from propdesk.followups.models import FollowUpVisit
from propdesk.org.models import Project
from propdesk.servicedesk.choices import RequestStatus, WorkOrderStatus
from propdesk.servicedesk.models import ServiceRequest, WorkOrder

from ..models import KpiDay, RequestDay
from ..periods import _at_midnight
from ..rules.kpis import ACCEPT, ARRIVE, COMPLETE, SATISFIED
from . import requests as request_days
from . import state

NAME = "kpis"
ORDER_DATES = ("accepted_at", "arrived_at", "completed_at")
COUNTS = ("accept_n", "accept_us", "arrive_n", "arrive_us", "completed", "complete_n", "complete_us", "on_time",
          "reopened", "first_fix", "received", "rated", "satisfied")
# The KPI parts (breakdowns.ALL_PARTS) and the counts each fills.
PARTS = {"accepted_at": ("accept_n", "accept_us"), "arrived_at": ("arrive_n", "arrive_us"),
         "completed_at": ("completed", "complete_n", "complete_us", "on_time", "reopened", "first_fix"),
         "requests": ("received",), "visits": ("rated", "satisfied")}
CHUNK = 200

Bucket = tuple[int, date]  # (project id, local day)
Key = tuple[int, date, int | None, int | None]  # (project, day, department, assignee)


def _order_sums() -> dict[str, dict]:
    timed = Q(dispatched_at__isnull=False)
    return {
        "accepted_at": {"accept_n": Count("id", filter=timed), "accept_us": Sum(ACCEPT, filter=timed)},
        "arrived_at": {"arrive_n": Count("id", filter=timed), "arrive_us": Sum(ARRIVE, filter=timed)},
        "completed_at": {"completed": Count("id"), "complete_n": Count("id", filter=timed),
                         "complete_us": Sum(COMPLETE, filter=timed),
                         "on_time": Count("id", filter=Q(completed_at__lte=F("resolve_by"))),
                         "reopened": Count("id", filter=Q(reopen_count__gt=0)),
                         "first_fix": Count("id", filter=Q(reopen_count=0, held_seconds=0))},
    }


def _number(value) -> int:
    """A count, or a sum of durations as integer microseconds."""
    if value is None:
        return 0
    if isinstance(value, timedelta):
        return value // timedelta(microseconds=1)
    return int(value)


_day = state.as_day


def in_buckets(field: str, buckets: Iterable[Bucket] | None) -> Q:
    """Rows whose ``field`` falls on one of the buckets' local days (None: every row where it is set)."""
    if buckets is None:
        return Q(**{f"{field}__isnull": False})
    return state.buckets_q(buckets, field)


def bucket_facts(*, orders: QuerySet, requests: QuerySet, visits: QuerySet,
                 buckets: Iterable[Bucket] | None = None) -> dict[Key, dict[str, int]]:
    """The pure aggregation that fills KpiDay: the live rows among the querysets, per (project, local day,
    department, assignee), restricted to ``buckets`` when given."""
    buckets = None if buckets is None else list(buckets)
    facts: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))

    def add(queryset: QuerySet, field: str, group: tuple[str, ...], aggregates: dict) -> None:
        for row in (queryset.filter(in_buckets(field, buckets)).annotate(day=TruncDate(field))
                    .values("project_id", "day", *group).annotate(**aggregates).order_by()):
            key = (row["project_id"], _day(row["day"]), row.get("department_id"), row.get("assignee_id"))
            for name in aggregates:
                facts[key][name] += _number(row[name])

    orders = orders.exclude(status=WorkOrderStatus.CANCELLED)
    for field, aggregates in _order_sums().items():
        add(orders, field, ("department_id", "assignee_id"), aggregates)
    add(requests.exclude(status=RequestStatus.CANCELLED), "received_at", (), {"received": Count("id")})
    add(visits.exclude(status=VisitStatus.CANCELLED), "due_by", ("department_id",),
        {"rated": Count("id", filter=Q(satisfaction__isnull=False)),
         "satisfied": Count("id", filter=Q(satisfaction__in=SATISFIED))})
    return facts


def buckets_q(buckets: Iterable[Bucket]) -> Q:
    """KpiDay rows of these buckets."""
    return state.buckets_q(buckets)


# --- what changed -----------------------------------------------------------------------------------------

def _order_buckets(row: dict) -> list[Bucket]:
    return sorted({(row["project_id"], timezone.localdate(row[field])) for field in ORDER_DATES if row[field]})


def _visit_buckets(row: dict) -> list[Bucket]:
    return [(row["project_id"], timezone.localdate(row["due_by"]))]


SOURCES = {"order": (WorkOrder, ("project_id", *ORDER_DATES), _order_buckets),
           "visit": (FollowUpVisit, ("project_id", "due_by"), _visit_buckets)}


def dirty_buckets(since: datetime) -> tuple[set[Bucket], dict[str, dict[int, list[Bucket]]]]:
    """The buckets whose figures changed after ``since`` (where the changed rows were and where they are now), and
    the new marks of the changed orders and visits."""
    buckets: set[Bucket] = {(row["project_id"], _day(row["day"])) for row in
                            ServiceRequest.objects.filter(updated_at__gt=since).annotate(day=TruncDate("received_at"))
                            .values("project_id", "day").distinct().order_by()}
    marks: dict[str, dict[int, list[Bucket]]] = {}
    for source, (model, fields, where) in SOURCES.items():
        now = {row["id"]: where(row) for row in model.objects.filter(updated_at__gt=since).values("id", *fields)}
        marks[source] = now
        for found in now.values():
            buckets.update(found)
        buckets |= state.marked_buckets(source, now)
    return buckets, marks


def _write_marks(marks: dict[str, dict[int, list[Bucket]]]) -> None:
    for source, by_id in marks.items():
        state.write_marks(source, by_id)


# --- writing ----------------------------------------------------------------------------------------------

def _insert(facts: dict[Key, dict[str, int]]) -> int:
    KpiDay.objects.bulk_create([KpiDay(project_id=p, day=day, department_id=d, assignee_id=a, **counts)
                                for (p, day, d, a), counts in facts.items()], batch_size=1000)
    return len(facts)


def recompute(buckets: Iterable[Bucket]) -> int:
    buckets = sorted(set(buckets))
    written = 0
    for start in range(0, len(buckets), CHUNK):
        part = buckets[start:start + CHUNK]
        with transaction.atomic():
            KpiDay.objects.filter(buckets_q(part)).delete()
            written += _insert(bucket_facts(orders=WorkOrder.objects.all(), requests=ServiceRequest.objects.all(),
                                            visits=FollowUpVisit.objects.all(), buckets=part))
            request_days.replace(part)
    return written


def rebuild(*, project_id: int | None = None, since: date | None = None) -> int:
    """Rebuild from raw rows (all, one project's, or from a local day on) with the marks of the rows counted, one
    project at a time (memory follows the largest project). A full rebuild starts the watermark."""
    started = timezone.now()
    projects = [project_id] if project_id is not None else list(Project.objects.values_list("id", flat=True))
    written = sum(_rebuild_project(pk, since) for pk in projects)
    if project_id is None and since is None:
        KpiDay.objects.exclude(project_id__in=projects).delete()
        RequestDay.objects.exclude(project_id__in=projects).delete()
        state.advance(NAME, started, rebuilt=True)
    return written


def _rebuild_project(project_id: int, since: date | None) -> int:
    scope = Q(project_id=project_id)
    orders, requests, visits = (WorkOrder.objects.filter(scope), ServiceRequest.objects.filter(scope),
                                FollowUpVisit.objects.filter(scope))
    kept = KpiDay.objects.filter(scope)
    if since is not None:
        start = _at_midnight(since)
        orders = orders.filter(reduce(or_, (Q(**{f"{field}__gte": start}) for field in ORDER_DATES)))
        requests, visits = requests.filter(received_at__gte=start), visits.filter(due_by__gte=start)
        kept = kept.filter(day__gte=since)
    with transaction.atomic():
        kept.delete()
        facts = bucket_facts(orders=orders, requests=requests, visits=visits)
        if since is not None:
            facts = {key: counts for key, counts in facts.items() if key[1] >= since}
        written = _insert(facts)
        request_days.rebuild_project(project_id, since)
        for source, queryset in (("order", orders), ("visit", visits)):
            _, fields, where = SOURCES[source]
            batch: dict[int, list[Bucket]] = {}
            for row in queryset.values("id", *fields).iterator(chunk_size=5000):
                batch[row["id"]] = where(row)
                if len(batch) >= 5000:
                    _write_marks({source: batch})
                    batch = {}
            _write_marks({source: batch})
    return written


def refresh() -> int:
    """The worker's pass (see complaints.refresh)."""
    started = timezone.now()
    since = state.watermark(NAME)
    if since is None:
        rebuild()
        return -1
    buckets, marks = dirty_buckets(since)
    recompute(buckets)
    _write_marks(marks)
    state.advance(NAME, started)
    return len(buckets)
