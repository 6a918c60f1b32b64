"""The weekly sweep: overdue vacant homes go to the project manager once per home and period."""

from datetime import timedelta

import pytest

from propdesk.core.testing import sh
from propdesk.notify.models import Notification
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Room
from propdesk.stewardship.models import VacantInspection
from propdesk.stewardship.services.vacant.sweep import vacant_overdue_sweep
from propdesk.stewardship.tasks import sweep_vacant_overdue

pytestmark = pytest.mark.django_db


def test_overdue_homes_go_to_the_pm_once_per_home_and_period(vacant):
    a = vacant.project_a
    Room.objects.exclude(project=a, code__in=["5-1-101", "5-1-102", "5-1-103"]).update(status=RoomStatus.OCCUPIED)
    pm, steward = vacant.users["pm_a"], vacant.users["steward_a"]
    rooms = {room.code: room for room in Room.objects.filter(project=a, status=RoomStatus.VACANT)}
    now = sh(2026, 11, 23, 9, 0)
    for code, days_ago in (("5-1-101", 40), ("5-1-102", 10)):  # 101 overdue (monthly), 102 not; 103 never inspected
        room = rooms[code]
        VacantInspection.objects.create(project=a, building_id=room.building_id, room=room, inspector=steward,
                                        day=(now - timedelta(days=days_ago)).date(),
                                        inspected_at=now - timedelta(days=days_ago), result="fine")
    assert vacant_overdue_sweep(now=now) == 2
    titles = sorted(Notification.objects.filter(recipient=pm, kind="vacant_overdue").values_list("title", flat=True))
    assert len(titles) == 2 and "5-1-101" in titles[0] + titles[1] and "5-1-103" in titles[0] + titles[1]
    assert vacant_overdue_sweep(now=now + timedelta(days=7)) == 0  # the same periods: told once
    # 102 falls due and passes it: told; 101 stays in its period
    assert vacant_overdue_sweep(now=now + timedelta(days=25)) == 1
    assert not Notification.objects.filter(recipient=steward, kind="vacant_overdue").exists()


def test_the_task_runs_the_sweep(vacant):
    assert sweep_vacant_overdue.call() >= 1
