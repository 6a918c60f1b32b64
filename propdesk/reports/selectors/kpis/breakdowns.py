"""KPIs per group (project, department, staff member) and per week or month: see figures.py for the definitions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.org.models import Department, Project
from propdesk.servicedesk.models import WorkOrder

from ...filters import Place
from ...periods import Period, add_months, month_period, week_period
from .figures import (
    ALIVE_ORDER,
    TREND_BUCKETS,
    Figures,
    figures_from,
    order_aggregates,
    orders_in,
    requests_in,
    visit_aggregates,
    visits_in,
    within,
)

# --- per group --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Group:
    key: int | None  # project, department or user id; None: no department / nobody
    name: str
    figures: Figures


# Work orders, requests and visits by group: the field to group each by. Requests reach departments and staff
# through their live orders ("handled"), visits reach staff through the completed orders of their request ("done").
GROUP_FIELDS = {
    "project": ("project_id", "project_id", "project_id"),
    "department": ("department_id", "handled__department_id", "department_id"),
    "staff": ("assignee_id", "handled__assignee_id", "done__assignee_id"),
}


def _grouped(queryset: QuerySet, field: str, aggregates: dict) -> dict:
    return {row.pop("key"): row for row in queryset.values(key=F(field)).annotate(**aggregates).order_by()}


def kpi_groups(*, user, place: Place, period: Period, group: str, reader=None) -> list[Group]:
    """The figures of ``period`` per project, department or staff member: per project from the rollup once built
    (rollups.py), else (and per department or staff member) ``kpi_groups_raw``."""
    from .rollups import figures_of, kpi_reader

    reader = (kpi_reader(user, place) if reader is None else reader) if group == "project" else False
    if not reader:
        return kpi_groups_raw(user=user, place=place, period=period, group=group)
    found = reader.sums(period.start, period.end, by=("project_id",))
    names = _group_names(user, place, group, set())
    return [Group(key, name or _no_group(group), figures_of(found.get((key,)))) for key, name in names.items()]


def kpi_groups_raw(*, user, place: Place, period: Period, group: str) -> list[Group]:
    """The figures of ``period`` per project (every project of the place, with or without figures), per department
    or per staff member (those with figures), in four queries (five per department). Per staff member, a visit is
    joined to the completed orders of its request (``FilteredRelation``) and counted once per member
    (``Count(distinct=True)``)."""
    order_field, request_field, visit_field = GROUP_FIELDS[group]
    orders = orders_in(user, place).filter(reduce(or_, (within(f, period) for f in
                                                        ("accepted_at", "arrived_at", "completed_at"))))
    order_rows = _grouped(orders, order_field, {name: aggregate for family in order_aggregates(period).values()
                                                for name, aggregate in family.items()})
    requests = requests_in(user, place).filter(within("received_at", period))
    visits = visits_in(user, place).filter(within("due_by", period))
    if group != "project":
        requests = requests.annotate(handled=FilteredRelation(
            "work_orders", condition=Q(work_orders__status__in=ALIVE_ORDER)))
    if group == "staff":
        visits = visits.annotate(done=FilteredRelation("request__work_orders", condition=Q(
            request__work_orders__completed_at__isnull=False, request__work_orders__status__in=ALIVE_ORDER)))
    request_rows = _grouped(requests, request_field, {"received": Count("id", distinct=group != "project")})
    if group == "department":
        _add_complaints_about(request_rows, requests_in(user, place).filter(within("received_at", period)))
    visit_rows = _grouped(visits, visit_field, visit_aggregates(None, distinct=group == "staff"))
    keys = set(order_rows) | set(request_rows) | set(visit_rows)
    names = _group_names(user, place, group, keys)
    merged = {key: {**order_rows.get(key, {}), **request_rows.get(key, {}), **visit_rows.get(key, {})}
              for key in keys}
    if None in merged and not any(merged[None].values()):
        del merged[None]  # every complaint without an order was about a department
    ordered = [key for key in names if key in merged or group == "project"] + ([None] if None in merged else [])
    return [Group(key, names.get(key) or _no_group(group), figures_from(merged.get(key, {}))) for key in ordered]


def _add_complaints_about(rows: dict, requests: QuerySet) -> None:
    """A department's requests are those with a live order of it or complaining about it (as the request register
    lists them): add the complaints about a department that reached it by no order of its own, and take the
    complaints about a department that have no order at all out of the "no department" row."""
    own_order = Exists(WorkOrder.objects.filter(request_id=OuterRef("pk"), status__in=ALIVE_ORDER,
                                                department_id=OuterRef("complained_department_id")))
    any_order = Exists(WorkOrder.objects.filter(request_id=OuterRef("pk"), status__in=ALIVE_ORDER))
    about = (requests.filter(complained_department__isnull=False).values(key=F("complained_department_id"))
             .annotate(other=Count("id", filter=~Q(own_order)), orderless=Count("id", filter=~Q(any_order)))
             .order_by())
    for row in about:
        if row["other"]:
            rows.setdefault(row["key"], {"received": 0})["received"] += row["other"]
        if row["orderless"]:
            rows[None]["received"] -= row["orderless"]


def _no_group(group: str) -> str:
    return {"project": _("no project"), "department": _("no department"), "staff": _("no staff member")}[group]


def _group_names(user, place: Place, group: str, keys: set) -> dict[int, str]:
    """Names in display order: projects by code, departments by project and kind, staff by name."""
    ids = [key for key in keys if key is not None]
    if group == "project":
        projects = Project.objects.restrict(user)
        if place.project is not None:
            projects = projects.filter(pk=place.project.pk)
        elif place.branch is not None:
            projects = projects.filter(branch_id=place.branch.pk)
        if place.department is not None and place.department.project_id:
            projects = projects.filter(pk=place.department.project_id)
        return dict(projects.order_by("code").values_list("id", "name"))
    if group == "department":
        return dict(Department.objects.filter(pk__in=ids).order_by("project_id", "kind", "id")
                    .values_list("id", "name"))
    users = get_user_model().objects.filter(pk__in=ids).select_related("staff_profile")
    named = {user.pk: getattr(getattr(user, "staff_profile", None), "display_name", "") or user.get_username()
             for user in users}
    return dict(sorted(named.items(), key=lambda item: item[1]))


# --- per week or month ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bucket:
    period: Period  # the week or month, for labels and drill-down links
    figures: Figures

    @property
    def start(self) -> date:
        return self.period.start


ALL_PARTS = ("accepted_at", "arrived_at", "completed_at", "requests", "visits")


def kpi_buckets(*, user, place: Place, trend: Period, grain: str, parts: Sequence[str] = ALL_PARTS,
                reader=None) -> list[Bucket]:
    """The figures of every week or month of ``trend``: from the rollup's days once built (rollups.py), else
    ``kpi_buckets_raw``."""
    from .rollups import figures_of, kpi_reader

    reader = kpi_reader(user, place) if reader is None else reader
    if not reader:
        return kpi_buckets_raw(user=user, place=place, trend=trend, grain=grain, parts=parts)
    bucket_period = week_period if grain == "week" else month_period
    by_start: dict[date, dict[str, int]] = {}
    for (day,), counts in reader.sums(trend.start, trend.end, by=("day",)).items():
        into = by_start.setdefault(bucket_period(as_date(day)).start, dict.fromkeys(counts, 0))
        for name, value in counts.items():
            into[name] += value
    starts = trend.weeks() if grain == "week" else trend.months()
    return [Bucket(bucket_period(start), figures_of(by_start.get(start), parts)) for start in starts]


def kpi_buckets_raw(*, user, place: Place, trend: Period, grain: str, parts: Sequence[str] = ALL_PARTS
                    ) -> list[Bucket]:
    """The figures of every week or month of ``trend`` (one query per part: accepted, arrived and completed
    orders, requests, visits; ``parts`` limits them for a dashboard that shows only some)."""
    trunc = TruncWeek if grain == "week" else TruncMonth
    rows: dict[date, dict] = defaultdict(dict)

    def add(queryset: QuerySet, field: str, aggregates: dict) -> None:
        for row in (queryset.filter(within(field, trend)).annotate(bucket=trunc(field, output_field=DateField()))
                    .values("bucket").annotate(**aggregates).order_by()):
            rows[as_date(row.pop("bucket"))].update(row)

    orders = orders_in(user, place)
    for field, aggregates in order_aggregates(None).items():
        if field in parts:
            add(orders, field, aggregates)
    if "requests" in parts:
        add(requests_in(user, place), "received_at", {"received": Count("id")})
    if "visits" in parts:
        add(visits_in(user, place), "due_by", visit_aggregates(None))
    starts = trend.weeks() if grain == "week" else trend.months()
    bucket_period = week_period if grain == "week" else month_period
    return [Bucket(bucket_period(start), figures_from(rows.get(start, {}))) for start in starts]


def as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def trend_period(period: Period, grain: str, *, today: date | None = None, buckets: int = TREND_BUCKETS) -> Period:
    """The weeks or months a trend chart shows: the ``buckets`` weeks (months) up to the one holding the period's
    last day (or today, if sooner); a from–to range shows its own weeks (months), whole."""
    today = today or timezone.localdate()
    last = min(period.last_day, today)
    if grain == "week":
        first = week_period(period.start if period.grain == "range" else last).start
        if period.grain != "range":
            first -= timedelta(weeks=buckets - 1)
        return Period(first, week_period(last).end, "range")
    first = month_period(period.start if period.grain == "range" else last).start
    if period.grain != "range":
        first = add_months(first, 1 - buckets)
    return Period(first, month_period(last).end, "range")
