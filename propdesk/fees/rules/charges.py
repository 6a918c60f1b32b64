"""The amount of a fee for a room and a period. All money in fen; quantities as ``Decimal``; one rounding per charge.

Rules:
- Area fee (物业服务费): area (m², two decimals, 建筑面积 as in the archive) × rate (fen per m² per month) × months
  × billable share (the prorated first period, see ``periods.billable_fraction``) × (1 − vacant discount), computed
  exactly and rounded ONCE, ROUND_HALF_UP, to the fen. 89.37 m² × 2.80 元 × 1 month = 250.236 → 250.24 元.
- Fixed monthly fee (车位管理费, 垃圾清运费): amount × months × share, rounded once.
- One-off fee: the amount itself, once, no proration.
- Vacant-home discount (空置房优惠): a percentage (in basis points: 5000 = 50 % off) applied only to the fee items the
  project marks (物业服务费), for the share of the period the home was vacant — the caller passes that share.
- Metered fee (水费/电费): consumption = reading − last reading; a reading below the last one is refused
  (``ReadingError("below_last")``) unless the caller says the meter was replaced, in which case the consumption is
  (old meter's final reading − last reading) + new reading − new meter's start reading. Tiers are per period:
  tier limits in the tariff are cumulative consumption within the period (0–22 m³, 22–30, >30); for a longer billing
  period the caller passes the period's tiers (``scale_tiers`` multiplies monthly limits). Each tier's amount is
  computed exactly and the sum rounded once.
- Alarm: a consumption above ``factor`` (default 3) × the median of the last (up to) 6 periods' consumptions is
  flagged, not refused; with fewer than 3 past periods, or a median of 0, no alarm (no usual yet to compare with).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from statistics import median

from .money import round_half_up

BASIS_POINTS = 10_000


class ReadingError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _exact(value: Decimal | int | Fraction) -> Fraction:
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("not a finite number")
    return Fraction(value)


def _round(value: Fraction) -> int:
    return round_half_up(value.numerator, value.denominator)


def _discount_factor(vacant_discount_bp: int, vacant_share: Fraction) -> Fraction:
    if not 0 <= vacant_discount_bp <= BASIS_POINTS:
        raise ValueError("vacant discount must be 0–10000 basis points")
    if not 0 <= vacant_share <= 1:
        raise ValueError("vacant share must be between 0 and 1")
    return 1 - Fraction(vacant_discount_bp, BASIS_POINTS) * vacant_share


def area_fee(*, area_m2: Decimal, rate_fen_per_m2_month: Decimal | int, months: int = 1,
             share: Fraction = Fraction(1), vacant_discount_bp: int = 0,
             vacant_share: Fraction = Fraction(0)) -> int:
    """Area × monthly rate × months × share × vacancy factor, rounded once, half up, to the fen.
    ``rate_fen_per_m2_month`` may carry fractions of a fen (a rate of 2.805 元/m² is 280.5 fen)."""
    area = _exact(area_m2)
    if area < 0 or (area * 100).denominator != 1:
        raise ValueError("area must be non-negative with at most two decimals")
    rate = _exact(rate_fen_per_m2_month)
    if rate < 0 or months < 0 or not 0 <= share <= 1:
        raise ValueError("rate, months and share must be non-negative (share ≤ 1)")
    return _round(area * rate * months * share * _discount_factor(vacant_discount_bp, Fraction(vacant_share)))


def fixed_fee(*, monthly_fen: int, months: int = 1, share: Fraction = Fraction(1), vacant_discount_bp: int = 0,
              vacant_share: Fraction = Fraction(0)) -> int:
    """A fixed monthly amount (per parking space, per home) × months × share, rounded once."""
    if monthly_fen < 0 or months < 0 or not 0 <= share <= 1:
        raise ValueError("amount, months and share must be non-negative (share ≤ 1)")
    return _round(monthly_fen * months * Fraction(share) * _discount_factor(vacant_discount_bp,
                                                                              Fraction(vacant_share)))


def one_off_fee(*, amount_fen: int) -> int:
    if amount_fen < 0:
        raise ValueError("amount must be non-negative")
    return amount_fen


@dataclass(frozen=True)
class Tier:
    up_to: Decimal | None  # cumulative consumption limit of this tier in the period; None = no limit (last tier)
    price_fen: Decimal  # fen per unit (m³, kWh); may carry fractions of a fen (0.5283 元/kWh = 52.83 fen)


def scale_tiers(tiers: Sequence[Tier], months: int) -> tuple[Tier, ...]:
    """Monthly tier limits for a period of ``months`` (a quarterly water bill: 0–66 m³, 66–90, >90); prices stay."""
    if months < 1:
        raise ValueError("months must be at least 1")
    return tuple(Tier(None if tier.up_to is None else tier.up_to * months, tier.price_fen) for tier in tiers)


def consumption(*, reading: Decimal, last_reading: Decimal, replaced: tuple[Decimal, Decimal] | None = None
                ) -> Decimal:
    """reading − last reading. ``replaced=(old_final, new_start)`` when the meter was replaced during the period:
    (old_final − last_reading) + (reading − new_start). Refuses a reading below the last one."""
    if replaced is not None:
        old_final, new_start = replaced
        if old_final < last_reading:
            raise ReadingError("below_last")
        if reading < new_start:
            raise ReadingError("below_new_start")
        return (old_final - last_reading) + (reading - new_start)
    if reading < last_reading:
        raise ReadingError("below_last")
    return reading - last_reading


def tiered_amount(used: Decimal, tiers: Sequence[Tier]) -> int:
    """The fen for ``used`` units through the period's tiers (each limit cumulative), summed exactly, rounded once."""
    if used < 0:
        raise ReadingError("negative")
    if not tiers or tiers[-1].up_to is not None:
        raise ValueError("the last tier must have no limit")
    total, floor, rest = Fraction(0), Fraction(0), _exact(used)
    for tier in tiers:
        limit = None if tier.up_to is None else _exact(tier.up_to)
        if limit is not None and limit < floor:
            raise ValueError("tier limits must increase")
        width = rest if limit is None else min(rest, limit - floor)
        total += width * _exact(tier.price_fen)
        rest -= width
        if limit is not None:
            floor = limit
        if rest <= 0:
            break
    return _round(total)


def is_unusual(used: Decimal, history: Sequence[Decimal], *, factor: int = 3, window: int = 6) -> bool:
    """Alarm (not a refusal): ``used`` above ``factor`` × median of the last ``window`` consumptions."""
    recent = [_exact(value) for value in list(history)[-window:]]
    if len(recent) < 3:
        return False
    usual = median(recent)
    return usual > 0 and _exact(used) > factor * usual


@dataclass(frozen=True)
class MeteredCharge:
    consumption: Decimal
    amount_fen: int
    alarm: bool


def metered_fee(*, reading: Decimal, last_reading: Decimal, tiers: Sequence[Tier],
                history: Sequence[Decimal] = (), replaced: tuple[Decimal, Decimal] | None = None,
                alarm_factor: int = 3) -> MeteredCharge:
    used = consumption(reading=reading, last_reading=last_reading, replaced=replaced)
    return MeteredCharge(used, tiered_amount(used, tiers), is_unusual(used, history, factor=alarm_factor))
