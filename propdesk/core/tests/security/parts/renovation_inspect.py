"""Renovation inspections (issue 14: renovation, second half): an approved renovation of the scope's home with a
paid deposit, a failed inspection with a photo (its rectification notice), a noise complaint linked to it, and an
acceptance recorded by the PM whose refund waits for approval."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from propdesk.fees.choices import FeeKind
from propdesk.fees.models import FeeItem
from propdesk.fees.services.deposits import deposit_charge
from propdesk.fees.services.payments import payment_take
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Room
from propdesk.renovation.models import Renovation, RenovationRectification, RenovationStatus
from propdesk.renovation.services.inspections import (
    DEFAULT_CHECKLIST,
    AcceptanceInput,
    Deduction,
    InspectionInput,
    ItemAnswer,
    acceptance_record,
    complaint_link,
    inspection_record,
)
from propdesk.servicedesk.services.requests import RequestInput, request_submit


def _jpeg() -> SimpleUploadedFile:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 12), (90, 90, 90)).save(out, "JPEG")
    return SimpleUploadedFile("site.jpg", out.getvalue(), content_type="image/jpeg")


def populate(ctx):
    project, pm, room = ctx.project, ctx.people["project_manager"], ctx.room
    start = ctx.now - timedelta(days=6)
    # One open renovation a home: the applications part's approved one on this home (parts run in name order), its
    # deposit paid; a renovation of our own only when that part made none.
    renovation = Renovation.objects.filter(room=room, status=RenovationStatus.APPROVED).first()
    if renovation is None:
        renovation = Renovation.objects.create(
            project=project, building_id=room.building_id, room=room, number=f"ZXSEC{ctx.tag}01",
            status=RenovationStatus.APPROVED, channel="desk", applicant_name=f"{ctx.marker}装修业主",
            applicant_phone="13800000000", contractor_name=f"{ctx.marker}装饰公司", contractor_contact="李工",
            contractor_phone="13600000000", planned_start=start.date(), planned_end=start.date() + timedelta(days=60),
            decision="approved", decided_by=pm, decided_at=start, room_status_before=room.status, created_at=start,
            created_by=pm)
        Room.objects.filter(pk=room.pk).update(status=RoomStatus.RENOVATING)
    bill = renovation.deposit_bill
    if bill is None:
        item = FeeItem.objects.create(project=project, code="sec-reno-deposit", name="装修押金", kind=FeeKind.DEPOSIT)
        bill = deposit_charge(room=room, item=item, amount_fen=200000, note="装修押金", actor=pm, now=start)
        Renovation.objects.filter(pk=renovation.pk).update(deposit_bill=bill)
    if bill.open_fen:
        payment_take(room=room, amount=int(bill.open_fen), method="cash", actor=pm, bill_ids=[bill.pk], payer="业主",
                     channel="app", now=ctx.now)
    failed = f"{ctx.marker}：楼道堆放建筑垃圾"
    inspection = inspection_record(actor=pm, renovation_id=renovation.pk, now=ctx.now - timedelta(days=2),
                                   data=InspectionInput(answers=[
                                       ItemAnswer(label, i != 2, failed if i == 2 else "")
                                       for i, label in enumerate(DEFAULT_CHECKLIST)], photos=[_jpeg()]))
    rectification = RenovationRectification.objects.get(inspection=inspection)
    complaint = request_submit(actor=ctx.people["agent"], project=project, now=ctx.now - timedelta(days=1),
                               data=RequestInput(channel="phone", kind="complaint", room_id=room.pk,
                                                 reporter_id=ctx.resident.pk,
                                                 description=f"{ctx.marker}投诉：楼上装修电钻噪音",
                                                 complaint_category="property", severity="minor"))
    link = complaint_link(actor=pm, renovation_id=renovation.pk, request=complaint, now=ctx.now - timedelta(hours=20))
    acceptance = acceptance_record(actor=pm, renovation_id=renovation.pk, now=ctx.now - timedelta(hours=2),
                                   data=AcceptanceInput(passed=True, note=f"{ctx.marker}验收备注",
                                                        deductions=[Deduction(f"{ctx.marker}墙面污损", 10000)]))
    return {"reno_insp": renovation.pk, "reno_insp_rect": rectification.pk, "reno_insp_acceptance": acceptance.pk,
            "reno_insp_photo": inspection.photos.get().pk, "reno_insp_link": link.pk,
            "reno_insp_complaint": complaint.pk}, (failed, f"{ctx.marker}墙面污损")
