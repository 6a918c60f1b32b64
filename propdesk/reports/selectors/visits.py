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

``visit_statistics(user=…, filters=…)`` returns VisitStatistics: ``filters``, ``total`` (Counts), ``kinds``
(KindRate: key, label, target, counts, met), ``levels`` (Level: value, label, count, percent), ``outcomes``,
``cases`` (the latest 100 dissatisfied visits), ``projects`` / ``departments`` (GroupRate: id, name, counts),
``months`` (MonthRate: month, counts, kinds) and ``empty``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from propdesk.followups.choices import VisitStatus
from propdesk.followups.models import FollowUpVisit
from propdesk.followups.selectors.rates import RateFigures, RateFilters, rate_figures, visit_rules_for
from propdesk.followups.services.policy import visit_policy_for

from ..filters import Place, ReportFilters
from ..periods import Period

__all__ = ["VisitStatistics", "month_periods", "visit_statistics", "visits_due"]


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
    fixed number of queries (counted as the rates page counts them: followups.selectors.rates.rate_figures)."""
    visits = visits_due(period=filters.period, place=filters.place, visits=FollowUpVisit.objects.restrict(user))
    return VisitStatistics(filters=filters, **rate_figures(visits, rules=_rules(user, filters.place),
                                                           months=filters.period.months()))
