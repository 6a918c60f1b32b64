"""The watermark of a family of rollups: every row changed (``updated_at``) up to it is counted in the rollups. A
row changed later lies in a "dirty" bucket that the pages read raw until the worker has recomputed it.

The watermark trails the worker's clock by LAG: a transaction that stamped ``updated_at`` before the pass began but
committed after it is picked up by the next pass (a bucket recomputed twice is the same bucket)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from ..models import RollupMark, RollupState
from ..periods import _at_midnight

LAG = timedelta(minutes=5)


def watermark(name: str) -> datetime | None:
    """Up to when the family is exact; None: never built (read raw)."""
    return RollupState.objects.filter(name=name).values_list("watermark", flat=True).first()


def advance(name: str, started: datetime, *, rebuilt: bool = False) -> None:
    """Record a pass that began at ``started``."""
    defaults = {"watermark": started - LAG}
    if rebuilt:
        defaults["rebuilt_at"] = timezone.now()
    RollupState.objects.update_or_create(name=name, defaults=defaults)


# --- the dirty buckets as a filter ----------------------------------------------------------------------------

MAX_TERMS = 300  # OR terms of a buckets filter; past it a page reads raw rows (SQLite parses at most 1,000 levels)


def _groups(buckets: Iterable[tuple[int, date]]) -> list[tuple[list[int], list[date]]]:
    """The buckets as (project ids, days) groups: the projects that share the same dirty days form one group (a bulk
    change today is one group whatever the number of projects)."""
    by_project: dict[int, set[date]] = defaultdict(set)
    for project_id, day in buckets:
        by_project[project_id].add(day)
    by_days: dict[frozenset, list[int]] = defaultdict(list)
    for project_id, days in by_project.items():
        by_days[frozenset(days)].append(project_id)
    return [(sorted(projects), sorted(days)) for days, projects in by_days.items()]


def within(buckets: Iterable[tuple[int, date]], project_ids: frozenset[int] | None) -> set[tuple[int, date]]:
    """The buckets of these projects (None: all): a page filtered to a project or a branch needs no other."""
    return set(buckets) if project_ids is None else {bucket for bucket in buckets if bucket[0] in project_ids}


def too_many(buckets: Iterable[tuple[int, date]]) -> bool:
    """Whether a filter of these buckets would be too long to send: the page then reads raw rows."""
    return len(_groups(buckets)) > MAX_TERMS


def buckets_q(buckets: Iterable[tuple[int, date]], field: str | None = None) -> Q:
    """Rows of these (project, local day) buckets: rollup rows by their ``day`` (``field`` None), or raw rows whose
    datetime ``field`` falls on one of the days — bounded by the first and last day for the index, then exactly by
    the local date. One OR term per group of projects with the same days, however many days."""
    parts = []
    for projects, days in _groups(buckets):
        project = Q(project_id=projects[0]) if len(projects) == 1 else Q(project_id__in=projects)
        if field is None:
            parts.append(project & Q(day__in=days))
        else:
            parts.append(project & Q(**{f"{field}__gte": _at_midnight(days[0]),
                                        f"{field}__lt": _at_midnight(days[-1] + timedelta(days=1)),
                                        f"{field}__date__in": days}))
    return reduce(or_, parts, Q(pk__in=[]))


# --- shared by the families -------------------------------------------------------------------------------------

def as_day(value) -> date:
    """A local day from TruncDate's answer (a date on PostgreSQL, sometimes a datetime on SQLite)."""
    return value.date() if isinstance(value, datetime) else value


def marked_buckets(source: str, ids: Iterable[int]) -> set[tuple[int, date]]:
    """The buckets in which these rows were last counted (their marks), read 1,000 ids at a time."""
    ids, found = list(ids), set()
    for start in range(0, len(ids), 1000):
        for old in RollupMark.objects.filter(source=source, source_id__in=ids[start:start + 1000]).values_list(
                "buckets", flat=True):
            found.update((project_id, date.fromisoformat(day)) for project_id, day in old)
    return found


def write_marks(source: str, by_id: dict[int, list[tuple[int, date]]]) -> None:
    """Replace the marks of these rows by the buckets they are counted in now."""
    ids = list(by_id)
    for start in range(0, len(ids), 1000):
        part = ids[start:start + 1000]
        RollupMark.objects.filter(source=source, source_id__in=part).delete()
        RollupMark.objects.bulk_create([
            RollupMark(source=source, source_id=pk, buckets=[[p, day.isoformat()] for p, day in by_id[pk]])
            for pk in part])
