"""The cashier's daily closing 日结: per cashier, project and local day, the money by payment method read from the
ledger's cash (payments and prepayments +, voids −, refunds −), the receipts used and the receipts voided.

A payment's entries and its void belong to the cashier who took it (a void by finance on a later day is on the
cashier's closing of that later day, as money given back); a refund belongs to whoever recorded it. Payments in the
app have no cashier and are on nobody's closing. Five queries, whatever the number of payments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Coalesce

from ..choices import PaymentMethod
from ..models import DailyClosing, LedgerEntry, Payment
from .reports import local_day_bounds, projects_in_scope


@dataclass
class ClosingDay:
    project_id: int
    project: str
    cashier_id: int
    day: date
    methods: dict[str, int] = field(default_factory=dict)  # method → fen
    first_receipt: str = ""
    last_receipt: str = ""
    receipts: int = 0
    voided: list[dict] = field(default_factory=list)
    closing: DailyClosing | None = None

    @property
    def total_fen(self) -> int:
        return sum(self.methods.values())

    @property
    def cash_fen(self) -> int:
        return self.methods.get(PaymentMethod.CASH, 0)

    @property
    def lines(self) -> list[tuple[str, str, int]]:
        labels = dict(PaymentMethod.choices)
        shown = [m for m in PaymentMethod.values
                 if m != PaymentMethod.PREPAID and (m in self.methods or m == PaymentMethod.CASH)]
        return [(m, str(labels.get(m, m)), self.methods.get(m, 0)) for m in shown]

    def totals(self) -> dict:
        """What a confirmed closing keeps (DailyClosing.totals)."""
        return {"methods": dict(self.methods), "total_fen": self.total_fen, "cash_fen": self.cash_fen,
                "first_receipt": self.first_receipt, "last_receipt": self.last_receipt, "receipts": self.receipts,
                "voided": [{k: v for k, v in row.items() if k != "voided_at"} | {"voided_at": row["voided_at"]
                           .isoformat() if row["voided_at"] else None} for row in self.voided]}

    @property
    def changed_since_closing(self) -> bool:
        if self.closing is None:
            return False
        kept = self.closing.totals
        return kept.get("methods") != self.methods or kept.get("receipts") != self.receipts


def closing_days(*, user, cashier_id: int, day: date, project_id: int | None = None) -> list[ClosingDay]:
    """The cashier's day in each project of ``user``'s scope where they took or gave back money, or closed."""
    start, end = local_day_bounds(day)
    projects = {p.pk: p for p in projects_in_scope(user, project_id)}
    ids = list(projects)
    days: dict[int, ClosingDay] = {}

    def of(project_id: int) -> ClosingDay:
        if project_id not in days:
            days[project_id] = ClosingDay(project_id, projects[project_id].name, cashier_id, day)
        return days[project_id]

    cash = (LedgerEntry.objects.restrict(user).filter(project_id__in=ids, at__gte=start, at__lt=end)
            .exclude(cash_fen=0)
            .filter(Q(payment__cashier_id=cashier_id) | Q(refund__isnull=False, actor_id=cashier_id))
            .annotate(method=Coalesce("payment__method", "refund__method")).order_by()
            .values("project_id", "method").annotate(fen=Sum("cash_fen")))
    for row in cash:
        of(row["project_id"]).methods[row["method"]] = row["fen"]
    payments = Payment.objects.restrict(user).filter(project_id__in=ids, cashier_id=cashier_id)
    used = (payments.filter(paid_at__gte=start, paid_at__lt=end).order_by().values("project_id")
            .annotate(first=Min("receipt_number"), last=Max("receipt_number"), count=Count("pk")))
    for row in used:
        target = of(row["project_id"])
        target.first_receipt, target.last_receipt, target.receipts = row["first"], row["last"], row["count"]
    voided = (payments.filter(Q(paid_at__gte=start, paid_at__lt=end, voided_at__isnull=False)
                              | Q(voided_at__gte=start, voided_at__lt=end))
              .order_by("receipt_number").values("project_id", "receipt_number", "amount_fen", "method", "paid_at",
                                                  "voided_at", "void_reason"))
    for row in voided:
        of(row["project_id"]).voided.append({"receipt_number": row["receipt_number"], "amount_fen": row["amount_fen"],
                                             "method": row["method"], "voided_at": row["voided_at"],
                                             "reason": row["void_reason"]})
    for closing in DailyClosing.objects.restrict(user).filter(project_id__in=ids, cashier_id=cashier_id, day=day):
        of(closing.project_id).closing = closing
    return [days[pk] for pk in ids if pk in days]


def cashiers_of_day(*, user, day: date) -> list[dict]:
    """Who took money at the desk on ``day`` in the caller's scope: [{"id", "name"}], by name."""
    start, end = local_day_bounds(day)
    ids = set(Payment.objects.restrict(user).filter(
        Q(paid_at__gte=start, paid_at__lt=end) | Q(voided_at__gte=start, voided_at__lt=end),
        cashier__isnull=False).order_by().values_list("cashier_id", flat=True).distinct())
    users = get_user_model().objects.filter(pk__in=ids).select_related("staff_profile")
    return sorted(({"id": u.pk, "name": cashier_name(u)} for u in users), key=lambda c: c["name"])


def cashier_name(user) -> str:
    profile = getattr(user, "staff_profile", None)
    return (profile.display_name if profile else "") or user.get_username()
