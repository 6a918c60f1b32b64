"""Fees 收费 of the demo: a year of bills for every home of the demo company and how the homes paid them.

For every project: the standard fee items (``services.setup.fee_items_standard``), handover dates 交房日期 (the
project's delivery years ago for most homes; a few homes under renovation were handed over during the year and their
first bill is prorated), parking spaces 车位 for about 30 % of the homes, then month by month, oldest first, the
month's bills through ``services.billing.bills_generate`` (batched; it draws prepayments) and the payments made in
that month (``fees_payments``: habits, and how they are written). Homes in long arrears also owe the one or two months
before the year (billed for them only: the rates are in force from 14 months back). Then a few water readings of one
building of the first project, and dunning in progress (``fees_dunning``). The build prints how long fees took and
the collection rate 收缴率 of the last full month.

Times: bills are issued at 02:00 on the 1st of their month; payments before the day's paid repairs of
``demo/setup`` (which take receipt numbers from the same sequence after this runs), none in the future.
"""

from __future__ import annotations

import random
import time as clock
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum

from propdesk.console.demo.fees_dunning import build_dunning, build_readings
from propdesk.console.demo.fees_payments import (
    ARREARS,
    LIVE_DAYS,
    SEED_OFFSET,
    PaymentWriter,
    open_bills_of,
    plan_habits,
    plan_month,
    prepaid_of,
)
from propdesk.console.demo.plan import DemoPlan
from propdesk.console.demo.spec import FINANCE_STAFF, staff_username
from propdesk.customers.models import Occupancy
from propdesk.fees.models import Bill, FeeItem, Payment, Subscription
from propdesk.fees.rules.arrears import as_percent, collection_rate
from propdesk.fees.rules.periods import add_months
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.services.setup import fee_items_standard
from propdesk.org.models import Project, Room
from propdesk.servicedesk.models import ServiceRequest

TZ = ZoneInfo("Asia/Shanghai")
MONTHS = 12
PARKING_SHARE = 0.30
RECENT_HANDOVERS = 0.01  # share of homes handed over during the year (chosen among homes under renovation)


def build_fees(plan: DemoPlan, *, today: date, stdout=None) -> dict[str, int]:
    """Write the fees of the demo; returns counts."""
    started, cpu = clock.monotonic(), clock.process_time()
    rng = random.Random(plan.seed + SEED_OFFSET)
    projects = list(Project.objects.filter(code__in=[pp.spec.code for pp in plan.projects]).order_by("pk"))
    if not projects:
        return {}
    users = _users(projects)
    current = today.replace(day=1)
    months = [add_months(current, index - MONTHS + 1) for index in range(MONTHS)]
    effective_from = add_months(current, -MONTHS - 2)
    live_from = datetime.combine(today - timedelta(days=LIVE_DAYS), time(0), tzinfo=TZ)
    end = _payments_end(plan, today)

    complaint_of = _complaint_homes(today)
    habits, writers, finance = {}, {}, {}
    for project in projects:
        finance[project.pk] = users.get(_finance_of(project)) or users.get("admin")
        fee_items_standard(project=project, effective_from=effective_from, actor=finance[project.pk])
        room_ids = _handovers(rng, project, today)
        _parking(rng, project, effective_from)
        habits[project.pk] = plan_habits(rng, room_ids, complaint_of)
        cashiers = {prefix: users.get(staff_username(prefix, project.code))
                    for prefix in ("agent", "agent2", "steward")}
        writers[project.pk] = PaymentWriter(project, cashiers=cashiers, live_from=live_from, end=end,
                                            codes=dict(Room.objects.filter(project=project).values_list("pk", "code")))
    payers = _payers()
    _say(stdout, f"  fees: items, handovers and parking set up ({clock.monotonic() - started:.1f} s)")

    # Homes in long arrears owe the months before the year too: billed for them only, oldest first.
    for back in (MONTHS + 1, MONTHS):
        first = add_months(current, -back)
        for project in projects:
            owing = [room_id for room_id, habit in habits[project.pk].items()
                     if habit.kind == ARREARS and habit.unpaid > back - 1]
            if owing:
                bills_generate(project=project, period_key=f"{first:%Y-%m}", now=_issued(first, end),
                               actor=finance[project.pk], room_ids=owing)
    billing = paying = 0.0
    for index, first in enumerate(months):
        for project in projects:
            tick = clock.monotonic()
            bills_generate(project=project, period_key=f"{first:%Y-%m}", now=_issued(first, end),
                           actor=finance[project.pk])
            billing += clock.monotonic() - tick
            tick = clock.monotonic()
            planned = plan_month(rng, habits[project.pk], index=index, months=MONTHS, first_day=first,
                                 open_bills=open_bills_of(project.pk), prepaid=prepaid_of(project.pk),
                                 payers=payers)
            writers[project.pk].write(planned)
            paying += clock.monotonic() - tick
        if index % 3 == 2:
            _say(stdout, f"    … bills and payments of {first:%Y-%m} ({clock.monotonic() - started:.0f} s)")
    readings = build_readings(projects[0], users=users, today=today, end=end)
    dunning = build_dunning(projects, users=users, today=today, end=end, complaint_of=complaint_of)

    counts = {"bills": Bill.objects.filter(project__in=projects).count(),
              "fee payments": Payment.objects.filter(project__in=projects).count(),
              "replayed": sum(w.counts["replayed"] for w in writers.values()),
              "taken": sum(w.counts["taken"] for w in writers.values()),
              "readings": readings, **dunning}
    arrears = _arrears_and_complaints(projects, complaint_of, today)
    _say(stdout, f"  fees: {counts['bills']:,} bills of {MONTHS} months (billing runs {billing:.1f} s), "
                 f"{counts['fee payments']:,} payments ({paying:.1f} s; {counts['taken']:,} of the last {LIVE_DAYS} "
                 f"days through the cashier's service), {readings} water readings, "
                 f"{dunning['dunning records']:,} dunning records; fees took {clock.monotonic() - started:.1f} s "
                 f"({clock.process_time() - cpu:.1f} s of CPU)")
    _say(stdout, f"  long arrears (6+ months): {arrears['long']:,} homes; {arrears['long_complaint']:,} of the "
                 f"{arrears['complaint']:,} homes with an open complaint or repeated complaints owe 6+ months "
                 f"({arrears['complaint_share']} vs {arrears['other_share']} of the other homes)")
    for line in collection_lines(projects, add_months(current, -1)):
        _say(stdout, line)
    return counts


def collection_lines(projects, first: date) -> list[str]:
    """The collection rate 收缴率 of the month starting ``first``: of the bills due that month, the share paid
    (当期实收 / 当期应收), per project and for the company, summed in SQL."""
    end = add_months(first, 1)
    rows = (Bill.objects.filter(project__in=projects, due_date__gte=first, due_date__lt=end)
            .values("project__name").annotate(billed=Sum("amount_fen"), open=Sum("open_fen"))
            .order_by("project_id"))
    parts, billed_all, open_all = [], 0, 0
    for row in rows:
        billed_all += row["billed"]
        open_all += row["open"]
        rate = collection_rate(collected_current_fen=row["billed"] - row["open"], billed_current_fen=row["billed"])
        parts.append(f"{row['project__name']} {as_percent(rate)}")
    rate = collection_rate(collected_current_fen=billed_all - open_all, billed_current_fen=billed_all)
    return [f"  收缴率 {first:%Y-%m}: {as_percent(rate)} (当期实收 {(billed_all - open_all) / 100:,.2f} 元 / 当期应收 "
            f"{billed_all / 100:,.2f} 元); " + ", ".join(parts)]


def _users(projects) -> dict:
    names = ["admin", *(u for u, _b in FINANCE_STAFF)]
    names += [staff_username(prefix, p.code) for p in projects for prefix in ("agent", "agent2", "steward", "tech")]
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _finance_of(project) -> str:
    return next((username for username, branch in FINANCE_STAFF if branch == project.branch.code), "")


def _payments_end(plan: DemoPlan, today: date) -> datetime:
    """Payments stop before the day's paid repairs start (they take numbers from the same receipt sequence)."""
    from propdesk.console.demo.setup import MINUTE, PAID_REPAIRS, PROJECT_GAP, REPAIR_GAP, STEPS, _window

    span = STEPS["reply"] + (len(PAID_REPAIRS) - 1) * REPAIR_GAP + (len(plan.projects) - 1) * PROJECT_GAP
    end, pace = _window(today, span=span)
    return min(end - span * pace * MINUTE - MINUTE, datetime.combine(today, time(12), tzinfo=TZ))


def _issued(first: date, end: datetime) -> datetime:
    return min(datetime.combine(first, time(2), tzinfo=TZ), end - timedelta(minutes=1))


def _handovers(rng: random.Random, project, today: date) -> list[int]:
    """The project's delivery (years ago) for every home; a few homes under renovation were handed over during the
    year (a day of the month: the first bill is prorated). Returns the project's room ids in order."""
    delivered = date(today.year - rng.randint(6, 12), rng.choice((3, 6, 9, 12)), rng.randint(1, 28))
    Room.objects.filter(project=project).update(handed_over_on=delivered)
    room_ids = list(Room.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
    lived_in = set(Occupancy.objects.filter(project=project).values_list("room_id", flat=True))
    renovating = [pk for pk in Room.objects.filter(project=project, status="renovating").order_by("pk")
                  .values_list("pk", flat=True) if pk not in lived_in]
    count = min(len(renovating), max(1, round(len(room_ids) * RECENT_HANDOVERS)))
    for pk in rng.sample(renovating, count):
        Room.objects.filter(pk=pk).update(handed_over_on=today - timedelta(days=rng.randint(20, 330)))
    return room_ids


def _parking(rng: random.Random, project, since: date) -> int:
    item = FeeItem.objects.get(project=project, code="parking")
    rooms = Room.objects.filter(project=project).order_by("pk").values_list("pk", "room_type", "handed_over_on")
    subscriptions, number = [], 0
    for pk, room_type, handover in rooms:
        if rng.random() >= PARKING_SHARE:
            continue
        number += 1
        quantity = 2 if room_type == "villa" else 1
        subscriptions.append(Subscription(item=item, room_id=pk, project=project, quantity=quantity,
                                          label=f"B{1 + number % 2}-{number:03d}",
                                          start_date=max(since, handover or since)))
    Subscription.objects.bulk_create(subscriptions, batch_size=2000)
    return len(subscriptions)


def _complaint_homes(today: date) -> dict[int, str]:
    """Homes with an open complaint (any status but closed or cancelled) → "open_complaint"; homes that complained
    twice or more in the year → "complainer"."""
    complaints = ServiceRequest.objects.filter(kind="complaint", room__isnull=False)
    out = {room_id: "complainer" for room_id, n in complaints.filter(received_at__date__gte=today - timedelta(days=366))
           .values_list("room_id").annotate(n=Count("id")).order_by("room_id") if n >= 2}
    for room_id in complaints.exclude(status__in=["closed", "cancelled"]).values_list("room_id", flat=True):
        out[room_id] = "open_complaint"
    return out


def _payers() -> dict[int, str]:
    """Who pays for a home: its current owner (else anyone who lives there)."""
    owners: dict[int, str] = {}
    anyone: dict[int, str] = {}
    rows = (Occupancy.objects.filter(end_date__isnull=True).order_by("room_id", "id")
            .values_list("room_id", "relation", "resident__name"))
    for room_id, relation, name in rows:
        if relation == "owner":
            owners.setdefault(room_id, name)
        anyone.setdefault(room_id, name)
    return anyone | owners


def _arrears_and_complaints(projects, complaint_of: dict[int, str], today: date) -> dict:
    long_ago = add_months(today, -6)
    owing = set(Bill.objects.filter(project__in=projects, open_fen__gt=0, due_date__lte=long_ago)
                .values_list("room_id", flat=True).distinct())
    homes = Room.objects.filter(project__in=projects).count()
    complaint = len(complaint_of)
    long_complaint = len(owing & set(complaint_of))
    others = max(1, homes - complaint)
    return {"long": len(owing), "complaint": complaint, "long_complaint": long_complaint,
            "complaint_share": f"{100 * long_complaint / max(1, complaint):.0f} %",
            "other_share": f"{100 * (len(owing) - long_complaint) / others:.1f} %"}


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)

