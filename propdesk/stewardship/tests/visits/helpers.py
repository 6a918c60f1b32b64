"""A zone for steward_a (building 3 of A) and residents the default plans cover."""

from propdesk.core.testing import TEST_NOW, make_resident, make_user
from propdesk.org.models import Building
from propdesk.stewardship.models import ZoneAssignment
from propdesk.stewardship.services.visits import plans_ensure_defaults


def zone(world, steward=None, number="3", project=None):
    project = project or world.project_a
    building = Building.objects.get(project=project, number=number)
    ZoneAssignment.objects.update_or_create(building=building, defaults={
        "project": project, "steward": steward or world.users["steward_a"], "assigned_at": TEST_NOW})
    return building


def covered(world):
    """Defaults in A; 周美玲 (3-2-1802) lives alone and is elderly, 吴强 (5-1-301) is a VIP; steward_a has building 3,
    a second steward 李梅 building 5."""
    plans_ensure_defaults(project=world.project_a, now=TEST_NOW)
    world.residents["a_owner"].__class__.objects.filter(pk=world.residents["a_owner"].pk).update(
        is_elderly_alone=True)
    world.residents["a_tenant"].__class__.objects.filter(pk=world.residents["a_tenant"].pk).update(is_vip=True)
    zone(world)
    second = make_user("steward2_a", role="steward", project=world.project_a, display_name="李梅")
    zone(world, steward=second, number="5")
    world.users["steward2_a"] = second
    return world


def many_elderly(world, count, start=1):
    """``count`` more elderly residents in building 3 of A (rooms 3-1-0101…)."""
    rooms = list(world.project_a.rooms.filter(building__number="3").exclude(code="3-2-1802").order_by("code"))
    made = []
    for index in range(start, start + count):
        resident = make_resident(world.project_a, f"老人{index:02d}", f"1380000{index:04d}", rooms[index])
        resident.__class__.objects.filter(pk=resident.pk).update(is_elderly_alone=True)
        made.append(resident)
    return made
