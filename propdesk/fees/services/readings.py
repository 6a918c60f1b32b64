"""Meter readings (抄表) and the metered bills issued from them.

A reading is refused below the last one (unless a meter replacement is given: the old meter's final reading and
the new meter's first); a consumption far above the home's usual (rules.charges.is_unusual over the last six) is
kept only when the reader confirms it (``confirm_unusual``, the second tap "确认读数无误"). An import stores an
unusual reading unconfirmed: it is not billed until someone confirms it on the readings page.

``readings_bill`` issues one bill per reading (never twice: the reading keeps its bill) with the tiers of the
item's rate in force on the period's first day; water for November is due on the item's due day of December.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

from ..choices import EntryKind, FeeKind
from ..models import Bill, FeeItem, FeeRate, MeterReading
from ..rules import charges, periods
from . import ledger
from .billing import prepayment_apply, rate_in_force

HISTORY = 6
MAX_READING = Decimal("9999999999.99")


def _invalid(field: str, message: str, **extra) -> ApplicationError:
    return ApplicationError(message, {"fields": {field: [message]}, **extra})


def reading_value(text, *, field: str = "reading") -> Decimal:
    """What a reader typed → Decimal with at most two decimals, not negative."""
    raw = str(text if text is not None else "").strip().replace("，", ".").replace("．", ".")
    message = _("Enter the meter's reading, such as 1234.5 (at most two decimals).")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise _invalid(field, message) from None
    if not value.is_finite() or value < 0 or value > MAX_READING or value != value.quantize(Decimal("0.01")):
        raise _invalid(field, message)
    return value.quantize(Decimal("0.01"))


def period_of_item(item: FeeItem, period_key: str) -> periods.Period:
    try:
        period = periods.parse_period_key(str(period_key or ""))
    except ValueError:
        period = None
    if period is None or period.cycle != item.cycle:
        raise _invalid("period", _("Choose a period of this item, such as 2026-11."))
    return period


@dataclass(frozen=True)
class Evaluation:
    previous: Decimal
    consumption: Decimal
    alarm: bool


def previous_readings(*, room_ids, item: FeeItem, period_key: str) -> dict[int, list[MeterReading]]:
    """The earlier readings of each home (newest last, at most HISTORY + 1), for the checks of a new one."""
    out: dict[int, list[MeterReading]] = {}
    rows = (MeterReading.objects.filter(room_id__in=list(room_ids), item=item, period_key__lt=period_key)
            .order_by("room_id", "-period_key").only("room_id", "reading", "consumption", "period_key"))
    for row in rows:
        kept = out.setdefault(row.room_id, [])
        if len(kept) <= HISTORY:
            kept.append(row)
    return {room_id: list(reversed(kept)) for room_id, kept in out.items()}


def evaluate(*, reading: Decimal, earlier: list[MeterReading], replaced=None) -> Evaluation:
    """Consumption and alarm of ``reading`` after ``earlier`` (oldest first). The first reading of a meter is its
    start: nothing consumed yet. Raises charges.ReadingError."""
    if not earlier:
        if replaced is not None:
            return Evaluation(reading, charges.consumption(reading=reading, last_reading=replaced[0],
                                                           replaced=replaced), False)
        return Evaluation(reading, Decimal("0.00"), False)
    last = earlier[-1].reading
    used = charges.consumption(reading=reading, last_reading=last, replaced=replaced)
    history = [row.consumption for row in earlier][-HISTORY:]
    return Evaluation(last, used, charges.is_unusual(used, history, window=HISTORY))


def reading_messages(code: str, previous: Decimal) -> str:
    if code == "below_new_start":
        return _("The reading is below the new meter's first reading.")
    return _("The reading is below the last one (%(last)s). If the meter was replaced, enter the old meter's final "
             "reading and the new meter's first reading.") % {"last": previous}


def reading_record(*, room, item: FeeItem, period_key: str, reading, actor, now: datetime | None = None,
                   replaced: tuple | None = None, confirm_unusual: bool = False) -> MeterReading:
    """Record (or, before it is billed, correct) the reading of ``room``'s meter of ``item`` for the period."""
    now = now or timezone.now()
    if item.project_id != room.project_id or item.kind != FeeKind.METERED:
        raise _invalid("item", _("Choose a metered item of this project."))
    period = period_of_item(item, period_key)
    value = reading_value(reading)
    if replaced is not None:
        replaced = (reading_value(replaced[0], field="replaced_final"),
                    reading_value(replaced[1], field="replaced_start"))
    with transaction.atomic():
        existing = MeterReading.objects.select_for_update().filter(room=room, item=item,
                                                                   period_key=period.key).first()
        if existing is not None and existing.bill_id:
            raise ApplicationError(_("The reading of %(period)s is billed already; correct the bill with an "
                                     "adjustment.") % {"period": period.key}, status_code=409)
        earlier = previous_readings(room_ids=[room.pk], item=item, period_key=period.key).get(room.pk, [])
        try:
            found = evaluate(reading=value, earlier=earlier, replaced=replaced)
        except charges.ReadingError as error:
            last = earlier[-1].reading if earlier else Decimal(0)
            raise _invalid("reading", reading_messages(error.code, last)) from None
        if found.alarm and not confirm_unusual:
            message = _("%(used)s is far above this home's usual consumption. Check the meter, then confirm the "
                        "reading.") % {"used": found.consumption}
            raise ApplicationError(message, {"fields": {"reading": [message]}, "unusual": True,
                                             "consumption": str(found.consumption)})
        values = dict(project_id=room.project_id, reading=value, previous=found.previous,
                      consumption=found.consumption, replaced_final=replaced[0] if replaced else None,
                      replaced_start=replaced[1] if replaced else None, alarm=found.alarm,
                      confirmed_by=actor if found.alarm else None, read_at=now, read_by=actor)
        if existing is None:
            return MeterReading.objects.create(room=room, item=item, period_key=period.key, **values)
        for name, field_value in values.items():
            setattr(existing, name, field_value)
        existing.save()
        return existing


def reading_confirm(*, reading: MeterReading, actor) -> MeterReading:
    """Confirm an unusual reading (imported, or typed by someone else) so that it is billed."""
    with transaction.atomic():
        reading = MeterReading.objects.select_for_update().get(pk=reading.pk)
        if not reading.alarm or reading.confirmed_by_id:
            return reading
        reading.confirmed_by = actor
        reading.save(update_fields=["confirmed_by"])
    return reading


def item_tiers(rate: FeeRate, months: int) -> tuple[charges.Tier, ...]:
    tiers = tuple(charges.Tier(None if t.get("up_to") in (None, "") else Decimal(str(t["up_to"])),
                               Decimal(str(t["price_fen"]))) for t in rate.tiers)
    return charges.scale_tiers(tiers, months)


def _tier_text(rate: FeeRate, unit: str) -> str:
    parts = []
    for tier in rate.tiers:
        price = format((Decimal(str(tier["price_fen"])) / 100).normalize(), "f")
        limit = tier.get("up_to")
        parts.append(f"≤{limit}:{price}" if limit not in (None, "") else f">{price}")
    return f"{unit} " + " / ".join(parts) if parts else ""


@dataclass
class ReadingsBillResult:
    created: int = 0
    amount_fen: int = 0
    waiting: int = 0  # unusual readings not confirmed yet
    no_rate: int = 0


def readings_bill(*, project, item: FeeItem, period_key: str, actor, now: datetime | None = None
                  ) -> ReadingsBillResult:
    """Issue the metered bills of ``item`` for the period from its confirmed readings, once per reading."""
    now = now or timezone.now()
    if item.project_id != project.pk or item.kind != FeeKind.METERED:
        raise _invalid("item", _("Choose a metered item of this project."))
    period = period_of_item(item, period_key)
    rates = list(FeeRate.objects.filter(item=item).order_by("-effective_from"))
    result = ReadingsBillResult()
    pending = (MeterReading.objects.filter(project=project, item=item, period_key=period.key, bill=None)
               .select_related("room", "room__project").order_by("room_id"))
    for reading in pending:
        if reading.alarm and not reading.confirmed_by_id:
            result.waiting += 1
            continue
        rate = rate_in_force([r for r in rates if r.tiers], reading.room.room_type, period.start)
        if rate is None:
            result.no_rate += 1
            continue
        amount = charges.tiered_amount(reading.consumption, item_tiers(rate, period.months))
        with transaction.atomic():
            account = ledger.account_lock(room=reading.room)
            locked = MeterReading.objects.select_for_update().get(pk=reading.pk)
            if locked.bill_id or Bill.objects.filter(room_id=reading.room_id, item=item,
                                                     period_key=period.key).exists():
                continue  # billed by another request in the meantime
            if amount <= 0:
                continue
            bill = Bill.objects.create(
                project_id=project.pk, room_id=reading.room_id, item=item, period_key=period.key,
                period_start=period.start, period_end=period.end,
                due_date=periods.due_date(period, item.due_day, offset_months=max(item.due_offset_months, 1)),
                amount_fen=amount, open_fen=0, quantity=reading.consumption, rate=rate, issued_at=now,
                issued_by=actor, description=(f"{reading.previous} → {reading.reading} = {reading.consumption} "
                                              f"{_tier_text(rate, item.unit)}")[:200])
            ledger.post(account=account, kind=EntryKind.CHARGE, at=now, actor=actor, bill=bill, receivable=amount)
            locked.bill = bill
            locked.save(update_fields=["bill"])
            ledger.account_refresh(account)
            prepayment_apply(account=account, now=now, actor=actor)
        result.created += 1
        result.amount_fen += amount
    return result
