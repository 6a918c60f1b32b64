"""The sign-in's pure rules: which numbers, a code's state, sliding windows."""

from datetime import UTC, datetime, timedelta

import pytest

from propdesk.accounts.rules import codes
from propdesk.accounts.rules.limits import Window, window_check
from propdesk.accounts.rules.phones import signin_mobile
from propdesk.servicedesk.services import codes as desk_codes

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("raw, number", [
    ("13812345678", "13812345678"), (" 138 1234 5678 ", "13812345678"), ("138-1234-5678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"), ("0086-13812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("12812345678", None), ("1381234567", None), ("021-62345678", None), ("4008123456", None), ("", None),
    ("13812345678; drop", None), (None, None), ("1" * 300, None),
])
def test_only_mainland_mobiles(raw, number):
    assert signin_mobile(raw) == number


def test_a_codes_life():
    sent = NOW - timedelta(minutes=1)
    assert codes.code_state(digest="d", sent_at=sent, wrong=0, now=NOW) == codes.LIVE
    assert codes.code_state(digest="d", sent_at=sent, wrong=4, now=NOW) == codes.LIVE
    assert codes.code_state(digest="d", sent_at=sent, wrong=5, now=NOW) == codes.DEAD
    assert codes.code_state(digest="", sent_at=sent, wrong=0, now=NOW) == codes.EXPIRED  # used
    assert codes.code_state(digest="d", sent_at=None, wrong=0, now=NOW) == codes.EXPIRED
    assert codes.code_state(digest="d", sent_at=NOW - timedelta(minutes=5), wrong=0, now=NOW) == codes.LIVE
    assert codes.code_state(digest="d", sent_at=NOW - timedelta(minutes=5, seconds=1), wrong=0,
                            now=NOW) == codes.EXPIRED
    assert codes.MAX_WRONG == desk_codes.MAX_WRONG  # servicedesk's code_try counts the tries


def test_a_sliding_window():
    window = Window(limit=3, span=timedelta(hours=1))
    hits = [NOW - timedelta(minutes=m) for m in (70, 50, 20, 5)]  # the first is outside the hour
    verdict = window_check(hits, window=window, now=NOW)
    assert not verdict.allowed and verdict.recent == sorted(hits[1:])
    assert verdict.retry_after == 10 * 60 + 1  # the 50-minute-old hit leaves the window in 10 minutes
    assert window_check(hits[:3], window=window, now=NOW).allowed
    empty = window_check([], window=window, now=NOW)
    assert empty.allowed and empty.retry_after == 0 and empty.recent == []
