import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from propdesk.stewardship.models import ZoneAssignment

# TEST_NOW is Monday 2026-11-23: the work starts next Monday and lasts three weeks.
START = date(2026, 11, 30)
END = date(2026, 12, 18)
WORKER_ID = "110105198806052010"  # a valid check digit
WORKER_ID_2 = "310104199201013217"


def jpeg(name="户型图.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 180, 150)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form_data(**extra) -> dict:
    data = {"items": ["wall_finish", "floor_finish", "electrics"], "contractor_name": "上海美家装饰工程有限公司",
            "contractor_licence": "91310115MA1H7XXXX1", "contractor_contact": "孙立新",
            "contractor_phone": "13611112222", "planned_start": START.isoformat(), "planned_end": END.isoformat(),
            "description": "客厅卧室墙面翻新，全屋地板更换，增加插座",
            "worker_name_0": "李大勇", "worker_id_0": WORKER_ID, "worker_trade_0": "木工",
            "worker_phone_0": "13700001111", "worker_name_1": "黄小平", "worker_id_1": WORKER_ID_2,
            "worker_trade_1": "水电工"}
    data.update(extra)
    return data


@pytest.fixture
def reno(world):
    a = world.project_a
    for building in a.buildings.all():
        ZoneAssignment.objects.create(project=a, building=building, steward=world.users["steward_a"],
                                      assigned_at=timezone.make_aware(datetime(2026, 1, 1)))
    return world
