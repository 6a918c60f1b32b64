import os

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, settings

from propdesk.core.testing import TEST_NOW, build_world, password_login

# Property tests must not fail because the machine is busy: no per-example deadline and no "too slow" health check.
# Both are timing checks, not correctness checks; set HYPOTHESIS_PROFILE=dev to get them back while profiling.
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _test_now():
    """Every test runs on TEST_NOW (propdesk/core/testing.py), the clock ticking from there."""
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language (zh-hans). A request in English activates English for the rest of
    its thread, and code called outside a request (periods, services) would then answer in English in whichever
    test the worker ran next."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def world(db):
    """A company with projects A and B (east branch) and C (west), rooms, residents and a user per role."""
    return build_world()


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in as that user and returns the client."""

    def _login(user):
        assert password_login(client, user.username)
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


@pytest.fixture(autouse=True)
def _fresh_call_counts():
    """Call counts (a resident's triage readings a minute, triage/api/throttle.py) live in the cache by user id and
    minute; every test starts at TEST_NOW and may reuse the ids, so a count must not outlive its test."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_policy_cache():
    """So is each company's policy and each project's working hours: a rolled-back row does not fire the signal
    that drops it, and the next test may reuse its id."""
    from propdesk.servicedesk.services.policy import forget_cached_policies

    forget_cached_policies()
    yield


@pytest.fixture(scope="session", autouse=True)
def _serialize_live_server_on_sqlite():
    """On SQLite the live server's threads share the test's one in-memory connection, and two requests at once (a
    second phone, a service worker filling its cache, a lazy photo) fail inside SQLite ("bad parameter or other API
    misuse") or see each other's half-done transaction. A browser test then fails now and then for no reason a
    user would meet. Here requests take turns: one at a time through the application, the whole response included.
    PostgreSQL gives each thread its own connection and keeps the threaded server."""
    import threading

    from django.db import connection
    from django.test import testcases

    if connection.vendor != "sqlite":
        return
    turn = threading.Lock()

    class OneAtATimeServer(testcases.ThreadedWSGIServer):
        def set_app(self, application):
            def one_at_a_time(environ, start_response):
                with turn:
                    result = application(environ, start_response)
                    try:
                        return [b"".join(result)]
                    finally:
                        if hasattr(result, "close"):
                            result.close()
            super().set_app(one_at_a_time)

    testcases.LiveServerThread.server_class = OneAtATimeServer


@pytest.fixture(scope="module")
def demo_once(request, django_db_setup, django_db_blocker):
    """The demo of the module's ``DEMO_ARGS`` (seed, scale, today), built once for the module's tests and rolled
    back after its last one, as Django's ``setUpTestData`` does: each test runs in a savepoint inside this
    transaction, so what a test changes is undone before the next. Tests that commit for real (``transaction=True``)
    or build a demo of their own do not belong in such a module (console/tests/test_demo_builds.py)."""
    from propdesk.console.demo import build_demo

    with django_db_blocker.unblock(), time_machine.travel(TEST_NOW, tick=True):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_demo(**request.module.DEMO_ARGS)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
