"""Renovation applications 装修申请 of the demo, per project: a few waiting for approval (one flagged for the PM),
one refused, one withdrawn and several approved — the deposit and the debris fee charged on approval and, for most,
paid at the desk. Everything goes through the services as the desk would (an application taken at the desk for a
resident of the home); the inspections part builds the later states (inspections, 验收) on the approved ones.
Deterministic (seeded), ``today``-based."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from propdesk.console.demo.spec import staff_username
from propdesk.customers.models import Occupancy
from propdesk.fees.services.payments import payment_take
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Project
from propdesk.renovation.models import Renovation
from propdesk.renovation.services.applications import (
    ApplicationInput,
    WorkerInput,
    renovation_apply,
    renovation_decide,
    renovation_withdraw,
)

CONTRACTORS = (("上海美家装饰工程有限公司", "孙立新", "13611112222"), ("业之峰装饰", "赵海涛", "13817263542"),
               ("东易日盛家居装饰", "钱国华", "13901928374"), ("金螳螂家装", "周建平", "13764518203"),
               ("本地施工队（个人）", "马长林", "15821093847"))
WORKERS = (("李大勇", "木工"), ("黄小平", "水电工"), ("陈国栋", "泥瓦工"), ("刘春生", "油漆工"), ("吴建军", "杂工"),
           ("何志明", "水电工"), ("张永福", "木工"), ("邓文斌", "泥瓦工"))
PLAIN = (["wall_finish", "floor_finish"], ["wall_finish", "ceiling", "electrics"], ["floor_finish", "air_conditioner"],
         ["wall_finish", "floor_finish", "ceiling", "electrics"])
FLAGGED = ["wall_finish", "plumbing", "waterproofing"]
DESCRIPTIONS = ("客厅卧室墙面重新刷漆，更换木地板", "厨房卫生间翻新，吊顶更换，增加插座", "全屋墙面翻新，安装空调两台",
                "儿童房改造：墙面、地面、灯具")
REFUSAL = "卫生间移至卧室上方会影响楼下住户，不符合本项目装修管理规定，请修改方案后重新申请。"
CONDITIONS = "电路改造须由持证电工施工；每日18:00前清运垃圾至指定堆放点；施工期间门口张贴许可证。"
WAITING, APPROVED = 4, 5
_W17 = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(rng: random.Random) -> str:
    """A made-up ID number with a correct check digit (region 310115, born 1970–1995)."""
    born = date(1970, 1, 1) + timedelta(days=rng.randrange(0, 9000))
    first = f"310115{born:%Y%m%d}{rng.randrange(100, 999)}"
    return first + "10X98765432"[sum(int(d) * w for d, w in zip(first, _W17, strict=True)) % 11]


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0))) + timedelta(minutes=rng.randrange(0, 420))


def _working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _homes(project: Project, rng: random.Random, n: int) -> list[Occupancy]:
    busy = Renovation.objects.filter(project=project).values("room_id")
    rows = list(Occupancy.objects.current().filter(project=project, room__status=RoomStatus.OCCUPIED,
                                                   relation__in=("owner", "co_owner"))
                .exclude(room_id__in=busy).select_related("room").order_by("room_id")[:400])
    seen, chosen = set(), []
    rng.shuffle(rows)
    for row in rows:
        if row.room_id not in seen:
            seen.add(row.room_id)
            chosen.append(row)
        if len(chosen) == n:
            break
    return chosen


def build_renovations(plan=None, *, today: date, stdout=None) -> dict[str, int]:
    """Write the demo's renovation applications; returns counts by status."""
    rng = random.Random((getattr(plan, "seed", 0) or 0) + 14)
    users = get_user_model()
    counts: dict[str, int] = {}
    for project in Project.objects.order_by("id"):
        desk = users.objects.filter(username=staff_username("agent", project.code)).first()
        pm = users.objects.filter(username=staff_username("pm", project.code)).first()
        if desk is None or pm is None:
            continue
        homes = _homes(project, rng, WAITING + APPROVED + 2)
        for index, home in enumerate(homes):
            kind = ("approved" if index < APPROVED else "waiting" if index < APPROVED + WAITING
                    else "refused" if index == APPROVED + WAITING else "withdrawn")
            applied = today - timedelta(days=rng.randrange(12, 40) if kind == "approved" else rng.randrange(0, 6))
            now = _at(applied, rng)
            start = _working_day(applied + timedelta(days=rng.randrange(2, 6)))
            flagged = kind == "refused" or (kind == "waiting" and index == APPROVED)
            contractor = CONTRACTORS[rng.randrange(len(CONTRACTORS))]
            workers = [WorkerInput(name=name, trade=trade, id_number=_id_number(rng),
                                   phone=f"13{rng.randrange(100000000, 999999999)}")
                       for name, trade in rng.sample(WORKERS, rng.randrange(2, 5))]
            renovation = renovation_apply(actor=desk, now=now, data=ApplicationInput(
                room_id=home.room_id, applicant_id=home.resident_id, contractor_name=contractor[0],
                contractor_contact=contractor[1], contractor_phone=contractor[2], planned_start=start,
                planned_end=start + timedelta(days=rng.randrange(30, 75)), workers=workers,
                description=DESCRIPTIONS[rng.randrange(len(DESCRIPTIONS))],
                items=FLAGGED if flagged else PLAIN[rng.randrange(len(PLAIN))]))
            decided = now + timedelta(days=1, hours=rng.randrange(0, 5))
            if kind == "approved":
                renovation = renovation_decide(actor=pm, renovation_id=renovation.pk, now=decided,
                                               decision="conditions" if rng.random() < 0.5 else "approved",
                                               conditions=CONDITIONS)
                if index < APPROVED - 1:  # most pay at the desk the next day; the last one still owes
                    # what the home's prepayment did not already cover when the bills were issued
                    owing = [b for b in (renovation.deposit_bill, renovation.fee_bill) if b is not None]
                    for bill in owing:
                        bill.refresh_from_db(fields=["open_fen"])
                    bills = [b.pk for b in owing if b.open_fen]
                    fen = sum(b.open_fen for b in owing)
                    if fen:
                        payment_take(room=home.room, amount=f"{fen / 100:.2f}", method="card", actor=desk,
                                     bill_ids=bills, payer=renovation.applicant_name, chosen_only=True,
                                     now=decided + timedelta(hours=20))
            elif kind == "refused":
                renovation_decide(actor=pm, renovation_id=renovation.pk, decision="refused", note=REFUSAL,
                                  now=decided)
            elif kind == "withdrawn":
                renovation_withdraw(actor=desk, renovation_id=renovation.pk, reason="业主推迟装修计划",
                                    now=decided)
            counts[kind] = counts.get(kind, 0) + 1
    if stdout is not None:
        stdout.write("Renovations: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + "\n")
    return counts
