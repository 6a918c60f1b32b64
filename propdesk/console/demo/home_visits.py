"""Home visits 拜访 of the demo: the default plans in every project; three months of visits by the stewards to the
elderly living alone (monthly), the VIPs and former committee members (quarterly), a few with needs found, some of
which became requests (through ``findings.finding_to_request``, as the visit page does); and, as a real month looks,
some residents not visited for too long (overdue today), some never visited (due today).

Stewards: the zones part's table (which steward has which building); when it is empty, the project's stewards
round-robin by building. Visits are bulk-created; only the needs that became requests go through the services."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from propdesk.customers.models import Occupancy, Resident
from propdesk.org.models import Project
from propdesk.staff.models import StaffProfile
from propdesk.stewardship.models import HomeVisit, HomeVisitNeed, ZoneAssignment
from propdesk.stewardship.services.findings import finding_to_request
from propdesk.stewardship.services.visits import plans_ensure_defaults

TOPICS = (
    "询问近况，老人身体不错，叮嘱冬季注意防滑，留下管家电话贴在冰箱上",
    "检查燃气灶和热水器，提醒出门关阀；老人说子女每周末来看望",
    "聊了小区停车和绿化，业主对最近的保洁比较满意",
    "业主反映楼下快递柜经常满格，已记录转客服中心",
    "询问家中是否需要代缴水电，老人表示女儿已帮忙开通线上缴费",
    "介绍社区老年食堂和助浴服务，老人有兴趣，下次带资料来",
    "业主提出希望增加儿童游乐设施，已记录建议",
    "电话问候，业主在外地，家中无人，提醒关好水电总阀",
)
NEEDS = (
    ("repair", "卫生间水龙头滴水，希望派人上门检查"),
    ("repair", "入户门闭门器漏油，门关不严"),
    ("help", "老人想申请紧急呼叫器，请客服中心联系社区"),
    ("repair", "阳台晾衣架摇杆卡住，摇不动"),
    ("inquiry", "咨询车位月卡续费的方式"),
)
MET = ("业主本人", "业主和保姆", "业主和女儿", "业主本人（电话）")
REQUESTS_PER_PROJECT = 2


def _stewards_by_building(project: Project) -> dict[int, object]:
    """{building id: steward user}: the zones table, else the project's stewards round-robin by building."""
    zones = {z.building_id: z.steward for z in ZoneAssignment.objects.filter(project=project)
             .select_related("steward")}
    if zones:
        return zones
    stewards = [p.user for p in StaffProfile.objects.filter(project=project, role="steward", is_active=True)
                .select_related("user").order_by("id")]
    if not stewards:
        return {}
    buildings = project.buildings.order_by("id").values_list("pk", flat=True)
    return {building_id: stewards[index % len(stewards)] for index, building_id in enumerate(buildings)}


def _at(day: date, rng: random.Random) -> datetime:
    """A working-hours time on ``day``: 9:30–11:30 or 14:30–17:00 (never in the residents' rest hours)."""
    minute = rng.choice((rng.randint(9 * 60 + 30, 11 * 60 + 30), rng.randint(14 * 60 + 30, 17 * 60)))
    return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))


def _covered(project: Project, today: date) -> list[tuple[Resident, Occupancy]]:
    """The residents the default plans cover who live in the project now, with one current home each."""
    residents = Resident.objects.filter(Q(is_elderly_alone=True) | Q(is_vip=True) | Q(is_former_committee=True),
                                        project=project)
    homes = {}
    for occupancy in (Occupancy.objects.current(on=today).filter(resident__in=residents)
                      .select_related("room", "resident").order_by("id")):
        homes.setdefault(occupancy.resident_id, occupancy)
    return [(home.resident, home) for home in sorted(homes.values(), key=lambda o: o.resident_id)]


def _visit_days(resident: Resident, index: int, today: date) -> list[date]:
    """When a resident was visited in the last three months: the elderly monthly, the others once a quarter. One in
    five was never visited (due today); one in four is overdue today (the last visit one cycle and more ago)."""
    if index % 5 == 4:
        return []
    step = 30 if resident.is_elderly_alone else 91
    if index % 4 == 3:
        last = today - timedelta(days=step + 3 + index % 10)
    else:
        last = today - timedelta(days=2 + index % (step - 8 if step < 90 else 40))
    days, day = [], last
    while day > today - timedelta(days=92) or not days:
        days.append(day)
        day -= timedelta(days=step)
    return sorted(days)


def build_home_visits(plan, *, today: date, stdout=None) -> dict[str, int]:
    """Write the plans and visits of every demo project; returns counts."""
    rng = random.Random(getattr(plan, "seed", 0) * 13 + 7)
    now = timezone.now()
    counts = {"plans": 0, "visits": 0, "needs": 0, "requests": 0}
    codes = [p.spec.code for p in getattr(plan, "projects", [])]
    projects = Project.objects.filter(code__in=codes) if codes else Project.objects.all()
    for project in projects.select_related("company").order_by("id"):
        counts["plans"] += plans_ensure_defaults(project=project, now=now)
        stewards = _stewards_by_building(project)
        if not stewards:
            continue
        visits, wanted = [], []
        for index, (resident, home) in enumerate(_covered(project, today)):
            steward = stewards.get(home.room.building_id)
            if steward is None:
                continue
            for number, day in enumerate(_visit_days(resident, index, today)):
                way = "phone" if (index + number) % 4 == 3 else "in_person"
                visits.append(HomeVisit(
                    project=project, resident=resident, room=home.room, steward=steward, way=way,
                    visited_at=_at(day, rng), met=MET[3] if way == "phone" else rng.choice(MET[:3]),
                    discussed=rng.choice(TOPICS), created_at=_at(day, rng),
                    impression=rng.choices(("satisfied", "neutral", "dissatisfied"), (7, 2, 1))[0]))
                wanted.append((index + number) % 6 == 0)
        HomeVisit.objects.bulk_create(visits, batch_size=500)
        needs, raised = [], 0
        for visit, with_need in zip(visits, wanted, strict=True):
            if not with_need:
                continue
            kind, text = NEEDS[len(needs) % len(NEEDS)]
            request = None
            if raised < REQUESTS_PER_PROJECT and timezone.localdate(visit.visited_at) >= today - timedelta(days=30):
                request = finding_to_request(actor=visit.steward, project=project, description=text, kind=kind,
                                             channel="staff", room_id=visit.room_id, reporter_id=visit.resident_id,
                                             now=visit.visited_at + timedelta(minutes=40))
                raised += 1
            needs.append(HomeVisitNeed(visit=visit, kind=kind, description=text, request=request))
        HomeVisitNeed.objects.bulk_create(needs, batch_size=500)
        counts["visits"] += len(visits)
        counts["needs"] += len(needs)
        counts["requests"] += raised
    if stdout is not None:
        stdout.write(f"Home visits: {counts['plans']} plans, {counts['visits']} visits, {counts['needs']} needs, "
                     f"{counts['requests']} requests\n")
    return counts
