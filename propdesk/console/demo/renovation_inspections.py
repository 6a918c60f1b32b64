"""Renovation inspections 装修巡检 of the demo, per project: homes under renovation inspected every working day by
their building's steward (all fine), one with an open rectification 整改 (垃圾堆放楼道), one whose rectification is
overdue, one waiting for acceptance 验收 (asked in the app), one accepted with a deduction whose deposit refund waits
for the PM, two closed with their refunds paid, and a neighbour's noise complaint linked to a renovation.

The renovations are made here directly (approved, deposit charged and paid through the fees module) since the
applications part writes the approval; everything after approval goes through this part's services."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from propdesk.console.demo.spec import staff_username
from propdesk.customers.models import Occupancy
from propdesk.fees.choices import FeeKind
from propdesk.fees.models import FeeItem
from propdesk.fees.services.deposits import deposit_charge
from propdesk.fees.services.payments import payment_take
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Project, Room
from propdesk.renovation.models import Renovation, RenovationStatus
from propdesk.renovation.services.inspections import (
    DEFAULT_CHECKLIST,
    AcceptanceInput,
    Deduction,
    InspectionInput,
    ItemAnswer,
    acceptance_decide,
    acceptance_record,
    acceptance_request,
    complaint_link,
    inspection_record,
    inspections_sweep,
)
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.stewardship.selectors.zones import steward_by_building

CONTRACTORS = [("美家装饰工程有限公司", "李建平", "13601710011"), ("东易日盛家居装饰", "王磊", "13701820022"),
               ("业之峰装饰", "陈刚", "13801930033"), ("沪上名家装潢", "赵勇", "13902040044"),
               ("城市人家装饰", "孙明", "13512150055")]
WORKS = ["厨卫翻新、更换地砖", "全屋墙面刷漆、更换木地板", "卫生间防水重做、更换洁具", "阳台改造、更换窗户",
         "水电改造、吊顶", "老房整体翻新"]
FAILS = [(2, "建筑垃圾堆放在楼道，未袋装清运"), (1, "电焊作业未办动火审批，现场无灭火器"),
         (0, "12:30 午休时段仍在电钻施工"), (4, "两名工人未佩戴出入证")]
DEDUCTIONS = [("楼道墙面污损修复", 30000), ("电梯轿厢保护膜破损", 20000), ("公共区域垃圾代清运", 15000)]
NOISE = "楼上装修电钻声太大，中午也在敲打，孩子没法午睡，请物业管一管"
DEPOSIT_FEN = 300000


def _at(day: date, rng: random.Random, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0))) + timedelta(minutes=rng.randrange(0, 150))


def _working_days_back(today: date, n: int) -> list[date]:
    days, day = [], today
    while len(days) < n:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _all_pass() -> InspectionInput:
    return InspectionInput(answers=[ItemAnswer(label, True) for label in DEFAULT_CHECKLIST])


def _fail(position: int, note: str) -> InspectionInput:
    return InspectionInput(answers=[ItemAnswer(label, i != position, note if i == position else "")
                                    for i, label in enumerate(DEFAULT_CHECKLIST)])


def _renovation(project, room, owner, pm, item, *, start: date, seq: int, rng: random.Random) -> Renovation:
    contractor, contact, phone = CONTRACTORS[rng.randrange(len(CONTRACTORS))]
    decided = _at(start - timedelta(days=3), rng, 10)
    renovation = Renovation.objects.create(
        project=project, building_id=room.building_id, room=room, status=RenovationStatus.APPROVED, channel="app",
        number=f"ZX{project.code.upper()[:6]}{start:%y%m%d}{90 + seq}", applicant=owner.resident,
        applicant_name=owner.resident.name, applicant_phone=owner.resident.phones.first().number
        if owner.resident.phones.exists() else "", contractor_name=contractor, contractor_contact=contact,
        contractor_phone=phone, planned_start=start, planned_end=start + timedelta(days=rng.choice((45, 60, 90))),
        description=WORKS[rng.randrange(len(WORKS))], decision="approved", decided_by=pm, decided_at=decided,
        permit_number=f"XK{project.code.upper()[:6]}{start:%y%m}{seq:03d}", room_status_before=room.status,
        created_at=decided - timedelta(days=2), created_by=pm)
    Room.objects.filter(pk=room.pk).update(status=RoomStatus.RENOVATING)
    bill = deposit_charge(room=room, item=item, amount_fen=DEPOSIT_FEN, note="装修押金", actor=pm, now=decided)
    if bill.open_fen:  # what the home's prepayment did not already cover
        payment_take(room=room, amount=int(bill.open_fen), method="wechat", actor=pm, bill_ids=[bill.pk],
                     payer=owner.resident.name, channel="app", now=decided + timedelta(hours=2))
    Renovation.objects.filter(pk=renovation.pk).update(deposit_bill=bill)
    renovation.deposit_bill = bill
    return renovation


def _daily(renovation, steward, days, rng) -> int:
    for day in days:
        if day >= renovation.planned_start:
            inspection_record(actor=steward, renovation_id=renovation.pk, data=_all_pass(), now=_at(day, rng))
    return len(days)


def build_renovation_inspections(plan=None, *, today: date, stdout=None) -> dict[str, int]:
    """Write the demo's renovations in progress and their inspections, rectifications and acceptances."""
    rng = random.Random((getattr(plan, "seed", 0) or 0) + 14)
    counts = {"renovations": 0, "renovation_inspections": 0}
    users = get_user_model()
    for project in Project.objects.order_by("id"):
        pm = users.objects.filter(username=staff_username("pm", project.code)).first()
        owners = list(Occupancy.objects.current(today).filter(
            room__project=project, room__status=RoomStatus.OCCUPIED, relation="owner", resident__phones__isnull=False)
            .exclude(room__renovations__isnull=False)  # one open renovation a home: not those of renovations.py
            .select_related("resident", "room").order_by("room_id").distinct()[:400])
        if pm is None or len(owners) < 9:
            continue
        by_room = {o.room_id: o for o in owners}
        chosen = rng.sample(sorted(by_room), 9)
        stewards = steward_by_building({by_room[r].room.building_id for r in chosen})
        fallback = users.objects.filter(username=staff_username("steward", project.code)).first() or pm
        item, _ = FeeItem.objects.get_or_create(project=project, code="renovation-deposit", defaults={
            "name": "装修押金", "kind": FeeKind.DEPOSIT, "position": 90})
        renos = []
        for seq, room_id in enumerate(chosen):
            owner = by_room[room_id]
            start = today - timedelta(days=rng.randrange(8, 40))
            renos.append((_renovation(project, owner.room, owner, pm, item, start=start, seq=seq, rng=rng),
                          stewards.get(owner.room.building_id, fallback), owner))
        week = _working_days_back(today, 5)
        for renovation, steward, _owner in renos[:2]:  # in progress, inspected every working day
            counts["renovation_inspections"] += _daily(renovation, steward, week, rng)
        renovation, steward, _owner = renos[2]  # failed yesterday: the rectification is open
        _daily(renovation, steward, week[:-1], rng)
        position, note = FAILS[rng.randrange(len(FAILS))]
        inspection_record(actor=steward, renovation_id=renovation.pk, data=_fail(position, note),
                          now=_at(week[-1], rng))
        renovation, steward, _owner = renos[3]  # failed a week ago, never put right: overdue after the sweep
        old = _working_days_back(today, 8)[0]
        inspection_record(actor=steward, renovation_id=renovation.pk, data=_fail(2, FAILS[0][1]), now=_at(old, rng))
        renovation, steward, owner = renos[4]  # the household asked for acceptance in the app this morning
        _daily(renovation, steward, week[-2:], rng)
        if owner.resident.user_id:
            acceptance_request(actor=owner.resident.user, resident=owner.resident, renovation_id=renovation.pk,
                               now=_at(today, rng, 8))
        else:
            acceptance_request(actor=steward, renovation_id=renovation.pk, now=_at(today, rng, 8))
        renovation, steward, _owner = renos[5]  # accepted with a deduction: the refund waits for the PM
        reason, fen = DEDUCTIONS[rng.randrange(len(DEDUCTIONS))]
        acceptance_record(actor=steward, renovation_id=renovation.pk, now=_at(week[-1], rng, 14),
                          data=AcceptanceInput(passed=True, deductions=[Deduction(reason, fen)]))
        for renovation, steward, _owner in renos[6:8]:  # closed: refunds approved and paid
            accepted = acceptance_record(
                actor=steward, renovation_id=renovation.pk, now=_at(week[0], rng, 14),
                data=AcceptanceInput(passed=True, deductions=[Deduction(*DEDUCTIONS[0])] if rng.random() < .5 else []))
            if steward.pk != pm.pk:
                acceptance_decide(actor=pm, acceptance_id=accepted.pk, approve=True, now=_at(week[1], rng, 16))
        renovation, steward, _owner = renos[8]  # the noisy one: a neighbour complained, linked to it
        _daily(renovation, steward, week[-3:], rng)
        neighbour = (Room.objects.filter(building_id=renovation.building_id, status=RoomStatus.OCCUPIED)
                     .exclude(pk=renovation.room_id).order_by("id").first())
        agent = users.objects.filter(username=staff_username("agent", project.code)).first() or pm
        if neighbour is not None:
            complaint = request_submit(actor=agent, project=project, now=_at(week[-1], rng, 12), data=RequestInput(
                channel="phone", kind="complaint", description=NOISE, room_id=neighbour.pk, contact_name="邻居业主",
                contact_phone="13916668888", complaint_category="property", severity="minor"))
            complaint_link(actor=steward, renovation_id=renovation.pk, request=complaint, now=_at(week[-1], rng, 15))
        counts["renovations"] += len(renos)
    inspections_sweep(now=_at(today, rng, 8))
    if stdout is not None:
        stdout.write(f"Renovation inspections: {counts['renovations']} renovations under way or done, "
                     f"{counts['renovation_inspections']} daily inspections\n")
    return counts
