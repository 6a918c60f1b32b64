import pytest
import time_machine
from django.db import transaction

from propdesk.core.testing import TEST_NOW


@pytest.fixture(scope="module")
def demo_once(request, django_db_setup, django_db_blocker):
    """The demo of the module's ``DEMO_ARGS`` (seed, scale, today), built once for the module's tests and rolled
    back after its last one, as Django's ``setUpTestData`` does: each test runs in a savepoint inside this
    transaction, so what a test changes is undone before the next. Tests that commit for real (``transaction=True``)
    or build a demo of their own do not belong in such a module (they are in test_demo_builds.py)."""
    from propdesk.console.demo import build_demo

    with django_db_blocker.unblock(), time_machine.travel(TEST_NOW, tick=True):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_demo(**request.module.DEMO_ARGS)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
