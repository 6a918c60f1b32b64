"""Move-in 入伙/交房 of the demo: a new building of the first project (翠湖花园 when present) being handed over. The
developer's after-sales department with its contact (``developer_<project>``, the demo password), a buyer for every
home, slots on the coming working days (mornings and afternoons, three homes a half hour) with about half the places
booked, and handovers of the last three weeks done through ``handover_complete`` (documents, keys, meters, rooms),
about two in five with defects routed to the developer; a few of those fixed since (their requests closed)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from propdesk.console.demo.history.spec import SIGNATURE
from propdesk.console.demo.spec import staff_username
from propdesk.core.errors import ApplicationError
from propdesk.movein.models import BookingChannel, BookingStatus, Handover, HandoverBooking, HandoverBuyer, HandoverSlot
from propdesk.movein.rules.handover import AREAS, DOCUMENTS, KEYS
from propdesk.movein.services.handover import AreaInput, HandoverInput, handover_complete
from propdesk.movein.services.slots import booking_create, slots_batch
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Building, Department, Project, Room
from propdesk.org.services.buildings import building_create
from propdesk.servicedesk.choices import WorkOrderStatus
from propdesk.servicedesk.models import WorkOrder
from propdesk.servicedesk.rules.transitions import WorkOrderAction
from propdesk.servicedesk.services.policy import policy_for
from propdesk.servicedesk.services.workorders import workorder_act
from propdesk.staff.models import StaffProfile
from propdesk.stewardship.models import ZoneAssignment

BUILDING = "12"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "晓东", "雨桐", "子涵", "浩然", "欣怡", "建华", "志刚")
DEFECTS = {"客厅": ("墙面空鼓约30cm²", "踢脚线开裂", "地砖一块破损"), "主卧": ("窗框密封胶脱落", "墙面有裂纹"),
           "次卧": ("门吸缺失", "飘窗石材有划痕"), "厨房": ("橱柜门变形关不严", "水槽下方渗水"),
           "卫生间": ("地漏倒坡，淋浴区积水", "马桶底座松动", "墙砖空鼓"), "阳台": ("栏杆立柱松动", "排水立管有裂缝"),
           "入户门": ("入户门锁芯卡滞", "门框变形"), "门窗": ("推拉窗五金件缺失",), "水电": ("厨房一路插座无电",)}
HANDOVERS_DONE = 14
DEFECT_SHARE = 0.4
FIXED_SHARE = 0.3


def _developer(project: Project):
    department, _created = Department.objects.get_or_create(
        project=project, kind=DepartmentKind.DEVELOPER,
        defaults={"branch_id": project.branch_id, "name": f"{project.name}开发商售后"})
    user_model = get_user_model()
    username = staff_username("developer", project.code)
    user = user_model.objects.filter(username=username).first()
    if user is None:
        from propdesk.console.demo.write import _password_hash

        user = user_model.objects.create(username=username, password=_password_hash())
        StaffProfile.objects.create(user=user, role="dept_staff", company_id=project.company_id,
                                    branch_id=project.branch_id, project=project, department=department,
                                    display_name="黄工（开发商售后）", mobile="13900012345")
    return department, user


def _workdays(project: Project, first: date, count: int) -> list[date]:
    calendar, days, day = policy_for(project).calendar, [], first
    while len(days) < count:
        if calendar.is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _checklist(rng: random.Random, with_defects: bool) -> HandoverInput:
    broken = set(rng.sample(sorted(DEFECTS), rng.randint(1, 3))) if with_defects else set()
    areas = [AreaInput(area, area not in broken, rng.choice(DEFECTS[area]) if area in broken else "")
             for area in AREAS]
    return HandoverInput(documents=list(DOCUMENTS), keys={k: (3 if i == 0 else rng.randint(1, 2))
                                                          for i, k in enumerate(KEYS)},
                         readings={"water": f"{rng.uniform(0, 3):.2f}", "power": f"{rng.uniform(0, 30):.1f}",
                                   "gas": f"{rng.uniform(0, 2):.2f}"},
                         areas=areas, moves_in=rng.random() < 0.6)


def build_movein(plan=None, *, today: date, stdout=None, project: Project | None = None) -> dict[str, int]:
    """Write the demo's handover building; returns counts."""
    rng = random.Random((getattr(plan, "seed", 0) or 0) + 14)
    project = project or Project.objects.filter(code="cuihu").first() or Project.objects.order_by("id").first()
    counts = {"handover_buyers": 0, "handover_slots": 0, "handover_bookings": 0, "handovers": 0,
              "handover_defects": 0}
    if project is None:
        return counts
    pm = get_user_model().objects.filter(username=staff_username("pm", project.code)).first()
    staff = get_user_model().objects.filter(username=staff_username("steward", project.code)).first() or pm
    if pm is None or staff is None:
        return counts
    _developer(project)
    if not Building.objects.filter(project=project, number=BUILDING).exists():
        building_create(project=project, number=BUILDING, floors=11, units=2, rooms_per_floor=2, area=118)
    building = Building.objects.get(project=project, number=BUILDING)
    # The project's steward takes the new building into their zone before the first owner gets their keys.
    ZoneAssignment.objects.get_or_create(building=building, defaults={
        "project": project, "steward": staff, "assigned_at": timezone.make_aware(
            datetime.combine(today - timedelta(days=31), time(9, 0))), "assigned_by": pm})
    rooms = list(Room.objects.filter(building=building).order_by("code"))
    now = timezone.make_aware(datetime.combine(today, time(10, 0)))
    entered = now - timedelta(days=30)
    buyers = []
    for room in rooms:
        if HandoverBuyer.objects.filter(room=room).exists():
            continue
        buyers.append(HandoverBuyer(project=project, building=building, room=room, name=_name(rng),
                                    mobile=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}", created_at=entered,
                                    created_by=pm))
    HandoverBuyer.objects.bulk_create(buyers)
    counts["handover_buyers"] = len(buyers)
    buyers = list(HandoverBuyer.objects.filter(building=building).select_related("room").order_by("room__code"))
    rng.shuffle(buyers)
    # The last three weeks: handovers done, each in a past slot of its day.
    past_days = [d for d in _workdays(project, today - timedelta(days=21), 15) if d < today]
    done = [] if Handover.objects.filter(building=building).exists() else buyers[:HANDOVERS_DONE]
    for n, buyer in enumerate(done):
        day = past_days[n % len(past_days)]
        start = timezone.make_aware(datetime.combine(day, time(9 + n % 3, 0)))
        slot = HandoverSlot.objects.create(project=project, building=building, starts_at=start,
                                           ends_at=start + timedelta(minutes=30), capacity=3, booked=1,
                                           created_at=entered, created_by=pm)
        booking = HandoverBooking.objects.create(project=project, slot=slot, buyer=buyer, room=buyer.room,
                                                 channel=BookingChannel.LINK, booked_at=entered + timedelta(days=2))
        handover = handover_complete(actor=staff, room_id=buyer.room_id, booking_id=booking.pk,
                                     now=start + timedelta(minutes=25),
                                     data=_checklist(rng, rng.random() < DEFECT_SHARE or n < 3))
        counts["handovers"] += 1
        for defect in handover.defects.all():
            counts["handover_defects"] += 1
            if rng.random() < FIXED_SHARE:
                _fix(defect, start + timedelta(days=rng.randint(2, 5), hours=rng.randint(0, 5)), now)
    # The coming working days: slots, about half the places booked by the rest of the buyers.
    slots = []
    for day in _workdays(project, today + timedelta(days=1), 5):
        for first, last in ((time(9, 0), time(11, 30)), (time(14, 0), time(16, 30))):
            slots += slots_batch(actor=pm, project=project, building=building, day=day, first=first, last_end=last,
                                 minutes=30, capacity=3, now=now)
    counts["handover_slots"] = len(slots) + counts["handovers"]
    slots = slots or list(HandoverSlot.objects.filter(building=building, starts_at__gt=now))
    waiting = [b for b in buyers[HANDOVERS_DONE:] if not HandoverBooking.objects.filter(
        room_id=b.room_id, status=BookingStatus.BOOKED).exists()]
    for buyer in waiting[: len(waiting) * 3 // 5] if slots else ():
        slot = rng.choice(slots)
        try:
            booking_create(actor=None if rng.random() < 0.8 else pm, buyer=buyer, slot_id=slot.pk, now=now,
                           channel=BookingChannel.LINK)
        except ApplicationError:  # a full slot: this buyer has not booked yet
            continue
        counts["handover_bookings"] += 1
    if stdout is not None:
        stdout.write(f"Move-in: {counts['handover_buyers']} buyers, {counts['handover_slots']} slots, "
                     f"{counts['handover_bookings']} bookings, {counts['handovers']} handovers, "
                     f"{counts['handover_defects']} defects to the developer\n")
    return counts


def _fix(defect, at: datetime, now: datetime) -> None:
    """The developer's after-sales contact takes the defect's order, comes and repairs it, and the owner signs: the
    request is resolved through the work-order actions (its 回访 follows by the rules), when that was before now."""
    order = WorkOrder.objects.filter(request_id=defect.request_id, status=WorkOrderStatus.DISPATCHED,
                                     assignee__isnull=False).select_related("assignee").first()
    if order is None or at + timedelta(hours=3) > now:
        return
    workorder_act(work_order=order, actor=order.assignee, action=WorkOrderAction.ACCEPT, now=at)
    workorder_act(work_order=order, actor=order.assignee, action=WorkOrderAction.ARRIVE, now=at + timedelta(hours=2))
    workorder_act(work_order=order, actor=order.assignee, action=WorkOrderAction.COMPLETE,
                  now=at + timedelta(hours=3), result="开发商售后已维修，业主现场查看无问题", signature=SIGNATURE)
