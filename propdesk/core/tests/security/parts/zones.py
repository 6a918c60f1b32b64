"""The zones part in each scope of the security world: a steward of the scope's project who holds the building of
the scope's home (3-2-1802), and an open first-contact task for the scope's resident."""

from datetime import timedelta

from propdesk.core.testing import make_user
from propdesk.stewardship.models import ContactTask, ZoneAssignment


def populate(ctx):
    name = f"{ctx.marker}管家"
    steward = make_user(f"{ctx.tag}_zones_steward", role="steward", project=ctx.project, display_name=name)
    steward.staff_profile.mobile = "13700001111"
    steward.staff_profile.save(update_fields=["mobile"])
    ZoneAssignment.objects.update_or_create(building_id=ctx.room.building_id, defaults={
        "project": ctx.project, "steward": steward, "assigned_at": ctx.now, "assigned_by": ctx.admin})
    note = f"{ctx.marker}首次联系备注"
    task = ContactTask.objects.create(project=ctx.project, resident=ctx.resident, room=ctx.room, steward=steward,
                                      reason="moved_in", created_at=ctx.now, due_at=ctx.now + timedelta(days=7),
                                      note=note)
    return ({"zone_steward": steward.pk, "zone_building": ctx.room.building_id, "contact_task": task.pk},
            (name, note))
