"""Patrols (issue 13) in each scope: a plan with a checkpoint on a common area, today's round in progress with one
checkpoint record (and its finding's request); the checkpoint's QR token is the key of the scan route."""

from datetime import timedelta

from propdesk.org.models import CommonArea
from propdesk.stewardship.models import PatrolCheckpoint, PatrolFinding, PatrolPlan, PatrolRound, PatrolVisit


def populate(ctx):
    agent = ctx.people["agent"]
    area = CommonArea.objects.create(project=ctx.project, kind="lobby", name=f"{ctx.marker}巡查大堂")
    plan = PatrolPlan.objects.create(project=ctx.project, name=f"{ctx.marker}日常巡查", windows=["00:00-23:00"],
                                     assignee_role="agent", supervisor=ctx.people["project_manager"],
                                     created_at=ctx.now)
    checkpoint = PatrolCheckpoint.objects.create(
        plan=plan, project=ctx.project, position=1, name=f"{ctx.marker}消防栓", common_area=area,
        items=[{"text": f"{ctx.marker}水带完好", "photo_required": False, "note_required": False}])
    patrol_round = PatrolRound.objects.create(
        plan=plan, project=ctx.project, day=ctx.now.date(), window_index=0, status="in_progress",
        window_start=ctx.now - timedelta(hours=1), window_end=ctx.now + timedelta(hours=1), started_at=ctx.now,
        started_by=agent, checkpoints_total=1, checkpoints_done=1, findings=1)
    visit = PatrolVisit.objects.create(round=patrol_round, checkpoint=checkpoint, project=ctx.project,
                                       visited_at=ctx.now, visited_by=agent,
                                       results=[{"fine": False, "note": f"{ctx.marker}水带破损"}], all_fine=False)
    PatrolFinding.objects.create(visit=visit, project=ctx.project, item_index=0, item_text=f"{ctx.marker}水带完好",
                                 note=f"{ctx.marker}水带破损", request=ctx.request)
    ids = {"patrol_plan": plan.pk, "patrol_checkpoint": checkpoint.pk, "patrol_round": patrol_round.pk,
           "patrol_token": checkpoint.token}
    return ids, (f"{ctx.marker}日常巡查", f"{ctx.marker}消防栓", f"{ctx.marker}水带破损")
