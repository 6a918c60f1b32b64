"""Vacant homes (issue 13: vacant): a vacant home in building 5 of the scope's project, a saved checklist and an
inspection of the home with a finding that became a request."""

from datetime import timedelta

from propdesk.org.choices import RoomStatus
from propdesk.org.models import Building, Room
from propdesk.org.services.buildings import building_create
from propdesk.stewardship.rules.vacant import ItemAnswer
from propdesk.stewardship.services.vacant import InspectionInput, vacant_checklist_update, vacant_inspection_record


def populate(ctx):
    project, pm = ctx.project, ctx.people["project_manager"]
    if not Building.objects.filter(project=project, number="5").exists():
        building_create(project=project, number="5", floors=6, units=1, rooms_per_floor=4)
    room = Room.objects.get(project=project, code="5-1-601")
    Room.objects.filter(pk=room.pk).update(status=RoomStatus.VACANT)
    items = ["门窗关闭", f"{ctx.marker}无渗漏"]
    vacant_checklist_update(actor=pm, project=project, items=items, interval_days=30, now=ctx.now)
    inspection = vacant_inspection_record(actor=pm, room_id=room.pk, now=ctx.now - timedelta(days=1), data=(
        InspectionInput(answers=[ItemAnswer(items[0], True), ItemAnswer(items[1], False, f"{ctx.marker}：天花渗水")],
                        note=f"{ctx.marker}空置房巡查备注")))
    return {"vacant_room": room.pk, "vacant_inspection": inspection.pk}, (f"{ctx.marker}：天花渗水",)
