"""Arrears 欠费: aging, allocation of payments, prepayment (预存) and the collection rates. Pure; fen everywhere.

Rules:
- Aging of an open amount at a date: by whole months since its due date (a bill due 2026-08-15 is 3 months old on
  2026-11-15). Buckets: "0-3" (< 3 months, including not yet due), "3-6", "6-12", "12+" (≥ 12 months).
- A payment is allocated to open bills oldest first (by due date, then period, then bill id), or only to the bills
  the payer chose, in the order chosen. A bill takes at most what is open on it; a partial payment leaves the rest
  open. What is left after the chosen (or all) bills becomes prepayment (预存) — never silently put on other bills.
- Prepayment draws down later bills oldest first, the same way, when the caller applies it (at bill generation).
- Collection rate 收缴率 (当期实收/当期应收) = paid within the period on bills of the period ÷ billed for the period
  (after adjustments); arrears recovery rate 清欠率 = paid in the period on bills of EARLIER periods ÷ the arrears open
  at the start of the period. Both exact ``Fraction``; ``None`` when the denominator is 0 (nothing to collect is not
  100 % collected).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from .money import round_half_up

BUCKETS = ("0-3", "3-6", "6-12", "12+")


@dataclass(frozen=True)
class OpenBill:
    id: int | str
    due: date
    open_fen: int
    period_key: str = ""


def months_between(earlier: date, later: date) -> int:
    """Whole months from ``earlier`` to ``later`` (Jan 31 → Feb 28 is 0, → Mar 1 is 1); 0 when later ≤ earlier."""
    if later <= earlier:
        return 0
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(0, months)


def bucket_of(due: date, on: date) -> str:
    months = months_between(due, on)
    if months < 3:
        return "0-3"
    if months < 6:
        return "3-6"
    if months < 12:
        return "6-12"
    return "12+"


def aging(bills: Sequence[OpenBill], on: date) -> dict[str, int]:
    """The open fen per bucket at ``on`` (every bucket present, 0 when empty)."""
    totals = dict.fromkeys(BUCKETS, 0)
    for bill in bills:
        if bill.open_fen > 0:
            totals[bucket_of(bill.due, on)] += bill.open_fen
    return totals


@dataclass(frozen=True)
class Allocation:
    applied: dict[int | str, int] = field(default_factory=dict)  # bill id → fen applied
    prepayment_fen: int = 0  # what is left over: becomes 预存


class AllocationError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def oldest_first(bills: Sequence[OpenBill]) -> list[OpenBill]:
    return sorted(bills, key=lambda bill: (bill.due, bill.period_key, str(bill.id)))


def allocate(amount_fen: int, bills: Sequence[OpenBill], *, chosen: Sequence[int | str] | None = None,
             allow_prepayment: bool = True) -> Allocation:
    """Spread ``amount_fen`` over ``bills``: oldest first, or over ``chosen`` ids in the order given. Refuses a
    non-positive amount, an unknown or repeated chosen id, a chosen bill with nothing open, and — when
    ``allow_prepayment`` is False (a payment form that must match the chosen bills) — an amount above what is open
    on them (``exceeds_open``)."""
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        raise AllocationError("amount_not_positive")
    by_id = {bill.id: bill for bill in bills}
    if chosen is not None:
        if len(set(chosen)) != len(chosen):
            raise AllocationError("chosen_twice")
        if any(bill_id not in by_id for bill_id in chosen):
            raise AllocationError("unknown_bill")
        order = [by_id[bill_id] for bill_id in chosen]
        if any(bill.open_fen <= 0 for bill in order):
            raise AllocationError("bill_not_open")
    else:
        order = oldest_first([bill for bill in bills if bill.open_fen > 0])
    applied, rest = {}, amount_fen
    for bill in order:
        if rest == 0:
            break
        take = min(rest, bill.open_fen)
        applied[bill.id] = take
        rest -= take
    if rest and not allow_prepayment:
        raise AllocationError("exceeds_open")
    return Allocation(applied, rest)


def draw_prepayment(prepaid_fen: int, bills: Sequence[OpenBill]) -> Allocation:
    """Apply a prepaid balance to open bills oldest first; ``prepayment_fen`` is the balance left."""
    if prepaid_fen < 0:
        raise AllocationError("negative_prepayment")
    if prepaid_fen == 0:
        return Allocation({}, 0)
    return allocate(prepaid_fen, bills)


def collection_rate(*, collected_current_fen: int, billed_current_fen: int) -> Fraction | None:
    """收缴率 = 当期实收 ÷ 当期应收 (paid in the period on the period's bills ÷ the period's bills)."""
    if billed_current_fen <= 0:
        return None
    return Fraction(collected_current_fen, billed_current_fen)


def recovery_rate(*, recovered_fen: int, arrears_at_start_fen: int) -> Fraction | None:
    """清欠率 = 清欠实收 ÷ 期初欠费 (paid in the period on earlier periods' bills ÷ arrears open at the start)."""
    if arrears_at_start_fen <= 0:
        return None
    return Fraction(recovered_fen, arrears_at_start_fen)


def as_percent(rate: Fraction | None, places: int = 2) -> str:
    """A rate for display, rounded half up: Fraction(2, 3) → "66.67%"; None → "—"."""
    if rate is None:
        return "—"
    scale = 10**places
    value = round_half_up(rate.numerator * 100 * scale, rate.denominator)
    whole, part = divmod(value, scale)
    return f"{whole}.{part:0{places}d}%" if places else f"{whole}%"
