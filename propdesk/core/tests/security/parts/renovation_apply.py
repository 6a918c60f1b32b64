"""Renovation applications (issue 14: renov-apply): on the scope's resident's home, one application refused (with a
drawing) and one approved (deposit and debris fee charged, permit and a worker's pass with a photo). "renovation" is
the approved one (open: the inspections part works on it); "renovation_closed" the refused one."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from propdesk.renovation.services.applications import (
    ApplicationInput,
    WorkerInput,
    renovation_apply,
    renovation_decide,
)


def _jpeg(name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (180, 170, 160)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def populate(ctx):
    today = timezone.localdate(ctx.now)
    start = today + timedelta(days=7 - today.weekday())  # next Monday
    pm, user = ctx.people["project_manager"], ctx.resident.user

    def apply(text, **extra):
        return renovation_apply(actor=user, now=ctx.now, data=ApplicationInput(
            room_id=ctx.room.pk, contractor_name=f"{ctx.marker}装饰公司", contractor_contact="孙立新",
            contractor_phone="13611112222", planned_start=start, planned_end=start + timedelta(days=18),
            description=text, items=["wall_finish", "electrics"], photos=extra.pop("photos", []),
            workers=[WorkerInput(name=f"{ctx.marker}木工", id_number="110105198806052010", trade="木工")]), **extra)

    refused = apply(f"{ctx.marker}装修：卫生间移位", photos=[_jpeg("户型图.jpg")])
    renovation_decide(actor=pm, renovation_id=refused.pk, decision="refused", note=f"{ctx.marker}拒绝理由",
                      now=ctx.now)
    approved = apply(f"{ctx.marker}装修：客厅墙面翻新", worker_photos={0: _jpeg("工人.jpg")})
    renovation_decide(actor=pm, renovation_id=approved.pk, decision="conditions", conditions=f"{ctx.marker}审批条件",
                      now=ctx.now)
    photo = refused.photos.first()
    return ({"renovation": approved.pk, "renovation_closed": refused.pk, "renovation_photo": photo.pk,
             "renovation_worker": approved.workers.first().pk},
            (f"{ctx.marker}装修：客厅墙面翻新", f"{ctx.marker}拒绝理由", f"{ctx.marker}审批条件"))
