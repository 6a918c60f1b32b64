"""A small patrol world on project A: the assistant's daily area patrol (9:30–11:00, 15:00–17:00) of three
checkpoints on common areas, given to the agent role, supervised by the PM; today's rounds materialised."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propdesk.core.testing import sh
from propdesk.org.models import CommonArea
from propdesk.stewardship.models import PatrolRound
from propdesk.stewardship.services.patrols.plans import CheckpointInput, PlanInput, checkpoint_add, plan_create
from propdesk.stewardship.services.patrols.sweep import rounds_materialise

NOW = sh(2026, 11, 23, 9, 40)  # a Monday, inside the 09:30 window


def jpeg(name="leak.jpg", color=(180, 40, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def area_patrol(world, *, role="agent", assignee=None, name="客服助理日常巡查", checkpoints=3, now=NOW):
    project = world.project_a
    plan = plan_create(actor=world.users["pm_a"], project=project, now=now, data=PlanInput(
        name=name, windows=["09:30-11:00", "15:00-17:00"], assignee_role="" if assignee else role,
        assignee_id=assignee.pk if assignee else None))
    places = [("lobby", "3栋大堂", ["地面清洁", "照明正常"]),
              ("garage", "地下车库B1", ["车辆停放有序", "消防通道畅通"]),
              ("clubhouse", "会所", ["设施设备正常"]), ("square", "中心广场", ["绿化完好"]),
              ("greenery", "北门绿化带", ["无垃圾堆放"])]
    for kind, label, items in places[:checkpoints]:
        area = CommonArea.objects.create(project=project, kind=kind, name=label)
        checkpoint_add(plan=plan, actor=world.users["pm_a"], data=CheckpointInput(
            name=label, common_area_id=area.pk,
            items=[{"text": text, "photo_required": True, "note_required": i == 0} for i, text in enumerate(items)]))
    rounds_materialise(now=now, plans=type(plan).objects.filter(pk=plan.pk))
    return plan


def morning_round(plan, day=None):
    day = day or NOW.date()
    return PatrolRound.objects.get(plan=plan, day=day, window_index=0)
