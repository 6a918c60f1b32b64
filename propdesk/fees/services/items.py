"""Fee items, their rates from a date, and the homes that subscribe to per-unit items (parking spaces).

A rate is never edited: a price change is a new row with a later ``effective_from``, and it may not start before
the end of the last period already billed for the item (those bills keep the price they were issued at). Rates
are typed in yuan and kept in fen (with up to four decimals of a fen: 2.805 元/m² is 280.5 fen).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.org.choices import RoomType

from ..choices import Cycle, FeeKind
from ..models import Bill, FeeItem, FeeRate, Subscription

MAX_RATE_YUAN = Decimal("1000000")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
RATED_KINDS = (FeeKind.AREA, FeeKind.FIXED, FeeKind.ONE_OFF)


def _invalid(fields: dict[str, list[str]]) -> ApplicationError:
    return ApplicationError(_("Please correct the marked fields."), {"fields": fields})


def yuan_rate_to_fen(text, *, field: str) -> Decimal:
    """"2.805" (yuan) → Decimal("280.5") fen; at most four decimals of a yuan, not negative."""
    raw = str(text if text is not None else "").strip().replace("，", ",").replace(",", "")
    message = _("Enter a price in yuan with at most four decimals, such as 2.80.")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise _invalid({field: [message]}) from None
    if not value.is_finite() or value < 0 or value > MAX_RATE_YUAN or value != value.quantize(Decimal("0.0001")):
        raise _invalid({field: [message]})
    return (value * 100).quantize(Decimal("0.0001"))


def _percent_to_bp(value, *, field: str, per: int, maximum: int, errors: dict) -> int:
    """A percentage (per=100) or a per-mille (per=10) → basis points, at most two decimals of a basis point."""
    text = str(value if value is not None else "").strip() or "0"
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        errors[field] = [_("Enter a number of zero or more.")]
        return 0
    bp = number * per
    if bp != bp.to_integral_value() or bp > maximum:
        errors[field] = [_("Enter a number between 0 and %(max)s with fewer decimals.") % {"max": maximum / per}]
        return 0
    return int(bp)


@dataclass
class ItemInput:
    code: str
    name: str
    kind: str
    cycle: str = Cycle.MONTHLY
    due_day: int = 15
    unit: str = ""
    room_types: list[str] | None = None
    per_subscription: bool = False
    vacant_discount_percent: str | Decimal | int = 0  # 30 → 30 % off for a vacant home
    late_fee_per_mille: str | Decimal | int = 0  # 0.5 → 0.5 ‰ of the principal per day
    late_cap_percent: str | Decimal | int = 100  # of the principal
    late_grace_days: int = 0
    from_handover: bool = True


@transaction.atomic
def fee_item_create(*, project, data: ItemInput, actor=None) -> FeeItem:
    """A new fee item of ``project`` (its rates come separately, from a date)."""
    errors: dict[str, list[str]] = {}
    code = (data.code or "").strip().lower()
    name = (data.name or "").strip()
    if not CODE.match(code):
        errors["code"] = [_("Use lowercase letters, digits and _ (at most 32), starting with a letter.")]
    elif FeeItem.objects.filter(project=project, code=code).exists():
        errors["code"] = [_("The project has an item with this code already.")]
    if not name or len(name) > 50:
        errors["name"] = [_("Enter a name of at most 50 characters.")]
    if data.kind not in (FeeKind.AREA, FeeKind.FIXED, FeeKind.METERED, FeeKind.ONE_OFF):
        errors["kind"] = [_("Choose how the item is charged.")]
    if data.cycle not in Cycle.values:
        errors["cycle"] = [_("Choose a billing cycle.")]
    if not isinstance(data.due_day, int) or not 1 <= data.due_day <= 28:
        errors["due_day"] = [_("The due day is a day from 1 to 28.")]
    room_types = list(dict.fromkeys(data.room_types or []))
    if any(t not in RoomType.values for t in room_types):
        errors["room_types"] = [_("Unknown room type.")]
    if data.per_subscription and data.kind != FeeKind.FIXED:
        errors["per_subscription"] = [_("Only a fixed monthly item is charged per subscribed unit.")]
    if not isinstance(data.late_grace_days, int) or not 0 <= data.late_grace_days <= 365:
        errors["late_grace_days"] = [_("Enter 0 to 365 days.")]
    vacant_bp = _percent_to_bp(data.vacant_discount_percent, field="vacant_discount_percent", per=100,
                               maximum=10000, errors=errors)
    late_bp = _percent_to_bp(data.late_fee_per_mille, field="late_fee_per_mille", per=10, maximum=1000,
                             errors=errors)
    cap_bp = _percent_to_bp(data.late_cap_percent, field="late_cap_percent", per=100, maximum=10000, errors=errors)
    if len(data.unit or "") > 10:
        errors["unit"] = [_("At most 10 characters.")]
    if errors:
        raise _invalid(errors)
    position = (FeeItem.objects.filter(project=project).aggregate(m=Max("position"))["m"] or 0) + 1
    return FeeItem.objects.create(
        project=project, code=code, name=name, kind=data.kind, cycle=data.cycle, due_day=data.due_day,
        unit=(data.unit or "").strip(), room_types=room_types, per_subscription=data.per_subscription,
        vacant_discount_bp=vacant_bp, late_daily_bp=late_bp, late_cap_bp=cap_bp,
        late_grace_days=data.late_grace_days, from_handover=data.from_handover, position=position)


def billed_until(item: FeeItem) -> date | None:
    """The end (exclusive) of the latest period billed for ``item``: a new rate may start on this day at the
    earliest."""
    return Bill.objects.filter(item=item).aggregate(m=Max("period_end"))["m"]


def parse_tiers(rows, *, field: str = "tiers") -> list[dict]:
    """[(up_to, price yuan), …] → the stored tiers [{"up_to": "18.33", "price_fen": "345"}, …]: limits rising,
    the last without a limit (blank)."""
    tiers, floor = [], Decimal(0)
    message = None
    cleaned = [(str(u or "").strip(), str(p or "").strip()) for u, p in rows]
    cleaned = [(u, p) for u, p in cleaned if u or p]
    if not cleaned:
        message = _("Enter at least one price; the last row has no limit.")
    for index, (up_to, price) in enumerate(cleaned):
        if message:
            break
        last = index == len(cleaned) - 1
        try:
            limit = Decimal(up_to) if up_to else None
        except InvalidOperation:
            limit = Decimal(-1)
        if last and limit is not None:
            message = _("The last row has no limit: leave its “up to” empty.")
        elif not last and (limit is None or not limit.is_finite() or limit <= floor
                           or limit != limit.quantize(Decimal("0.01"))):
            message = _("Each limit is above the one before (at most two decimals); only the last row has none.")
        else:
            try:
                price_fen = yuan_rate_to_fen(price, field=field)
            except ApplicationError:
                message = _("Enter each price in yuan with at most four decimals, such as 3.45.")
                break
            tiers.append({"up_to": None if limit is None else str(limit),
                          "price_fen": format(price_fen.normalize(), "f")})
            floor = limit if limit is not None else floor
    if message:
        raise _invalid({field: [message]})
    return tiers


@transaction.atomic
def fee_rate_add(*, item: FeeItem, effective_from: date, actor, room_type: str = "", rate=None,
                 tiers=None) -> FeeRate:
    """A new price of ``item`` from ``effective_from`` for ``room_type`` (blank: every type). ``rate`` is yuan
    (per m² and month, per home or unit and month, or the one-off amount); a metered item takes ``tiers``
    [(up_to, price yuan), …] instead."""
    item = FeeItem.objects.select_for_update().get(pk=item.pk)  # rates of one item are added one at a time
    errors: dict[str, list[str]] = {}
    if item.kind not in (*RATED_KINDS, FeeKind.METERED):
        raise ApplicationError(_("This item has no price list."), status_code=409)
    if room_type and room_type not in RoomType.values:
        errors["room_type"] = [_("Unknown room type.")]
    if not isinstance(effective_from, date):
        errors["effective_from"] = [_("Enter a date.")]
    if errors:
        raise _invalid(errors)
    until = billed_until(item)
    if until is not None and effective_from < until:
        message = _("Bills of %(item)s are issued up to %(last)s: a new price takes effect on %(first)s at the "
                    "earliest. Issued bills keep their price; correct one with an adjustment.") % {
            "item": item.name, "last": until.fromordinal(until.toordinal() - 1).isoformat(),
            "first": until.isoformat()}
        raise _invalid({"effective_from": [message]})
    if FeeRate.objects.filter(item=item, room_type=room_type, effective_from=effective_from).exists():
        raise _invalid({"effective_from": [_("A price from this date exists already: a price is never edited; "
                                             "add one from another date.")]})
    if item.kind == FeeKind.METERED:
        stored_tiers = parse_tiers(tiers or [])
        return FeeRate.objects.create(item=item, room_type=room_type, effective_from=effective_from,
                                      tiers=stored_tiers, created_by=actor)
    fen = yuan_rate_to_fen(rate, field="rate")
    return FeeRate.objects.create(item=item, room_type=room_type, effective_from=effective_from, rate_fen=fen,
                                  created_by=actor)


@transaction.atomic
def subscription_add(*, room, item: FeeItem, start_date: date, actor=None, quantity: int = 1,
                     label: str = "") -> Subscription:
    """A parking space (or another per-unit item) for a home from ``start_date``."""
    errors: dict[str, list[str]] = {}
    if item.project_id != room.project_id or not item.per_subscription:
        errors["item"] = [_("Choose an item of this project charged per subscribed unit.")]
    if not isinstance(quantity, int) or not 1 <= quantity <= 99:
        errors["quantity"] = [_("Enter 1 to 99.")]
    if len((label or "").strip()) > 50:
        errors["label"] = [_("At most 50 characters.")]
    if not isinstance(start_date, date):
        errors["start_date"] = [_("Enter a date.")]
    if errors:
        raise _invalid(errors)
    return Subscription.objects.create(item=item, room=room, project_id=room.project_id, quantity=quantity,
                                       label=(label or "").strip(), start_date=start_date)


@transaction.atomic
def subscription_end(*, subscription: Subscription, end_date: date, actor=None) -> Subscription:
    """The last day a subscription is charged (a parking space given back)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.end_date is not None:
        raise ApplicationError(_("This subscription has ended already."), status_code=409)
    if not isinstance(end_date, date) or end_date < subscription.start_date:
        raise _invalid({"end_date": [_("The end is on or after the start (%(start)s).")
                                     % {"start": subscription.start_date.isoformat()}]})
    subscription.end_date = end_date
    subscription.save(update_fields=["end_date"])
    return subscription
