from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.fees.rules.charges import (
    ReadingError,
    Tier,
    area_fee,
    consumption,
    fixed_fee,
    is_unusual,
    metered_fee,
    one_off_fee,
    scale_tiers,
    tiered_amount,
)

# 上海 residential water, tiers per period as the brief gives them (元/m³ → fen)
WATER = (Tier(Decimal(22), Decimal(345)), Tier(Decimal(30), Decimal(483)), Tier(None, Decimal(583)))
# 阶梯电价 per month: 0–230 kWh at 0.5283, 230–400 at 0.5783, above at 0.8283 (fen with fractions)
POWER = (Tier(Decimal(230), Decimal("52.83")), Tier(Decimal(400), Decimal("57.83")), Tier(None, Decimal("82.83")))


def test_property_fee_for_a_typical_flat():
    # 89.37 m² × 2.80 元/m²/月 = 250.236 元 → 250.24
    assert area_fee(area_m2=Decimal("89.37"), rate_fen_per_m2_month=280) == 250_24
    # a quarter at once: 750.708 → 750.71 (rounded once, not 3 × 250.24 = 750.72)
    assert area_fee(area_m2=Decimal("89.37"), rate_fen_per_m2_month=280, months=3) == 750_71
    # a year, 142.56 m² 洋房 at 3.50: 5987.52
    assert area_fee(area_m2=Decimal("142.56"), rate_fen_per_m2_month=350, months=12) == 5987_52


def test_rate_with_a_fraction_of_a_fen_and_half_up():
    # 100.00 m² × 2.805 元 = 280.50 元 exactly; 0.01 m² × 0.5 fen = 0.005 fen → 0; 1 m² × 0.5 fen → 1 (half up)
    assert area_fee(area_m2=Decimal("100.00"), rate_fen_per_m2_month=Decimal("280.5")) == 280_50
    assert area_fee(area_m2=Decimal("1"), rate_fen_per_m2_month=Decimal("0.5")) == 1
    assert area_fee(area_m2=Decimal("1"), rate_fen_per_m2_month=Decimal("0.49")) == 0


def test_first_month_prorated_from_handover():
    # handed over on 2026-11-16: 15 of 30 days → 125.118 → 125.12
    assert area_fee(area_m2=Decimal("89.37"), rate_fen_per_m2_month=280, share=Fraction(15, 30)) == 125_12


def test_vacant_home_discount():
    # 50 % off while vacant for the whole month → 125.118 → 125.12
    assert area_fee(area_m2=Decimal("89.37"), rate_fen_per_m2_month=280, vacant_discount_bp=5000,
                    vacant_share=Fraction(1)) == 125_12
    # vacant for 10 of 30 days at 30 % off: 250.236 × (1 − 0.3 × 1/3) = 225.2124 → 225.21
    assert area_fee(area_m2=Decimal("89.37"), rate_fen_per_m2_month=280, vacant_discount_bp=3000,
                    vacant_share=Fraction(10, 30)) == 225_21
    with pytest.raises(ValueError):
        area_fee(area_m2=Decimal("89.37"), rate_fen_per_m2_month=280, vacant_discount_bp=10001,
                 vacant_share=Fraction(1))


def test_area_must_have_two_decimals():
    with pytest.raises(ValueError):
        area_fee(area_m2=Decimal("89.375"), rate_fen_per_m2_month=280)
    with pytest.raises(ValueError):
        area_fee(area_m2=Decimal("-1"), rate_fen_per_m2_month=280)
    with pytest.raises(ValueError):
        area_fee(area_m2=Decimal("NaN"), rate_fen_per_m2_month=280)


def test_fixed_and_one_off_fees():
    assert fixed_fee(monthly_fen=150_00, months=3) == 450_00  # 车位管理费 150 元/月, a quarter
    assert fixed_fee(monthly_fen=10_00, share=Fraction(11, 30)) == 3_67  # 垃圾清运费, 11 days of 30
    assert one_off_fee(amount_fen=2000_00) == 2000_00  # 装修垃圾清运
    with pytest.raises(ValueError):
        one_off_fee(amount_fen=-1)
    with pytest.raises(ValueError):
        fixed_fee(monthly_fen=-1)


@given(st.decimals(min_value=0, max_value=10000, places=2), st.integers(0, 2000), st.integers(1, 12))
def test_area_fee_is_within_half_a_fen_of_the_exact_product(area, rate, months):
    fen = area_fee(area_m2=area, rate_fen_per_m2_month=rate, months=months)
    exact = Fraction(area) * rate * months
    assert abs(fen - exact) <= Fraction(1, 2)


def test_water_tiers():
    assert tiered_amount(Decimal(0), WATER) == 0
    assert tiered_amount(Decimal(18), WATER) == 18 * 345
    assert tiered_amount(Decimal(22), WATER) == 22 * 345
    assert tiered_amount(Decimal(25), WATER) == 22 * 345 + 3 * 483
    assert tiered_amount(Decimal(35), WATER) == 22 * 345 + 8 * 483 + 5 * 583  # 143.69 元
    assert tiered_amount(Decimal("22.5"), WATER) == 22 * 345 + 242  # 0.5 × 4.83 = 2.415 元 → 2.42, half up


def test_quarterly_tiers_scale_the_monthly_limits():
    quarter = scale_tiers(WATER, 3)
    assert [tier.up_to for tier in quarter] == [66, 90, None]
    assert tiered_amount(Decimal(70), quarter) == 66 * 345 + 4 * 483
    with pytest.raises(ValueError):
        scale_tiers(WATER, 0)


def test_power_tiers_round_once():
    # 312 kWh: 230 × 0.5283 + 82 × 0.5783 = 121.509 + 47.4206 = 168.9296 → 168.93
    assert tiered_amount(Decimal(312), POWER) == 168_93


@given(st.decimals(min_value=0, max_value=1000, places=2), st.decimals(min_value=0, max_value=1000, places=2))
def test_more_water_never_costs_less(a, b):
    low, high = sorted((a, b))
    assert tiered_amount(low, WATER) <= tiered_amount(high, WATER)


def test_tiers_must_end_open_and_increase():
    with pytest.raises(ValueError):
        tiered_amount(Decimal(5), (Tier(Decimal(22), Decimal(345)),))
    with pytest.raises(ValueError):
        tiered_amount(Decimal(50), (Tier(Decimal(22), Decimal(345)), Tier(Decimal(10), Decimal(1)),
                                    Tier(None, Decimal(2))))


def test_a_reading_below_the_last_is_refused_unless_the_meter_was_replaced():
    assert consumption(reading=Decimal("1268.4"), last_reading=Decimal("1250.1")) == Decimal("18.3")
    with pytest.raises(ReadingError) as error:
        consumption(reading=Decimal("12.0"), last_reading=Decimal("1250.1"))
    assert error.value.code == "below_last"
    # old meter ended at 1261.0, the new one started at 0 and reads 12.0: 10.9 + 12.0
    assert consumption(reading=Decimal("12.0"), last_reading=Decimal("1250.1"),
                       replaced=(Decimal("1261.0"), Decimal("0"))) == Decimal("22.9")
    with pytest.raises(ReadingError):
        consumption(reading=Decimal("12.0"), last_reading=Decimal("1250.1"), replaced=(Decimal("1200"), Decimal(0)))
    with pytest.raises(ReadingError):
        consumption(reading=Decimal("1.0"), last_reading=Decimal("1250.1"), replaced=(Decimal("1261"), Decimal(5)))


def test_unusual_consumption_is_flagged_not_refused():
    history = [Decimal(v) for v in ("14", "16", "15", "13", "18", "17")]  # median 15.5
    charge = metered_fee(reading=Decimal("1300"), last_reading=Decimal("1250"), tiers=WATER, history=history)
    assert charge.consumption == 50 and charge.alarm is True
    assert charge.amount_fen == 22 * 345 + 8 * 483 + 20 * 583
    assert not is_unusual(Decimal("46.5"), history)  # exactly 3 × median is not above it
    assert is_unusual(Decimal("46.6"), history)
    assert not is_unusual(Decimal(500), history[:2])  # fewer than 3 periods: no usual yet
    assert not is_unusual(Decimal(5), [Decimal(0)] * 6)  # a vacant home's zeros: no alarm on the first use
    # only the last 6 periods count: an old huge month does not hide today's spike
    assert is_unusual(Decimal(60), [Decimal(500)] * 3 + history)
