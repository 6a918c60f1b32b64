import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from propdesk.core.testing import make_user, sh
from propdesk.movein.services.buyers import buyer_create
from propdesk.movein.services.handover import AreaInput, HandoverInput
from propdesk.movein.services.slots import slot_create
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.stewardship.models import ZoneAssignment

# TEST_NOW is Monday 2026-11-23 10:00; the slots are on Tuesday and Wednesday.
TUESDAY_9 = sh(2026, 11, 24, 9, 0)


def jpeg(name="裂缝.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (180, 160, 120)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def checklist_input(defects: dict | None = None, **extra) -> HandoverInput:
    from propdesk.movein.rules.handover import AREAS, DOCUMENTS, KEYS

    defects = defects or {}
    values = dict(documents=list(DOCUMENTS), keys={k: "2" for k in KEYS},
                  readings={"water": "12.5", "power": "305", "gas": ""},
                  areas=[AreaInput(a, a not in defects, defects.get(a, "")) for a in AREAS])
    values.update(extra)
    return HandoverInput(**values)


def checklist_post(defects: dict | None = None, **extra) -> dict:
    from propdesk.movein.rules.handover import AREAS, DOCUMENTS, KEYS

    defects = defects or {}
    data = {"documents": list(DOCUMENTS), "water_reading": "12.5", "power_reading": "305", "gas_reading": "",
            "moves_in": "yes", "note": ""}
    data.update({f"key_{i}": "2" for i in range(len(KEYS))})
    for i, area in enumerate(AREAS):
        data[f"area_{i}"] = "defect" if area in defects else "ok"
        data[f"note_{i}"] = defects.get(area, "")
    data.update(extra)
    return data


@pytest.fixture
def movein(world):
    """Project A's building 5 handed over: a developer after-sales department with its contact, steward_a on every
    building, buyers of 5-1-101 and 5-1-102, a Tuesday 9:00 slot for 2 homes and a Wednesday one for 3."""
    a = world.project_a
    dev = Department.objects.create(branch=world.branch_east, project=a, kind=DepartmentKind.DEVELOPER,
                                    name="翠湖花园开发商售后")
    world.users["developer_a"] = make_user("developer_a", role="dept_staff", department=dev, project=a,
                                           display_name="万科售后黄工")
    for building in a.buildings.all():
        ZoneAssignment.objects.create(project=a, building=building, steward=world.users["steward_a"],
                                      assigned_at=timezone.make_aware(datetime(2026, 1, 1)))
    pm, now = world.users["pm_a"], sh(2026, 11, 23, 9, 0)
    world.buyers = {
        "101": buyer_create(actor=pm, room=world.room(a, "5-1-101"), name="林晓峰", mobile="13600001111",
                            id_number="110101199003071233", now=now),
        "102": buyer_create(actor=pm, room=world.room(a, "5-1-102"), name="何静", mobile="13600002222", now=now),
    }
    world.slots = {
        "tue": slot_create(actor=pm, project=a, starts_at=TUESDAY_9, ends_at=sh(2026, 11, 24, 9, 30), capacity=2,
                           now=now),
        "wed": slot_create(actor=pm, project=a, starts_at=sh(2026, 11, 25, 9, 0), ends_at=sh(2026, 11, 25, 9, 30),
                           capacity=3, now=now),
    }
    world.developer_department = dev
    return world
