"""The complaint summary's rollup: ComplaintDay, the non-cancelled complaints of a project received on a local day,
counted per category × severity × department complained about × place (the room's building, else the common area).

**Keyed by the day received**, a date that does not move: room, category, kind and received_at are set at intake
and never changed afterwards; what does change (status, validity, resolved_at — cleared on reopen —, resolve_by,
root cause) is counted in the bucket of the day received, so a change is made good by recomputing that one bucket.
(Should a service ever change room, category, kind or received_at, it must also touch the old day's bucket.)

**Repeat complaints** depend on other rows: a complaint is a repeat when an earlier complaint of its room and category
was received in the 90 days before it. So a complaint that changes (cancelled, say) also dirties the buckets of the
complaints of its room received in the 90 days after it.

**Judged at "now"**: a complaint still unresolved with a deadline is late or not yet due depending on when the report
is made; the rollup counts on time, resolved late and without deadline, and the summary counts the unresolved ones
past their deadline raw (few rows, index request_complaint_unresolved).

**Exactness**: the worker (``refresh``) recomputes the buckets of the requests changed (``updated_at``) since the
watermark (state.py); a page reads the rollup for every other bucket and the raw rows for the dirty ones, so its
figures are exact at every moment. Until the first pass (no watermark) pages read raw rows only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from propdesk.org.models import Project
from propdesk.servicedesk.choices import Kind, RequestStatus
from propdesk.servicedesk.models import ServiceRequest

from ..models import ComplaintDay
from ..periods import _at_midnight
from ..rules.complaints import REPEAT_WINDOW, on_time_q, repeat_q
from . import state

NAME = "complaints"
DIMENSIONS = ("category", "severity", "department_id", "place_kind", "place_id")
COUNTS = ("total", "valid", "invalid", "undecided", "on_time", "resolved_late", "no_deadline", "repeat",
          "with_cause")
CHUNK = 200  # buckets per query

Bucket = tuple[int, date]  # (project id, local day received)


def bucket_facts(requests: QuerySet) -> QuerySet:
    """The pure aggregation that fills ComplaintDay: the non-cancelled complaints among ``requests`` grouped by
    project, local day received and the dimensions, with every count."""
    in_room, in_area = Q(room__isnull=False), Q(room__isnull=True, common_area__isnull=False)
    return (requests.filter(kind=Kind.COMPLAINT).exclude(status=RequestStatus.CANCELLED)
            .annotate(day=TruncDate("received_at"), category=F("complaint_category"),
                      department_id=F("complained_department_id"),
                      place_kind=Case(When(in_room, then=Value("building")), When(in_area, then=Value("area")),
                                      default=Value(""), output_field=CharField()),
                      place_id=Case(When(in_room, then=F("room__building_id")),
                                    When(in_area, then=F("common_area_id")), default=Value(None),
                                    output_field=BigIntegerField()))
            .values("project_id", "day", *DIMENSIONS)
            .annotate(total=Count("id"), valid=Count("id", filter=Q(complaint_valid=True)),
                      invalid=Count("id", filter=Q(complaint_valid=False)),
                      undecided=Count("id", filter=Q(complaint_valid__isnull=True)),
                      on_time=Count("id", filter=on_time_q()),
                      resolved_late=Count("id", filter=Q(resolved_at__gt=F("resolve_by"))),
                      no_deadline=Count("id", filter=Q(resolve_by__isnull=True)),
                      repeat=Count("id", filter=repeat_q()),
                      with_cause=Count("id", filter=~Q(root_cause="")))
            .order_by())


def buckets_q(buckets: Iterable[Bucket], *, raw: bool) -> Q:
    """Rows of these buckets: requests (``raw``: received_at within the local day) or ComplaintDay rows."""
    return state.buckets_q(buckets, "received_at" if raw else None)


def dirty_buckets(since: datetime) -> set[Bucket]:
    """The buckets whose figures changed after ``since``: the day received of every request changed, and for those
    with a room the days of the complaints of that room received in the 90 days after (their repeat flag)."""
    changed = ServiceRequest.objects.filter(updated_at__gt=since)
    buckets = {(row["project_id"], _day(row["day"])) for row in
               changed.annotate(day=TruncDate("received_at")).values("project_id", "day").distinct().order_by()}
    rooms = list(changed.filter(room__isnull=False).values("room_id")
                 .annotate(first=Min("received_at"), last=Max("received_at")).order_by())
    for start in range(0, len(rooms), CHUNK):
        later = reduce(or_, (Q(room_id=row["room_id"], received_at__gt=row["first"],
                               received_at__lte=row["last"] + REPEAT_WINDOW) for row in rooms[start:start + CHUNK]))
        buckets |= {(row["project_id"], _day(row["day"])) for row in
                    ServiceRequest.objects.filter(later, kind=Kind.COMPLAINT).annotate(day=TruncDate("received_at"))
                    .values("project_id", "day").distinct().order_by()}
    return buckets


_day = state.as_day


def recompute(buckets: Iterable[Bucket]) -> int:
    """Replace the rows of these buckets by the aggregation of the raw rows; return the number of rows written."""
    buckets = sorted(set(buckets))
    written = 0
    for start in range(0, len(buckets), CHUNK):
        part = buckets[start:start + CHUNK]
        with transaction.atomic():
            ComplaintDay.objects.filter(buckets_q(part, raw=False)).delete()
            written += _insert(bucket_facts(ServiceRequest.objects.filter(buckets_q(part, raw=True))))
    return written


def _insert(facts: QuerySet) -> int:
    rows = [ComplaintDay(**{**fact, "day": _day(fact["day"])}) for fact in facts]
    ComplaintDay.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def rebuild(*, project_id: int | None = None, since: date | None = None) -> int:
    """Rebuild from raw rows (all of them, one project's, or from a day on), one project at a time. A full rebuild
    starts the watermark."""
    started = timezone.now()
    projects = [project_id] if project_id is not None else list(Project.objects.values_list("id", flat=True))
    written = 0
    for pk in projects:
        requests, kept = ServiceRequest.objects.filter(project_id=pk), ComplaintDay.objects.filter(project_id=pk)
        if since is not None:
            requests, kept = requests.filter(received_at__gte=_at_midnight(since)), kept.filter(day__gte=since)
        with transaction.atomic():
            kept.delete()
            written += _insert(bucket_facts(requests))
    if project_id is None and since is None:
        ComplaintDay.objects.exclude(project_id__in=projects).delete()
        state.advance(NAME, started, rebuilt=True)
    return written


def refresh() -> int:
    """The worker's pass: recompute the buckets changed since the watermark (or build everything the first time),
    then move the watermark. Returns the number of buckets recomputed (-1: rebuilt)."""
    started = timezone.now()
    since = state.watermark(NAME)
    if since is None:
        rebuild()
        return -1
    buckets = dirty_buckets(since)
    recompute(buckets)
    state.advance(NAME, started)
    return len(buckets)
