"""Late fees 滞纳金 of a home: what its overdue bills have accrued (read only), and charging them as bills.

A late fee is computed by ``rules.late_fees.late_fee`` on what a bill still owes, with the item's daily rate, grace
days and cap, minus what was already charged as late fees of that bill. Charging issues one late-fee bill per source
bill (the project's ``late_fee`` item, period ``late-<source id>-<n>``, ``source`` = the bill) with its CHARGE entry.
A late fee is waived by a ``late_fee_waiver`` adjustment of the late-fee bill (services/adjustments.py), which needs a
manager and a reason.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import PermissionDenied
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import EntryKind, FeeKind
from ..models import Bill, FeeItem
from ..rules.late_fees import LateFeeRule, days_overdue, late_fee
from . import ledger
from .setup import STANDARD_ITEMS


def rule_of(item: FeeItem) -> LateFeeRule:
    return LateFeeRule(daily_bp=item.late_daily_bp, grace_days=item.late_grace_days, cap_bp=item.late_cap_bp)


def _overdue_bills(room, on: date):
    bills = (Bill.objects.filter(room_id=room.pk, open_fen__gt=0, due_date__lt=on, item__late_daily_bp__gt=0)
             .exclude(item__kind__in=(FeeKind.LATE_FEE, FeeKind.OPENING, FeeKind.DEPOSIT)))
    return (bills.select_related("item")
            .annotate(late_charged=Coalesce(Sum("late_fees__amount_fen"), 0),
                      late_count=Count("late_fees"))
            .order_by("due_date", "pk"))


def _accrued(bills, on: date) -> list[tuple[Bill, int]]:
    out = []
    for bill in bills:
        total = late_fee(principal_fen=bill.open_fen, due=bill.due_date, on=on, rule=rule_of(bill.item))
        fen = total - bill.late_charged
        if fen > 0:
            out.append((bill, fen))
    return out


def late_fees_accrued(*, room, on: date) -> list[tuple[Bill, int]]:
    """[(bill, fen)]: the late fee each overdue open bill of ``room`` has accrued up to ``on`` and not yet charged."""
    return _accrued(_overdue_bills(room, on), on)


def can_charge(user) -> bool:
    return user_can(user, Capability.TAKE_PAYMENTS) or user_can(user, Capability.MANAGE_BILLING)


def late_fee_item(project) -> FeeItem:
    """The project's late-fee item, created from the standard items when it has none."""
    item = FeeItem.objects.filter(project_id=project.pk, kind=FeeKind.LATE_FEE).order_by("position", "pk").first()
    if item is not None:
        return item
    code, name, kind, cycle, unit, *_rest = next(row for row in STANDARD_ITEMS if row[0] == "late_fee")
    item, _created = FeeItem.objects.get_or_create(project_id=project.pk, code=code, defaults=dict(
        name=name, kind=kind, cycle=cycle, unit=unit, late_daily_bp=0, late_cap_bp=0, position=len(STANDARD_ITEMS)))
    return item


def late_fees_charge(*, room, actor, now: datetime | None = None) -> list[Bill]:
    """Issue the late fees accrued by ``room`` up to today as bills (one per overdue bill); returns them."""
    now = now or timezone.now()
    if not can_charge(actor):
        raise PermissionDenied(_("Your role may not charge late fees."))
    today = timezone.localdate(now)
    issued = []
    with transaction.atomic():
        account = ledger.account_lock(room=room)
        # Lock the sources first (no aggregate with FOR UPDATE on PostgreSQL), then read their late fees.
        list(Bill.objects.select_for_update().filter(room_id=room.pk, open_fen__gt=0, due_date__lt=today)
             .values_list("pk", flat=True))
        accrued = _accrued(_overdue_bills(room, today), today)
        if not accrued:
            return []
        item = late_fee_item(room.project)
        for source, fen in accrued:
            days = days_overdue(source.due_date, today)
            bill = Bill.objects.create(
                project_id=room.project_id, room_id=room.pk, item=item,
                period_key=f"late-{source.pk}-{source.late_count + 1}",
                period_start=source.due_date + timedelta(days=1), period_end=today + timedelta(days=1),
                due_date=today, amount_fen=fen, open_fen=0, source=source, issued_at=now, issued_by=actor,
                description=(f"{source.item.name} {source.period_key} 滞纳金：逾期 {days} 天，"
                             f"日 {Decimal(source.item.late_daily_bp) / 10}‰")[:200])
            ledger.post(account=account, kind=EntryKind.CHARGE, at=now, actor=actor, bill=bill, receivable=fen,
                        note=_("Late fee"))
            issued.append(bill)
        ledger.account_refresh(account)
    return issued
