import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propdesk.core.testing import TEST_NOW
from propdesk.renovation.models import Renovation, RenovationStatus
from propdesk.violations.services import ViolationInput, notice_issue, violation_record


def jpeg(name="消防通道.jpg", color=(180, 60, 40)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def record(world, *, user="steward_a", project=None, room_code="3-2-1802", kind="construction", now=None,
           description="阳台外扩搭建彩钢棚", **extra):
    project = project or world.project_a
    return violation_record(actor=world.users[user], now=now or TEST_NOW, data=ViolationInput(
        kind=kind, description=description, project_id=project.pk, room_code=room_code, photos=[jpeg()], **extra))


def notify(world, violation, *, days=5, user="steward_a", now=None, channel="app"):
    now = now or TEST_NOW
    return notice_issue(actor=world.users[user], violation_id=violation.pk, text="请于期限内拆除阳台违章搭建。",
                        deadline=now.date() + timedelta(days=days), channel=channel, now=now)


def renovation(world, room, *, status=RenovationStatus.APPROVED, number="ZXA2611200001") -> Renovation:
    return Renovation.objects.create(
        project=room.project, building=room.building, room=room, number=number, status=status,
        channel="desk", applicant_name="周美玲", applicant_phone="13812345678", contractor_name="家装装饰公司",
        contractor_contact="李工", contractor_phone="13900002222", planned_start=date(2026, 11, 20),
        planned_end=date(2026, 12, 20), created_at=TEST_NOW - timedelta(days=5), created_by=world.users["pm_a"])


@pytest.fixture
def world_v(world):
    return world
