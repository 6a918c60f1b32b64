"""The KPIs read from the rollup (rollups/kpis.py): the same Figures as the raw aggregates of figures.py and
breakdowns.py, at a cost that follows the period and not the history. A reader is made once per page: it learns the
watermark and the buckets dirty since it (read raw, through the very aggregation that fills the rollup) and then
sums KpiDay rows per period, per day (the trend's weeks and months) or per project.

Used for every place but a department: a department's requests are those with a live order of it or complaining
about it, which the rollup does not count; those pages read raw rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.db.models import Sum

from ...filters import Place
from ...models import KpiDay, RequestDay
from ...rollups import kpis as rollup
from ...rollups import requests as request_days
from ...rollups import state
from .figures import Figures, figures_from, orders_in, requests_in, visits_in

POSITION = {"project_id": 0, "day": 1, "department_id": 2, "assignee_id": 3}
ALL_PARTS = tuple(rollup.PARTS)


class KpiReader:
    def __init__(self, user, place: Place):
        self.user, self.place = user, place
        self.since = state.watermark(rollup.NAME) if place.department is None else None
        self._dirty: set | None = None
        self._dirty_facts: dict | None = None

    @property
    def usable(self) -> bool:
        return self.since is not None

    def _load_dirty(self) -> None:
        if self._dirty is None:
            self._dirty = state.within(rollup.dirty_buckets(self.since)[0], self.place.project_ids_for(self.user))
        if self._dirty_facts is None:
            self._dirty_facts = rollup.bucket_facts(
                orders=orders_in(self.user, self.place), requests=requests_in(self.user, self.place),
                visits=visits_in(self.user, self.place), buckets=self._dirty) if self._dirty else {}

    def sums(self, start: date, end: date, by: Sequence[str] = ()) -> dict[tuple, dict[str, int]]:
        """The counts of the local days [start, end) in the caller's scope at the place, per ``by``."""
        self._load_dirty()
        out: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(rollup.COUNTS, 0))
        rows = (KpiDay.objects.restrict(self.user).filter(self.place.projects_q())
                .filter(day__gte=start, day__lt=end))
        if self._dirty:
            rows = rows.exclude(rollup.buckets_q(self._dirty))
        sums = {name: Sum(name) for name in rollup.COUNTS}
        found_rows = rows.values(*by).annotate(**sums).order_by() if by else [rows.aggregate(**sums)]
        for row in found_rows:
            counts = out[tuple(row[name] for name in by)]
            for name in rollup.COUNTS:
                counts[name] += row[name] or 0
        for key, found in self._dirty_facts.items():
            if start <= key[1] < end:
                counts = out[tuple(key[POSITION[name]] for name in by)]
                for name in rollup.COUNTS:
                    counts[name] += found[name]
        return out

    def requests_by_day_and_kind(self, start: date, end: date) -> dict[tuple[date, str], int]:
        """The non-cancelled requests received on the local days [start, end) in the caller's scope at the place,
        per (day, kind): RequestDay (kept with the KPIs, rollups/requests.py) for the clean buckets, the raw rows
        for the dirty ones."""
        self._load_dirty()
        dirty = {bucket for bucket in self._dirty if start <= bucket[1] < end}
        rows = (RequestDay.objects.restrict(self.user).filter(self.place.projects_q())
                .filter(day__gte=start, day__lt=end))
        if dirty:
            rows = rows.exclude(request_days.buckets_q(dirty, raw=False))
        found = list(rows.values("day", "kind").annotate(received=Sum("received")).order_by())
        if dirty:
            found += request_days.bucket_facts(requests_in(self.user, self.place).filter(
                request_days.buckets_q(dirty, raw=True)))
        out: dict[tuple[date, str], int] = defaultdict(int)
        for row in found:
            out[(request_days._day(row["day"]), row["kind"])] += row["received"] or 0
        return out


def kpi_reader(user, place: Place) -> KpiReader | None:
    """A reader of the rollup, or None when the page must read raw rows (never built, or a department)."""
    reader = KpiReader(user, place)
    if not reader.usable:
        return None
    # Rows changed in bulk since the worker's last pass (an import, the demo being built) make too many dirty
    # buckets to send as a filter: the page reads raw rows until the worker has caught up.
    reader._dirty = state.within(rollup.dirty_buckets(reader.since)[0], place.project_ids_for(user))
    return None if state.too_many(reader._dirty) else reader


def figures_of(counts: dict[str, int] | None, parts: Sequence[str] = ALL_PARTS) -> Figures:
    if not counts:
        return Figures()
    row = {name: counts[name] for part in parts for name in rollup.PARTS[part]}
    for kind in ("accept", "arrive", "complete"):
        if f"{kind}_us" in row:
            row[f"{kind}_avg"] = row[f"{kind}_us"] / row[f"{kind}_n"] if row[f"{kind}_n"] else None
    return figures_from(row)
