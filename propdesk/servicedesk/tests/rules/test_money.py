"""Amounts in Chinese capitals (rules/money.py), as a receipt prints them: read back, they give the amount."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.servicedesk.rules.money import amount_in_words

DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
PLACES = {"拾": 10, "佰": 100, "仟": 1000}


def read_back(words: str) -> Decimal:
    """Parse the capitals the way a cashier reads them (a test oracle written independently of the rule)."""
    negative = words.startswith("负")
    words = words.removeprefix("负").removesuffix("整")
    yuan_part, _sep, rest = words.partition("元") if "元" in words else ("", "", words)
    total, section, digit = 0, 0, 0
    for char in yuan_part:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in PLACES:
            section += digit * PLACES[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif char == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
    total += section + digit
    fen = 0
    rest = rest.lstrip("零")
    if "角" in rest:
        jiao, rest = rest.split("角")
        fen += DIGITS[jiao] * 10
    if "分" in rest:
        fen += DIGITS[rest.removesuffix("分").lstrip("零")]
    value = Decimal(total) + Decimal(fen) / 100
    return -value if negative else value


@pytest.mark.parametrize(("amount", "words"), [
    ("0", "零元整"), ("0.05", "伍分"), ("1.05", "壹元零伍分"), ("1.50", "壹元伍角"), ("120", "壹佰贰拾元整"),
    ("1005.30", "壹仟零伍元叁角"), ("10000", "壹万元整"), ("100000000", "壹亿元整"), ("30.456", "叁拾元肆角陆分"),
])
def test_receipt_amounts_in_capitals(amount, words):
    assert amount_in_words(Decimal(amount)) == words


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"), places=2))
def test_capitals_read_back_as_the_amount(amount):
    words = amount_in_words(amount)
    assert set(words) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    assert read_back(words) == amount
    assert words.endswith("整") == (amount == amount.to_integral_value())
    assert "零零" not in words
