"""Violations 违章 of the demo: about thirty a project over the last eleven months, of every kind and in every state
(recorded, notice issued, past its deadline, rectified, closed, escalated to the PM, referred to the authorities),
so that the counts per building and month show. A few come from the project's patrol findings; a violation at a home
under renovation is linked to it (the services pick the home's active renovation). Everything goes through the
services with ``now`` in the past, as a steward and the PM would have done it."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from propdesk.console.demo.spec import staff_username
from propdesk.org.choices import RoomStatus
from propdesk.org.models import CommonArea, Project, Room
from propdesk.renovation.models import ACTIVE_STATUSES, Renovation
from propdesk.stewardship.models import PatrolFinding
from propdesk.violations.services import (
    ViolationInput,
    default_deadline,
    follow_up_record,
    notice_issue,
    violation_close,
    violation_escalate,
    violation_record,
    violation_refer,
)

PER_PROJECT = 30
HOME_KINDS = {
    "construction": ["阳台外扩搭建彩钢棚", "屋顶私自加建阳光房", "入户花园砌墙封闭改为房间", "露台搭建雨棚超出外墙"],
    "noise": ["夜间22点后仍在使用电钻", "家中KTV音响至凌晨，邻居多次投诉", "周末早7点开始敲墙"],
    "pets": ["大型犬出户未牵绳，吓到小孩", "宠物狗在电梯厅便溺未清理", "楼道内散养猫多只，气味大"],
    "littering": ["从窗口抛下烟头，落在一楼花园", "高空抛下装修垃圾袋", "阳台抛下西瓜皮砸到车辆"],
    "group_rental": ["一套房隔成六间出租，住十余人", "客厅加装隔断床位出租"],
    "other": ["阳台堆放大量易燃纸箱", "空调外机移位至公共管井"],
}
PLACE_KINDS = {
    "fire_lane": [("3号楼东侧消防通道堆放装修材料", "消防通道"), ("电动车停在消防登高面", "消防登高面"),
                  ("地库消防通道被杂物堵塞", "地库入口")],
    "parking": [("私家车长期占用消防车道停放", "南门消防车道"), ("车辆停在草坪上", "中心花园"),
                ("外来车辆堵住地库出口", "地库出口")],
}
# How each violation of a home ends up: weighted so that every state is there and most are closed.
HOME_FATES = ["closed", "closed", "closed", "rectified", "notified", "overdue", "escalated", "referred", "open",
              "closed"]
PLACE_FATES = ["closed", "closed", "open", "escalated", "referred"]
AUTHORITIES = {"construction": "chengguan", "group_rental": "police", "fire_lane": "fire", "parking": "chengguan",
               "littering": "police", "noise": "police", "pets": "street", "other": "street"}
OUTCOMES = ["业主已自行拆除，复查确认", "已整改，邻里沟通完毕", "车主已挪车并签字承诺", "已清理完毕",
            "城管执法拆除后结案"]


def _photo(rng: random.Random, n: int) -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (48, 36), (rng.randrange(60, 220), rng.randrange(60, 220), rng.randrange(60, 220))).save(
        out, "JPEG")
    return SimpleUploadedFile(f"violation-{n}.jpg", out.getvalue(), content_type="image/jpeg")


def _at(day: date, rng: random.Random, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour))) + timedelta(minutes=rng.randrange(0, 300))


def _days_ago(fate: str, rng: random.Random) -> int:
    return {"open": rng.randrange(0, 3), "notified": rng.randrange(0, 2), "overdue": rng.randrange(12, 20),
            "escalated": rng.randrange(25, 120), "referred": rng.randrange(30, 200)}.get(fate, rng.randrange(20, 330))


def build_violations(plan=None, *, today: date, stdout=None) -> dict[str, int]:
    """Write the demo's violations; returns counts."""
    rng = random.Random((getattr(plan, "seed", 0) or 0) + 29)
    users = get_user_model().objects
    counts = {"violations": 0, "violation_notices": 0}
    for project in Project.objects.order_by("id"):
        pm = users.filter(username=staff_username("pm", project.code)).first()
        steward = users.filter(username=staff_username("steward", project.code)).first() or pm
        rooms = list(Room.objects.filter(project=project, status=RoomStatus.OCCUPIED).order_by("id")[:400])
        if pm is None or not rooms:
            continue
        areas = list(CommonArea.objects.filter(project=project).order_by("id"))
        findings = list(PatrolFinding.objects.filter(project=project).order_by("id")[:3])
        renovating = Renovation.objects.filter(project=project, status__in=ACTIVE_STATUSES).order_by("id").first()
        for n in range(PER_PROJECT):
            at_home = n % 4 != 3
            if at_home:
                kind = rng.choice(sorted(HOME_KINDS))
                description, place = rng.choice(HOME_KINDS[kind]), ""
                fate = HOME_FATES[n % len(HOME_FATES)]
                room = rooms[rng.randrange(len(rooms))]
                if n == 0 and renovating is not None:  # one at a home under renovation: linked to it
                    kind, room, fate = "construction", renovating.room, "notified"
                    description = "装修中擅自拆改阳台外墙"
            else:
                kind = rng.choice(sorted(PLACE_KINDS))
                description, place = rng.choice(PLACE_KINDS[kind])
                fate, room = PLACE_FATES[(n // 4) % len(PLACE_FATES)], None
            finding = findings.pop() if not at_home and findings else None
            recorded = _at(today - timedelta(days=_days_ago(fate, rng)), rng)
            recorded = min(recorded, timezone.now() - timedelta(hours=3))  # the notice two hours later: still past
            violation = violation_record(actor=steward, now=recorded, data=ViolationInput(
                kind=kind, description=description, project_id=project.pk, room_id=room.pk if room else None,
                common_area_id=areas[rng.randrange(len(areas))].pk if areas and not room and not finding else None,
                location=place, finding_id=finding.pk if finding else None, photos=[_photo(rng, n)]))
            counts["violations"] += 1
            later = recorded + timedelta(hours=2)
            if room is not None and fate != "open":
                deadline = default_deadline(project=project, kind=kind, today=recorded.date())
                notice_issue(actor=steward, violation_id=violation.pk, deadline=deadline, now=later,
                             channel=rng.choice(["app", "app", "paper"]),
                             text=f"经查，您的住房{room.code}存在{violation.get_kind_display()}：{description}。"
                                  f"请于{deadline:%Y年%m月%d日}前整改完毕。")
                counts["violation_notices"] += 1
                check = _at(deadline + timedelta(days=1), rng, hour=10)
                if fate in ("rectified", "closed"):
                    follow_up_record(actor=steward, violation_id=violation.pk, fixed=True, note="复查已整改",
                                     now=_at(deadline, rng, hour=10))
                    if fate == "closed":
                        violation_close(actor=steward, violation_id=violation.pk, outcome=rng.choice(OUTCOMES),
                                        now=_at(deadline, rng, hour=16))
                elif fate in ("escalated", "referred"):
                    follow_up_record(actor=steward, violation_id=violation.pk, fixed=False, note="复查仍未整改",
                                     now=check)
            elif fate == "closed":
                violation_close(actor=steward, violation_id=violation.pk, outcome=rng.choice(OUTCOMES), now=later)
            elif fate in ("escalated", "referred"):
                violation_escalate(actor=pm, violation_id=violation.pk, reason="多次劝阻无效", now=later)
            if fate == "referred":
                violation.refresh_from_db()
                violation_refer(actor=pm, violation_id=violation.pk, authority=AUTHORITIES[kind],
                                note="已函告主管部门依法处理", now=max(violation.escalated_at, later)
                                + timedelta(days=1))
    if stdout is not None:
        stdout.write(f"Violations: {counts['violations']}, notices: {counts['violation_notices']}\n")
    return counts


build = build_violations
