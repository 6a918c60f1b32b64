"""Fees at company scale: a month of bills for 100,000 homes on PostgreSQL, then the account page and the collection
rate report at that size.

    .venv/bin/python bench/fees_billing.py                       # 20 projects × 5,000 homes into pd_fees_bench
    .venv/bin/python bench/fees_billing.py --homes 20000         # a quicker run
    .venv/bin/python bench/fees_billing.py --reuse               # bill and time again on the loaded database
    DATABASE_URL=postgres://…/mydb .venv/bin/python bench/fees_billing.py   # that database (migrated, not dropped)

What is loaded (bulk_create): one company and branch, 20 projects (each 10 buildings of 2 units, 5,000 homes of
60–180 m², 5 % villas, 12 % vacant), the standard fee items (``services.setup.fee_items_standard``), parking spaces
for 30 % of the homes, handover dates years ago (a few homes handed over this month: their bill is prorated).

What is timed:
- ``services.billing.bills_generate`` for the current month over every project (what the billing runs do), in
  seconds and bills per second; aim: under 60 s for 100,000 homes;
- the same month again: it must create nothing, and fast;
- with Django's test client signed in as the branch's finance officer, each page 30 times after a warm-up, p50 and
  p95: the account page of a home ``fees:home`` and the collection-rate report ``fees:reports`` — when those URLs
  exist (other parts of the fees work; a note is printed when they do not). Aim: under 100 ms each.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROJECTS, BUILDINGS, UNITS, PER_FLOOR = 20, 10, 2, 10
BATCH = 5000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homes", type=int, default=100_000, help="homes in all (20 projects)")
    parser.add_argument("--database", default="pd_fees_bench", help="database created (dropped first) when "
                                                                    "DATABASE_URL is not set")
    parser.add_argument("--reuse", action="store_true", help="bill and time again on the database already loaded")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="profile the first billing pass (cProfile, top 25)")
    args = parser.parse_args()

    given = os.environ.get("DATABASE_URL")
    if not given:
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
        if not args.reuse:
            _recreate_database(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The fees benchmark runs on PostgreSQL (DATABASE_URL=postgres://…).")
    rows = []
    if not args.reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - started:.1f} s")
        load(args.homes)
    rows += bill(args.profile)
    rows += time_pages(args.runs)
    print()
    print(f"{'what':<52} {'result':>30}")
    print("-" * 83)
    for label, result in rows:
        print(f"{label:<52} {result:>30}")


def _recreate_database(name: str):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def load(homes: int):
    import random
    from datetime import date
    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone

    from propdesk.core.testing import make_project, make_user
    from propdesk.fees.models import FeeItem, Subscription
    from propdesk.fees.services.setup import fee_items_standard
    from propdesk.org.models import Branch, Building, Company, Room, Unit, room_code

    rng = random.Random(12)
    started = time.perf_counter()
    per_project = max(1, homes // PROJECTS)
    floors = max(1, -(-per_project // (BUILDINGS * UNITS * PER_FLOOR)))
    company = Company.objects.create(name="万家物业服务有限公司", code="wanjia")
    branch = Branch.objects.create(company=company, name="华东分公司", code="east")
    today = timezone.localdate()
    long_ago, this_month = date(today.year - 8, 6, 18), today.replace(day=1)
    names = ["翠湖", "金桂", "锦江", "滨江", "望京", "紫荆", "香樟", "银杏", "海棠", "玉兰"]
    projects = [make_project(branch, f"p{n}", f"{names[n % 10]}{['花园', '苑'][n // 10 % 2]}{n // 20 or ''}")
                for n in range(PROJECTS)]
    buildings = [Building(project=p, number=str(b), name=f"{b}号楼", floors=floors, sort=b)
                 for p in projects for b in range(1, BUILDINGS + 1)]
    Building.objects.bulk_create(buildings, batch_size=BATCH)
    units = [Unit(project_id=b.project_id, building=b, number=str(u)) for b in buildings for u in range(1, UNITS + 1)]
    Unit.objects.bulk_create(units, batch_size=BATCH)
    by_project: dict[int, list] = {}
    for unit in units:
        by_project.setdefault(unit.project_id, []).append(unit)
    rooms = []
    for project in projects:
        count = 0
        for floor in range(1, floors + 1):
            for unit in by_project[project.pk]:
                for position in range(1, PER_FLOOR + 1):
                    if count == per_project:
                        break
                    count += 1
                    number = f"{floor}{position:02d}"
                    villa = rng.random() < 0.05
                    roll = rng.random()
                    rooms.append(Room(project=project, building_id=unit.building_id, unit=unit, number=number,
                                      code=room_code(unit.building.number, unit.number, number), floor=floor,
                                      area=Decimal(rng.randint(6000, 18000)) / 100,
                                      room_type="villa" if villa else "residence",
                                      status="vacant" if roll < 0.12 else "occupied",
                                      handed_over_on=this_month.replace(day=rng.randint(2, 28)) if roll > 0.995
                                      else long_ago))
    Room.objects.bulk_create(rooms, batch_size=BATCH)
    print(f"  org: {PROJECTS} projects, {len(rooms):,} homes in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    finance = make_user("bench_finance", role="finance", branch=branch)
    make_user("bench_admin", role="admin", company=company)
    for project in projects:
        fee_items_standard(project=project, effective_from=date(today.year - 1, 1, 1), actor=finance)
    parking = dict(FeeItem.objects.filter(code="parking").values_list("project_id", "pk"))
    Subscription.objects.bulk_create(
        [Subscription(item_id=parking[r.project_id], room=r, project_id=r.project_id, quantity=1,
                      label=f"B1-{n:04d}", start_date=long_ago) for n, r in enumerate(rooms) if rng.random() < 0.3],
        batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  fee items, rates, parking spaces in {time.perf_counter() - started:.1f} s")


def bill(profile: bool) -> list[tuple[str, str]]:
    from django.db import connection
    from django.utils import timezone

    from propdesk.fees.models import Bill
    from propdesk.fees.services.billing import bills_generate
    from propdesk.org.models import Project, Room

    month = f"{timezone.localdate():%Y-%m}"
    projects = list(Project.objects.order_by("pk"))
    homes = Room.objects.count()
    rows = []
    for attempt in ("first run", "second run (creates nothing)"):
        profiler = None
        if profile and attempt == "first run":
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started, cpu = time.perf_counter(), time.process_time()
        created = amount = 0
        for project in projects:
            result = bills_generate(project=project, period_key=month)
            created += result.created
            amount += result.amount_fen
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profiler is not None:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        rate = f"{created / elapsed:,.0f} bills/s" if created else "—"
        print(f"bills_generate {month}, {attempt}: {homes:,} homes, {created:,} bills ({amount / 100:,.2f} 元) in "
              f"{elapsed:.1f} s ({cpu:.1f} s of CPU in Python), {rate}")
        rows.append((f"bills_generate, {homes:,} homes, {attempt}", f"{elapsed:.1f} s, {created:,} bills"))
        if created:
            rows.append(("  bills per second", rate))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"bills in the database: {Bill.objects.count():,}")
    return rows


def _url(name: str, *args) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _time(client, label: str, url: str, runs: int) -> tuple[str, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, secure=True)  # warm-up (and the status check); production settings want https
    if response.status_code != 200:
        print(f"{label}: HTTP {response.status_code} for {url}")
        return (label, f"HTTP {response.status_code}")
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.get(url, secure=True)
            timings.append(time.perf_counter() - started)
    timings.sort()
    p50 = statistics.median(timings) * 1000
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))] * 1000
    print(f"{label:<52} p50 {p50:6.0f} ms   p95 {p95:6.0f} ms   {len(captured):3d} queries   {url}")
    return (label, f"p50 {p50:.0f} ms, p95 {p95:.0f} ms")


def time_pages(runs: int) -> list[tuple[str, str]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from propdesk.fees.models import Account
    from propdesk.fees.services.payments import payment_take
    from propdesk.org.models import Room

    finance = get_user_model().objects.get(username="bench_finance")
    client = Client()
    client.force_login(finance)
    rows = []
    # A home that has paid part of its bill, in the middle of the first project.
    room = Room.objects.select_related("project").filter(project__code="p0").order_by("pk")[2500:2501].first() \
        or Room.objects.select_related("project").order_by("pk").first()
    if not Account.objects.filter(room=room, owed_fen=0).exists():
        payment_take(room=room, amount="50.00", method="wechat", actor=finance, payer="业主")
    home = _url("fees:home", room.pk)
    if home:
        rows.append(_time(client, "account page of a home (fees:home)", home, runs))
    else:
        print("fees:home is not there (another part of the fees work): the account page is not timed")
        rows.append(("account page of a home (fees:home)", "not there: skipped"))
    reports = _url("fees:reports")
    if reports:
        rows.append(_time(client, "collection-rate report (fees:reports)", reports, runs))
    else:
        print("fees:reports is not there (another part of the fees work): the report is not timed")
        rows.append(("collection-rate report (fees:reports)", "not there: skipped"))
    return rows


if __name__ == "__main__":
    main()
