import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.core.masking import mask_id_number, mask_phone
from propdesk.customers.rules.phones import (
    InvalidNumber,
    id_check_digit,
    last4,
    normalize_phone,
    validate_id_number,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("13812345678", ("13812345678", "mobile")),
    ("138 1234 5678", ("13812345678", "mobile")),
    ("+86 138-1234-5678", ("13812345678", "mobile")),
    ("８６１３８１２３４５６７８", ("13812345678", "mobile")),
    ("021-62345678", ("021-62345678", "landline")),
    ("02162345678", ("021-62345678", "landline")),
    ("0755-8765432", ("0755-8765432", "landline")),
    ("021-62345678-801", ("021-62345678-801", "landline")),
    ("4008123456", ("4008123456", "landline")),
])
def test_valid_numbers_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "12812345678", "1381234567", "138123456789", "abc", "021-123",
                                 "5678"])
def test_malformed_numbers_are_refused(raw):
    with pytest.raises(InvalidNumber):
        normalize_phone(raw)


def test_last4_ignores_extension():
    assert last4("021-62345678-801") == "5678"
    assert last4("13812345678") == "5678"


def test_masks_hide_the_middle():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("021-62345678") == "021-****5678"
    assert mask_id_number("110101199003071233") == "110101********1233"


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_a_masked_mobile_never_shows_the_middle_digits(number):
    masked = mask_phone(number)
    assert masked[:3] == number[:3] and masked[-4:] == number[-4:]
    assert masked[3:7] == "****"


def test_id_number_check_digit():
    assert validate_id_number("110101199003071233") == "110101199003071233"
    assert id_check_digit("11010119900307123") == "3"
    with pytest.raises(InvalidNumber):
        validate_id_number("110101199003071234")
    with pytest.raises(InvalidNumber):
        validate_id_number("11010119900307")
