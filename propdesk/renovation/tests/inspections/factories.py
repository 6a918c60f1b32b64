"""Approved renovations made directly with the models (the approval service is another part's): status approved, the
home under renovation, a deposit charged through the fees module and paid at the desk."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from propdesk.core.testing import TEST_NOW
from propdesk.fees.choices import FeeKind
from propdesk.fees.models import FeeItem
from propdesk.fees.services.deposits import deposit_charge
from propdesk.fees.services.payments import payment_take
from propdesk.org.choices import RoomStatus
from propdesk.renovation.models import Renovation, RenovationStatus
from propdesk.renovation.services.inspections import DEFAULT_CHECKLIST


def jpeg(name="现场.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 160, 120)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def deposit_item(project):
    item, _ = FeeItem.objects.get_or_create(project=project, code="reno-deposit", defaults={
        "name": "装修押金", "kind": FeeKind.DEPOSIT})
    return item


def approved_renovation(world, room, *, actor=None, deposit_fen=300000, paid=True, start_days=-5, number=None):
    actor = actor or world.users["pm_a"]
    now = TEST_NOW - timedelta(days=7)
    today = timezone.localdate(TEST_NOW)
    count = Renovation.objects.filter(project=room.project).count()
    renovation = Renovation.objects.create(
        project=room.project, building_id=room.building_id, room=room, number=number or f"ZXA2611{count + 1:04d}",
        status=RenovationStatus.APPROVED, channel="desk", applicant_name="周美玲", applicant_phone="13812345678",
        contractor_name="美家装饰工程有限公司", contractor_contact="李工", contractor_phone="13600001111",
        planned_start=today + timedelta(days=start_days), planned_end=today + timedelta(days=60),
        description="厨卫翻新、墙面刷漆", decision="approved", decided_by=actor, decided_at=now,
        permit_number=f"XK{count + 1:04d}", room_status_before=room.status, created_at=now - timedelta(days=2),
        created_by=actor)
    room.status = RoomStatus.RENOVATING
    room.save(update_fields=["status"])
    if deposit_fen:
        bill = deposit_charge(room=room, item=deposit_item(room.project), amount_fen=deposit_fen, note="装修押金",
                              actor=actor, now=now)
        if paid:
            payment_take(room=room, amount=deposit_fen, method="cash", actor=actor, bill_ids=[bill.pk],
                         payer="周美玲", channel="app", now=now)
        renovation.deposit_bill = bill
        renovation.save(update_fields=["deposit_bill"])
    return renovation


def all_pass(**extra) -> dict:
    data = {f"item_{i}": "pass" for i in range(len(DEFAULT_CHECKLIST))}
    data.update(extra)
    return data
