"""The handover checklist's fixed parts, the batch of a day's slots, and the age buckets of open defects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# What the buyer brings (each must be checked before the keys are handed over).
DOCUMENTS = ("购房合同", "身份证", "交房通知书", "维修基金/契税收据")
# The keys counted (a count each; 0 is allowed: a home without a mailbox).
KEYS = ("入户门钥匙", "信箱钥匙", "单元门禁卡", "车库门禁卡")
MAX_KEYS = 20
# The meters read (water and power required, gas where the home has it).
METERS = ("water", "power", "gas")
REQUIRED_METERS = ("water", "power")
# Fee item codes a meter's reading opens (fees: the metered item of the project with one of these codes).
METER_ITEM_CODES = {"water": ("water",), "power": ("power", "electricity"), "gas": ("gas",)}
# The home inspected room by room.
AREAS = ("入户门", "客厅", "主卧", "次卧", "厨房", "卫生间", "阳台", "门窗", "水电")
MAX_AREAS = 20
MAX_NOTE = 500
MAX_SLOTS_A_DAY = 40
MAX_CAPACITY = 50
AGE_BUCKETS = ((7, "≤7"), (15, "8–15"), (30, "16–30"), (None, ">30"))


@dataclass(frozen=True)
class SlotPlan:
    starts_at: datetime
    ends_at: datetime


def day_slots(*, day: date, first: time, last_end: time, minutes: int, tz: ZoneInfo) -> list[SlotPlan]:
    """The slots of ``day`` from ``first`` every ``minutes`` until ``last_end`` (a slot that would end after it is
    not made). Empty when the window holds none."""
    if minutes <= 0:
        return []
    start = datetime.combine(day, first, tzinfo=tz)
    end = datetime.combine(day, last_end, tzinfo=tz)
    plans = []
    while start + timedelta(minutes=minutes) <= end and len(plans) < MAX_SLOTS_A_DAY:
        plans.append(SlotPlan(start, start + timedelta(minutes=minutes)))
        start += timedelta(minutes=minutes)
    return plans


def can_change_booking(*, slot_day: date, today: date) -> bool:
    """Cancel or rebook until the day before the slot's day."""
    return today < slot_day


def age_bucket(days: int) -> str:
    for limit, label in AGE_BUCKETS:
        if limit is None or days <= limit:
            return label
    return AGE_BUCKETS[-1][1]
