from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.fees.rules.arrears import (
    AllocationError,
    OpenBill,
    aging,
    allocate,
    as_percent,
    bucket_of,
    collection_rate,
    draw_prepayment,
    months_between,
    recovery_rate,
)

ON = date(2026, 11, 23)
# 物业服务费 of an 89.37 m² flat at 2.80 元: 250.24 a month, due on the 15th
BILLS = [
    OpenBill(id=11, due=date(2026, 11, 15), open_fen=250_24, period_key="2026-11"),
    OpenBill(id=9, due=date(2026, 9, 15), open_fen=250_24, period_key="2026-09"),
    OpenBill(id=10, due=date(2026, 10, 15), open_fen=100_00, period_key="2026-10"),  # partly paid already
    OpenBill(id=3, due=date(2025, 10, 15), open_fen=250_24, period_key="2025-10"),
]


def test_months_between():
    assert months_between(date(2026, 8, 15), date(2026, 11, 15)) == 3
    assert months_between(date(2026, 8, 15), date(2026, 11, 14)) == 2
    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == 0
    assert months_between(date(2026, 1, 31), date(2026, 3, 1)) == 1
    assert months_between(date(2026, 12, 1), date(2026, 11, 1)) == 0


def test_aging_buckets():
    assert bucket_of(date(2026, 12, 15), ON) == "0-3"  # not yet due
    assert bucket_of(date(2026, 8, 23), ON) == "3-6"
    assert bucket_of(date(2026, 8, 24), ON) == "0-3"
    assert bucket_of(date(2026, 5, 23), ON) == "6-12"
    assert bucket_of(date(2025, 11, 23), ON) == "12+"
    assert aging(BILLS, ON) == {"0-3": 250_24 + 250_24 + 100_00, "3-6": 0, "6-12": 0, "12+": 250_24}


def test_a_payment_goes_to_the_oldest_bill_first_and_the_rest_becomes_prepayment():
    result = allocate(1000_00, BILLS)
    assert result.applied == {3: 250_24, 9: 250_24, 10: 100_00, 11: 250_24}
    assert result.prepayment_fen == 1000_00 - 850_72
    assert list(result.applied) == [3, 9, 10, 11]


def test_a_partial_payment_leaves_the_rest_open():
    result = allocate(300_00, BILLS)
    assert result.applied == {3: 250_24, 9: 49_76}
    assert result.prepayment_fen == 0


def test_chosen_bills_in_the_order_chosen_never_others():
    result = allocate(400_00, BILLS, chosen=[11, 10])
    assert result.applied == {11: 250_24, 10: 100_00}
    assert result.prepayment_fen == 49_76  # not put on bill 3 or 9 without asking


def test_a_payment_that_must_match_the_chosen_bills():
    assert allocate(350_24, BILLS, chosen=[11, 10], allow_prepayment=False).applied == {11: 250_24, 10: 100_00}
    with pytest.raises(AllocationError) as error:
        allocate(350_25, BILLS, chosen=[11, 10], allow_prepayment=False)
    assert error.value.code == "exceeds_open"


@pytest.mark.parametrize(("amount", "chosen", "code"), [
    (0, None, "amount_not_positive"),
    (-5, None, "amount_not_positive"),
    (100, [99], "unknown_bill"),
    (100, [11, 11], "chosen_twice"),
])
def test_allocation_refusals(amount, chosen, code):
    with pytest.raises(AllocationError) as error:
        allocate(amount, BILLS, chosen=chosen)
    assert error.value.code == code


def test_a_paid_bill_cannot_be_chosen():
    paid = [*BILLS, OpenBill(id=12, due=date(2026, 12, 15), open_fen=0)]
    with pytest.raises(AllocationError) as error:
        allocate(100, paid, chosen=[12])
    assert error.value.code == "bill_not_open"


def test_prepayment_draws_down_later_bills():
    result = draw_prepayment(300_00, [OpenBill(id=20, due=date(2026, 12, 15), open_fen=250_24)])
    assert result.applied == {20: 250_24} and result.prepayment_fen == 49_76
    assert draw_prepayment(0, BILLS).applied == {}
    with pytest.raises(AllocationError):
        draw_prepayment(-1, BILLS)


bills_strategy = st.lists(
    st.builds(OpenBill, id=st.integers(0, 10**6), due=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
              open_fen=st.integers(0, 10**7)),
    max_size=12, unique_by=lambda bill: bill.id)


@given(st.integers(1, 10**8), bills_strategy)
def test_allocation_conserves_money(amount, bills):
    result = allocate(amount, bills)
    assert sum(result.applied.values()) + result.prepayment_fen == amount
    by_id = {bill.id: bill for bill in bills}
    assert all(0 < fen <= by_id[bill_id].open_fen for bill_id, fen in result.applied.items())
    # a later bill only gets money when every earlier one is fully paid
    filled = [bill for bill in sorted(bills, key=lambda b: (b.due, b.period_key, str(b.id))) if bill.open_fen]
    partial_seen = False
    for bill in filled:
        got = result.applied.get(bill.id, 0)
        if partial_seen:
            assert got == 0
        if got < bill.open_fen:
            partial_seen = True
    if result.prepayment_fen:
        assert all(result.applied.get(bill.id, 0) == bill.open_fen for bill in filled)


def test_rates_are_exact_fractions():
    # 当期应收 1,250,000.00, 当期实收 1,187,500.00 → 95 %
    rate = collection_rate(collected_current_fen=1_187_500_00, billed_current_fen=1_250_000_00)
    assert rate == Fraction(19, 20) and as_percent(rate) == "95.00%"
    # 期初欠费 300,000.00, 清欠 100,000.00 → 33.33 %
    recovery = recovery_rate(recovered_fen=100_000_00, arrears_at_start_fen=300_000_00)
    assert recovery == Fraction(1, 3) and as_percent(recovery) == "33.33%"
    assert as_percent(Fraction(2, 3)) == "66.67%"
    assert as_percent(Fraction(2, 3), places=0) == "67%"
    assert collection_rate(collected_current_fen=0, billed_current_fen=0) is None
    assert recovery_rate(recovered_fen=5, arrears_at_start_fen=0) is None
    assert as_percent(None) == "—"
