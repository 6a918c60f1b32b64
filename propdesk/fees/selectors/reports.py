"""The figures a property company lives on, read from the ledger in SQL: the collection rate 收缴率 and arrears
recovery 清欠率 by project, building, fee item and month against the year's target, and the aging of arrears.
The cashier's daily closing is in selectors/closing.py.

Definitions (rules/arrears.py gives the fractions):
- The period's bills: bills whose ``period_start`` lies in the month (a quarterly bill counts in its first month).
  Late-fee bills are left out of both rates (they are a penalty, not what the period costs).
- 当期应收 (billed): the CHARGE entries of the period's bills plus their ADJUSTMENT entries dated before the
  month's end.
- 当期实收 (collected): minus the receivable of their PAYMENT, PREPAY_DRAW and REVERSAL entries dated before the
  month's end — money paid ahead (a prepayment drawn when the bill was issued) is collected for the period; a void
  after the month's end does not rewrite a closed month.
- 期初欠费 (arrears at the start): what the bills of EARLIER periods still owed when the month began (their charges,
  and every other entry dated before the month's first moment).
- 清欠实收 (recovered): minus the receivable of PAYMENT, PREPAY_DRAW and REVERSAL entries on those earlier bills dated
  within the month.
- Arrears (aging): open bills already due before the day, bucketed by whole months since their due date exactly as
  rules.arrears.bucket_of does (0–3, 3–6, 6–12, >12 months); a home is counted in the bucket of its oldest open bill.

Stewards have no zones until issue 13, so there is no grouping by steward yet.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import Project

from ..choices import EntryKind, FeeKind
from ..models import Account, Bill, CollectionTarget, LedgerEntry
from ..rules.arrears import BUCKETS, as_percent, collection_rate, recovery_rate

PAID_KINDS = (EntryKind.PAYMENT, EntryKind.PREPAY_DRAW, EntryKind.REVERSAL)
GROUPS = {"project": _("project"), "building": _("building"), "item": _("fee item")}
BUCKET_LABELS = {"0-3": _("0–3 months"), "3-6": _("3–6 months"), "6-12": _("6–12 months"), "12+": _("over 12 months")}


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:  # exclusive
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def start_at(self) -> datetime:
        return local_midnight(self.start)

    @property
    def end_at(self) -> datetime:
        return local_midnight(self.end)


@dataclass
class Figures:
    billed_fen: int = 0
    collected_fen: int = 0
    arrears_start_fen: int = 0
    recovered_fen: int = 0

    @property
    def rate(self) -> Fraction | None:
        return collection_rate(collected_current_fen=self.collected_fen, billed_current_fen=self.billed_fen)

    @property
    def recovery(self) -> Fraction | None:
        return recovery_rate(recovered_fen=self.recovered_fen, arrears_at_start_fen=self.arrears_start_fen)

    @property
    def owed_fen(self) -> int:
        return self.billed_fen - self.collected_fen

    @property
    def rate_text(self) -> str:
        return as_percent(self.rate)

    @property
    def recovery_text(self) -> str:
        return as_percent(self.recovery)

    def below(self, target_bp: int | None) -> bool:
        return target_bp is not None and self.rate is not None and self.rate * 10000 < target_bp


def _month_sums(month: Month, suffix: str = "") -> dict:
    """Four conditional sums of the ledger's receivable for one month (see the module's definitions)."""
    current = Q(bill__period_start__gte=month.start, bill__period_start__lt=month.end)
    earlier = Q(bill__period_start__lt=month.start)
    paid = Q(kind__in=PAID_KINDS)
    return {
        f"billed{suffix}": Sum("receivable_fen", filter=current & (
            Q(kind=EntryKind.CHARGE) | Q(kind=EntryKind.ADJUSTMENT, at__lt=month.end_at)), default=0),
        f"collected{suffix}": Sum("receivable_fen", filter=current & paid & Q(at__lt=month.end_at), default=0),
        f"arrears{suffix}": Sum("receivable_fen", filter=earlier & (
            Q(kind=EntryKind.CHARGE) | Q(at__lt=month.start_at)), default=0),
        f"recovered{suffix}": Sum("receivable_fen", filter=earlier & paid & Q(at__gte=month.start_at,
                                                                             at__lt=month.end_at), default=0),
    }


def _figures(row: dict, suffix: str = "") -> Figures:
    return Figures(billed_fen=row[f"billed{suffix}"], collected_fen=-row[f"collected{suffix}"],
                   arrears_start_fen=row[f"arrears{suffix}"], recovered_fen=-row[f"recovered{suffix}"])


def _entries(user, projects: list[int], until: date):
    return (LedgerEntry.objects.restrict(user).filter(project_id__in=projects, bill__isnull=False,
                                                       bill__period_start__lt=until)
            .exclude(bill__item__kind__in=(FeeKind.LATE_FEE, FeeKind.DEPOSIT)).order_by())


@dataclass
class Row:
    key: int | None
    label: str
    project_id: int
    project: str
    figures: Figures
    target_bp: int | None = None


@dataclass
class CollectionReport:
    month: Month
    group: str
    projects: list[Project]
    total: Figures
    rows: list[Row]
    months: list[tuple[Month, Figures]]
    targets: dict[int, int] = field(default_factory=dict)  # project id → basis points

    @property
    def target_bp(self) -> int | None:
        """The target shown against the total: the project's when the report covers one project."""
        return self.targets.get(self.projects[0].pk) if len(self.projects) == 1 else None


def projects_in_scope(user, project_id: int | None = None) -> list[Project]:
    projects = Project.objects.restrict(user).order_by("code", "pk")
    if project_id is not None:
        projects = projects.filter(pk=project_id)
    return list(projects)


def targets_of(projects: list[Project], year: int) -> dict[int, int]:
    return dict(CollectionTarget.objects.filter(project__in=projects, year=year).values_list("project_id", "rate_bp"))


GROUP_FIELDS = {
    "project": ("project_id", "project__name", "project_id"),
    "building": ("room__building_id", "room__building__name", "room__building__number"),
    "item": ("bill__item_id", "bill__item__name", "bill__item__position"),
}


def collection_report(*, user, year: int, month: int, project_id: int | None = None,
                      group: str = "building") -> CollectionReport:
    """The month's figures in total and by ``group`` (project, building or fee item), and the twelve months of the
    year in total (the chart). Three queries, whatever the number of bills."""
    chosen = Month(year, month)
    projects = projects_in_scope(user, project_id)
    ids = [p.pk for p in projects]
    names = {p.pk: p.name for p in projects}
    targets = targets_of(projects, year)
    key, name, order = GROUP_FIELDS[group]
    grouped = (_entries(user, ids, chosen.end).values("project_id", key, name, order)
               .annotate(**_month_sums(chosen)).order_by("project__code", order, key))
    rows = []
    for row in grouped:
        figures = _figures(row)
        if not (figures.billed_fen or figures.arrears_start_fen or figures.collected_fen or figures.recovered_fen):
            continue
        label = row[name] or (_("Building %(number)s") % {"number": row[order]} if group == "building" else "")
        rows.append(Row(row[key], str(label), row["project_id"], names.get(row["project_id"], ""), figures,
                        targets.get(row["project_id"])))
    months = [Month(year, m) for m in range(1, 13)]
    sums = {}
    for m in months:
        sums.update(_month_sums(m, f"_{m.month}"))
    year_row = _entries(user, ids, date(year + 1, 1, 1)).aggregate(**sums)
    by_month = [(m, _figures(year_row, f"_{m.month}")) for m in months]
    return CollectionReport(month=chosen, group=group, projects=projects, total=by_month[month - 1][1], rows=rows,
                            months=by_month, targets=targets)


# --- aging --------------------------------------------------------------------------------------------------------

def months_back(on: date, months: int) -> date:
    """``on`` moved back whole months, clipped to the month's last day: a bill due on or before it is at least
    ``months`` old on ``on`` (rules.arrears.months_between)."""
    index = on.year * 12 + on.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(on.day, calendar.monthrange(year, month + 1)[1]))


def bucket_conditions(on: date, field_name: str = "due_date") -> dict[str, Q]:
    """The buckets of rules.arrears.BUCKETS as conditions on a due date (only overdue: due before ``on``)."""
    edge3, edge6, edge12 = months_back(on, 3), months_back(on, 6), months_back(on, 12)
    return {
        "0-3": Q(**{f"{field_name}__gt": edge3, f"{field_name}__lt": on}),
        "3-6": Q(**{f"{field_name}__gt": edge6, f"{field_name}__lte": edge3}),
        "6-12": Q(**{f"{field_name}__gt": edge12, f"{field_name}__lte": edge6}),
        "12+": Q(**{f"{field_name}__lte": edge12}),
    }


@dataclass
class AgingRow:
    key: int | None
    label: str
    project: str
    amounts: dict[str, int]
    homes: dict[str, int]

    @property
    def total_fen(self) -> int:
        return sum(self.amounts.values())

    @property
    def total_homes(self) -> int:
        return sum(self.homes.values())

    @property
    def cells(self) -> list[tuple[int, int]]:
        return [(self.amounts[b], self.homes[b]) for b in BUCKETS]


@dataclass
class AgingReport:
    on: date
    group: str
    projects: list[Project]
    rows: list[AgingRow]
    total: AgingRow


def overdue_bills(user, projects: list[int], on: date):
    return Bill.objects.restrict(user).filter(project_id__in=projects, open_fen__gt=0, due_date__lt=on)


def aging_report(*, user, on: date, project_id: int | None = None, group: str = "project") -> AgingReport:
    """Arrears by age, by project or building: the amount per bucket (each bill in its own bucket) and the homes
    per bucket (each home in the bucket of its oldest open bill). Two queries, whatever the number of bills."""
    projects = projects_in_scope(user, project_id)
    ids = [p.pk for p in projects]
    names = {p.pk: p.name for p in projects}
    if group == "building":
        bill_key, account_key, name, extra = "room__building_id", "room__building_id", "room__building__name", \
            "room__building__number"
    else:
        group, bill_key, account_key, name, extra = "project", "project_id", "project_id", "project__name", "project_id"
    amounts = (overdue_bills(user, ids, on).order_by().values("project_id", bill_key, name, extra)
               .annotate(**{f"a{i}": Sum("open_fen", filter=q, default=0)
                            for i, q in enumerate(bucket_conditions(on).values())}))
    homes = (Account.objects.restrict(user).filter(project_id__in=ids, owed_fen__gt=0, oldest_due__lt=on).order_by()
             .values(account_key).annotate(**{f"h{i}": Count("pk", filter=q)
                                             for i, q in enumerate(bucket_conditions(on, "oldest_due").values())}))
    home_counts = {row[account_key]: [row[f"h{i}"] for i in range(len(BUCKETS))] for row in homes}
    rows = []
    for row in sorted(amounts, key=lambda r: (names.get(r["project_id"], ""), str(r[extra]))):
        counts = home_counts.get(row[bill_key], [0] * len(BUCKETS))
        label = row[name] or (_("Building %(number)s") % {"number": row[extra]} if group == "building" else "")
        rows.append(AgingRow(row[bill_key], str(label), names.get(row["project_id"], ""),
                             {b: row[f"a{i}"] for i, b in enumerate(BUCKETS)},
                             {b: counts[i] for i, b in enumerate(BUCKETS)}))
    total = AgingRow(None, str(_("Total")), "", {b: sum(r.amounts[b] for r in rows) for b in BUCKETS},
                     {b: sum(r.homes[b] for r in rows) for b in BUCKETS})
    return AgingReport(on=on, group=group, projects=projects, rows=rows, total=total)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    return local_midnight(day), local_midnight(day + timedelta(days=1))


@dataclass(frozen=True)
class ReportFilters:
    year: int
    month: int
    project_id: int | None
    group: str
    day: date


def _int(text, low: int, high: int) -> int | None:
    text = str(text or "").strip()
    if not text.isdigit() or len(text) > 6:
        return None
    value = int(text)
    return value if low <= value <= high else None


def report_filters(user, data, *, today: date, groups=GROUPS, default_group: str = "building") -> ReportFilters:
    """The filters of the report pages and the API from query parameters: ``project`` (an id in scope), ``year``,
    ``month`` (1–12 or YYYY-MM), ``group`` and ``day`` (YYYY-MM-DD). A bad one is an ApplicationError naming it."""
    from propdesk.core.errors import ApplicationError

    errors: dict[str, list] = {}
    year, month = today.year, today.month
    month_text = str(data.get("month") or "").strip()
    if "-" in month_text:
        year_text, _sep, month_text = month_text.partition("-")
        year = _int(year_text, 2000, 2100) or 0
    elif data.get("year"):
        year = _int(data.get("year"), 2000, 2100) or 0
    if not year:
        errors["year"] = [_("Choose a year between 2000 and 2100.")]
    if month_text:
        month = _int(month_text, 1, 12) or 0
        if not month:
            errors["month"] = [_("Choose a month, 1 to 12.")]
    project_id = None
    if data.get("project"):
        project_id = _int(data.get("project"), 1, 10**9 - 1)
        if project_id is None or not Project.objects.restrict(user).filter(pk=project_id).exists():
            errors["project"] = [_("No such project in your scope.")]
    group = str(data.get("group") or default_group)
    if group not in groups:
        errors["group"] = [_("Choose how to group the figures.")]
    day = today
    if data.get("day"):
        try:
            day = date.fromisoformat(str(data.get("day")).strip())
        except ValueError:
            errors["day"] = [_("Enter a day as YYYY-MM-DD.")]
        else:
            if not date(2000, 1, 1) <= day <= today:
                errors["day"] = [_("Choose a day up to today.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), extra={"fields": errors})
    return ReportFilters(year, month, project_id, group, day)


def dashboard_figures(*, user, year: int, month: int, project_id: int | None, on: date) -> dict:
    """The fees card of the PM's and branch leader's dashboards: the month's collection rate against the target
    (one project) and the arrears by age today. Five queries."""
    chosen = Month(year, month)
    projects = projects_in_scope(user, project_id)
    ids = [p.pk for p in projects]
    figures = _figures(_entries(user, ids, chosen.end).aggregate(**_month_sums(chosen)))
    targets = targets_of(projects, year) if len(projects) == 1 else {}
    aging = aging_report(user=user, on=on, project_id=project_id)
    return {"month": chosen, "figures": figures, "target_bp": targets.get(ids[0]) if targets else None,
            "aging": aging.total, "project_id": project_id}
