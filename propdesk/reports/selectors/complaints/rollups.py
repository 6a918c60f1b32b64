"""The complaint summary read from the rollup (rollups/complaints.py): the same ComplaintSummary as
``complaint_summary_raw``, figure for figure, at a cost that follows the length of the period and not the history.

- The ComplaintDay rows of the three periods (this, the previous, the same a year earlier) are summed per
  dimension by the database, leaving out the buckets changed since the watermark; those few buckets are aggregated
  from the raw rows by the very function that fills the rollup, so the figures are exact now.
- Late and open-not-yet-due depend on "now": the unresolved complaints past their deadline are counted raw.
- The repeat list and the root causes list rows of this period (at most 50 and 10 per category): raw, as before.
"""

from __future__ import annotations

from datetime import datetime
from operator import add

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from propdesk.org.models import Building, CommonArea, Department
from propdesk.servicedesk.choices import ComplaintCategory, Severity

from ...filters import ReportFilters
from ...models import ComplaintDay
from ...periods import Period
from ...rollups import complaints as rollup
from ...rollups import state
from . import (
    PERIODS,
    TOP,
    ComplaintSummary,
    IssueRow,
    PlaceRow,
    Row,
    Totals,
    _category_label,
    _periods,
    _repeats,
    _root_causes,
    _rows,
    _severity_label,
    complaints_in_scope,
)

NAMES = {"cur": "count", "prev": "previous", "ly": "last_year"}
# The counts of one combination of dimensions as one flat list, period by period: the three periods' nine counts of
# ~1,200 combinations (a branch of large projects) were summed six ways through nested dicts, ~15 ms of the page.
SLOTS = [(key, name) for key in PERIODS for name in rollup.COUNTS]
SLOT = {slot: i for i, slot in enumerate(SLOTS)}  # (period, count name) → its place in a list of counts
Facts = dict[tuple, list[int]]  # dimensions → the counts in SLOTS order


def _three(period: Period) -> dict[str, Period]:
    return {"cur": period, "prev": period.previous(), "ly": period.year_before()}


def _rollup_facts(user, filters: ReportFilters, periods: dict[str, Period], dirty: set) -> Facts:
    days = {key: Q(day__gte=p.start, day__lt=p.end) for key, p in periods.items()}
    rows = ComplaintDay.objects.restrict(user).filter(filters.place.projects_q())
    if filters.place.department is not None:
        rows = rows.filter(department_id=filters.place.department.pk)
    rows = rows.filter(days["cur"] | days["prev"] | days["ly"])
    if dirty:
        rows = rows.exclude(rollup.buckets_q(dirty, raw=False))
    dimensions = len(rollup.DIMENSIONS)
    sums = {f"{key}__{name}": Sum(name, filter=days[key]) for key, name in SLOTS}
    grouped = rows.values_list(*rollup.DIMENSIONS).annotate(**sums).order_by()
    # One row per combination, read by the cursor: the ORM's converters (int() of each of 27 sums of ~1,100 rows)
    # cost 6 ms of the page at a million requests. The sums are integers, or NULL where a period has no day.
    with connection.cursor() as cursor:
        cursor.execute(*grouped.query.get_compiler(using=grouped.db).as_sql())
        facts: Facts = {tuple(row[:dimensions]): [value or 0 for value in row[dimensions:]]
                        for row in cursor.fetchall()}
    if dirty:
        raw = complaints_in_scope(user=user, place=filters.place).filter(rollup.buckets_q(dirty, raw=True))
        for row in rollup.bucket_facts(raw):
            day = rollup._day(row["day"])
            counts = facts.setdefault(tuple(row[name] for name in rollup.DIMENSIONS), [0] * len(SLOTS))
            for key, p in periods.items():
                if p.start <= day < p.end:
                    for name in rollup.COUNTS:
                        counts[SLOT[key, name]] += row[name]
    return facts


def _sum(facts: Facts, index: tuple[int, ...], names: tuple[str, ...] = ("total",)
         ) -> dict[tuple, dict[str, dict[str, int]]]:
    """The facts summed over every dimension but those at ``index``, as period → count name → value, for the count
    ``names`` only (a grouping shows totals; adding the nine counts of ~1,100 combinations six ways was ~10 ms)."""
    slots = [SLOT[period, name] for period in PERIODS for name in names]
    summed: dict[tuple, list[int]] = {}
    for dims, counts in facts.items():
        key = tuple(dims[i] for i in index)
        values = [counts[i] for i in slots]
        into = summed.get(key)
        summed[key] = values if into is None else list(map(add, into, values))
    out = {}
    for key, counts in summed.items():
        nested: dict[str, dict[str, int]] = {period: {} for period in PERIODS}
        for (period, name), value in zip([SLOTS[i] for i in slots], counts, strict=True):
            nested[period][name] = value
        out[key] = nested
    return out


def _side(by_period: dict[str, dict[str, int]], name: str = "total") -> dict[str, int]:
    return {NAMES[key]: by_period.get(key, {}).get(name, 0) for key in PERIODS}


def _nulls_last() -> bool:
    """Where the database sorts an empty value in ascending order (the raw summary's order for ties)."""
    return connection.vendor == "postgresql"


def _none_key(value, nulls_last: bool):
    return (1 if nulls_last else -1, 0) if value is None else (0, value)


def complaint_summary_from_rollups(*, user, filters: ReportFilters, now: datetime) -> ComplaintSummary | None:
    """The summary from the rollup, or None when the rollup has not been built yet."""
    since = state.watermark(rollup.NAME)
    if since is None:
        return None
    periods = _three(filters.period)
    dirty = state.within(rollup.dirty_buckets(since), filters.place.project_ids_for(user))
    if state.too_many(dirty):  # a bulk change since the worker's last pass: raw rows until it has caught up
        return None
    facts = _rollup_facts(user, filters, periods, dirty)
    complaints = complaints_in_scope(user=user, place=filters.place)
    when = _periods(filters.period)
    open_late = (complaints.filter(when["cur"] | when["prev"] | when["ly"])
                 .filter(resolved_at__isnull=True, resolve_by__lt=now)
                 .aggregate(**{key: Count("id", filter=q) for key, q in when.items()}))

    overall = _sum(facts, (), rollup.COUNTS).get((), {})
    by_period = {}
    for key in PERIODS:
        counts = overall.get(key, {})
        get = counts.get
        late_open = open_late[key] or 0
        unresolved = get("total", 0) - get("on_time", 0) - get("resolved_late", 0) - get("no_deadline", 0)
        by_period[key] = Totals(
            total=get("total", 0), valid=get("valid", 0), invalid=get("invalid", 0), undecided=get("undecided", 0),
            on_time=get("on_time", 0), late=get("resolved_late", 0) + late_open,
            open_not_due=get("no_deadline", 0) + unresolved - late_open, repeat=get("repeat", 0))
    current = by_period["cur"]

    categories = {dims[0]: {**_side(counts), "with_cause": counts.get("cur", {}).get("with_cause", 0)}
                  for dims, counts in _sum(facts, (0,), ("total", "with_cause")).items()
                  if any(c.get("total") for c in counts.values())}
    severities = {dims[0]: _side(counts) for dims, counts in _sum(facts, (1,)).items()
                  if any(c.get("total") for c in counts.values())}
    departments_found = {dims[0]: _side(counts) for dims, counts in _sum(facts, (2,)).items()
                         if any(c.get("total") for c in counts.values())}
    issues_found = {dims: _side(counts) for dims, counts in _sum(facts, (0, 2)).items()
                    if counts.get("cur", {}).get("total")}
    places_found = {dims: _side(counts) for dims, counts in _sum(facts, (3, 4)).items()
                    if dims[0] and counts.get("cur", {}).get("total")}
    department_ids = {key for key in departments_found if key is not None}
    department_ids |= {dims[1] for dims in issues_found if dims[1] is not None}
    names = dict(Department.objects.filter(pk__in=department_ids).values_list("id", "name")) if department_ids \
        else {}
    nulls_last = _nulls_last()

    departments = sorted(departments_found.items(), key=lambda item: (
        -item[1]["count"], _none_key(names.get(item[0]) if item[0] is not None else None, nulls_last)))
    validity = [Row("1", _("valid"), current.valid, by_period["prev"].valid, by_period["ly"].valid),
                Row("0", _("not valid"), current.invalid, by_period["prev"].invalid, by_period["ly"].invalid),
                Row("", _("not yet decided"), current.undecided, by_period["prev"].undecided,
                    by_period["ly"].undecided)]
    top_issues = sorted(issues_found.items(), key=lambda item: (
        -item[1]["count"], item[0][0], _none_key(item[0][1], nulls_last)))[:TOP]
    cur = when["cur"]
    return ComplaintSummary(
        filters=filters, now=now, **current.__dict__, on_time_share=current.on_time_share,
        previous=by_period["prev"], last_year=by_period["ly"],
        by_category=_rows(categories, list(ComplaintCategory.values), _category_label),
        by_severity=_rows(severities, list(Severity.values), _severity_label),
        by_department=[Row(str(key or ""), names.get(key) or _("no department named"), *side.values())
                       for key, side in departments],
        by_validity=validity,
        top_issues=[IssueRow(category, department_id,
                             f"{_category_label(category)} · {names.get(department_id) or _('no department named')}",
                             *side.values()) for (category, department_id), side in top_issues],
        top_places=_top_places(places_found),
        repeats=_repeats(complaints.filter(cur)), root_causes=_root_causes(complaints.filter(cur), categories))


def _top_places(found: dict[tuple, dict[str, int]]) -> list[PlaceRow]:
    buildings = [place_id for kind, place_id in found if kind == "building"]
    areas = [place_id for kind, place_id in found if kind == "area"]
    labels = {}
    if buildings:
        labels |= {("building", pk): (name, number) for pk, name, number in
                   Building.objects.filter(pk__in=buildings).values_list("id", "name", "number")}
    if areas:
        labels |= {("area", pk): (name, "") for pk, name in
                   CommonArea.objects.filter(pk__in=areas).values_list("id", "name")}
    ranked = sorted(found.items(), key=lambda item: (-item[1]["count"], item[0][0], *labels.get(item[0], ("", "")),
                                                     item[0][1]))[:TOP]
    return [PlaceRow(kind, place_id, labels.get((kind, place_id), ("", ""))[0]
                     or _("Building %(number)s") % {"number": labels.get((kind, place_id), ("", ""))[1]},
                     *side.values()) for (kind, place_id), side in ranked]
