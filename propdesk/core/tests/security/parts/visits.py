"""Home visits 拜访 of a scope: the default plans, a steward of the scope's home and one visit record with a need
noted (no request: the route only needs the rows)."""

from datetime import timedelta

from propdesk.core.testing import make_user
from propdesk.org.models import Building
from propdesk.stewardship.models import HomeVisit, HomeVisitNeed, HomeVisitPlan, ZoneAssignment
from propdesk.stewardship.services.visits import plans_ensure_defaults


def populate(ctx):
    steward = make_user(f"{ctx.tag}_visits_steward", role="steward", project=ctx.project,
                        display_name=f"{ctx.marker}管家")
    building = Building.objects.get(pk=ctx.room.building_id)
    if not ZoneAssignment.objects.filter(building=building).exists():
        ZoneAssignment.objects.create(project=ctx.project, building=building, steward=steward, assigned_at=ctx.now)
    plans_ensure_defaults(project=ctx.project, now=ctx.now)
    type(ctx.resident).objects.filter(pk=ctx.resident.pk).update(is_vip=True)
    plan = HomeVisitPlan.objects.get(project=ctx.project, target="vip")
    visit = HomeVisit.objects.create(
        project=ctx.project, resident=ctx.resident, room=ctx.room, steward=steward, way="in_person",
        visited_at=ctx.now - timedelta(days=40), met=f"{ctx.marker}业主本人", discussed=f"{ctx.marker}拜访谈话内容",
        impression="neutral", created_at=ctx.now - timedelta(days=40))
    HomeVisitNeed.objects.create(visit=visit, kind="help", description=f"{ctx.marker}拜访需求")
    return ({"visit_plan": plan.pk, "home_visit": visit.pk},
            (f"{ctx.marker}管家", f"{ctx.marker}拜访谈话内容", f"{ctx.marker}拜访需求"))
