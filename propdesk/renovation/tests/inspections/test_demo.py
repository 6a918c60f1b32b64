import pytest

from propdesk.console.demo.renovation_inspections import build_renovation_inspections
from propdesk.core.testing import TEST_NOW, make_resident
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Room
from propdesk.renovation.models import (
    AcceptanceApproval,
    RectificationStatus,
    RenovationAcceptance,
    RenovationComplaint,
    RenovationRectification,
    RenovationStatus,
)

pytestmark = pytest.mark.django_db


def test_demo_builds_every_state_on_a_tiny_world(world):
    a = world.project_a
    rooms = list(Room.objects.filter(project=a, building__number="5").order_by("id")[:10])
    for i, room in enumerate(rooms):
        Room.objects.filter(pk=room.pk).update(status=RoomStatus.OCCUPIED)
        make_resident(a, f"业主{i}", f"1391234{i:04d}", room)
    counts = build_renovation_inspections(today=TEST_NOW.date())
    assert counts["renovations"] == 9
    assert RenovationRectification.objects.filter(project=a, status=RectificationStatus.OPEN).exists()
    assert RenovationRectification.objects.filter(project=a, status=RectificationStatus.OVERDUE).exists()
    assert RenovationAcceptance.objects.filter(project=a, approval=AcceptanceApproval.PENDING).count() == 1
    assert a.pk in set(RenovationAcceptance.objects.filter(approval=AcceptanceApproval.APPROVED)
                       .values_list("project_id", flat=True))
    assert RenovationComplaint.objects.filter(project=a).count() == 1
    from propdesk.renovation.models import Renovation

    assert Renovation.objects.filter(project=a, status=RenovationStatus.ACCEPTANCE_REQUESTED).count() == 1
    assert Renovation.objects.filter(project=a, status=RenovationStatus.CLOSED).count() == 2
