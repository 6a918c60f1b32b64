"""Quarterly visit statistics 回访统计: visit rates per kind against their targets, the satisfaction distribution,
dissatisfied cases and what was done, per project, per department and month by month — for any report period and
place (filters.py), in the caller's data scope.

This is an adapter over the counting of the rates page (propdesk/followups/selectors/rates.py): the same COUNTERS,
the same outcome counters, the same targets (``visit_policy_for`` through the company of the place), the same
dissatisfied cases and the same result types (Counts, KindRate, GroupRate, MonthRate, Level, Outcomes) — only the
rows are chosen by a reports Period (any grain; a range need not start on the 1st) and a Place (project, branch,
department) instead of RateFilters. Definitions are those of selectors/rates.py:

- A visit belongs to the period it was **due** (``due_by``, local time), whatever day it was done; cancelled visits
  are left out. Due / done / late / unreachable / pending as there.
- **Visit rate** = done ÷ due per rule (complaint, repair, help, other) against the rule's target.
- **Satisfaction rate** = (very satisfied 5 + satisfied 4) ÷ visits with a satisfaction; distribution over 5 levels.
- **Dissatisfied**: satisfaction ≤ 2; outcome = the decision (request reopened / complaint created / none yet) and
  whether the reopened request / follow-up complaint has been closed since.
- **Month by month**: the months the period touches; a month cut by the period counts only its days in it.

**Cost**: once the worker has built the rollup (rollups/visits.py: VisitDay per project, day due, rule and
department) the figures are sums of its rows for the period, plus the raw rows of the few buckets changed since its
watermark; ``visit_statistics_raw`` counts the raw visits (before the first build, and as the tests' reference).
The dissatisfied cases are read raw, ids first, from the latest days that the rollup says hold them.

``visit_statistics(user=…, filters=…)`` returns VisitStatistics: ``filters``, ``total`` (Counts), ``kinds``
(KindRate: key, label, target, counts, met), ``levels`` (Level: value, label, count, percent), ``outcomes``,
``cases`` (the latest 100 dissatisfied visits), ``projects`` / ``departments`` (GroupRate: id, name, counts),
``months`` (MonthRate: month, counts, kinds) and ``empty``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.scoping import scope_of
from propdesk.followups.choices import VisitStatus
from propdesk.followups.models import FollowUpVisit
from propdesk.followups.selectors.rates import (
    CASES_SHOWN,
    COUNTERS,
    Counts,
    GroupRate,
    RateFigures,
    RateFilters,
    assemble_figures,
    dissatisfied_cases,
    rate_figures,
    visit_rules_for,
)
from propdesk.followups.services.policy import visit_policy_for
from propdesk.org.models import Department, Project

from ..filters import Place, ReportFilters
from ..models import VisitDay
from ..periods import Period, _at_midnight
from ..rollups import state
from ..rollups import visits as rollup

__all__ = ["VisitStatistics", "month_periods", "visit_statistics", "visit_statistics_raw", "visits_due"]


@dataclass(kw_only=True)
class VisitStatistics(RateFigures):
    filters: ReportFilters

    @property
    def period(self) -> Period:
        return self.filters.period


def visits_due(*, period: Period, place: Place, visits: QuerySet | None = None) -> QuerySet:
    """Visits due in the period at the place, cancelled excluded. ``visits`` is the scoped starting set
    (``FollowUpVisit.objects.restrict(user)``); without it no scope is applied (the public report of one project
    uses it so)."""
    visits = (visits if visits is not None else FollowUpVisit.objects.all()).filter(
        place.projects_q(), due_by__gte=period.starts_at, due_by__lt=period.ends_at).exclude(
        status=VisitStatus.CANCELLED)
    if place.department is not None:
        visits = visits.filter(department=place.department)
    return visits


def month_periods(period: Period) -> list[tuple[date, Period]]:
    """The months the period touches, each as (first day, the part of the period in that month)."""
    out = []
    for first in period.months():
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        start, end = max(first, period.start), min(following, period.end)
        out.append((first, Period(start, end, "month" if (start, end) == (first, following) else "range")))
    return out


def _rules(user, place: Place) -> dict:
    """The targets of the company whose visits are shown: the place's company through ``visit_policy_for``, else
    selectors/rates.py's choice for the caller (their company; the handbook's defaults across several companies)."""
    chosen = place.project or place.branch
    if chosen is not None:
        return visit_policy_for(chosen.company_id).rules
    this_month = timezone.localdate().replace(day=1)
    return visit_rules_for(user, RateFilters(start=this_month, end=this_month))


def visit_statistics(*, user, filters: ReportFilters) -> VisitStatistics:
    """All the figures of the visit statistics page, its Excel file and GET /api/reports/visits/statistics, in a
    fixed number of queries: from the rollup (rollups/visits.py) once it is built, else from the raw rows."""
    found = visit_statistics_from_rollup(user=user, filters=filters)
    return found if found is not None else visit_statistics_raw(user=user, filters=filters)


def visit_statistics_raw(*, user, filters: ReportFilters) -> VisitStatistics:
    """The figures counted from the raw visits (as the rates page counts them:
    followups.selectors.rates.rate_figures): the reference the rollup is tested against."""
    visits = visits_due(period=filters.period, place=filters.place, visits=FollowUpVisit.objects.restrict(user))
    return VisitStatistics(filters=filters, **rate_figures(visits, rules=_rules(user, filters.place),
                                                           months=filters.period.months()))


# --- from the rollup ----------------------------------------------------------------------------------------

Key = tuple  # (project id, first day of the month, rule, department id)


def _add(into: dict[str, int], row: dict) -> None:
    for name in rollup.COUNTS:
        into[name] += row[name] or 0


def _as_counts(sums: dict[str, int]) -> Counts:
    return Counts(**{name: sums.get(name, 0) for name in COUNTERS})


def _none_key(value, nulls_last: bool):
    """Where the database puts an empty value in ascending order (the raw figures' order): last on PostgreSQL."""
    return (1 if nulls_last else -1, 0) if value is None else (0, value)


def visit_statistics_from_rollup(*, user, filters: ReportFilters) -> VisitStatistics | None:
    """The same VisitStatistics as ``visit_statistics_raw``, figure for figure, from the VisitDay rows of the period
    (summed per project, month, rule and department by the database) and the raw rows of the few buckets changed
    since the watermark. None when the rollup has not been built (or the caller is a resident)."""
    since = state.watermark(rollup.NAME)
    if since is None or scope_of(user).resident_id:
        return None
    period, place = filters.period, filters.place
    dirty, _marks = rollup.dirty_buckets(since)
    dirty = {bucket for bucket in state.within(dirty, place.project_ids_for(user))
             if period.start <= bucket[1] < period.end}
    if state.too_many(dirty):  # a bulk change since the worker's last pass: raw rows until it has caught up
        return None
    rows = VisitDay.objects.restrict(user).filter(place.projects_q(), day__gte=period.start, day__lt=period.end)
    if place.department is not None:
        rows = rows.filter(department_id=place.department.pk)
    if dirty:
        rows = rows.exclude(rollup.buckets_q(dirty))
    facts: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(rollup.COUNTS, 0))
    for row in (rows.annotate(month=TruncMonth("day")).values("project_id", "month", *rollup.DIMENSIONS)
                .annotate(**{name: Sum(name) for name in rollup.COUNTS}).order_by()):
        _add(facts[(row["project_id"], rollup._day(row["month"]), row["rule"], row["department_id"])], row)
    visits = visits_due(period=period, place=place, visits=FollowUpVisit.objects.restrict(user))
    if dirty:
        for row in rollup.bucket_facts(visits, dirty):
            _add(facts[(row["project_id"], row["day"].replace(day=1), row["rule"], row["department_id"])], row)

    def summed(*positions: int) -> dict[tuple, dict[str, int]]:
        out: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(rollup.COUNTS, 0))
        for key, counts in facts.items():
            _add(out[tuple(key[i] for i in positions)], counts)
        return out

    totals = summed().get((), dict.fromkeys(rollup.COUNTS, 0))
    per_month_kind: dict[date, dict[str, Counts]] = {}
    for (month, rule), counts in summed(1, 2).items():
        per_month_kind.setdefault(month, {})[rule] = _as_counts(counts)
    nulls_last = connection.vendor == "postgresql"
    by_project = {key[0]: counts for key, counts in summed(0).items() if counts["due"]}
    projects = sorted(Project.objects.filter(pk__in=by_project).values_list("id", "name", "code"),
                      key=lambda found: (found[2], found[0]))
    by_department = {key[0]: counts for key, counts in summed(3).items() if counts["due"]}
    known = {pk: (project_id, kind, name) for pk, project_id, kind, name in Department.objects.filter(
        pk__in=[pk for pk in by_department if pk is not None]).values_list("id", "project_id", "kind", "name")}
    order = sorted(by_department, key=lambda pk: (
        _none_key(known[pk][0] if pk is not None else None, nulls_last),
        _none_key(known[pk][1] if pk is not None else None, nulls_last), _none_key(pk, nulls_last)))
    figures = assemble_figures(
        totals=totals, by_kind={key[0]: _as_counts(counts) for key, counts in summed(2).items() if counts["due"]},
        per_month={key[0]: _as_counts(counts) for key, counts in summed(1).items() if counts["due"]},
        per_month_kind=per_month_kind,
        projects=[GroupRate(pk, name, _as_counts(by_project[pk])) for pk, name, _code in projects],
        departments=[GroupRate(pk, (known[pk][2] if pk is not None else "") or _("no department"),
                               _as_counts(by_department[pk])) for pk in order],
        cases=dissatisfied_cases(visits, since=_cases_since(rows, dirty, period)) if totals["case_total"] else [],
        rules=_rules(user, place), months=period.months())
    return VisitStatistics(filters=filters, **figures)


def _cases_since(rows: QuerySet, dirty: set, period: Period):
    """A due time before which none of the dissatisfied cases shown can lie: the start of the latest day such that
    the clean buckets from it on hold at least CASES_SHOWN dissatisfied visits (the rollup counts them exactly);
    None when the whole period is needed."""
    found = 0
    for day, count in (rows.filter(case_total__gt=0).values("day").annotate(count=Sum("case_total"))
                       .order_by("-day").values_list("day", "count")):
        found += count
        if found >= CASES_SHOWN:
            return _at_midnight(rollup._day(day))
    return None
