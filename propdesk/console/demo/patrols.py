"""Patrols 巡检 of the demo: in every project the customer-service assistant's daily area patrol (9:30–11:00 and
15:00–17:00, six checkpoints on common areas, done by whoever of the agents starts it) and the steward's monthly
fire-equipment inspection (消防设施月检, on the 15th); a month of round history — mostly on time, some late, a few
missed — whose findings became requests through the service (dispatched by the project's rules), and today's and
tomorrow's rounds due. Rows are written with bulk_create; only the ~20 findings a project go through the service."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from propdesk.console.demo.spec import staff_username
from propdesk.org.models import CommonArea, Project
from propdesk.servicedesk.services.policy import policy_for
from propdesk.stewardship.models import PatrolCheckpoint, PatrolFinding, PatrolPlan, PatrolRound, PatrolVisit
from propdesk.stewardship.rules.patrols import due_rounds
from propdesk.stewardship.services.findings import finding_to_request
from propdesk.stewardship.services.patrols.plans import schedule_of
from propdesk.stewardship.services.patrols.sweep import rounds_materialise

# What the assistant looks at, by kind of common area (the handbook's 日常巡视 list).
AREA_ITEMS = {
    "garage": ["车辆停放有序、无占用消防通道", "照明正常", "地面无积水、无油污"],
    "square": ["道路清洁", "休闲设施完好", "无乱堆乱放"],
    "clubhouse": ["清洁卫生", "设施设备运行正常", "洗手间卫生纸、洗手液充足"],
    "greenery": ["绿化修剪整齐、无枯死", "无垃圾杂物"],
    "lobby": ["大堂地面清洁", "门禁、照明正常", "公告栏整洁"],
    "elevator": ["轿厢清洁", "按钮、照明、通话正常"],
    "other": ["清洁卫生", "设施完好"],
}
FIRE_ITEMS = ["消火栓水带、水枪齐全", "灭火器压力正常、在有效期内", "应急照明、疏散指示正常", "消防通道畅通"]
FINDING_NOTES = {
    "车辆停放有序、无占用消防通道": "一辆白色轿车占用消防通道，已联系秩序部", "照明正常": "两盏灯不亮",
    "地面无积水、无油污": "B1层东侧地面积水", "道路清洁": "主干道落叶较多", "休闲设施完好": "儿童滑梯扶手松动",
    "设施设备运行正常": "跑步机显示屏不亮", "洗手间卫生纸、洗手液充足": "男洗手间洗手液用完",
    "绿化修剪整齐、无枯死": "东侧两棵桂花树枯死", "无垃圾杂物": "绿地内有装修垃圾",
    "灭火器压力正常、在有效期内": "3具灭火器压力不足", "应急照明、疏散指示正常": "一处疏散指示灯不亮",
}


def _stamp(day: date, at: time, zone) -> datetime:
    return datetime.combine(day, at, zone)


def _plans(project, users, areas) -> list[PatrolPlan]:
    now = timezone.now()
    pm = users.get(staff_username("pm", project.code))
    steward = users.get(staff_username("steward", project.code))
    daily = PatrolPlan.objects.create(
        project=project, name="客服助理日常巡查", windows=["09:30-11:00", "15:00-17:00"], assignee_role="agent",
        supervisor=pm, working_days_only=False, created_at=now - timedelta(days=40))
    monthly = PatrolPlan.objects.create(
        project=project, name="消防设施月检", windows=["09:00-12:00"], frequency="monthly", day_of_month=15,
        assignee=steward, assignee_role="" if steward else "steward", supervisor=pm,
        created_at=now - timedelta(days=40))
    points = []
    for position, area in enumerate(areas[:6], start=1):
        points.append(PatrolCheckpoint(plan=daily, project=project, position=position, name=area.name,
                                       common_area=area, building_id=area.building_id, items=[
                                           {"text": text, "photo_required": True, "note_required": i == 0}
                                           for i, text in enumerate(AREA_ITEMS.get(area.kind, AREA_ITEMS["other"]))]))
    fire_places = [a for a in areas if a.kind in ("garage", "clubhouse")][:4] or areas[:2]
    for position, area in enumerate(fire_places, start=1):
        points.append(PatrolCheckpoint(plan=monthly, project=project, position=position, name=f"{area.name}消防设施",
                                       common_area=area, building_id=area.building_id,
                                       items=[{"text": t, "photo_required": True, "note_required": True}
                                              for t in FIRE_ITEMS]))
    PatrolCheckpoint.objects.bulk_create(points)
    return [daily, monthly]


def _history(rng, project, plan, agents, first: date, last: date, calendar, zone) -> list[tuple]:
    """Rounds first..last with their checkpoint records; returns the (visit, item index) chosen to be findings."""
    points = list(plan.checkpoints.all())
    walkers = [plan.assignee] if plan.assignee_id else agents
    rounds, chances = [], []
    for due in due_rounds(schedule_of(plan), first, last, is_workday=calendar.is_workday):
        luck = rng.random()
        row = PatrolRound(plan=plan, project=project, day=due.day, window_index=due.index,
                          window_start=due.window_start, window_end=due.window_end,
                          checkpoints_total=len(points), supervisor_told_at=due.window_end)
        if luck < 0.05 or not walkers:
            row.status = "missed"
        else:
            row.started_by = rng.choice(walkers)
            row.started_at = due.window_start + timedelta(minutes=rng.randint(-10, 20))
            late = luck > 0.9
            minutes = (due.window_end - due.window_start).total_seconds() / 60
            row.finished_at = (due.window_end + timedelta(minutes=rng.randint(20, 60)) if late else
                               row.started_at + timedelta(minutes=rng.randint(30, int(minutes))))
            row.status = "late" if late else "on_time"
            row.checkpoints_done = len(points) - (1 if late and len(points) > 3 else 0)
        rounds.append(row)
    PatrolRound.objects.bulk_create(rounds)
    visits = []
    for row in rounds:
        if row.status == "missed":
            continue
        step = (row.finished_at - row.started_at) / max(1, row.checkpoints_done)
        for index, point in enumerate(points[:row.checkpoints_done]):
            visits.append(PatrolVisit(round=row, checkpoint=point, project=project, visited_by=row.started_by,
                                      visited_at=row.started_at + step * index,
                                      results=[{"fine": True, "note": ""} for _ in point.items]))
    PatrolVisit.objects.bulk_create(visits)
    for visit in visits:
        if rng.random() < 0.08:
            chances.append((visit, rng.randrange(len(visit.checkpoint.items))))
    return chances


def _findings(project, chances, limit: int) -> int:
    made = 0
    for visit, index in chances[:limit]:
        item = visit.checkpoint.items[index]["text"]
        note = FINDING_NOTES.get(item, "需要处理")
        request = finding_to_request(
            actor=visit.visited_by, project=project, now=visit.visited_at, channel="patrol",
            description=f"巡查{visit.round.plan.name}，{visit.checkpoint.name}：{item}不合格。{note}",
            common_area_id=visit.checkpoint.common_area_id, location_note=visit.checkpoint.name)
        visit.results[index] = {"fine": False, "note": note}
        PatrolVisit.objects.filter(pk=visit.pk).update(results=visit.results, all_fine=False)
        PatrolFinding.objects.create(visit=visit, project=project, item_index=index, item_text=item, note=note,
                                     request=request)
        PatrolRound.objects.filter(pk=visit.round_id).update(findings=visit.round.findings + 1)
        visit.round.findings += 1
        made += 1
    return made


def build_patrols(plan, *, today: date, stdout=None) -> dict[str, int]:
    """Write the demo's patrol plans, a month of rounds with findings, and today's rounds; returns counts."""
    rng = random.Random(f"{plan.seed}-patrols")
    codes = [p.spec.code for p in plan.projects]
    users = {u.username: u for u in get_user_model().objects.filter(staff_profile__project__code__in=codes)}
    counts = {"patrol_plans": 0, "patrol_rounds": 0, "patrol_findings": 0}
    limit = max(2, round(20 * min(plan.scale, 1.0)))
    for project in Project.objects.filter(code__in=codes).order_by("id"):
        areas = list(CommonArea.objects.filter(project=project).order_by("id"))
        if not areas:
            continue
        zone = ZoneInfo(project.timezone or "Asia/Shanghai")
        calendar = policy_for(project).calendar
        agents = [u for name, u in sorted(users.items())
                  if name.startswith("agent_") and name.split("_", 1)[1].rstrip("0123456789") == project.code]
        plans = _plans(project, users, areas)
        chances = []
        for patrol_plan in plans:
            chances += _history(rng, project, patrol_plan, agents, today - timedelta(days=30),
                                today - timedelta(days=1), calendar, zone)
        rng.shuffle(chances)
        counts["patrol_findings"] += _findings(project, chances, limit)
        rounds_materialise(now=_stamp(today, time(8, 0), zone), plans=PatrolPlan.objects.filter(project=project))
        counts["patrol_plans"] += len(plans)
    counts["patrol_rounds"] = PatrolRound.objects.filter(project__code__in=codes).count()
    if stdout is not None:
        stdout.write(f"  patrols: {counts['patrol_plans']} plans, {counts['patrol_rounds']} rounds, "
                     f"{counts['patrol_findings']} findings\n")
    return counts
