"""At the same instant (PostgreSQL, real threads): two stewards inspecting one renovation record one inspection and one
rectification; two PMs approving one refund pay it back once."""

import pytest
from django.db import connection

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import TEST_NOW, make_user, run_together
from propdesk.fees.choices import EntryKind
from propdesk.fees.models import LedgerEntry
from propdesk.renovation.models import RenovationAcceptance, RenovationInspection, RenovationRectification
from propdesk.renovation.services.inspections import (
    DEFAULT_CHECKLIST,
    AcceptanceInput,
    InspectionInput,
    ItemAnswer,
    acceptance_decide,
    acceptance_record,
    inspection_record,
)

from .factories import approved_renovation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and ignores SELECT … FOR UPDATE, so there is no "
                    "race to test (CI runs this on PostgreSQL)")


def test_two_stewards_inspecting_at_once_record_one(world):
    renovation = approved_renovation(world, world.room(world.project_a, "3-2-1802"))
    stewards = [world.users["steward_a"], make_user("steward_a2", role="steward", project=world.project_a,
                                                    display_name="李秀英")]
    data = InspectionInput(answers=[ItemAnswer(label, i != 2, "楼道堆放垃圾" if i == 2 else "")
                                    for i, label in enumerate(DEFAULT_CHECKLIST)])
    results = run_together(*(lambda user=user: inspection_record(
        actor=user, renovation_id=renovation.pk, data=data, now=TEST_NOW) for user in stewards))
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1 and refused[0].status_code == 409, results
    assert RenovationInspection.objects.filter(renovation=renovation).count() == 1
    assert RenovationRectification.objects.filter(renovation=renovation).count() == 1


def test_two_pms_approving_one_refund_pay_once(world):
    renovation = approved_renovation(world, world.room(world.project_a, "3-2-1802"))
    acceptance = acceptance_record(actor=world.users["steward_a"], renovation_id=renovation.pk, now=TEST_NOW,
                                   data=AcceptanceInput(passed=True))
    pms = [world.users["pm_a"], make_user("pm_a2", role="project_manager", project=world.project_a,
                                          display_name="黄经理")]
    results = run_together(*(lambda user=user: acceptance_decide(
        actor=user, acceptance_id=acceptance.pk, approve=True, now=TEST_NOW) for user in pms))
    assert sum(isinstance(r, RenovationAcceptance) for r in results) == 1, results
    assert LedgerEntry.objects.filter(kind=EntryKind.DEPOSIT_REFUND, bill=renovation.deposit_bill).count() == 1
