"""The same checkpoint submitted twice at the same instant (two taps, two tabs; PostgreSQL, real threads): the
round row is locked, so exactly one record is written and the other submit is refused — one finding, one request."""

import pytest
from django.db import connection

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import run_together
from propdesk.servicedesk.models import ServiceRequest
from propdesk.stewardship.models import PatrolRound, PatrolVisit
from propdesk.stewardship.services.patrols.rounds import ItemResult, checkpoint_submit, round_start

from .factories import NOW, area_patrol, jpeg, morning_round

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and ignores SELECT … FOR UPDATE, so there is no "
                    "race to test (CI runs this on PostgreSQL)")


def test_two_submits_of_one_checkpoint_record_it_once(world):
    plan = area_patrol(world)
    agent = world.users["agent_a"]
    round_id = morning_round(plan).pk
    round_start(round_id=round_id, actor=agent, now=NOW)
    point = plan.checkpoints.first()

    def submit():
        return checkpoint_submit(round_id=round_id, checkpoint_id=point.pk, actor=agent, now=NOW, results=[
            ItemResult(fine=False, note="大堂地面有积水", photos=[jpeg()]), ItemResult(fine=True)])

    results = run_together(submit, submit)

    won = [r for r in results if isinstance(r, PatrolVisit)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(won) == 1 and len(refused) == 1, results
    assert refused[0].status_code == 409
    assert PatrolVisit.objects.count() == 1 and ServiceRequest.objects.filter(channel="patrol").count() == 1
    assert PatrolRound.objects.get(pk=round_id).checkpoints_done == 1
