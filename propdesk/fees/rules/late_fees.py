"""Late fees 滞纳金: what is owed for paying late, and what a waiver needs.

Rules (the numbers come from the project's fee rule; the contract 物业服务合同 sets them):
- Days overdue = days after the due date up to the day counted (the due date itself is not late). No late fee while
  days overdue ≤ ``grace_days`` (宽限期); once the grace period has passed, every day since the due date counts (the
  grace period is a tolerance, not a deduction) unless ``grace_deducted=True``.
- Late fee = principal owed × daily rate (basis points per day; 0.05 % a day = 5 bp) × days, computed exactly and
  rounded half up to the fen once. It is simple interest on the principal, never on earlier late fees.
- Caps: never above ``cap_bp`` of the principal (default 10000 bp = 100 %: not above the principal itself, as courts
  adjust penalties that exceed the loss, 民法典 第585条), and never above ``cap_fen`` when set.
- A waiver (减免) of a late fee needs a reason and a manager's approval; this rule returns what is required and what
  is missing, and the service checks who the approver is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .money import round_half_up

BASIS_POINTS = 10_000


@dataclass(frozen=True)
class LateFeeRule:
    daily_bp: int = 5  # 0.05 % a day
    grace_days: int = 0
    cap_bp: int = BASIS_POINTS  # of the principal
    cap_fen: int | None = None
    grace_deducted: bool = False

    def __post_init__(self):
        if self.daily_bp < 0 or self.grace_days < 0 or self.cap_bp < 0 or (self.cap_fen or 0) < 0:
            raise ValueError("late fee rule values must be non-negative")


def days_overdue(due: date, on: date) -> int:
    """Days after ``due`` up to ``on``; 0 on or before the due date."""
    return max(0, (on - due).days)


def late_fee(*, principal_fen: int, due: date, on: date, rule: LateFeeRule) -> int:
    """The late fee on ``principal_fen`` unpaid since ``due``, counted up to ``on``."""
    if principal_fen < 0:
        raise ValueError("principal must be non-negative")
    days = days_overdue(due, on)
    if days <= rule.grace_days:
        return 0
    if rule.grace_deducted:
        days -= rule.grace_days
    fee = round_half_up(principal_fen * rule.daily_bp * days, BASIS_POINTS)
    cap = round_half_up(principal_fen * rule.cap_bp, BASIS_POINTS)
    if rule.cap_fen is not None:
        cap = min(cap, rule.cap_fen)
    return min(fee, cap)


@dataclass(frozen=True)
class WaiverCheck:
    required: tuple[str, ...]  # what a waiver always needs: ("reason", "manager_approval")
    missing: tuple[str, ...]  # what this request lacks; empty = the rule allows it (the service checks the manager)

    @property
    def ok(self) -> bool:
        return not self.missing


def waiver_requirements(*, amount_fen: int, late_fee_fen: int, reason: str | None,
                        approver_is_manager: bool) -> WaiverCheck:
    """A waiver of ``amount_fen`` of a late fee of ``late_fee_fen``: needs a non-blank reason (at least 4 characters,
    so "无" or "ok" is not a reason) and a manager; it may not exceed the late fee nor be zero or negative."""
    missing = []
    if not reason or len(reason.strip()) < 4:
        missing.append("reason")
    if not approver_is_manager:
        missing.append("manager_approval")
    if amount_fen <= 0 or amount_fen > late_fee_fen:
        missing.append("amount_within_late_fee")
    return WaiverCheck(("reason", "manager_approval"), tuple(missing))
