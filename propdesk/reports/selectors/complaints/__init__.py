"""The monthly complaint summary 投诉汇总: counts by category, severity, department complained about and validity,
root causes, the share solved on time, repeat complaints and the top issues — each compared with the previous period
and the same period a year earlier — in the caller's data scope. Every figure is counted by the database
(``Count(filter=…)`` over ``values().annotate()``; the three periods are counted side by side in the same query);
Python only divides and labels.

Definitions (the page, the Excel file, the API, the monthly delivery and the tests share them):

- A complaint is a request of kind ``complaint``; it belongs to the period it was **received** (``received_at``,
  local time: received 10-31 23:50 in Shanghai is October's). Cancelled complaints are left out of every figure.
- **Place**: ``project`` / ``branch`` narrow by the complaint's project; ``department`` is the **department
  complained about** (``complained_department``) — the only department a complaint names itself.
- **Validity**: valid (``complaint_valid`` true), not valid (false), not yet decided (empty).
- **Solved on time**: resolved (``resolved_at`` set) no later than ``resolve_by``. **Late**: resolved after
  ``resolve_by``, or not resolved and ``resolve_by`` already passed (at the moment the report is made).
  **Open, not yet due**: the rest — not resolved with the deadline still ahead (and the rare complaint without a
  deadline: every complaint target of the SLA policy has one). The three add up to the total, and on time / late
  are exactly the complaints register's ``on_time=1`` / ``on_time=0``. **Share on time** = on time ÷ (on time +
  late). A complaint of last month still open today is late today.
- **Repeat complaint**: a complaint with a room for which another non-cancelled complaint of the same room and the
  same complaint category was received in the 90 days before it (89 days before: a repeat; 91: not). The earlier
  complaint may lie in an earlier period; it is looked for whatever the caller's place filter.
- **Top issues**: the 5 (category × department complained about) pairs with the most complaints this period, and
  the 5 places with the most complaints: a complaint about a room counts for the room's **building**, one about a
  common area (and no room) for that **common area** (the lobby, the garage level, the square); complaints that
  name neither are not placed. Ties are broken by category / name so the list is stable.
- **Root causes**: the ``root_cause`` texts written on this period's complaints, by category, most recent first, at
  most ROOT_CAUSES_PER_CATEGORY per category (``with_cause`` tells how many were written).

``complaint_summary(user=…, filters=…)`` returns a ComplaintSummary (dataclass):

- ``filters``, ``period``, ``previous_period``, ``last_year_period`` (periods.Period) and ``now`` (the instant
  "late" was judged at);
- this period's figures as plain ints: ``total``, ``valid``, ``invalid``, ``undecided``, ``on_time``, ``late``,
  ``open_not_due``, ``repeat`` and ``on_time_share`` (percent with one decimal, None when nothing was due);
- ``previous`` and ``last_year``: Totals with the same fields for the previous period and the same period a year
  earlier;
- ``by_category``, ``by_severity``, ``by_department``, ``by_validity``: lists of Row ``(key, label, count,
  previous, last_year)`` (a NamedTuple; ``key`` is the choice value, the department id as a string, or "1" / "0" /
  "" for validity; "" for "not classified" / "no department named");
- ``top_issues``: IssueRow ``(category, department_id, label, count, previous, last_year)``; ``top_places``:
  PlaceRow ``(kind, id, label, count, previous, last_year)``, kind "building" or "area";
- ``repeats`` (RepeatComplaint, latest first, at most REPEATS_SHOWN) and ``root_causes`` (CauseGroup per category
  with its Cause items); ``empty`` is true when nothing was received in the period.
Every Row-like tuple has ``change_previous`` / ``change_last_year`` (Change: ``diff``, ``arrow`` ▲/▼, ``size``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.servicedesk.choices import ComplaintCategory, Kind, RequestStatus, Severity
from propdesk.servicedesk.models import ServiceRequest

from ...filters import Place, ReportFilters
from ...periods import Period
from ...rules.complaints import (
    earlier_same_complaints,
    late_q,
    on_time_q,
    open_not_due_q,
    repeat_q,
)

ROOT_CAUSES_PER_CATEGORY = 10
REPEATS_SHOWN = 50
TOP = 5
PERIODS = ("cur", "prev", "ly")  # this period, the previous one, the same one a year earlier


# --- the definitions as Q objects: rules/complaints.py (the registers and the rollup import them from there) ------

def received_in(period: Period) -> Q:
    return Q(received_at__gte=period.starts_at, received_at__lt=period.ends_at)


def complaints_in_scope(*, user, place: Place) -> QuerySet:
    """The caller's non-cancelled complaints at the place (any period)."""
    complaints = (ServiceRequest.objects.restrict(user).filter(kind=Kind.COMPLAINT)
                  .exclude(status=RequestStatus.CANCELLED).filter(place.projects_q()))
    if place.department is not None:
        complaints = complaints.filter(complained_department=place.department)
    return complaints


# --- the result -------------------------------------------------------------------------------------------

def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


class Change(NamedTuple):
    diff: int | float | None

    @property
    def arrow(self) -> str:
        if not self.diff:
            return ""
        return "▲" if self.diff > 0 else "▼"

    @property
    def size(self) -> int | float | None:
        return None if self.diff is None else abs(self.diff)


def change(count, other) -> Change:
    if count is None or other is None:
        return Change(None)
    return Change(round(count - other, 1) if isinstance(count, float) or isinstance(other, float) else count - other)


def compared(row_class):
    """Give a row type (a NamedTuple with count, previous and last_year) its two changes: against the previous
    period and against the same period a year earlier."""
    row_class.change_previous = property(lambda row: change(row.count, row.previous))
    row_class.change_last_year = property(lambda row: change(row.count, row.last_year))
    return row_class


@compared
class Row(NamedTuple):
    key: str
    label: str
    count: int
    previous: int
    last_year: int


@compared
class IssueRow(NamedTuple):
    category: str
    department_id: int | None
    label: str
    count: int
    previous: int
    last_year: int


@compared
class PlaceRow(NamedTuple):
    kind: str  # "building" or "area"
    id: int
    label: str
    count: int
    previous: int
    last_year: int


@dataclass(frozen=True)
class Totals:
    total: int = 0
    valid: int = 0
    invalid: int = 0
    undecided: int = 0
    on_time: int = 0
    late: int = 0
    open_not_due: int = 0
    repeat: int = 0

    @property
    def on_time_share(self) -> float | None:
        return percent(self.on_time, self.on_time + self.late)


@dataclass(frozen=True)
class RepeatComplaint:
    id: int
    number: str
    received_at: datetime
    room: str
    category: str
    category_label: str
    department: str
    earlier_id: int
    earlier_number: str
    earlier_received_at: datetime


@dataclass(frozen=True)
class Cause:
    id: int
    number: str
    received_at: datetime
    department: str
    text: str


@dataclass(frozen=True)
class CauseGroup:
    category: str
    label: str
    with_cause: int  # complaints of the category with a root cause written (more than are listed, maybe)
    causes: list[Cause]


@dataclass
class ComplaintSummary:
    filters: ReportFilters
    now: datetime
    total: int
    valid: int
    invalid: int
    undecided: int
    on_time: int
    late: int
    open_not_due: int
    on_time_share: float | None
    repeat: int
    previous: Totals
    last_year: Totals
    by_category: list[Row]
    by_severity: list[Row]
    by_department: list[Row]
    by_validity: list[Row]
    top_issues: list[IssueRow]
    top_places: list[PlaceRow]
    repeats: list[RepeatComplaint]
    root_causes: list[CauseGroup]
    extra: dict = field(default_factory=dict)

    @property
    def period(self) -> Period:
        return self.filters.period

    @property
    def previous_period(self) -> Period:
        return self.filters.period.previous()

    @property
    def last_year_period(self) -> Period:
        return self.filters.period.year_before()

    @property
    def current(self) -> Totals:
        return Totals(**{name: getattr(self, name) for name in Totals.__dataclass_fields__})

    @property
    def empty(self) -> bool:
        return self.total == 0


# --- the figures ------------------------------------------------------------------------------------------

def _periods(period: Period) -> dict[str, Q]:
    return {"cur": received_in(period), "prev": received_in(period.previous()),
            "ly": received_in(period.year_before())}


def _side_by_side(periods: dict[str, Q], condition: Q | None = None) -> dict:
    """``count``, ``previous``, ``last_year``: the rows matching ``condition`` in each of the three periods."""
    names = {"cur": "count", "prev": "previous", "ly": "last_year"}
    return {names[key]: Count("id", filter=when & condition if condition is not None else when)
            for key, when in periods.items()}


def _category_label(key: str) -> str:
    return str(ComplaintCategory(key).label) if key in ComplaintCategory.values else _("not classified")


def _severity_label(key: str) -> str:
    return str(Severity(key).label) if key in Severity.values else _("not graded")


def _rows(found: dict[str, dict], keys: list[str], label) -> list[Row]:
    """One Row per key of the choice (zeros included), then any other key found (e.g. "" unclassified)."""
    keys = keys + sorted(key for key in found if key not in keys)
    empty = {"count": 0, "previous": 0, "last_year": 0}
    return [Row(key, label(key), *(found.get(key, empty)[name] for name in ("count", "previous", "last_year")))
            for key in keys]


def complaint_summary(*, user, filters: ReportFilters, now: datetime | None = None) -> ComplaintSummary:
    """All the figures of the complaint summary (page, Excel, API, monthly delivery) in a fixed number of
    queries, whatever the number of complaints: from the rollup (complaints/rollups.py) once the worker has built
    it, else from the raw rows (``complaint_summary_raw``, the reference the rollup is tested against)."""
    from .rollups import complaint_summary_from_rollups

    now = now or timezone.now()
    return (complaint_summary_from_rollups(user=user, filters=filters, now=now)
            or complaint_summary_raw(user=user, filters=filters, now=now))


def complaint_summary_raw(*, user, filters: ReportFilters, now: datetime | None = None) -> ComplaintSummary:
    """The complaint summary counted from the raw rows in 8 queries (the cost grows with the complaints of the
    three periods)."""
    now = now or timezone.now()
    period = filters.period
    periods = _periods(period)
    complaints = complaints_in_scope(user=user, place=filters.place).filter(
        periods["cur"] | periods["prev"] | periods["ly"])
    conditions = {"total": None, "valid": Q(complaint_valid=True), "invalid": Q(complaint_valid=False),
                  "undecided": Q(complaint_valid__isnull=True), "on_time": on_time_q(), "late": late_q(now),
                  "open_not_due": open_not_due_q(now), "repeat": repeat_q()}
    totals = complaints.aggregate(**{
        f"{key}_{name}": Count("id", filter=when & condition if condition is not None else when)
        for key, when in periods.items() for name, condition in conditions.items()})
    by_period = {key: Totals(**{name: totals[f"{key}_{name}"] or 0 for name in conditions}) for key in PERIODS}
    current = by_period["cur"]

    cur = periods["cur"]
    by_category_rows = (complaints.values("complaint_category")
                        .annotate(**_side_by_side(periods), with_cause=Count("id", filter=cur & ~Q(root_cause="")))
                        .order_by())
    categories = {row["complaint_category"]: row for row in by_category_rows}
    severities = {row["severity"]: row for row in
                  complaints.values("severity").annotate(**_side_by_side(periods)).order_by()}
    departments = [Row(str(row["complained_department_id"] or ""),
                       row["complained_department__name"] or _("no department named"),
                       row["count"], row["previous"], row["last_year"])
                   for row in complaints.values("complained_department_id", "complained_department__name")
                   .annotate(**_side_by_side(periods)).order_by("-count", "complained_department__name")]
    validity = [Row("1", _("valid"), current.valid, by_period["prev"].valid, by_period["ly"].valid),
                Row("0", _("not valid"), current.invalid, by_period["prev"].invalid, by_period["ly"].invalid),
                Row("", _("not yet decided"), current.undecided, by_period["prev"].undecided,
                    by_period["ly"].undecided)]

    return ComplaintSummary(
        filters=filters, now=now, **current.__dict__, on_time_share=current.on_time_share,
        previous=by_period["prev"], last_year=by_period["ly"],
        by_category=_rows(categories, list(ComplaintCategory.values), _category_label),
        by_severity=_rows(severities, list(Severity.values), _severity_label),
        by_department=departments, by_validity=validity,
        top_issues=_top_issues(complaints, periods), top_places=_top_places(complaints, periods),
        repeats=_repeats(complaints.filter(cur)),
        root_causes=_root_causes(complaints.filter(cur), categories))


def _top_issues(complaints: QuerySet, periods: dict[str, Q]) -> list[IssueRow]:
    rows = (complaints.values("complaint_category", "complained_department_id", "complained_department__name")
            .annotate(**_side_by_side(periods)).filter(count__gt=0)
            .order_by("-count", "complaint_category", "complained_department_id")[:TOP])
    return [IssueRow(row["complaint_category"], row["complained_department_id"],
                     f"{_category_label(row['complaint_category'])} · "
                     f"{row['complained_department__name'] or _('no department named')}",
                     row["count"], row["previous"], row["last_year"]) for row in rows]


def _top_places(complaints: QuerySet, periods: dict[str, Q]) -> list[PlaceRow]:
    in_room, in_area = Q(room__isnull=False), Q(room__isnull=True, common_area__isnull=False)
    rows = (complaints.filter(in_room | in_area)
            .annotate(place_kind=Case(When(in_room, then=Value("building")), default=Value("area"),
                                      output_field=CharField()),
                      place_id=Case(When(in_room, then=F("room__building_id")), default=F("common_area_id"),
                                    output_field=IntegerField()),
                      place_number=Case(When(in_room, then=F("room__building__number")), default=Value(""),
                                        output_field=CharField()),
                      place_name=Case(When(in_room, then=F("room__building__name")), default=F("common_area__name"),
                                      output_field=CharField()))
            .values("place_kind", "place_id", "place_number", "place_name")
            .annotate(**_side_by_side(periods)).filter(count__gt=0)
            .order_by("-count", "place_kind", "place_name", "place_number", "place_id")[:TOP])
    return [PlaceRow(row["place_kind"], row["place_id"],
                     row["place_name"] or _("Building %(number)s") % {"number": row["place_number"]},
                     row["count"], row["previous"], row["last_year"]) for row in rows]


def _repeats(complaints: QuerySet) -> list[RepeatComplaint]:
    earlier = earlier_same_complaints().order_by("-received_at", "-id")
    rows = (complaints.filter(repeat_q())
            .annotate(earlier_id=Subquery(earlier.values("id")[:1]),
                      earlier_number=Subquery(earlier.values("number")[:1]),
                      earlier_received_at=Subquery(earlier.values("received_at")[:1]))
            .values("id", "number", "received_at", "room__code", "complaint_category", "complained_department__name",
                    "earlier_id", "earlier_number", "earlier_received_at")
            .order_by("-received_at", "-id")[:REPEATS_SHOWN])
    return [RepeatComplaint(row["id"], row["number"], row["received_at"], row["room__code"],
                            row["complaint_category"], _category_label(row["complaint_category"]),
                            row["complained_department__name"] or "", row["earlier_id"], row["earlier_number"],
                            _aware(row["earlier_received_at"])) for row in rows]


def _aware(value):
    """A datetime read through a Subquery comes back naive (UTC) on SQLite."""
    if isinstance(value, datetime) and timezone.is_naive(value):
        return timezone.make_aware(value, timezone.UTC)
    if isinstance(value, str):  # SQLite may return the text of the column
        return timezone.make_aware(datetime.fromisoformat(value), timezone.UTC)
    return value


def _root_causes(complaints: QuerySet, categories: dict[str, dict]) -> list[CauseGroup]:
    order = list(ComplaintCategory.values) + sorted(key for key in categories if key not in ComplaintCategory.values)
    grouped: dict[str, list[Cause]] = {}
    for row in _newest_causes(complaints.exclude(root_cause=""), order):
        grouped.setdefault(row["complaint_category"], []).append(Cause(
            row["id"], row["number"], row["received_at"], row["complained_department__name"] or "", row["root_cause"]))
    order += sorted(key for key in grouped if key not in order)
    return [CauseGroup(key, _category_label(key), categories.get(key, {}).get("with_cause", len(grouped[key])),
                       grouped[key]) for key in order if key in grouped]


CAUSE_FIELDS = ("id", "number", "received_at", "complaint_category", "complained_department__name", "root_cause")


def _newest_causes(with_cause: QuerySet, categories: list[str]):
    """The ROOT_CAUSES_PER_CATEGORY newest complaints with a root cause of each category, newest first.

    PostgreSQL: one ``ORDER BY … LIMIT`` per category, joined by UNION ALL, each read from the index
    request_complaint_cause (ten rows a category; a window over the period's causes sorted all of them, 12,203
    rows and 19 ms for a branch at a million requests). Elsewhere (SQLite cannot slice the parts of a union, and
    holds an embedded company's data) one window query ranks the rows of each category."""
    if connection.features.supports_slicing_ordering_in_compound:
        heads = [with_cause.filter(complaint_category=key).values(*CAUSE_FIELDS)
                 .order_by("-received_at", "-id")[:ROOT_CAUSES_PER_CATEGORY] for key in categories]
        return heads[0].union(*heads[1:], all=True).order_by("complaint_category", "-received_at", "-id")
    return (with_cause
            .annotate(rank=Window(RowNumber(), partition_by=[F("complaint_category")],
                                  order_by=[F("received_at").desc(), F("id").desc()]))
            .filter(rank__lte=ROOT_CAUSES_PER_CATEGORY).values(*CAUSE_FIELDS)
            .order_by("complaint_category", "-received_at", "-id"))
