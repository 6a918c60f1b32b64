"""Violations (issue 14: violations) in each scope: a violation at the resident's home with a photo, a notice to
the household and a follow-up that found it still there; a second one from the scope's patrol finding."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propdesk.stewardship.models import PatrolFinding
from propdesk.violations.services import ViolationInput, follow_up_record, notice_issue, violation_record


def _jpeg(name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 80, 40)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def populate(ctx):
    pm = ctx.people["project_manager"]
    violation = violation_record(actor=pm, now=ctx.now - timedelta(days=2), data=ViolationInput(
        kind="construction", description=f"{ctx.marker}：阳台违章搭建", project_id=ctx.project.pk,
        room_id=ctx.room.pk, photos=[_jpeg(f"{ctx.tag}-violation.jpg")]))
    notice = notice_issue(actor=pm, violation_id=violation.pk, text=f"{ctx.marker}整改通知：拆除阳台搭建",
                          deadline=(ctx.now + timedelta(days=10)).date(), channel="app",
                          now=ctx.now - timedelta(days=2))
    follow_up_record(actor=pm, violation_id=violation.pk, fixed=False, note=f"{ctx.marker}复查：仍未拆除",
                     now=ctx.now - timedelta(days=1))
    finding = PatrolFinding.objects.filter(project=ctx.project).order_by("id").first()
    ids = {"violation": violation.pk, "violation_notice": notice.pk,
           "violation_photo": violation.photos.order_by("id").first().pk}
    if finding is not None:
        second = violation_record(actor=pm, now=ctx.now - timedelta(days=1), data=ViolationInput(
            kind="fire_lane", description=f"{ctx.marker}：消防通道堆放杂物", finding_id=finding.pk,
            location=f"{ctx.marker}地库入口", photos=[_jpeg(f"{ctx.tag}-lane.jpg")]))
        ids.update(patrol_finding=finding.pk, violation_from_finding=second.pk)
    return ids, (f"{ctx.marker}：阳台违章搭建", f"{ctx.marker}整改通知：拆除阳台搭建", f"{ctx.marker}复查：仍未拆除",
                 f"{ctx.marker}：消防通道堆放杂物")
