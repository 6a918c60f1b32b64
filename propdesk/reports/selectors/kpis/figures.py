"""Service KPIs: time to accept, arrive and complete, share on time, reopen rate, first-visit fix, satisfaction and
the counts behind them — in total, per project, department or staff member, and per week or month. Every figure is
aggregated by the database (``Avg``/``Count(filter=…)`` over ``values().annotate()``); Python only divides and fills
empty buckets. The KPI page, the dashboards and GET /api/reports/kpis share these definitions:

- A **request** belongs to the period it was received (``received_at``, local time). Cancelled requests are left
  out. Per department: the requests with a live (not cancelled) order of that department or complaining about it
  (as the request register lists them); per staff member: those with a live order assigned to that member; a
  request with neither is in the "no department" ("no staff member") row.
- **Work-order measures** count in the period their event happened; cancelled orders are left out everywhere:
  time to accept = accepted_at − dispatched_at (period of accepted_at); time to arrive = arrived_at − dispatched_at
  (period of arrived_at); time to complete = completed_at − dispatched_at − held_seconds (period of completed_at).
  A reopened order is dispatched again when it is reopened: its times run from then.
- **On time** = orders completed in the period with completed_at ≤ resolve_by (holds already pushed resolve_by) ÷
  orders completed in the period. **Reopen rate** = of those, reopen_count > 0. **First-visit fix** = of those,
  reopen_count = 0 and never on hold (held_seconds = 0).
- **Visits** belong to the period they were due (``due_by``), cancelled ones excluded. **Satisfaction** = (very
  satisfied 5 + satisfied 4) ÷ visits with a satisfaction. Per department: the visit's department. Per staff member:
  the visits of requests with a completed order that member handled (a visit counts once for every member who
  completed an order of its request).
- Buckets are local-time Monday-to-Sunday weeks (``TruncWeek``) or calendar months (``TruncMonth``).

Durations are averaged in SQL: ``Avg`` over ``DateTimeField − DateTimeField`` works on SQLite and PostgreSQL alike.
Subtracting the hold needs ``Seconds`` below: Django's ``F("held_seconds") * timedelta(seconds=1)`` runs on
PostgreSQL but on SQLite turns the difference into text and averages garbage without an error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import reduce
from operator import or_

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils.translation import gettext_lazy

from propdesk.followups.choices import VisitStatus
from propdesk.followups.models import FollowUpVisit
from propdesk.servicedesk.choices import RequestStatus, WorkOrderStatus
from propdesk.servicedesk.models import ServiceRequest, WorkOrder

from ...filters import Place
from ...periods import Period
from ...rules.kpis import ACCEPT, ARRIVE, COMPLETE, SATISFIED, Seconds  # noqa: F401 — the KPIs' definitions

GRAINS = ("week", "month")
GROUPS = ("project", "department", "staff")
TREND_BUCKETS = 12
ALIVE_ORDER = [status for status in WorkOrderStatus.values if status != WorkOrderStatus.CANCELLED]

# --- the figures ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    """``numerator`` of ``denominator`` ("42 / 50"), and the percentage (None when the denominator is 0)."""

    numerator: int = 0
    denominator: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None


@dataclass(frozen=True)
class Average:
    """An average duration over ``denominator`` orders; ``numerator`` is their total in minutes."""

    seconds: float | None = None
    denominator: int = 0

    @property
    def minutes(self) -> float | None:
        return None if self.seconds is None else round(self.seconds / 60, 1)

    @property
    def hours(self) -> float | None:
        return None if self.seconds is None else round(self.seconds / 3600, 1)

    @property
    def numerator(self) -> int:
        return round((self.seconds or 0) * self.denominator / 60)


@dataclass(frozen=True)
class Figures:
    received: int = 0
    completed: int = 0
    accept: Average = Average()
    arrive: Average = Average()
    complete: Average = Average()
    on_time: Share = Share()
    reopened: Share = Share()
    first_fix: Share = Share()
    satisfaction: Share = Share()

    @property
    def empty(self) -> bool:
        return not (self.received or self.completed or self.accept.denominator or self.arrive.denominator
                    or self.satisfaction.denominator)


@dataclass(frozen=True)
class Kpi:
    """One KPI as the pages show it: its figure, the value drawn in a chart and which way is better."""

    key: str
    label: str
    unit: str  # count, minutes, hours or percent
    better: str  # higher, lower or "" (a count)
    figure: Callable[[Figures], int | Share | Average]

    def value(self, figures: Figures) -> float | int | None:
        found = self.figure(figures)
        if isinstance(found, Share):
            return found.percent
        if isinstance(found, Average):
            return found.hours if self.unit == "hours" else found.minutes
        return found


KPIS = (
    Kpi("received", gettext_lazy("Requests received"), "count", "", lambda f: f.received),
    Kpi("completed", gettext_lazy("Orders completed"), "count", "", lambda f: f.completed),
    Kpi("accept", gettext_lazy("Time to accept"), "minutes", "lower", lambda f: f.accept),
    Kpi("arrive", gettext_lazy("Time to arrive"), "minutes", "lower", lambda f: f.arrive),
    Kpi("complete", gettext_lazy("Time to complete"), "hours", "lower", lambda f: f.complete),
    Kpi("on_time", gettext_lazy("Completed on time"), "percent", "higher", lambda f: f.on_time),
    Kpi("reopened", gettext_lazy("Reopen rate"), "percent", "lower", lambda f: f.reopened),
    Kpi("first_fix", gettext_lazy("First-visit fix"), "percent", "higher", lambda f: f.first_fix),
    Kpi("satisfaction", gettext_lazy("Satisfaction"), "percent", "higher", lambda f: f.satisfaction),
)
KPI_BY_KEY = {kpi.key: kpi for kpi in KPIS}


def _seconds(value) -> float | None:
    if value is None:
        return None
    return value.total_seconds() if isinstance(value, timedelta) else float(value) / 1_000_000


def figures_from(row: dict, prefix: str = "") -> Figures:
    """Figures from one row of the aggregates below (missing keys are zero: a bucket with nothing in it)."""
    def get(name: str) -> int:
        return row.get(prefix + name) or 0

    completed = get("completed")
    return Figures(
        received=get("received"), completed=completed,
        accept=Average(_seconds(row.get(prefix + "accept_avg")), get("accept_n")),
        arrive=Average(_seconds(row.get(prefix + "arrive_avg")), get("arrive_n")),
        complete=Average(_seconds(row.get(prefix + "complete_avg")), get("complete_n")),
        on_time=Share(get("on_time"), completed), reopened=Share(get("reopened"), completed),
        first_fix=Share(get("first_fix"), completed), satisfaction=Share(get("satisfied"), get("rated")))


# --- the rows counted -------------------------------------------------------------------------------------

def orders_in(user, place: Place) -> QuerySet:
    orders = WorkOrder.objects.restrict(user).exclude(status=WorkOrderStatus.CANCELLED).filter(place.projects_q())
    if place.department is not None:
        orders = orders.filter(department=place.department)
    return orders


def requests_in(user, place: Place) -> QuerySet:
    requests = (ServiceRequest.objects.restrict(user).exclude(status=RequestStatus.CANCELLED)
                .filter(place.projects_q()))
    if place.department is not None:
        requests = requests.filter(Q(complained_department=place.department) | Q(Exists(WorkOrder.objects.filter(
            request=OuterRef("pk"), department=place.department, status__in=ALIVE_ORDER))))
    return requests


def visits_in(user, place: Place) -> QuerySet:
    visits = (FollowUpVisit.objects.restrict(user).exclude(status=VisitStatus.CANCELLED)
              .filter(place.projects_q()))
    if place.department is not None:
        visits = visits.filter(department=place.department)
    return visits


def within(field: str, period: Period | None) -> Q:
    """``field`` falls in ``period`` (local days); with no period only "it happened"."""
    if period is None:
        return Q(**{f"{field}__isnull": False})
    return Q(**{f"{field}__gte": period.starts_at, f"{field}__lt": period.ends_at})


def order_aggregates(period: Period | None) -> dict[str, dict]:
    """The work-order aggregates by the timestamp that places them in a period."""
    accepted = within("accepted_at", period) & Q(dispatched_at__isnull=False)
    arrived = within("arrived_at", period) & Q(dispatched_at__isnull=False)
    completed = within("completed_at", period)
    timed = completed & Q(dispatched_at__isnull=False)
    return {
        "accepted_at": {"accept_avg": Avg(ACCEPT, filter=accepted), "accept_n": Count("id", filter=accepted)},
        "arrived_at": {"arrive_avg": Avg(ARRIVE, filter=arrived), "arrive_n": Count("id", filter=arrived)},
        "completed_at": {
            "complete_avg": Avg(COMPLETE, filter=timed), "complete_n": Count("id", filter=timed),
            "completed": Count("id", filter=completed),
            "on_time": Count("id", filter=completed & Q(completed_at__lte=F("resolve_by"))),
            "reopened": Count("id", filter=completed & Q(reopen_count__gt=0)),
            "first_fix": Count("id", filter=completed & Q(reopen_count=0, held_seconds=0)),
        },
    }


def visit_aggregates(period: Period | None, *, distinct: bool = False) -> dict:
    due = within("due_by", period)
    return {"rated": Count("id", distinct=distinct, filter=due & Q(satisfaction__isnull=False)),
            "satisfied": Count("id", distinct=distinct, filter=due & Q(satisfaction__in=SATISFIED))}


def _prefixed(aggregates: dict, prefix: str) -> dict:
    return {f"{prefix}{name}": aggregate for name, aggregate in aggregates.items()}


def figures_for_periods(*, user, place: Place, periods: Sequence[Period], reader=None) -> list[Figures]:
    """The figures of each period (e.g. this month and last month): from the rollup once built (one query per
    period, rollups.py), else ``figures_for_periods_raw``."""
    from .rollups import figures_of, kpi_reader

    reader = kpi_reader(user, place) if reader is None else reader
    if not reader:
        return figures_for_periods_raw(user=user, place=place, periods=periods)
    return [figures_of(reader.sums(period.start, period.end).get(())) for period in periods]


def figures_for_periods_raw(*, user, place: Place, periods: Sequence[Period]) -> list[Figures]:
    """The figures of each period counted from the raw rows in three queries, whatever their number."""
    order_fields = ("accepted_at", "arrived_at", "completed_at")
    orders = orders_in(user, place).filter(reduce(or_, (within(f, p) for p in periods for f in order_fields)))
    order_row = orders.aggregate(**{name: aggregate for i, period in enumerate(periods)
                                    for family in order_aggregates(period).values()
                                    for name, aggregate in _prefixed(family, f"p{i}_").items()})
    request_row = (requests_in(user, place).filter(reduce(or_, (within("received_at", p) for p in periods)))
                   .aggregate(**{f"p{i}_received": Count("id", filter=within("received_at", period))
                                 for i, period in enumerate(periods)}))
    visit_row = (visits_in(user, place).filter(reduce(or_, (within("due_by", p) for p in periods)))
                 .aggregate(**{name: aggregate for i, period in enumerate(periods)
                               for name, aggregate in _prefixed(visit_aggregates(period), f"p{i}_").items()}))
    row = {**order_row, **request_row, **visit_row}
    return [figures_from(row, f"p{i}_") for i in range(len(periods))]
