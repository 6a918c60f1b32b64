from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.fees.rules.late_fees import LateFeeRule, days_overdue, late_fee, waiver_requirements

DUE = date(2026, 10, 15)


def test_days_overdue():
    assert days_overdue(DUE, date(2026, 10, 15)) == 0
    assert days_overdue(DUE, date(2026, 10, 1)) == 0
    assert days_overdue(DUE, date(2026, 11, 23)) == 39


def test_half_a_permille_a_day_on_the_principal():
    # a quarter's 物业服务费 of 750.71 元, 39 days late at 0.05 %: 750.71 × 0.0005 × 39 = 14.638845 → 14.64
    assert late_fee(principal_fen=750_71, due=DUE, on=date(2026, 11, 23), rule=LateFeeRule()) == 14_64
    assert late_fee(principal_fen=750_71, due=DUE, on=DUE, rule=LateFeeRule()) == 0


def test_grace_period():
    rule = LateFeeRule(grace_days=15)
    assert late_fee(principal_fen=1000_00, due=DUE, on=date(2026, 10, 30), rule=rule) == 0  # day 15
    assert late_fee(principal_fen=1000_00, due=DUE, on=date(2026, 10, 31), rule=rule) == 8_00  # day 16, all count
    deducted = LateFeeRule(grace_days=15, grace_deducted=True)
    assert late_fee(principal_fen=1000_00, due=DUE, on=date(2026, 10, 31), rule=deducted) == 50


def test_caps():
    years_late = date(2036, 10, 15)
    assert late_fee(principal_fen=1000_00, due=DUE, on=years_late, rule=LateFeeRule()) == 1000_00  # ≤ principal
    assert late_fee(principal_fen=1000_00, due=DUE, on=years_late, rule=LateFeeRule(cap_bp=3000)) == 300_00
    assert late_fee(principal_fen=1000_00, due=DUE, on=years_late, rule=LateFeeRule(cap_fen=50_00)) == 50_00
    with pytest.raises(ValueError):
        LateFeeRule(daily_bp=-1)
    with pytest.raises(ValueError):
        late_fee(principal_fen=-1, due=DUE, on=years_late, rule=LateFeeRule())


@given(st.integers(0, 10**9), st.integers(0, 5000), st.integers(0, 100), st.integers(0, 10000))
def test_late_fee_never_exceeds_the_cap_and_grows_with_time(principal, days, daily_bp, cap_bp):
    rule = LateFeeRule(daily_bp=daily_bp, cap_bp=cap_bp)
    on = DUE + timedelta(days=days)
    fee = late_fee(principal_fen=principal, due=DUE, on=on, rule=rule)
    assert 0 <= fee <= principal * cap_bp // 10000 + 1
    assert fee <= late_fee(principal_fen=principal, due=DUE, on=on + timedelta(days=1), rule=rule)


def test_a_waiver_needs_a_reason_and_a_manager():
    check = waiver_requirements(amount_fen=14_64, late_fee_fen=14_64, reason="业主投诉漏水未处理期间不计滞纳金",
                                approver_is_manager=True)
    assert check.ok and check.required == ("reason", "manager_approval")
    check = waiver_requirements(amount_fen=14_64, late_fee_fen=14_64, reason="  无 ", approver_is_manager=False)
    assert not check.ok and check.missing == ("reason", "manager_approval")
    check = waiver_requirements(amount_fen=20_00, late_fee_fen=14_64, reason="物业原因延误开票",
                                approver_is_manager=True)
    assert check.missing == ("amount_within_late_fee",)
    assert waiver_requirements(amount_fen=0, late_fee_fen=14_64, reason="物业原因延误开票",
                               approver_is_manager=True).missing == ("amount_within_late_fee",)
    assert waiver_requirements(amount_fen=1, late_fee_fen=14_64, reason=None,
                               approver_is_manager=True).missing == ("reason",)
