"""Load a company's history into PostgreSQL for the benchmark (bench/desk_bench.py), fast: rows are generated inside
PostgreSQL with generate_series, so a million requests load in minutes, not hours.

Two shapes:

- ``large``: 4 large projects of one branch (20 buildings of 144 homes each), every request in one of them: the
  worst case for a project's lists and dashboards (250,000 requests a project at 1M);
- ``realistic``: 8 branches of 50 projects each (1 to 4 buildings each): the company the product is sold to.

One year of requests up to now (repairs 55 %, complaints 15 %, help 10 %, inquiries 15 %, suggestions 5 %), numbered
as the desk numbers them (prefix, local day, the project's sequence of the day), with Chinese descriptions of the
kind residents write, one work order each (a few cancelled, some held, some reopened; the last two days' still live),
and a follow-up visit for most handled complaints, repairs and help requests.
"""

from __future__ import annotations

import time

# What residents report, and who: enough variety that a two-character word finds a fraction of the rows, not all.
DESCRIPTIONS = [
    "厨房水管爆裂漏水，地上全是水", "卫生间天花板漏水，楼上邻居家渗下来的", "电梯异响，运行时有咔咔声",
    "楼道灯不亮，晚上看不清台阶", "地下车库积水，车开不进去", "门禁卡失灵，刷卡没有反应",
    "楼上装修噪音扰民，周末早上七点就开始", "小区垃圾没有及时清运，有异味", "空调外机滴水到阳台上",
    "停车位被别人占用，联系不上车主", "快递柜打不开，取不了件", "物业费收费标准咨询",
    "绿化带杂草太多，蚊子多", "窗户关不严，漏风", "热水器不出热水",
    "楼下有人在消防通道停车", "客厅墙面开裂，担心结构问题", "宠物狗在楼道便溺无人清理",
    "保安态度不好，进门登记时很不耐烦", "维修师傅上门很及时，服务态度好", "下水道堵塞，水漫出来了",
    "单元门闭门器坏了，门关不上", "水压太低，洗澡没法用", "阳台推拉门轨道坏了",
]
NAMES = ["周美玲", "王建国", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "吴强", "孙丽", "郑海燕"]
CITIES = ["上海", "杭州", "南京", "苏州", "成都", "重庆", "武汉", "西安"]
ESTATES = ["翠湖", "金桂", "锦江", "滨江", "望京", "紫荆", "香樟", "银杏", "海棠", "玉兰"]
SUFFIXES = ["花园", "苑", "城", "府", "湾"]

SHAPES = ("large", "realistic")
REPLY = "已安排师傅上门处理，请保持电话畅通"


def grams(text: str) -> str:
    """The search tokens the application keeps beside a request's text (ServiceRequest.search_grams)."""
    from propdesk.servicedesk.rules.bigrams import text_grams

    return text_grams(text)


def _room_grams() -> None:
    """Each room's search tokens (its code), for the requests' search column."""
    from django.db import connection

    from propdesk.org.models import Room

    started = time.perf_counter()
    rows = [(pk, grams(code)) for pk, code in Room.objects.values_list("id", "code")]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_room_grams (room_id bigint PRIMARY KEY, grams text)")
        cursor.executemany("INSERT INTO bench_room_grams VALUES (%s, %s)", rows)
    print(f"  room search tokens: {len(rows):,} rows in {time.perf_counter() - started:.1f} s", flush=True)


def step(label: str, sql: str, params=None) -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.rowcount
    print(f"  {label}: {rows:,} rows in {time.perf_counter() - started:.1f} s", flush=True)


def _org(shape: str):
    """The company, its branches and projects with buildings, and the bench's users."""
    from propdesk.core.testing import make_project, make_user
    from propdesk.org.models import Branch, Company, Department
    from propdesk.org.services.buildings import building_create

    company = Company.objects.create(name="万家物业服务有限公司", code="wanjia")
    if shape == "large":
        plan = [(0, [(p, 20) for p in range(4)])]
    else:
        plan = [(b, [(p, 1 + (b * 50 + p) % 4) for p in range(50)]) for b in range(8)]
    for b, projects in plan:
        branch = Branch.objects.create(company=company, name=f"{CITIES[b]}分公司", code=f"b{b}")
        for p, buildings in projects:
            project = make_project(branch, f"p{b}-{p}", f"{ESTATES[p % 10]}{SUFFIXES[(p // 10) % 5]}")
            for n in range(buildings):
                building_create(project=project, number=str(n + 1), floors=18, units=2, rooms_per_floor=4, area=89)
    branch = Branch.objects.get(code="b0")
    project = branch.projects.order_by("id").first()
    engineering = Department.objects.get(project=project, kind="engineering")
    make_user("bench_admin", role="admin", company=company)
    make_user("bench_leader", role="branch_leader", branch=branch)
    make_user("bench_pm", role="project_manager", project=project)
    make_user("bench_agent", role="agent", project=project, display_name="前台小王")
    for n in range(12):
        make_user(f"bench_tech{n}", role="technician", department=engineering, display_name=f"维修工{n + 1:02d}")
    return company


def load(requests: int, shape: str) -> None:
    from django.db import connection

    from propdesk.org.models import Project, Room

    started = time.perf_counter()
    _org(shape)
    projects = Project.objects.count()
    print(f"  org: {projects} projects, {Room.objects.count():,} rooms in {time.perf_counter() - started:.1f} s",
          flush=True)
    step("project index", """
        CREATE TEMP TABLE bench_project AS
        SELECT row_number() OVER (ORDER BY p.id) - 1 AS n, p.id AS project_id, p.number_prefix AS prefix,
               (SELECT min(r.id) FROM org_room r WHERE r.project_id = p.id) AS first_room,
               (SELECT count(*) FROM org_room r WHERE r.project_id = p.id) AS rooms,
               (SELECT d.id FROM org_department d WHERE d.project_id = p.id AND d.kind = 'engineering') AS engineering,
               (SELECT array_agg(u.id ORDER BY u.id) FROM auth_user u JOIN staff_staffprofile s ON s.user_id = u.id
                 JOIN org_department d ON d.id = s.department_id
                WHERE d.project_id = p.id AND s.role = 'technician') AS technicians
        FROM org_project p""")
    _room_grams()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM auth_user WHERE username = 'bench_admin'")
        admin = cursor.fetchone()[0]
    # One year of requests up to now, spread evenly; kind by g % 20. Numbered per project and local day.
    # Every updated_at is at least 10 minutes old, as in a database whose worker has caught up: the rollups'
    # watermark trails its pass by 5 minutes, and rows stamped later (or in the future) would be read raw.
    step("requests", f"""
        INSERT INTO servicedesk_servicerequest (
            project_id, number, channel, kind, status, contact_name, contact_phone, location_note, description, cause,
            impact, resident_request, emotion, urgent, complaint_category, severity, complained_person, root_cause,
            needs_written_reply, written_reply, reply, received_at, respond_by, resolve_by, resolved_at, replied_at,
            closed_at, escalations_sent, created_by_id, updated_at, room_id, complained_department_id,
            complaint_valid, hurry_count, search_grams)
        SELECT project_id, prefix || '-' || to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYMMDD') || '-'
                   || lpad((row_number() OVER (PARTITION BY project_id,
                                                (at AT TIME ZONE 'Asia/Shanghai')::date ORDER BY g))::text, 3, '0'),
               channel, kind, status, contact_name, contact_phone, '', description, '', '', '', 'calm', false,
               complaint_category, severity, '', root_cause, false, '', reply, at, at + interval '1 hour',
               at + interval '48 hours', done, CASE WHEN done IS NOT NULL THEN done + interval '1 hour' END,
               CASE WHEN status = 'closed' THEN done + interval '1 hour' END,
               '[]'::jsonb, {admin}, least(at, now() - interval '10 minutes'), room_id, complained_department_id,
               complaint_valid, 0,
               concat_ws(' ', description_grams, name_grams, CASE WHEN reply <> '' THEN %(reply_grams)s END,
                         (SELECT grams FROM bench_room_grams WHERE bench_room_grams.room_id = generated.room_id))
        FROM (
            SELECT g, bp.project_id, bp.prefix, at, k.kind,
                   (ARRAY['phone','hotline','walk_in','app','wechat'])[1 + g %% 5] AS channel,
                   CASE WHEN g %% 97 = 0 THEN 'cancelled' WHEN at > now() - interval '2 days' THEN 'in_progress'
                        ELSE 'closed' END AS status,
                   CASE WHEN g %% 97 <> 0 AND at <= now() - interval '2 days'
                        THEN at + ((g %% 47) || ' hours')::interval END AS done,
                   (%(names)s::text[])[1 + g %% {len(NAMES)}] AS contact_name,
                   '138' || lpad((g %% 100000000)::text, 8, '0') AS contact_phone,
                   (%(descriptions)s::text[])[1 + (g / 7) %% {len(DESCRIPTIONS)}] AS description,
                   (%(name_grams)s::text[])[1 + g %% {len(NAMES)}] AS name_grams,
                   (%(description_grams)s::text[])[1 + (g / 7) %% {len(DESCRIPTIONS)}] AS description_grams,
                   CASE WHEN k.kind = 'complaint' THEN (ARRAY['engineering','design','sales','property','service',
                                                             'other'])[1 + (g / 20) %% 6] ELSE '' END
                       AS complaint_category,
                   CASE WHEN k.kind = 'complaint'
                        THEN (ARRAY['minor','minor','minor','important','major'])[1 + (g / 7) %% 5] ELSE '' END
                       AS severity,
                   CASE WHEN k.kind = 'complaint' THEN '维修响应不及时' ELSE '' END AS root_cause,
                   CASE WHEN g %% 3 = 0 THEN %(reply)s ELSE '' END AS reply,
                   bp.first_room + (g / {projects}) %% bp.rooms AS room_id,
                   CASE WHEN k.kind = 'complaint' THEN bp.engineering END AS complained_department_id,
                   CASE WHEN k.kind = 'complaint' THEN g %% 4 <> 0 END AS complaint_valid
            FROM generate_series(1, {requests}) AS g
            JOIN bench_project bp ON bp.n = g %% {projects}
            CROSS JOIN LATERAL (SELECT now() - ((g::float / {requests}) * interval '365 days') AS at) t
            CROSS JOIN LATERAL (SELECT CASE WHEN g %% 20 < 11 THEN 'repair' WHEN g %% 20 < 14 THEN 'complaint'
                                            WHEN g %% 20 < 16 THEN 'help' WHEN g %% 20 < 19 THEN 'inquiry'
                                            ELSE 'suggestion' END AS kind) k
        ) generated""", {"names": NAMES, "descriptions": DESCRIPTIONS, "reply": REPLY, "reply_grams": grams(REPLY),
                         "name_grams": [grams(name) for name in NAMES],
                         "description_grams": [grams(text) for text in DESCRIPTIONS]})
    # The day counters the desk numbers from (core.Counter, rules/numbers.request_counter_key), as intake would have
    # left them: a request recorded today continues the day's sequence.
    step("numbering counters", """
        INSERT INTO core_counter (key, value)
        SELECT 'request:' || project_id || ':' || to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD'),
               count(*)
        FROM servicedesk_servicerequest GROUP BY 1""")
    step("work orders", """
        INSERT INTO servicedesk_workorder (
            request_id, project_id, number, department_id, status, assignee_id, instructions, created_at,
            dispatched_at, accepted_at, arrived_at, completed_at, held_seconds, hold_reason, respond_by, arrive_by,
            resolve_by, escalations_sent, result, materials, confirmation_method, signature, confirmation_code_hash,
            reopen_count, confirmation_code_wrong, updated_at)
        SELECT r.id, r.project_id, r.number || '-1', bp.engineering,
               CASE WHEN r.status = 'cancelled' THEN 'cancelled' WHEN r.status = 'in_progress' THEN
                    (ARRAY['pending','dispatched','accepted','on_site'])[1 + r.id % 4] ELSE 'completed' END,
               CASE WHEN r.status = 'in_progress' AND r.id % 4 = 0 THEN NULL
                    ELSE bp.technicians[1 + r.id % greatest(coalesce(array_length(bp.technicians, 1), 1), 1)] END,
               '', r.received_at, r.received_at + interval '5 minutes',
               r.received_at + ((5 + r.id % 40) || ' minutes')::interval,
               CASE WHEN r.status = 'closed' THEN r.received_at + ((20 + r.id % 90) || ' minutes')::interval END,
               CASE WHEN r.status = 'closed' THEN r.resolved_at END,
               CASE WHEN r.id % 11 = 0 THEN 7200 ELSE 0 END,
               CASE WHEN r.id % 11 = 0 THEN 'parts' ELSE '' END,
               r.received_at + interval '30 minutes', r.received_at + interval '2 hours',
               r.resolve_by + CASE WHEN r.id % 11 = 0 THEN interval '2 hours' ELSE interval '0' END,
               '[]'::jsonb, CASE WHEN r.status = 'closed' THEN '已修复' ELSE '' END, '', '', '', '',
               CASE WHEN r.id % 23 = 0 THEN 1 ELSE 0 END, 0,
               least(coalesce(r.resolved_at, r.received_at), now() - interval '10 minutes')
        FROM servicedesk_servicerequest r JOIN bench_project bp ON bp.project_id = r.project_id""")
    step("follow-up visits", """
        INSERT INTO followups_followupvisit (
            request_id, project_id, department_id, kind, rule, handled_at, due_from, due_by, visitor_role, status,
            attempts, reschedule_reason, late, method, quality, effect, shortcomings, suggestions, confirmation,
            decision, decision_note, review_comment, done_at, satisfaction, updated_at)
        SELECT r.id, r.project_id, bp.engineering, r.kind,
               CASE WHEN r.kind IN ('complaint', 'repair', 'help') THEN r.kind ELSE 'other' END,
               r.resolved_at, r.resolved_at, r.resolved_at + interval '3 days', 'agent',
               CASE WHEN r.id % 10 = 0 THEN 'unreachable' WHEN r.resolved_at > now() - interval '3 days' THEN 'pending'
                    ELSE 'done' END,
               1, '', false, 'phone', 'good', '', '', '', 'phone', '', '', '',
               CASE WHEN r.id % 10 <> 0 AND r.resolved_at <= now() - interval '3 days'
                    THEN r.resolved_at + interval '1 day' END,
               CASE WHEN r.id % 10 <> 0 AND r.resolved_at <= now() - interval '3 days'
                    THEN (ARRAY[5,5,5,4,4,4,3,2,5,4,1])[1 + r.id % 11] END,
               least(r.resolved_at + interval '1 day', now() - interval '10 minutes')
        FROM servicedesk_servicerequest r JOIN bench_project bp ON bp.project_id = r.project_id
        WHERE r.resolved_at IS NOT NULL AND r.kind IN ('complaint', 'repair', 'help')""")
    derived(requests)
    started = time.perf_counter()
    # VACUUM as well as ANALYZE: a database in use has been vacuumed by autovacuum (visibility map and hint bits
    # set); timed right after a bulk load, index-only scans would visit the heap and the first reads write hint bits.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"  vacuum and analyze: {time.perf_counter() - started:.1f} s", flush=True)


def derived(requests: int) -> None:
    """What the application keeps beside the rows it writes (search tokens, rollups), filled the way its own
    commands fill them after an import."""
    from django.core.management import call_command, get_commands

    if "rebuild_rollups" in get_commands():
        started = time.perf_counter()
        call_command("rebuild_rollups", verbosity=0)
        print(f"  rollups rebuilt: {time.perf_counter() - started:.1f} s", flush=True)
