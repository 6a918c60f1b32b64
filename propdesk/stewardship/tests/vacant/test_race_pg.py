"""Two stewards saving the inspection of one vacant home at the same instant (PostgreSQL, real threads): one
inspection, one request for its finding, one clear refusal."""

import pytest
from django.db import connection

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import make_user, run_together, sh
from propdesk.servicedesk.models import ServiceRequest
from propdesk.stewardship.models import VacantInspection
from propdesk.stewardship.rules.vacant import DEFAULT_ITEMS, ItemAnswer
from propdesk.stewardship.services.vacant import InspectionInput, vacant_inspection_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and ignores SELECT … FOR UPDATE, so there is no "
                    "race to test (CI runs this on PostgreSQL)")


def test_two_stewards_inspecting_one_home_at_once_record_one_inspection(world):
    room = world.room(world.project_a, "5-1-201")
    stewards = [world.users["steward_a"], make_user("steward_a2", role="steward", project=world.project_a,
                                                    display_name="李秀英")]
    data = InspectionInput(answers=[ItemAnswer(label, position != 2, "" if position != 2 else "墙角渗水")
                                    for position, label in enumerate(DEFAULT_ITEMS)])

    results = run_together(*(lambda user=user: vacant_inspection_record(
        actor=user, room_id=room.pk, data=data, now=sh(2026, 11, 23, 10, 5)) for user in stewards))

    recorded = [r for r in results if isinstance(r, VacantInspection)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(recorded) == 1 and len(refused) == 1, results
    assert refused[0].status_code == 409 and "room" in refused[0].field_errors
    assert VacantInspection.objects.filter(room=room).count() == 1
    assert ServiceRequest.objects.filter(room=room).count() == 1
