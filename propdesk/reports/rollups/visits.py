"""The visit statistics' rollup: VisitDay, the non-cancelled follow-up visits of a project due on a local day,
counted per rule × department with every count of the statistics (followups.selectors.rates.figure_counters).

**Dates that move**: a visit's due_by moves when it is rescheduled, its rule and department never after creation
but its status, satisfaction and decision do. As for the KPIs (kpis.py), each visit keeps a RollupMark (source
``vstats``): the bucket (project, day) it was last counted in; a pass recomputes, for every visit changed since the
watermark (``updated_at``), the bucket where it was and the bucket where it is now.

**Other rows**: a dissatisfied case counts "closed since" from the status of its request (reopened) or of its
follow-up complaint. So the buckets of the dissatisfied visits whose request or follow-up request changed since the
watermark are dirty too.

**Exactness**: as for complaints (complaints.py), the page reads the rollup for clean buckets and the raw rows, by
the very aggregation that fills the rollup, for the buckets dirty since the watermark. Until the first pass (no
watermark) the page reads raw rows only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from propdesk.followups.choices import VisitStatus
from propdesk.followups.models import FollowUpVisit
from propdesk.followups.selectors.rates import DISSATISFIED_MAX, figure_counters
from propdesk.org.models import Project
from propdesk.servicedesk.models import ServiceRequest

from ..models import VisitDay
from ..periods import _at_midnight
from . import state

NAME = "visits"
MARK = "vstats"
DIMENSIONS = ("rule", "department_id")
COUNTS = tuple(figure_counters())
CHUNK = 200

Bucket = tuple[int, date]  # (project id, local day due)


_day = state.as_day


def due_in(buckets: Iterable[Bucket] | None) -> Q:
    """Visits due on one of the buckets' local days (None: every visit)."""
    if buckets is None:
        return Q()
    return state.buckets_q(buckets, "due_by")


def bucket_facts(visits: QuerySet, buckets: Iterable[Bucket] | None = None) -> list[dict]:
    """The pure aggregation that fills VisitDay: the non-cancelled visits among ``visits`` (restricted to
    ``buckets`` when given) per project, local day due, rule and department, with every count."""
    buckets = None if buckets is None else list(buckets)
    rows = (visits.exclude(status=VisitStatus.CANCELLED).filter(due_in(buckets))
            .annotate(day=TruncDate("due_by")).values("project_id", "day", *DIMENSIONS)
            .annotate(**figure_counters()).order_by())
    return [{**row, "day": _day(row["day"])} for row in rows]


def buckets_q(buckets: Iterable[Bucket]) -> Q:
    """VisitDay rows of these buckets."""
    return state.buckets_q(buckets)


# --- what changed -----------------------------------------------------------------------------------------

def _bucket(row: dict) -> Bucket:
    return row["project_id"], timezone.localdate(row["due_by"])


def dirty_buckets(since: datetime) -> tuple[set[Bucket], dict[int, Bucket]]:
    """The buckets whose figures changed after ``since`` (where the changed visits were and are now, and where the
    dissatisfied visits of a changed request are), and the new marks of the changed visits."""
    marks = {row["id"]: _bucket(row) for row in
             FollowUpVisit.objects.filter(updated_at__gt=since).values("id", "project_id", "due_by")}
    buckets = set(marks.values())
    buckets |= state.marked_buckets(MARK, marks)
    # The ids first (few: the requests changed since the last pass), so that the visits are found through their two
    # request indexes rather than by a hashed subquery over every visit.
    changed = list(ServiceRequest.objects.filter(updated_at__gt=since).values_list("id", flat=True))
    for start in range(0, len(changed), 1000):
        part = changed[start:start + 1000]
        buckets.update(_bucket(row) for row in FollowUpVisit.objects.filter(
            Q(request_id__in=part) | Q(follow_request_id__in=part), satisfaction__lte=DISSATISFIED_MAX)
            .exclude(decision="").values("project_id", "due_by"))
    return buckets, marks


def _write_marks(marks: dict[int, Bucket]) -> None:
    state.write_marks(MARK, {pk: [bucket] for pk, bucket in marks.items()})


# --- writing ----------------------------------------------------------------------------------------------

def _insert(facts: list[dict]) -> int:
    VisitDay.objects.bulk_create([VisitDay(**fact) for fact in facts], batch_size=1000)
    return len(facts)


def recompute(buckets: Iterable[Bucket]) -> int:
    """Replace the rows of these buckets by the aggregation of the raw rows; return the number of rows written."""
    buckets = sorted(set(buckets))
    written = 0
    for start in range(0, len(buckets), CHUNK):
        part = buckets[start:start + CHUNK]
        with transaction.atomic():
            VisitDay.objects.filter(buckets_q(part)).delete()
            written += _insert(bucket_facts(FollowUpVisit.objects.all(), part))
    return written


def rebuild(*, project_id: int | None = None, since: date | None = None) -> int:
    """Rebuild from raw rows (all, one project's, or from a local day due on) with the marks of the visits counted,
    one project at a time. A full rebuild starts the watermark."""
    started = timezone.now()
    projects = [project_id] if project_id is not None else list(Project.objects.values_list("id", flat=True))
    written = sum(_rebuild_project(pk, since) for pk in projects)
    if project_id is None and since is None:
        VisitDay.objects.exclude(project_id__in=projects).delete()
        state.advance(NAME, started, rebuilt=True)
    return written


def _rebuild_project(project_id: int, since: date | None) -> int:
    visits = FollowUpVisit.objects.filter(project_id=project_id)
    kept = VisitDay.objects.filter(project_id=project_id)
    if since is not None:
        visits, kept = visits.filter(due_by__gte=_at_midnight(since)), kept.filter(day__gte=since)
    with transaction.atomic():
        kept.delete()
        written = _insert(bucket_facts(visits))
        batch: dict[int, Bucket] = {}
        for row in visits.values("id", "project_id", "due_by").iterator(chunk_size=5000):
            batch[row["id"]] = _bucket(row)
            if len(batch) >= 5000:
                _write_marks(batch)
                batch = {}
        _write_marks(batch)
    return written


def refresh() -> int:
    """The worker's pass (see complaints.refresh): the buckets dirty since the watermark recomputed, the changed
    visits marked, the watermark moved. Returns the number of buckets recomputed (-1: rebuilt)."""
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
