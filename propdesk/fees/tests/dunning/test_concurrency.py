"""Two dunning sweeps at the same moment in two workers, with real threads on PostgreSQL: each step is recorded,
and its reminder and SMS written, once."""

from collections import Counter

import pytest
from django.db import connection

from propdesk.core.testing import run_together
from propdesk.fees.models import DunningAction
from propdesk.fees.services.dunning import dunning_sweep
from propdesk.notify.models import Notification, OutboxMessage

from .helpers import NOW, owing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test (CI runs this on "
                    "PostgreSQL)")



def test_two_sweeps_at_once_record_each_step_once(world):
    room = owing(world, months=("2026-09", "2026-10", "2026-11"))
    results = run_together(*(lambda: dunning_sweep(now=NOW) for _ in range(3)))
    assert not any(isinstance(result, Exception) for result in results), results
    steps = Counter(DunningAction.objects.filter(room=room).values_list("step_code", flat=True))
    assert steps == Counter({"app_15d": 1, "sms_30d": 1, "call_45d": 1, "notice_60d": 1})
    assert sum(result.total for result in results) == sum(steps.values())  # every step counted by one sweep
    assert Notification.objects.filter(recipient=world.users["resident_a"]).count() == 1
    assert OutboxMessage.objects.filter(channel="sms", template="fee_reminder").count() == 2  # two mobiles
