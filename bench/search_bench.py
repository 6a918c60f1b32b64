"""Keyword search at scale: build N synthetic requests in a throwaway PostgreSQL database and time the search.

    .venv/bin/python bench/search_bench.py                    # 100,000 requests into database propdesk_search_bench
    .venv/bin/python bench/search_bench.py --rows 1000000     # the issue's million
    .venv/bin/python bench/search_bench.py --reuse            # time again on the database already built
    .venv/bin/python bench/search_bench.py --keep             # leave the database for EXPLAIN by hand
    .venv/bin/python bench/search_bench.py --sqlite /tmp/search_bench.sqlite3   # the embedded default (FTS5)

What is built: one company, 4 projects of ~100 rooms, N requests over a year (a quarter per project), written with
bulk_create in batches; each description is a place, an object and a fault (厨房 + 水管 + 漏水…), about one in
eight of them leaking (漏水), with a caller's name and, for most, a reply. ``search_grams`` is filled as the demo
writer fills it (ServiceRequest.grams_of), then ANALYZE.

What is timed: the request list's selector (servicedesk.selectors.request_list, the same filter as the list page
and the API's ``?q=``) for an agent whose scope is one project, the first 25 rows fetched with their work orders,
each query run ``--runs`` times after one warm-up; the median (p50) and the slowest are printed with the number
of SQL queries, the server's execution time of the list query (EXPLAIN ANALYZE, median of 5: the part that does not
depend on how busy the client machine is), and the plan of the first query.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROJECTS = 4
BATCH = 5000
QUERIES = ["漏水", "水管 漏水", "水管漏水", "张三", "电梯 困人", "消防栓 停电", "3-1-1801 漏水", "暖气片", "3-1-1801",
           "PA-251201-001", "251201-001"]
PLACES = ["厨房", "卫生间", "客厅", "阳台", "卧室", "楼道", "地下车库", "电梯厅", "单元门口", "小区花园"]
THINGS = ["水管", "下水道", "灯", "门禁", "电梯", "窗户", "墙面", "天花板", "空调外机", "燃气表", "雨棚", "消防栓"]
FAULTS = ["漏水", "堵塞", "不亮", "失灵", "困人", "破损", "渗水", "噪音大", "脱落", "异味", "松动", "停电"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "秀英", "三"]
REPLIES = ["已派维修师傅上门处理", "已更换配件，业主确认正常", "已联系施工单位整改", "已告知业主处理进度", ""]
TZ = ZoneInfo("Asia/Shanghai")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", default="propdesk_search_bench")
    parser.add_argument("--reuse", action="store_true", help="time on the database already built")
    parser.add_argument("--keep", action="store_true", help="do not drop the database afterwards")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--sqlite", metavar="PATH", help="an SQLite file instead of PostgreSQL")
    args = parser.parse_args()

    if args.sqlite:
        args.database = Path(args.sqlite).resolve()
        os.environ["DATABASE_URL"] = f"sqlite:///{args.database}"
    else:
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    if not args.reuse:
        _database(args.database, create=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    try:
        if not args.reuse:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            print(f"migrate: {time.perf_counter() - started:.1f} s")
            build(args.rows)
        time_search(args.runs)
    finally:
        connections.close_all()
        if not args.keep:
            _database(args.database, create=False)


def _database(name, *, create: bool):
    if isinstance(name, Path):  # SQLite: migrate creates the file
        name.unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def build(rows: int):
    from django.db import connection, transaction

    from propdesk.core.testing import make_project, make_user
    from propdesk.org.models import Branch, Company, Room
    from propdesk.org.services.buildings import building_create
    from propdesk.servicedesk.models import ServiceRequest

    started = time.perf_counter()
    rng = random.Random(15)
    company = Company.objects.create(name="万家物业服务有限公司", code="wanjia")
    branch = Branch.objects.create(company=company, name="华东分公司", code="east")
    projects, rooms = [], {}
    for i in range(PROJECTS):
        project = make_project(branch, f"p{chr(97 + i)}", f"项目{i + 1}")
        building_create(project=project, number="3", floors=25, units=2, rooms_per_floor=2, area=89)
        projects.append(project)
        rooms[project.pk] = list(Room.objects.filter(project=project).values_list("id", "code"))
    author = make_user("bench_agent", role="agent", project=projects[0], display_name="张晓燕")
    start = datetime(2025, 12, 1, 8, tzinfo=TZ)
    step = timedelta(days=365) / max(rows, 1)
    sequences: dict[tuple[int, str], int] = {}
    batch = []
    with transaction.atomic():
        for n in range(rows):
            project = projects[n % PROJECTS]
            received = start + step * n
            day = received.strftime("%y%m%d")
            sequences[(project.pk, day)] = sequence = sequences.get((project.pk, day), 0) + 1
            room_id, room_code = rng.choice(rooms[project.pk])
            fault = "漏水" if rng.random() < 0.125 else rng.choice(FAULTS)
            description = f"{rng.choice(PLACES)}{rng.choice(THINGS)}{fault}，请尽快处理"
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            reply = rng.choice(REPLIES)
            batch.append(ServiceRequest(
                project_id=project.pk, number=f"{project.number_prefix}-{day}-{sequence:03d}", channel="phone",
                kind="repair", status="closed" if reply else "open", contact_name=name,
                contact_phone="139" + f"{rng.randrange(10**8):08d}", room_id=room_id, description=description,
                reply=reply, received_at=received, created_by_id=author.pk,
                search_grams=ServiceRequest.grams_of(description=description, reply=reply, contact_name=name,
                                                     room_code=room_code)))
            if len(batch) >= BATCH:
                ServiceRequest.objects.bulk_create(batch)
                batch = []
        ServiceRequest.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {rows:,} requests in {PROJECTS} projects in {time.perf_counter() - started:.1f} s")


def time_search(runs: int):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from propdesk.servicedesk.selectors import request_list

    agent = get_user_model().objects.get(username="bench_agent")
    print(f"request list ?q=, first 25 rows, scope one project of {PROJECTS}, {runs} runs after a warm-up:")
    print(f"  {'query':<16}{'p50 ms':>9}{'max ms':>9}{'queries':>9}{'hits':>7}{'SQL p50 ms':>12}")
    for q in QUERIES:
        def page(q=q):
            return list(request_list(user=agent, filters={"q": q})[:25])

        hits = len(page())
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                page()
            times.append((time.perf_counter() - started) * 1000)
        sql_ms = (statistics.median(_execution_ms(request_list(user=agent, filters={"q": q})[:25]) for _ in range(5))
                  if connection.vendor == "postgresql" else float("nan"))
        print(f"  {q:<16}{statistics.median(times):>9.1f}{max(times):>9.1f}{len(queries):>9}{hits:>7}"
              f"{sql_ms:>12.2f}")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        sql, params = request_list(user=agent, filters={"q": QUERIES[0]})[:25].query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {sql}", params)
        print(f"plan of {QUERIES[0]!r}:")
        for (line,) in cursor.fetchall():
            print(f"  {line}")


def _execution_ms(queryset) -> float:
    """The server's own time for the list's query (EXPLAIN ANALYZE), apart from the round trips and Python."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        return cursor.fetchone()[0][0]["Execution Time"]


if __name__ == "__main__":
    main()
