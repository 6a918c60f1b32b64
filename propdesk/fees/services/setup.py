"""A project's usual fee items, rates and dunning ladder, in one step: what a new project starts from (finance then
changes the rates), what the demo and the tests use."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from ..choices import Cycle, FeeKind
from ..models import DunningStep, FeeItem, FeeRate
from ..rules.dunning import DEFAULT_LADDER

# code, name, kind, cycle, unit, per_subscription, vacant discount (bp), late fee bp/day; rates {room_type: fen}
STANDARD_ITEMS = (
    ("property", "物业服务费", FeeKind.AREA, Cycle.MONTHLY, "m²", False, 3000, 5,
     {"": Decimal("280"), "villa": Decimal("450"), "shop": Decimal("600"), "office": Decimal("520")}),
    ("parking", "车位管理费", FeeKind.FIXED, Cycle.MONTHLY, "个", True, 0, 5, {"": Decimal("15000")}),
    ("garbage", "垃圾清运费", FeeKind.FIXED, Cycle.QUARTERLY, "户", False, 10000, 0, {"": Decimal("1000")}),
    ("water", "水费", FeeKind.METERED, Cycle.MONTHLY, "m³", False, 0, 0, {}),
    ("power", "电费", FeeKind.METERED, Cycle.MONTHLY, "kWh", False, 0, 0, {}),
    ("reno_waste", "装修垃圾清运费", FeeKind.ONE_OFF, Cycle.MONTHLY, "次", False, 0, 0, {"": Decimal("80000")}),
    ("late_fee", "滞纳金", FeeKind.LATE_FEE, Cycle.MONTHLY, "", False, 0, 0, {}),
    # Arrears imported from the previous system (services/fee_imports.py): one bill per home, item and period.
    ("opening", "期初欠费", FeeKind.OPENING, Cycle.MONTHLY, "", False, 0, 0, {}),
)
# Shanghai's residential tiers (per month of a year's limits): water 3.45 / 4.83 / 5.83 元/m³, power 0.617 / 0.667 /
# 0.917 元/kWh.
STANDARD_TIERS = {
    "water": [{"up_to": "18.33", "price_fen": "345"}, {"up_to": "25", "price_fen": "483"},
              {"up_to": None, "price_fen": "583"}],
    "power": [{"up_to": "260", "price_fen": "61.7"}, {"up_to": "400", "price_fen": "66.7"},
              {"up_to": None, "price_fen": "91.7"}],
}


@transaction.atomic
def fee_items_standard(*, project, effective_from: date, actor=None, due_day: int = 15) -> list[FeeItem]:
    """Create the usual items of ``project`` (those missing) with their rates from ``effective_from``."""
    items = []
    for position, (code, name, kind, cycle, unit, per_sub, vacant_bp, late_bp, rates) in enumerate(STANDARD_ITEMS):
        item, created = FeeItem.objects.get_or_create(project=project, code=code, defaults=dict(
            name=name, kind=kind, cycle=cycle, unit=unit, per_subscription=per_sub, vacant_discount_bp=vacant_bp,
            late_daily_bp=late_bp, late_cap_bp=10000 if late_bp else 0, due_day=due_day, position=position))
        items.append(item)
        if not created:
            continue
        for room_type, fen in rates.items():
            FeeRate.objects.create(item=item, room_type=room_type, effective_from=effective_from, rate_fen=fen,
                                   created_by=actor)
        if code in STANDARD_TIERS:
            FeeRate.objects.create(item=item, effective_from=effective_from, tiers=STANDARD_TIERS[code],
                                   created_by=actor)
    for step in DEFAULT_LADDER:
        DunningStep.objects.get_or_create(project=project, code=step.code, defaults=dict(
            kind=str(step.kind), after_days=step.after_days, after_months=step.after_months))
    return items
