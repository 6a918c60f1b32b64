from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.fees.rules.money import (
    MAX_FEN,
    AmountError,
    chinese_capitals,
    decimal_to_fen_half_up,
    fen_to_yuan,
    parse_amount,
    round_half_up,
    yuan_to_fen,
)


@pytest.mark.parametrize(("fen", "words"), [
    (1234_50, "壹仟贰佰叁拾肆元伍角整"),
    (5, "伍分"),
    (50, "伍角整"),
    (10000_00, "壹万元整"),
    (100010_01, "壹拾万零壹拾元零壹分"),
    (0, "零元整"),
    (1_00, "壹元整"),
    (1_05, "壹元零伍分"),
    (1_15, "壹元壹角伍分"),
    (10_00, "壹拾元整"),
    (1005_30, "壹仟零伍元叁角整"),
    (1409_50, "壹仟肆佰零玖元伍角整"),
    (6007_14, "陆仟零柒元壹角肆分"),
    (1680_32, "壹仟陆佰捌拾元叁角贰分"),
    (107000_53, "壹拾万柒仟元伍角叁分"),
    (250_24, "贰佰伍拾元贰角肆分"),  # 89.37 m² × 2.80 元 for a month
    (1000_0000_00, "壹仟万元整"),
    (1_0000_0000_00, "壹亿元整"),
    (1_0000_0001_00, "壹亿零壹元整"),
    (1_0001_0000_00, "壹亿零壹万元整"),
    (1010_1010_00, "壹仟零壹拾万壹仟零壹拾元整"),
    (2_0300_0000_00, "贰亿零叁佰万元整"),
    (3_0000_0500_07, "叁亿零伍佰元零柒分"),
])
def test_capitals_follow_the_settlement_rules(fen, words):
    assert chinese_capitals(fen) == words


def test_the_short_ten_is_available_for_forms_that_print_it():
    assert chinese_capitals(100010_01, short_ten=True) == "拾万零壹拾元零壹分"
    assert chinese_capitals(10_00, short_ten=True) == "拾元整"
    assert chinese_capitals(110_00, short_ten=True) == "壹佰壹拾元整"  # only a LEADING ten is shortened
    assert chinese_capitals(10_0010_00, short_ten=True) == "拾万零壹拾元整"


def test_capitals_refuse_negative_fractional_and_huge():
    with pytest.raises(ValueError):
        chinese_capitals(-1)
    with pytest.raises(TypeError):
        chinese_capitals(Decimal("1.5"))
    with pytest.raises(TypeError):
        chinese_capitals(True)
    with pytest.raises(ValueError):
        chinese_capitals(10**18)


fens = st.integers(min_value=0, max_value=10**17)


def _read_back(words: str) -> int:
    """An independent reader of capitals, to check that the words say the amount."""
    digits = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
    units = {"拾": 10, "佰": 100, "仟": 1000}
    words = words.removesuffix("整")
    yuan_part, _, small = words.partition("元") if "元" in words else ("", "", words)
    yi, wan, section, number = 0, 0, 0, 0
    for char in yuan_part:
        if char in digits:
            number = digits[char]
        elif char in units:
            section += (number or 1) * units[char]
            number = 0
        elif char == "万":
            wan, section, number = section + number, 0, 0
        elif char == "亿":
            yi, wan, section, number = yi + (wan * 10**4 + section + number), 0, 0, 0
    fen = (yi * 10**8 + wan * 10**4 + section + number) * 100
    for unit, weight in (("角", 10), ("分", 1)):
        at = small.find(unit)
        if at > 0:
            fen += digits[small[at - 1]] * weight
    return fen


@given(fens)
def test_capitals_never_have_two_zeros_in_a_row_and_end_with_zheng_iff_no_fen(fen):
    words = chinese_capitals(fen)
    assert "零零" not in words
    assert words.endswith("整") == (fen % 10 == 0)
    assert not words.startswith("零") or fen == 0
    assert not words.endswith("零")
    if fen:
        assert "零元" not in words and "零万" not in words and "零亿" not in words
    assert set(words) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_capitals_say_the_amount(fen):
    assert _read_back(chinese_capitals(fen)) == fen


@given(st.integers(min_value=0, max_value=10**17 - 1))
def test_yuan_and_fen_round_trip(fen):
    assert yuan_to_fen(fen_to_yuan(fen)) == fen
    assert parse_amount(f"{fen_to_yuan(fen)}", max_fen=10**18) == fen
    assert parse_amount(f"¥{fen_to_yuan(fen):,}", max_fen=10**18) == fen


def test_yuan_to_fen_refuses_a_fractional_fen_and_nan():
    assert yuan_to_fen(Decimal("12.30")) == 1230
    assert yuan_to_fen("0.01") == 1
    for bad, code in ((Decimal("1.005"), "fractional_fen"), ("0.001", "fractional_fen"),
                      (Decimal("NaN"), "invalid"), ("Infinity", "invalid"), ("abc", "invalid")):
        with pytest.raises(AmountError) as error:
            yuan_to_fen(bad)
        assert error.value.code == code


def test_fen_to_yuan_has_two_places():
    assert str(fen_to_yuan(25024)) == "250.24"
    assert str(fen_to_yuan(100)) == "1.00"
    assert str(fen_to_yuan(-5)) == "-0.05"


def test_rounding_is_half_up_once():
    assert round_half_up(5, 10) == 1
    assert round_half_up(4, 10) == 0
    assert round_half_up(-5, 10) == -1
    assert round_half_up(250236, 1000) == 250
    assert decimal_to_fen_half_up(Decimal("250.235")) == 25024
    assert decimal_to_fen_half_up(Decimal("250.2349")) == 25023


@pytest.mark.parametrize(("text", "fen"), [
    ("1,234.5", 1234_50),
    ("¥12.30", 12_30),
    ("￥12.3 元", 12_30),
    ("RMB 12", 12_00),
    ("１２．５", 12_50),
    ("  250.24 ", 250_24),
    ("0.05", 5),
    ("0", 0),
    ("12.", 12_00),
    (".5", 50),
    ("1,000,000", 1_000_000_00),
])
def test_parse_amount_reads_what_a_cashier_types(text, fen):
    assert parse_amount(text) == fen


@pytest.mark.parametrize(("text", "code"), [
    ("", "empty"),
    ("   ", "empty"),
    ("¥", "empty"),
    ("-5", "negative"),
    ("−5", "negative"),
    ("+5", "invalid"),
    ("1.005", "too_many_decimals"),
    ("12.345", "too_many_decimals"),
    ("NaN", "invalid"),
    ("inf", "invalid"),
    ("1e5", "invalid"),
    ("1,23", "invalid"),
    ("12,34.5", "invalid"),
    ("1.2.3", "invalid"),
    (".", "invalid"),
    ("..5", "invalid"),
    ("5元5角", "invalid"),
    ("٣", "invalid"),
    ("100000001", "too_large"),
    ("9" * 40, "too_large"),
])
def test_parse_amount_refuses_with_a_code(text, code):
    with pytest.raises(AmountError) as error:
        parse_amount(text)
    assert error.value.code == code


def test_parse_amount_limits():
    assert parse_amount("100000000") == MAX_FEN
    with pytest.raises(AmountError):
        parse_amount("0.00", allow_zero=False)
    with pytest.raises(AmountError):
        parse_amount(None)


@given(st.text(max_size=20))
def test_parse_amount_answers_fen_or_a_code_for_anything(text):
    try:
        fen = parse_amount(text)
    except AmountError as error:
        assert error.code in {"empty", "invalid", "negative", "too_many_decimals", "too_large"}
    else:
        assert isinstance(fen, int) and 0 <= fen <= MAX_FEN
