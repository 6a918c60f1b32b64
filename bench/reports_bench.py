"""Reports at company scale: load one million work orders into PostgreSQL, then time the report pages.

    .venv/bin/python bench/reports_bench.py                    # 1,000,000 orders into database propdesk_bench
    .venv/bin/python bench/reports_bench.py --orders 100000    # a quicker run
    .venv/bin/python bench/reports_bench.py --reuse            # time again on the loaded database

What is loaded: one company, 8 branches, 400 projects (each with 4 departments and 80 rooms), one year of requests
(one per work order: repairs, complaints, help, inquiries), one work order per request (a few cancelled, some held,
some reopened) and a follow-up visit for most handled requests. Rows are generated in PostgreSQL with
generate_series, so loading takes a few minutes rather than hours.

What is timed (through Django's test client, so a figure is the whole page: queries, Python and the template), each
page loaded 5 times after one warm-up; the median and the slowest are printed with the number of queries:

- the monthly complaint summary for a branch (50 projects, ~125,000 orders in the year);
- the project manager's dashboard for one project;
- the branch leader's dashboard (the branch's projects side by side);
- the KPI page for a branch by week; the visit statistics of a quarter for a branch;
- the complaint register's first page, the work-order register's first page (orders completed in the month), and
  the Excel export of one project's year of requests.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BRANCHES, PROJECTS_PER_BRANCH, ROOMS_PER_PROJECT = 8, 50, 80


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--database", default="propdesk_bench")
    parser.add_argument("--reuse", action="store_true", help="time on the database already loaded")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    if not args.reuse:
        _recreate_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command

    if not args.reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - started:.1f} s")
        load(args.orders)
    time_pages(args.runs)


def _recreate_database(name: str):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _step(label: str, sql: str, params=None):
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.rowcount
    print(f"  {label}: {rows:,} rows in {time.perf_counter() - started:.1f} s")


def load(orders: int):
    from django.db import connection

    from propdesk.core.testing import make_project, make_user
    from propdesk.org.models import Branch, Company, Room
    from propdesk.org.services.buildings import building_create

    started = time.perf_counter()
    company = Company.objects.create(name="万家物业服务有限公司", code="wanjia")
    cities = ["上海", "杭州", "南京", "苏州", "成都", "重庆", "武汉", "西安"]
    names = ["翠湖", "金桂", "锦江", "滨江", "望京", "紫荆", "香樟", "银杏", "海棠", "玉兰"]
    for b in range(BRANCHES):
        branch = Branch.objects.create(company=company, name=f"{cities[b]}分公司", code=f"b{b}")
        for p in range(PROJECTS_PER_BRANCH):
            project = make_project(branch, f"p{b}-{p}", f"{names[p % 10]}{['花园', '苑', '城', '府', '湾'][p // 10]}")
            building_create(project=project, number="1", floors=10, units=2, rooms_per_floor=4, area=89)
    admin = make_user("bench_admin", role="admin", company=company)
    first_branch = Branch.objects.get(code="b0")
    first_project = first_branch.projects.order_by("id").first()
    make_user("bench_leader", role="branch_leader", branch=first_branch)
    make_user("bench_pm", role="project_manager", project=first_project)
    print(f"  org: {BRANCHES * PROJECTS_PER_BRANCH} projects, {Room.objects.count():,} rooms "
          f"in {time.perf_counter() - started:.1f} s")

    # Helper tables: projects numbered 0..P-1 with their first room and engineering department.
    _step("project index", """
        CREATE TEMP TABLE bench_project AS
        SELECT row_number() OVER (ORDER BY p.id) - 1 AS n, p.id AS project_id,
               (SELECT min(r.id) FROM org_room r WHERE r.project_id = p.id) AS first_room,
               (SELECT count(*) FROM org_room r WHERE r.project_id = p.id) AS rooms,
               (SELECT d.id FROM org_department d WHERE d.project_id = p.id AND d.kind = 'engineering') AS engineering,
               (SELECT d.id FROM org_department d WHERE d.project_id = p.id AND d.kind = 'customer_service') AS service
        FROM org_project p""")
    projects = BRANCHES * PROJECTS_PER_BRANCH
    # One year of requests up to now, spread evenly; kind by g % 20: repairs 55%, complaints 15%, help 10%,
    # inquiries 15%, suggestions 5%.
    _step("requests", f"""
        INSERT INTO servicedesk_servicerequest (
            project_id, number, channel, kind, status, contact_name, contact_phone, location_note, description, cause,
            impact, resident_request, emotion, urgent, complaint_category, severity, complained_person, root_cause,
            needs_written_reply, written_reply, reply, received_at, respond_by, resolve_by, resolved_at, replied_at,
            closed_at, escalations_sent, created_by_id, updated_at, room_id, complained_department_id,
            complaint_valid)
        SELECT bp.project_id, 'R' || lpad(g::text, 9, '0'),
               (ARRAY['phone','hotline','walk_in','app','wechat'])[1 + g % 5],
               k.kind,
               CASE WHEN g % 97 = 0 THEN 'cancelled' WHEN at > now() - interval '2 days' THEN 'in_progress'
                    ELSE 'closed' END,
               (ARRAY['周美玲','王建国','李娜','张伟','刘洋','陈静'])[1 + g % 6],
               '138' || lpad((g % 100000000)::text, 8, '0'),
               '', (ARRAY['厨房水龙头漏水','电梯异响','楼道灯不亮','地下车库积水','门禁卡失灵','噪音扰民'])[1 + g % 6],
               '', '', '', 'calm', false,
               CASE WHEN k.kind = 'complaint' THEN (ARRAY['engineering','design','sales','property','service',
                                                         'other'])[1 + (g / 20) % 6] ELSE '' END,
               CASE WHEN k.kind = 'complaint' THEN (ARRAY['minor','minor','minor','important','major'])[1 + (g / 7) % 5]
                    ELSE '' END,
               '', CASE WHEN k.kind = 'complaint' THEN '维修响应不及时' ELSE '' END,
               false, '', '已处理完毕', at, at + interval '1 hour', at + interval '48 hours',
               CASE WHEN g % 97 <> 0 AND at <= now() - interval '2 days'
                    THEN at + ((g % 60) || ' hours')::interval END,
               CASE WHEN g % 97 <> 0 AND at <= now() - interval '2 days'
                    THEN at + ((g % 60) || ' hours')::interval + interval '1 hour' END,
               CASE WHEN g % 97 <> 0 AND at <= now() - interval '2 days'
                    THEN at + ((g % 60) || ' hours')::interval + interval '1 hour' END,
               '[]'::jsonb, {admin.pk}, at,
               bp.first_room + (g / {projects}) % bp.rooms,
               CASE WHEN k.kind = 'complaint' THEN bp.engineering END,
               CASE WHEN k.kind = 'complaint' THEN g % 4 <> 0 END
        FROM generate_series(1, {orders}) AS g
        JOIN bench_project bp ON bp.n = g % {projects}
        CROSS JOIN LATERAL (SELECT now() - ((g::float / {orders}) * interval '365 days') AS at) t
        CROSS JOIN LATERAL (SELECT CASE WHEN g % 20 < 11 THEN 'repair' WHEN g % 20 < 14 THEN 'complaint'
                                        WHEN g % 20 < 16 THEN 'help' WHEN g % 20 < 19 THEN 'inquiry'
                                        ELSE 'suggestion' END AS kind) k""")
    _step("work orders", """
        INSERT INTO servicedesk_workorder (
            request_id, project_id, number, department_id, status, assignee_id, instructions, created_at,
            dispatched_at, accepted_at, arrived_at, completed_at, held_seconds, hold_reason, respond_by, arrive_by,
            resolve_by, escalations_sent, result, materials, confirmation_method, signature, confirmation_code_hash,
            reopen_count)
        SELECT r.id, r.project_id, 'W' || substr(r.number, 2), bp.engineering,
               CASE WHEN r.status = 'cancelled' THEN 'cancelled' WHEN r.status = 'in_progress' THEN 'accepted'
                    ELSE 'completed' END,
               NULL, '', r.received_at, r.received_at + interval '5 minutes',
               r.received_at + ((5 + r.id % 40) || ' minutes')::interval,
               CASE WHEN r.status = 'closed' THEN r.received_at + ((20 + r.id % 90) || ' minutes')::interval END,
               CASE WHEN r.status = 'closed' THEN r.resolved_at END,
               CASE WHEN r.id % 11 = 0 THEN 7200 ELSE 0 END,
               CASE WHEN r.id % 11 = 0 THEN 'parts' ELSE '' END,
               r.received_at + interval '30 minutes', r.received_at + interval '2 hours',
               r.resolve_by + CASE WHEN r.id % 11 = 0 THEN interval '2 hours' ELSE interval '0' END,
               '[]'::jsonb, CASE WHEN r.status = 'closed' THEN '已修复' ELSE '' END, '', '', '', '',
               CASE WHEN r.id % 23 = 0 THEN 1 ELSE 0 END
        FROM servicedesk_servicerequest r JOIN bench_project bp ON bp.project_id = r.project_id""")
    _step("follow-up visits", """
        INSERT INTO followups_followupvisit (
            request_id, project_id, department_id, kind, rule, handled_at, due_from, due_by, visitor_role, status,
            attempts, reschedule_reason, late, method, quality, effect, shortcomings, suggestions, confirmation,
            decision, decision_note, review_comment, done_at, satisfaction)
        SELECT r.id, r.project_id, bp.engineering, r.kind,
               CASE WHEN r.kind IN ('complaint', 'repair', 'help') THEN r.kind ELSE 'other' END,
               r.resolved_at, r.resolved_at, r.resolved_at + interval '3 days', 'agent',
               CASE WHEN r.id % 10 = 0 THEN 'unreachable' WHEN r.resolved_at > now() - interval '3 days' THEN 'pending'
                    ELSE 'done' END,
               1, '', false, 'phone', 'good', '', '', '', 'phone', '', '', '',
               CASE WHEN r.id % 10 <> 0 AND r.resolved_at <= now() - interval '3 days'
                    THEN r.resolved_at + interval '1 day' END,
               CASE WHEN r.id % 10 <> 0 AND r.resolved_at <= now() - interval '3 days'
                    THEN (ARRAY[5,5,5,4,4,4,3,2,5,4,1])[1 + r.id % 11] END
        FROM servicedesk_servicerequest r JOIN bench_project bp ON bp.project_id = r.project_id
        WHERE r.resolved_at IS NOT NULL AND r.kind IN ('complaint', 'repair', 'help')""")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  analyze: {time.perf_counter() - started:.1f} s")


def _time(client, label: str, url: str, runs: int):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up (and the status check)
    if response.status_code != 200:
        print(f"{label}: HTTP {response.status_code} for {url}")
        return
    timings, queries = [], 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                size = sum(len(chunk) for chunk in response.streaming_content)
            else:
                size = len(response.content)
            timings.append(time.perf_counter() - started)
        queries = len(captured)
    print(f"{label:<58} median {statistics.median(timings) * 1000:8.0f} ms   max {max(timings) * 1000:8.0f} ms"
          f"   {queries:3d} queries   {size / 1024:,.0f} KiB")


def time_pages(runs: int):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from propdesk.followups.models import FollowUpVisit
    from propdesk.org.models import Branch
    from propdesk.reports.periods import add_months, quarter_period
    from propdesk.servicedesk.models import ServiceRequest, WorkOrder

    print(f"loaded: {ServiceRequest.objects.count():,} requests, {WorkOrder.objects.count():,} work orders, "
          f"{FollowUpVisit.objects.count():,} visits")
    users = get_user_model().objects
    leader, pm = users.get(username="bench_leader"), users.get(username="bench_pm")
    branch = Branch.objects.get(code="b0")
    project = pm.staff_profile.project
    today = timezone.localdate()
    last_month = add_months(today.replace(day=1), -1)
    month = f"{last_month:%Y-%m}"
    quarter = quarter_period(add_months(quarter_period(today).start, -3)).key
    as_leader, as_pm = Client(), Client()
    as_leader.force_login(leader)
    as_pm.force_login(pm)
    print(f"branch {branch.name}: {branch.projects.count()} projects, "
          f"{WorkOrder.objects.filter(project__branch=branch).count():,} work orders; month {month}")
    _time(as_leader, "monthly complaint summary, branch", f"/reports/complaints/?branch={branch.pk}&month={month}",
          runs)
    _time(as_pm, "project manager's dashboard", "/reports/", runs)
    _time(as_leader, "branch leader's dashboard (projects side by side)", "/reports/", runs)
    _time(as_leader, "KPIs by week, branch, last 12 weeks", f"/reports/kpis/?branch={branch.pk}&grain=week", runs)
    _time(as_leader, "visit statistics, branch, last quarter", f"/reports/visits/?branch={branch.pk}&quarter={quarter}",
          runs)
    _time(as_leader, "complaint register, branch, month, first page",
          f"/reports/registers/complaints/?branch={branch.pk}&month={month}", runs)
    _time(as_leader, "work-order register, branch, completed in the month, first page",
          f"/reports/registers/orders/?branch={branch.pk}&month={month}&measure=completed", runs)
    year_from = f"{add_months(today.replace(day=1), -11):%Y-%m-%d}"
    _time(as_pm, "request register Excel export, project, 12 months",
          f"/reports/registers/requests/?project={project.pk}&from={year_from}&to={today:%Y-%m-%d}&format=xlsx", 1)
    _time(as_leader, "API: complaint summary, branch", f"/api/reports/complaints/summary?branch={branch.pk}"
          f"&month={month}", runs)


if __name__ == "__main__":
    main()
