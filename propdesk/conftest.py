import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, settings

from propdesk.core.testing import PASSWORD, build_world

# Property tests must not fail because the machine is busy: no per-example deadline and no "too slow" health check.
# Both are timing checks, not correctness checks; set HYPOTHESIS_PROFILE=dev to get them back while profiling.
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The day every test lives in, unless it travels elsewhere itself (time_machine.travel nests, or a rule's now=):
# a Monday, a working day, mid-morning in Beijing, late enough in the month that "last month" has finished. The clock
# ticks on from there, so code that waits still sees time pass; nothing a test expects moves with the wall clock, the
# time of day or the machine's time zone (.ci/run proves it by running the suite again ~400 days ahead at 23:30).
TEST_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _test_now():
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture
def world(db):
    """A company with projects A and B (east branch) and C (west), rooms, residents and a user per role."""
    return build_world()


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in as that user and returns the client."""

    def _login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fresh_holiday_schedule():
    """The entered holiday schedule is cached across requests; a test's rolled-back rows must not outlive it."""
    from django.core.cache import cache

    from propdesk.servicedesk.selectors.holidays import CACHE_KEY

    cache.delete(CACHE_KEY)
    yield
    cache.delete(CACHE_KEY)
