"""Request, work-order and receipt numbers (rules/numbers.py) and the project prefixes they start with
(org/rules.py)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.org.rules import number_prefix_candidates, number_prefix_for
from propdesk.servicedesk.rules.numbers import (
    NumberQuery,
    parse_request_number,
    receipt_number,
    request_number,
    work_order_number,
)


def test_numbers_start_with_the_project_prefix():
    assert request_number("CH", date(2026, 11, 30), 14) == "CH-261130-014"
    assert request_number("CH", date(2026, 11, 30), 1234) == "CH-261130-1234"
    assert work_order_number("CH-261130-014", 2) == "CH-261130-014-2"
    assert receipt_number("CH", 2026, 1) == "CH-RC2026000001"


@pytest.mark.parametrize(("typed", "prefix", "local"), [
    ("CH-261130-014", "CH", "261130-014"),
    ("ch 261130 014", "CH", "261130-014"),
    ("CH261130014", "CH", "261130-014"),
    ("261130-014", "", "261130-014"),
    ("261130－014", "", "261130-014"),  # a full-width dash from a Chinese keyboard
    ("261130-14", "", "261130-014"),
    ("261130014", "", "261130-014"),
    ("CH-261130-014-2", "CH", "261130-014"),  # a work order's number finds its request
    (" jjs-261201-1203 ", "JJS", "261201-1203"),
])
def test_what_an_agent_types_is_read_as_a_request_number(typed, prefix, local):
    assert parse_request_number(typed) == NumberQuery(prefix, local)


@pytest.mark.parametrize("typed", ["13812345678", "1802", "3-2-1802", "周美玲", "", "261130-000", "CH-RC2026000001",
                                   "2611300140", "ABCDE-261130-014"])
def test_phones_rooms_names_and_other_text_are_not_request_numbers(typed):
    assert parse_request_number(typed) is None


@given(prefix=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=4),
       day=st.dates(date(2000, 1, 1), date(2099, 12, 31)), sequence=st.integers(1, 99999))
def test_every_number_reads_back_whole_and_without_its_prefix(prefix, day, sequence):
    number = request_number(prefix, day, sequence)
    assert parse_request_number(number).full == number
    assert parse_request_number(number.split("-", 1)[1]) == NumberQuery("", number.split("-", 1)[1])
    assert parse_request_number(work_order_number(number, 3)).full == number


def test_a_project_prefix_comes_from_its_code_and_is_never_taken_twice():
    assert number_prefix_for("cuihu", set()) == "CU"
    assert number_prefix_for("cuihu", {"CU"}) == "CI"
    assert number_prefix_for("jinjiang", {"JI"}) == "JN"
    assert number_prefix_for("a", set()) == "AA"
    assert number_prefix_for("p1", set()) == "PA"
    assert number_prefix_for("123", set()) == "PA"  # no letters: P for project
    taken: set[str] = set()
    for _ in range(800):  # more projects than two-letter prefixes of one initial: three letters follow
        taken.add(number_prefix_for("a", taken))
    assert len(taken) == 800 and all(p.startswith("A") and 2 <= len(p) <= 4 and p.isalpha() for p in taken)


@given(st.text(min_size=0, max_size=20))
def test_prefix_candidates_are_two_to_four_capital_letters(code):
    candidates = number_prefix_candidates(code)
    for _ in range(30):
        candidate = next(candidates)
        assert 2 <= len(candidate) <= 4 and candidate.isascii() and candidate.isalpha() and candidate.isupper()
