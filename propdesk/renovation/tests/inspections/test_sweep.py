from datetime import timedelta

import pytest

from propdesk.core.testing import TEST_NOW
from propdesk.notify.models import Notification
from propdesk.renovation.models import RectificationStatus, RenovationRectification
from propdesk.renovation.selectors.inspections import dashboard_figures
from propdesk.renovation.services.inspections import (
    DEFAULT_CHECKLIST,
    AcceptanceInput,
    InspectionInput,
    ItemAnswer,
    acceptance_record,
    inspection_record,
    inspections_sweep,
)
from propdesk.stewardship.models import ZoneAssignment

from .factories import approved_renovation

pytestmark = pytest.mark.django_db


def test_sweep_marks_overdue_and_tells_once(world, renovation):
    ZoneAssignment.objects.create(project=world.project_a, building=renovation.building,
                                  steward=world.users["steward_a"], assigned_at=TEST_NOW - timedelta(days=90))
    inspection_record(actor=world.users["steward_a"], renovation_id=renovation.pk, now=TEST_NOW, data=InspectionInput(
        answers=[ItemAnswer(label, i != 0, "夜间施工" if i == 0 else "") for i, label in enumerate(DEFAULT_CHECKLIST)]))
    rect = RenovationRectification.objects.get()
    later = TEST_NOW + timedelta(days=3)  # Thursday: the Wednesday deadline has passed
    result = inspections_sweep(now=later)
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.OVERDUE and result["rectifications_overdue"] == 1
    told = Notification.objects.filter(kind="renovation_rectification_overdue")
    assert {n.recipient for n in told} == {world.users["steward_a"], world.users["pm_a"]}
    assert Notification.objects.filter(kind="renovation_inspection_due", recipient=world.users["steward_a"]).exists()
    count = Notification.objects.count()
    inspections_sweep(now=later + timedelta(hours=1))
    assert Notification.objects.count() == count  # told once


def test_dashboard_figures(world, renovation, django_assert_max_num_queries):
    accepted = approved_renovation(world, world.room(world.project_a, "3-1-101"))
    acceptance_record(actor=world.users["steward_a"], renovation_id=accepted.pk, now=TEST_NOW,
                      data=AcceptanceInput(passed=True))
    approved_renovation(world, world.room(world.project_a, "3-1-102"), start_days=3)  # not started yet
    with django_assert_max_num_queries(6):
        figures = {f["key"]: f for f in dashboard_figures(project_ids=[world.project_a.pk], now=TEST_NOW)}
    assert figures["renovations_in_progress"]["value"] == 3
    assert figures["renovation_inspections_overdue"]["value"] == 1 and figures[
        "renovation_inspections_overdue"]["alert"]
    assert figures["renovation_refunds_pending"]["value"] == 1
    assert figures["renovation_rectifications_overdue"]["value"] == 0
