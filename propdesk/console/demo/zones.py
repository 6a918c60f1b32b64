"""Zones 责任区 of the demo: in every project the buildings go to its stewards (steward_<code>, steward_<code>2),
balanced by homes (the largest building to whoever has fewest homes so far); and first contacts 首次联系 — for the
residents who moved in during the last three weeks a task for their steward: the recent ones open, the older ones
late (those already sent to the project manager), a few recorded by phone or in person. Written with bulk_create."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from propdesk.console.demo.spec import staff_username
from propdesk.customers.models import Occupancy
from propdesk.org.models import Building, Project
from propdesk.stewardship.models import ContactTask, ZoneAssignment
from propdesk.stewardship.models.contacts import CONTACT_DAYS, ContactMethod, ContactReason, ContactStatus

RECENT_DAYS = 21  # occupancies that started this many days before ``today`` get a first-contact task
NOTES = ("电话自我介绍，告知管家电话和服务中心位置", "上门拜访，了解装修计划，提醒装修需报备",
         "加了微信，发送了入住须知和缴费方式", "住户在外地，约好周末回来时上门", "介绍了门禁卡办理和快递柜位置")


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def balance_buildings(buildings: list[tuple[int, int]], steward_ids: list[int]) -> dict[int, int]:
    """{building id: steward id} for (building id, homes) pairs: largest building first, each to the steward with
    the fewest homes so far (ties: the first steward)."""
    load = dict.fromkeys(steward_ids, 0)
    result = {}
    for building_id, homes in sorted(buildings, key=lambda b: (-b[1], b[0])):
        steward_id = min(steward_ids, key=lambda s: (load[s], steward_ids.index(s)))
        result[building_id] = steward_id
        load[steward_id] += homes
    return result


def build_zones(plan, *, today: date, stdout=None) -> dict[str, int]:
    """Assign every building of every demo project and write its first-contact tasks; returns counts."""
    rng = random.Random(f"zones-{plan.seed}")
    now = _noon(today)
    users = get_user_model().objects
    zones, tasks = [], []
    for project_plan in plan.projects:
        code = project_plan.spec.code
        project = Project.objects.filter(code=code).first()
        if project is None:
            continue
        stewards = list(users.filter(username__in=[staff_username("steward", code), staff_username("steward2", code)])
                        .order_by("username"))
        if not stewards:
            continue
        pm = users.filter(username=staff_username("pm", code)).first()
        buildings = list(Building.objects.filter(project=project).annotate(homes=Count("rooms"))
                         .values_list("id", "homes"))
        owner_of = balance_buildings(buildings, [s.pk for s in stewards])
        zones += [ZoneAssignment(project=project, building_id=building_id, steward_id=steward_id,
                                 assigned_at=now - timedelta(days=90), assigned_by=pm)
                  for building_id, steward_id in owner_of.items()]
        seen = set()
        recent = (Occupancy.objects.filter(project=project, start_date__gte=today - timedelta(days=RECENT_DAYS),
                                           start_date__lte=today, end_date__isnull=True)
                  .select_related("room").order_by("start_date", "id"))
        for occupancy in recent:
            steward_id = owner_of.get(occupancy.room.building_id)
            if steward_id is None or (occupancy.resident_id, steward_id) in seen:
                continue
            seen.add((occupancy.resident_id, steward_id))
            created = _noon(occupancy.start_date) + timedelta(hours=rng.randint(-3, 5))
            due = created + timedelta(days=CONTACT_DAYS)
            task = ContactTask(project=project, resident_id=occupancy.resident_id, room_id=occupancy.room_id,
                               steward_id=steward_id, reason=ContactReason.MOVED_IN, created_at=created, due_at=due)
            if rng.random() < 0.45 and created + timedelta(days=1) < now:  # made in time
                task.status, task.method = ContactStatus.DONE, rng.choice(ContactMethod.values)
                task.done_at = min(now, created + timedelta(days=rng.randint(1, CONTACT_DAYS - 1), hours=2))
                task.done_by_id, task.note = steward_id, rng.choice(NOTES)
            elif due < now - timedelta(hours=1):  # late: the hourly sweep has told the project manager
                task.escalated_at = due + timedelta(minutes=rng.randint(5, 59))
            tasks.append(task)
    ZoneAssignment.objects.bulk_create(zones, batch_size=500)
    ContactTask.objects.bulk_create(tasks, batch_size=1000)
    if stdout is not None:
        late = sum(1 for t in tasks if t.status == ContactStatus.OPEN and t.due_at < now)
        stdout.write(f"Zones: {len(zones)} buildings with a steward, {len(tasks)} first contacts ({late} late)\n")
    return {"zones": len(zones), "contact_tasks": len(tasks)}
