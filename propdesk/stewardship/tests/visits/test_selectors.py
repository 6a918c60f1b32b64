"""The due list other parts read: a frequent complainant is due three days after a complaint they report (and no
longer once visited), the morning page's ``visits_due`` and the PM's ``visits_due_count_by_steward``."""

from datetime import date

import pytest
from django.utils import timezone

from propdesk.core.testing import sh
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.stewardship.selectors.visits import due_rows, visits_due, visits_due_count_by_steward
from propdesk.stewardship.services.visits import VisitInput, visit_record

from .helpers import covered

pytestmark = pytest.mark.django_db


def complain(world, resident, when):
    return request_submit(actor=world.users["agent_a"], project=world.project_a, now=when, data=RequestInput(
        channel="phone", kind="complaint", severity="important", complaint_category="property",
        description="投诉：楼道堆放杂物无人清理", reporter_id=resident.pk, room_id=world.room(
            world.project_a, "3-2-1802").pk))


def test_a_complaint_makes_a_frequent_complainant_due_three_days_later_until_visited(world):
    covered(world)
    family = world.residents["a_family"]  # 周子轩, 3-2-1802, no flag yet
    type(family).objects.filter(pk=family.pk).update(is_frequent_complainant=True)
    today = date(2026, 11, 23)
    assert all(row.resident_id != family.pk for row in due_rows(project_ids=[world.project_a.pk], today=today))
    complain(world, family, sh(2026, 11, 18, 15, 0))
    complain(world, family, sh(2026, 11, 21, 15, 0))
    row, = (r for r in due_rows(project_ids=[world.project_a.pk], today=today) if r.resident_id == family.pk)
    assert (row.due_on, row.status, row.frequency) == (date(2026, 11, 21), "overdue", "after_complaint")
    visit_record(actor=world.users["steward_a"], resident=family, now=timezone.now(), data=VisitInput(
        way="phone", visited_at=sh(2026, 11, 22, 10, 0), met="周子轩", discussed="了解投诉处理进展，表示理解",
        impression="neutral"))
    assert all(row.resident_id != family.pk for row in due_rows(project_ids=[world.project_a.pk], today=today))
    complain(world, family, sh(2026, 11, 23, 9, 0))  # a new complaint after the visit: due again in three days
    row, = (r for r in due_rows(project_ids=[world.project_a.pk], today=today) if r.resident_id == family.pk)
    assert (row.due_on, row.status) == (date(2026, 11, 26), "upcoming")


def test_visits_due_and_counts_by_steward(world):
    covered(world)
    today = timezone.localdate()
    mine = visits_due(user=world.users["steward_a"], day=today)
    assert [(d["resident_name"], d["room_code"]) for d in mine] == [("周美玲", "3-2-1802")]
    assert set(mine[0]) == {"resident_id", "resident_name", "room_code", "reason", "due_on", "steward_name", "url"}
    assert {d["resident_name"] for d in visits_due(user=world.users["pm_a"], day=today)} == {"周美玲", "吴强"}
    counts = visits_due_count_by_steward(project_id=world.project_a.pk, day=today)
    assert counts == {world.users["steward_a"].pk: 1, world.users["steward2_a"].pk: 1}
