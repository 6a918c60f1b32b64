"""Vacant homes 空置房 of the demo: every vacant home (about one in seven of the demo's rooms: handed over with
nobody living there, or never handed over; some with an owner on record) inspected monthly by its building's
steward for three months, with a few findings that became requests (a leak, a smell, a window left open), and about
one home in six whose last inspection is overdue. The default checklist, monthly; 翠湖花园's project manager has
saved one with an eighth item. Inspections that found nothing are bulk-created; each finding goes through
``finding_to_request`` as a steward's would."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from propdesk.console.demo.spec import staff_username
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Project, Room
from propdesk.stewardship.models import VacantInspection, VacantInspectionItem, VacantInspectionResult
from propdesk.stewardship.rules.vacant import DEFAULT_ITEMS
from propdesk.stewardship.selectors.vacant import OWNER_RELATIONS
from propdesk.stewardship.selectors.zones import steward_by_building
from propdesk.stewardship.services.findings import finding_to_request
from propdesk.stewardship.services.vacant import vacant_checklist_update

FINDINGS_PER_PROJECT = 4
MONTHS = 3
# (checklist position, what the steward wrote)
FINDINGS = ((2, "卫生间天花板有水渍，疑似楼上渗漏"), (0, "北卧窗户未关，雨水打湿窗台"), (3, "厨房地漏返味明显"),
            (2, "厨房水管接头滴水，地面有积水"), (4, "阳台发现鼠粪"), (5, "入户门锁芯松动，钥匙难拔出"),
            (1, "燃气总阀未关闭，已当场关闭并告知业主"))
EXTRA_ITEM = "燃气表、水表无异常走字"


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30))) + timedelta(minutes=rng.randrange(0, 390))


def _inspectors(project: Project, rooms: list[Room]) -> tuple[dict, object]:
    """{building id: steward} from the zones (when the zones builder ran), and the project's steward otherwise."""
    users = get_user_model().objects.filter(username__in=[
        staff_username("steward", project.code), staff_username("pm", project.code)])
    fallback = next((u for u in users if u.username.startswith("steward")), None) or next(iter(users), None)
    return steward_by_building({room.building_id for room in rooms}), fallback


def _owner_ids(rooms: list[Room]) -> dict[int, int]:
    from propdesk.customers.models import Occupancy

    rows = Occupancy.objects.filter(room__in=rooms, relation__in=OWNER_RELATIONS, end_date__isnull=True)
    return dict(rows.order_by("-id").values_list("room_id", "resident_id"))


def _days(today: date, rng: random.Random, overdue: bool) -> list[date]:
    """Inspection days of one home, about a month apart, oldest first; an overdue home missed the last one."""
    first = today - timedelta(days=rng.randrange(35, 60) if overdue else rng.randrange(1, 28))
    return sorted({first - timedelta(days=30 * n + rng.randrange(0, 4)) for n in range(MONTHS)})


def build_vacant(plan=None, *, today: date, stdout=None) -> dict[str, int]:
    """Write the demo's vacant-home inspections; returns counts."""
    rng = random.Random((getattr(plan, "seed", 0) or 0) + 13)
    counts = {"vacant_homes": 0, "vacant_inspections": 0, "vacant_findings": 0}
    for project in Project.objects.order_by("id"):
        rooms = list(Room.objects.filter(project=project, status=RoomStatus.VACANT).order_by("id"))
        if not rooms:
            continue
        stewards, fallback = _inspectors(project, rooms)
        if fallback is None and not stewards:
            continue
        if project.code == "cuihu":
            pm = get_user_model().objects.filter(username=staff_username("pm", project.code)).first()
            vacant_checklist_update(actor=pm, project=project, items=[*DEFAULT_ITEMS, EXTRA_ITEM], interval_days=30,
                                    now=_at(today - timedelta(days=100), rng))
            checklist = [*DEFAULT_ITEMS, EXTRA_ITEM]
        else:
            checklist = list(DEFAULT_ITEMS)
        owners = _owner_ids(rooms)
        inspections, findings = [], []
        for room in rooms:
            inspector = stewards.get(room.building_id, fallback)
            for day in _days(today, rng, overdue=rng.random() < 0.17):
                inspections.append(VacantInspection(
                    project=project, building_id=room.building_id, room=room, day=day, inspected_at=_at(day, rng),
                    inspector=inspector, result=VacantInspectionResult.FINE,
                    water_reading=rng.randrange(0, 400) if rng.random() < 0.5 else None))
        chosen = rng.sample(range(len(inspections)), min(FINDINGS_PER_PROJECT, len(inspections)))
        for index in chosen:
            inspection = inspections[index]
            position, note = FINDINGS[rng.randrange(len(FINDINGS))]
            inspection.result, inspection.findings = VacantInspectionResult.FINDINGS, 1
            findings.append((inspection, position, note))
        VacantInspection.objects.bulk_create(inspections, batch_size=1000)
        requests = {}
        for inspection, position, note in findings:
            room = inspection.room
            requests[inspection.pk] = (position, note, finding_to_request(
                actor=inspection.inspector, project=project, now=inspection.inspected_at, channel="patrol",
                room_id=room.pk, reporter_id=owners.get(room.pk),
                description=f"空置房 {room.code} 巡查：{checklist[position]}——{note}"))
        items = []
        for inspection in inspections:
            position_note_request = requests.get(inspection.pk)
            for position, label in enumerate(checklist):
                finding = position_note_request and position_note_request[0] == position
                items.append(VacantInspectionItem(
                    inspection=inspection, position=position, label=label, fine=not finding,
                    note=position_note_request[1] if finding else "",
                    request=position_note_request[2] if finding else None))
        VacantInspectionItem.objects.bulk_create(items, batch_size=2000)
        counts["vacant_homes"] += len(rooms)
        counts["vacant_inspections"] += len(inspections)
        counts["vacant_findings"] += len(findings)
    if stdout is not None:
        stdout.write(f"Vacant homes: {counts['vacant_homes']} homes, {counts['vacant_inspections']} inspections, "
                     f"{counts['vacant_findings']} findings → requests\n")
    return counts
