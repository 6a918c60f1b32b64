import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from propdesk.org.choices import RoomStatus
from propdesk.org.models import Room
from propdesk.stewardship.models import ZoneAssignment
from propdesk.stewardship.rules.vacant import DEFAULT_ITEMS


def jpeg(name="渗水.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (120, 160, 200)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def all_fine_post(**extra) -> dict:
    data = {f"item_{i}": "fine" for i in range(len(DEFAULT_ITEMS))}
    data.update(extra)
    return data


@pytest.fixture
def vacant(world):
    """Building 5 of A: every home vacant except 5-1-301 (the tenant's); steward_a owns building 5 and 3."""
    a = world.project_a
    Room.objects.filter(project=a, code="5-1-301").update(status=RoomStatus.OCCUPIED)
    for building in a.buildings.all():
        ZoneAssignment.objects.create(project=a, building=building, steward=world.users["steward_a"],
                                      assigned_at=timezone.make_aware(datetime(2026, 1, 1)))
    return world
