"""Two applications for one home at the same instant, and two decisions of one application (PostgreSQL, real
threads): one application, one approval with one deposit bill, one clear 409."""

import pytest
from django.db import connection

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import TEST_NOW, run_together
from propdesk.fees.models import Bill
from propdesk.renovation.models import Renovation
from propdesk.renovation.services.applications import (
    ApplicationInput,
    WorkerInput,
    renovation_apply,
    renovation_decide,
)

from .conftest import END, START, WORKER_ID

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and ignores SELECT … FOR UPDATE, so there is no "
                    "race to test (CI runs this on PostgreSQL)")


def _data(world) -> ApplicationInput:
    return ApplicationInput(room_id=world.room(world.project_a, "3-2-1802").pk, contractor_name="美家装饰",
                            contractor_contact="孙立新", contractor_phone="13611112222", planned_start=START,
                            planned_end=END, items=["wall_finish"],
                            workers=[WorkerInput(name="李大勇", id_number=WORKER_ID)])


def test_two_applications_for_one_home_at_once(world):
    desk = world.users["agent_a"]
    data = _data(world)
    data.applicant_id = world.residents["a_owner"].pk
    results = run_together(lambda: renovation_apply(actor=world.users["resident_a"], data=_data(world),
                                                    now=TEST_NOW),
                           lambda: renovation_apply(actor=desk, data=data, now=TEST_NOW))
    made = [r for r in results if isinstance(r, Renovation)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(made) == 1 and len(refused) == 1, results
    assert refused[0].status_code == 409
    assert Renovation.objects.count() == 1


def test_two_approvals_at_once_charge_once(world):
    renovation = renovation_apply(actor=world.users["resident_a"], data=_data(world), now=TEST_NOW)
    pm = world.users["pm_a"]
    results = run_together(*(lambda: renovation_decide(actor=pm, renovation_id=renovation.pk, decision="approved",
                                                       now=TEST_NOW) for _ in range(2)))
    assert sum(isinstance(r, Renovation) for r in results) == 1, results
    assert [r.status_code for r in results if isinstance(r, ApplicationError)] == [409]
    assert Bill.objects.filter(room_id=renovation.room_id).count() == 2  # one deposit, one debris fee
