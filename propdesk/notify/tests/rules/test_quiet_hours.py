"""Quiet hours as a pure rule: the time is always given, the zone too."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propdesk.notify.rules.quiet_hours import deliver_at, is_quiet

BEIJING = ZoneInfo("Asia/Shanghai")


def bj(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


def test_a_message_at_2213_waits_for_eight_the_next_morning():
    assert deliver_at(now=bj(2026, 12, 2, 22, 13), zone=BEIJING) == bj(2026, 12, 3, 8, 0)


def test_after_midnight_it_waits_for_eight_the_same_morning():
    assert deliver_at(now=bj(2026, 12, 3, 3, 5), zone=BEIJING) == bj(2026, 12, 3, 8, 0)


def test_at_the_edges_the_window_includes_its_start_and_excludes_its_end():
    assert deliver_at(now=bj(2026, 12, 2, 21, 0), zone=BEIJING) == bj(2026, 12, 3, 8, 0)
    assert deliver_at(now=bj(2026, 12, 2, 20, 59, 59), zone=BEIJING) == bj(2026, 12, 2, 20, 59, 59)
    assert deliver_at(now=bj(2026, 12, 3, 8, 0), zone=BEIJING) == bj(2026, 12, 3, 8, 0)


def test_an_urgent_message_goes_at_once():
    assert deliver_at(now=bj(2026, 12, 2, 22, 13), zone=BEIJING, urgent=True) == bj(2026, 12, 2, 22, 13)


def test_the_clock_of_the_server_does_not_matter_only_the_zone_of_the_project():
    now_utc = datetime(2026, 12, 2, 14, 13, tzinfo=UTC)  # 22:13 in Beijing
    assert deliver_at(now=now_utc, zone=BEIJING) == bj(2026, 12, 3, 8, 0)
    # The same instant is 15:13 in Berlin: no quiet hours there.
    assert deliver_at(now=now_utc, zone=ZoneInfo("Europe/Berlin")) == now_utc


def test_a_company_window_and_no_window():
    assert deliver_at(now=bj(2026, 12, 2, 12, 30), zone=BEIJING, start=time(12), end=time(14)) == bj(2026, 12, 2, 14)
    assert deliver_at(now=bj(2026, 12, 2, 23, 0), zone=BEIJING, start=time(8), end=time(8)) == bj(2026, 12, 2, 23)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        deliver_at(now=datetime(2026, 12, 2, 22, 13), zone=BEIJING)


clock = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@given(now=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(BEIJING)),
       start=clock, end=clock, urgent=st.booleans())
def test_delivery_is_never_early_never_in_the_quiet_hours_and_never_a_day_late(now, start, end, urgent):
    at = deliver_at(now=now, zone=BEIJING, start=start, end=end, urgent=urgent)
    assert now <= at <= now + timedelta(days=1)
    if urgent or not is_quiet(now.astimezone(BEIJING).time(), start=start, end=end):
        assert at == now
    else:
        assert not is_quiet(at.astimezone(BEIJING).time(), start=start, end=end)
        assert at.astimezone(BEIJING).time() == end
