"""Two schedulers putting one engineer on two overlapping shifts at the same instant: the lock on the person's row
lets one through and refuses the other with the overlap message (PostgreSQL; SQLite serialises writers)."""

from datetime import date, time

import pytest
from django.db import connection

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import run_together, sh
from propdesk.duty.models import RosterEntry, ShiftKind
from propdesk.duty.services.rosters import roster_assign

from .helpers import engineering, shifts

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and ignores SELECT … FOR UPDATE, so there is no "
                    "race to lose")


def test_two_overlapping_assignments_at_once_make_one_entry(world):
    s = shifts(world)
    late = ShiftKind.objects.create(project=world.project_a, department=engineering(world), name="加班",
                                    starts=time(19), ends=time(23))
    tech = world.users["technician_a"]
    day = date(2026, 11, 25)
    for _round in range(3):
        RosterEntry.objects.all().delete()
        results = run_together(
            lambda: roster_assign(actor=world.users["pm_a"], shift=s["night"], day=day, user_id=tech.pk,
                                  now=sh(2026, 11, 23, 10)),
            lambda: roster_assign(actor=world.users["pm_a"], shift=late, day=day, user_id=tech.pk,
                                  now=sh(2026, 11, 23, 10)))
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == 1 and isinstance(errors[0], ApplicationError), results
        assert errors[0].extra["code"] == "overlap"
        assert RosterEntry.objects.filter(user=tech).count() == 1
