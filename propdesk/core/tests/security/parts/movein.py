"""Move-in (issue 14: movein): in building 5 of the scope's project, a developer after-sales department, three
buyers, a slot with one booking, and a home handed over with a defect that became the developer's request. The
buyer's link: A's is real; the other scopes' are signed with a guessed key (what an outsider could make)."""

from datetime import timedelta

from django.core import signing
from django.utils import timezone

from propdesk.movein.models import HandoverBuyer
from propdesk.movein.rules.handover import AREAS, DOCUMENTS
from propdesk.movein.services.buyers import SALT, buyer_create, buyer_token
from propdesk.movein.services.handover import AreaInput, HandoverInput, handover_complete
from propdesk.movein.services.slots import booking_create, slot_create
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Building, Department, Room
from propdesk.org.services.buildings import building_create
from propdesk.servicedesk.services.policy import policy_for


def _next_workday_9(project, now):
    calendar = policy_for(project).calendar
    day = timezone.localtime(now, calendar.tz).date() + timedelta(days=2)
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()), calendar.tz).replace(
        hour=9)


def forged_buyer_token(buyer: HandoverBuyer) -> str:
    return signing.dumps({"b": buyer.pk, "n": buyer.nonce}, key="guessed-" + "k" * 40, salt=SALT, compress=True)


def populate(ctx):
    project, pm, m = ctx.project, ctx.people["project_manager"], ctx.marker
    if not Building.objects.filter(project=project, number="5").exists():
        building_create(project=project, number="5", floors=6, units=1, rooms_per_floor=4)
    Department.objects.get_or_create(project=project, kind=DepartmentKind.DEVELOPER, defaults={
        "branch_id": project.branch_id, "name": f"{m}开发商售后"})
    rooms = {code: Room.objects.get(project=project, code=code) for code in ("5-1-501", "5-1-502", "5-1-503")}
    now = ctx.now - timedelta(days=3)
    buyers = {code: buyer_create(actor=pm, room=room, name=f"{m}买受人{code[-1]}", now=now,
                                 mobile=f"1350{ord(m[0]) % 10000:04d}{ctx.tag == 'a':d}{code[-2:]}")
              for code, room in rooms.items()}
    starts = _next_workday_9(project, ctx.now)
    slot = slot_create(actor=pm, project=project, starts_at=starts, ends_at=starts + timedelta(minutes=30),
                       capacity=3, now=now)
    booking = booking_create(actor=pm, buyer=buyers["5-1-502"], slot_id=slot.pk, now=now)
    handover = handover_complete(actor=pm, room_id=rooms["5-1-503"].pk, now=now, data=HandoverInput(
        documents=list(DOCUMENTS), keys={"入户门钥匙": 2}, readings={"water": "1", "power": "2"},
        areas=[AreaInput(a, a != "厨房", f"{m}：橱柜渗水" if a == "厨房" else "") for a in AREAS]))
    token = buyer_token(buyers["5-1-501"]) if ctx.tag == "a" else forged_buyer_token(buyers["5-1-501"])
    return ({"handover_room": rooms["5-1-501"].pk, "handover_slot": slot.pk, "handover_booking": booking.pk,
             "handover": handover.pk, "handover_buyer": buyers["5-1-501"].pk, "buyer_token": token},
            (f"{m}：橱柜渗水", f"{m}买受人1", f"{m}买受人2"))
