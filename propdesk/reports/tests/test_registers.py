"""The registers on a small known data set, every list worked out by hand. Today is 2026-11-22; times are Shanghai.

Requests of project A (R = repair, C = complaint; room, category, resolve_by → resolved_at):

    R1  repair     10-31 23:30  3-2-1802             resolve_by 11-02 23:30, resolved 11-02 10:00   ← spans the month
    C2  complaint  10-05 09:00  3-2-1802 property    important, valid,   resolve_by 10-07 09:00, resolved 10-06 15:00
    C3  complaint  10-20 14:00  3-2-1802 property    minor, not valid,   resolve_by 10-22 14:00, resolved 10-23 10:00
    C4  complaint  10-28 10:00  5-1-301  service     resolve_by 12-01, not resolved          (open, not yet due)
    C5  complaint  10-10 10:00  5-1-301  service     resolve_by 10-12, not resolved          (late)
    P1  complaint  07-12 10:00  3-1-501  engineering
    P2  complaint  10-10 10:00  3-1-501  engineering                  ← P1 exactly 90 days before: a repeat
    Q1  complaint  07-12 09:59  3-1-502  engineering
    Q2  complaint  10-10 10:00  3-1-502  engineering                  ← Q1 90 days and a minute before: not a repeat
    X1  complaint  10-01 09:00  5-1-101  engineering   cancelled
    X2  complaint  10-15 09:00  5-1-101  engineering                  ← only a cancelled one before: not a repeat
    B1  complaint  10-12 11:00  project B, 3-1-101    C1  complaint  10-13 11:00  project C (west)

October in A (cancelled left out): R1, C2, C3, C4, C5, P2, Q2, X2 — 8 requests, 7 complaints.
Repeats: C3 (C2 15 days before), C4 (C5 18 days before), P2. On time: C2 (and the repair R1); late: C3, C5.

Work orders (created; dispatched → completed; resolve_by; hold; reopen):

    W1 R1 engineering 刘师傅  10-31 23:40; accepted 11-01 00:10, arrived 00:40, completed 11-02 10:00 ≤ 11-02 23:30
    W2 C2 security           10-05 09:30; accepted 09:45, arrived 10:00, completed 10-06 15:00 ≤ 10-07 09:00, held 1 h
    W3 C3 engineering 刘师傅  10-20 14:30; accepted 15:00, completed 10-23 10:00 > 10-22 14:00, reopened once
    W4 C5 cleaning           10-10 10:30 cancelled
    W5 C4 engineering 刘师傅  10-28 10:30; accepted 11:00, not completed
    WB B1 engineering of B   10-12 11:30

Order register, October by creation: W1, W5, W3, W2 (W4 cancelled). Completed in October: W3, W2; in November: W1.
On time: W1, W2; late: W3. First-visit fix: W1 (W2 was held, W3 reopened).

Visits (due_by, status, satisfaction): V1 C2 10-08 done 10-07 (2, reopened); V2 C2 10-10 done 10-09 (4);
V3 R1 11-05 done (5); V4 C3 10-31 23:30 pending (still October); V5 C5 10-15 cancelled; V6 C3 11-01 00:30
unreachable. October: V4, V2, V1. The complaint register's visit result of C2 is V2's (the latest done): satisfied.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from propdesk.core.errors import ApplicationError
from propdesk.followups.models import FollowUpVisit
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Building, CommonArea, Department
from propdesk.reports.selectors.registers import REGISTERS, register_filters

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = {"month": "2026-10"}


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def department(project, kind) -> Department:
    return Department.objects.get(project=project, kind=kind)


PEOPLE = {"3-2-1802": ("周美玲", "13812345678"), "5-1-301": ("吴强", "021-62345678"),
          "3-1-501": ("孙丽", "13600001111"), "3-1-502": ("黄磊", "13600002222"),
          "5-1-101": ("马云飞", "13600003333"), "3-1-101": ("郑海燕", "13712348888")}


def new_request(world, number: str, received: datetime, *, project=None, room="3-2-1802", kind="complaint",
                **fields):
    from propdesk.servicedesk.models import ServiceRequest

    project = project or world.project_a
    name, phone = PEOPLE.get(room, ("钱多多", "13500000000"))
    return ServiceRequest.objects.create(
        project=project, number=number, channel="phone", kind=kind, contact_name=name, contact_phone=phone,
        room=world.room(project, room) if room else None, description=fields.pop("description", "楼道灯坏了"),
        received_at=received, created_by=world.users["agent_a"], **fields)


def new_order(request, number: str, dept, created: datetime, **fields):
    from propdesk.servicedesk.models import WorkOrder

    order = WorkOrder.objects.create(request=request, project=request.project, number=number, department=dept,
                                     status=fields.pop("status", "completed"), dispatched_at=created, **fields)
    WorkOrder.objects.filter(pk=order.pk).update(created_at=created)
    return order


def new_visit(request, rule, due_by: datetime, *, status="done", **fields) -> FollowUpVisit:
    return FollowUpVisit.objects.create(
        request=request, project=request.project, kind=rule, rule=rule, handled_at=due_by - timedelta(days=7),
        due_from=due_by - timedelta(days=7), due_by=due_by, visitor_role="customer_service", status=status, **fields)


def build_data(world) -> dict:
    a, b, c = world.project_a, world.project_b, world.project_c
    eng, sec, clean = (department(a, kind) for kind in (DepartmentKind.ENGINEERING, DepartmentKind.SECURITY,
                                                        DepartmentKind.CLEANING))
    tech, agent = world.users["technician_a"], world.users["agent_a"]
    r = {}
    r["R1"] = new_request(world, "BS2610310001", sh(2026, 10, 31, 23, 30), kind="repair", status="closed",
                          description="厨房水龙头漏水", resident_request="尽快上门维修",
                          resolve_by=sh(2026, 11, 2, 23, 30), resolved_at=sh(2026, 11, 2, 10), reply="已修好，业主确认")
    r["C2"] = new_request(world, "TS2610050001", sh(2026, 10, 5, 9), complaint_category="property",
                          severity="important", complained_department=sec, complained_person="门岗 小李",
                          complaint_valid=True, root_cause="夜班巡逻不到位", description="夜间有陌生人进入单元",
                          resolve_by=sh(2026, 10, 7, 9), resolved_at=sh(2026, 10, 6, 15), status="closed",
                          reply="已加强夜间巡逻", replied_at=sh(2026, 10, 6, 16))
    r["C3"] = new_request(world, "TS2610200001", sh(2026, 10, 20, 14), complaint_category="property",
                          severity="minor", complaint_valid=False, resolve_by=sh(2026, 10, 22, 14),
                          resolved_at=sh(2026, 10, 23, 10), status="resolved", description="=楼下排水管又堵了")
    r["C4"] = new_request(world, "TS2610280001", sh(2026, 10, 28, 10), room="5-1-301", complaint_category="service",
                          severity="minor", resolve_by=sh(2026, 12, 1, 10), status="in_progress")
    r["C5"] = new_request(world, "TS2610100001", sh(2026, 10, 10, 10), room="5-1-301", complaint_category="service",
                          severity="minor", resolve_by=sh(2026, 10, 12, 10), status="open")
    r["P1"] = new_request(world, "TS2607120001", sh(2026, 7, 12, 10), room="3-1-501", complaint_category="engineering")
    r["P2"] = new_request(world, "TS2610100002", sh(2026, 10, 10, 10), room="3-1-501", complaint_category="engineering")
    r["Q1"] = new_request(world, "TS2607120002", sh(2026, 7, 12, 9, 59), room="3-1-502",
                          complaint_category="engineering")
    r["Q2"] = new_request(world, "TS2610100003", sh(2026, 10, 10, 10), room="3-1-502", complaint_category="engineering")
    r["X1"] = new_request(world, "TS2610010001", sh(2026, 10, 1, 9), room="5-1-101", complaint_category="engineering",
                          status="cancelled")
    r["X2"] = new_request(world, "TS2610150001", sh(2026, 10, 15, 9), room="5-1-101", complaint_category="engineering")
    r["B1"] = new_request(world, "TS2610120001", sh(2026, 10, 12, 11), project=b, room="3-1-101",
                          complaint_category="property")
    r["C1"] = new_request(world, "TS2610130001", sh(2026, 10, 13, 11), project=c, complaint_category="property")
    w = {}
    w["W1"] = new_order(r["R1"], "GD2610310001", eng, sh(2026, 10, 31, 23, 40), assignee=tech,
                        accepted_at=sh(2026, 11, 1, 0, 10), arrived_at=sh(2026, 11, 1, 0, 40),
                        completed_at=sh(2026, 11, 2, 10), resolve_by=sh(2026, 11, 2, 23, 30), result="更换水龙头阀芯")
    w["W2"] = new_order(r["C2"], "GD2610050001", sec, sh(2026, 10, 5, 9, 30), accepted_at=sh(2026, 10, 5, 9, 45),
                        arrived_at=sh(2026, 10, 5, 10), completed_at=sh(2026, 10, 6, 15),
                        resolve_by=sh(2026, 10, 7, 9), held_seconds=3600, result="已加强夜间巡逻并向业主致歉")
    w["W3"] = new_order(r["C3"], "GD2610200001", eng, sh(2026, 10, 20, 14, 30), assignee=tech,
                        accepted_at=sh(2026, 10, 20, 15), completed_at=sh(2026, 10, 23, 10),
                        resolve_by=sh(2026, 10, 22, 14), reopen_count=1, result="重新疏通排水管",
                        materials="PVC排水管1米、弯头2个")
    w["W4"] = new_order(r["C5"], "GD2610100001", clean, sh(2026, 10, 10, 10, 30), status="cancelled", result="作废")
    w["W5"] = new_order(r["C4"], "GD2610280001", eng, sh(2026, 10, 28, 10, 30), assignee=tech, status="accepted",
                        accepted_at=sh(2026, 10, 28, 11), resolve_by=sh(2026, 10, 30, 10))
    w["WB"] = new_order(r["B1"], "GD2610120001", department(b, DepartmentKind.ENGINEERING), sh(2026, 10, 12, 11, 30))
    v = {}
    v["V1"] = new_visit(r["C2"], "complaint", sh(2026, 10, 8, 18), done_at=sh(2026, 10, 7, 10), satisfaction=2,
                        method="phone", visitor=agent, quality="poor", effect="一般", shortcomings="巡逻仍不到位",
                        suggestions="夜间增加巡逻", confirmation="phone", decision="reopened",
                        decision_note="安排秩序部主管上门", review_comment="已督促整改")
    v["V2"] = new_visit(r["C2"], "complaint", sh(2026, 10, 10, 18), done_at=sh(2026, 10, 9, 15), satisfaction=4,
                        method="phone", visitor=agent, quality="good")
    v["V3"] = new_visit(r["R1"], "repair", sh(2026, 11, 5, 18), done_at=sh(2026, 11, 4, 10), satisfaction=5)
    v["V4"] = new_visit(r["C3"], "complaint", sh(2026, 10, 31, 23, 30), status="pending")
    v["V5"] = new_visit(r["C5"], "complaint", sh(2026, 10, 15, 18), status="cancelled")
    v["V6"] = new_visit(r["C3"], "complaint", sh(2026, 11, 1, 0, 30), status="unreachable")
    return {"requests": r, "orders": w, "visits": v, "eng": eng, "sec": sec}


@pytest.fixture
def data(world):
    return build_data(world)


def listed(name: str, user, **params) -> list[str]:
    """The numbers a register lists (newest first) for ``params``."""
    register = REGISTERS[name]
    key = {"requests": "id", "complaints": "number", "visits": "id", "orders": "number"}[name]
    return [row[key] for row in register.queryset(user, register_filters(register, user, params))]


def numbers(data, *keys) -> list[str]:
    objects = {**data["requests"], **data["orders"]}
    return [objects[key].number for key in keys]


# --- the requests register 《报修、投诉、接待情况汇总表》 ------------------------------------------------

def test_requests_register_lists_the_month_received_newest_first(world, data):
    pm = world.users["pm_a"]
    r = data["requests"]
    october = [r[k].pk for k in ("R1", "C4", "C3", "X2", "Q2", "P2", "C5", "C2")]  # 10-10 10:00 ties: newest id
    assert listed("requests", pm, **OCTOBER) == october
    # R1 (received 10-31 23:30, done in November) is October's, not November's.
    assert r["R1"].pk not in listed("requests", pm, month="2026-11")
    assert listed("requests", pm, **OCTOBER, kind="repair") == [r["R1"].pk]
    # The cancelled complaint only when asked for.
    assert listed("requests", pm, **OCTOBER, status="cancelled") == [r["X1"].pk]


def test_requests_register_row_has_the_paper_form_columns(world, data):
    register = REGISTERS["requests"]
    pm = world.users["pm_a"]
    rows = register.page_rows(pm, register.queryset(pm, register_filters(register, pm, {**OCTOBER, "kind": "repair"})))
    with translation.override("en"):
        assert [str(column.header) for column in register.columns] == [
            "No.", "Time", "Project", "Place", "Reporter", "Contact number", "Type", "What happened",
            "Resident's request", "Handling department / person", "Result", "Reply", "Status"]
        values = [column.value(rows[0]) for column in register.columns]
    assert values == [1, sh(2026, 10, 31, 23, 30), "翠湖花园", "3-2-1802", "周美玲", "13812345678", "repair",
                      "厨房水龙头漏水", "尽快上门维修", "翠湖花园工程部/刘师傅", "更换水龙头阀芯", "已修好，业主确认",
                      "closed"]


def test_requests_register_department_means_handled_by_or_complained_about(world, data):
    pm, r = world.users["pm_a"], data["requests"]
    assert listed("requests", pm, **OCTOBER, department=data["eng"].pk) == [r[k].pk for k in ("R1", "C4", "C3")]
    assert listed("requests", pm, **OCTOBER, department=data["sec"].pk) == [r["C2"].pk]  # order and complaint
    # The cleaning order of C5 was cancelled: C5 is nobody's in cleaning.
    cleaning = department(world.project_a, DepartmentKind.CLEANING)
    assert listed("requests", pm, **OCTOBER, department=cleaning.pk) == []


# --- the complaint register 《顾客投诉登记表》 ------------------------------------------------------------

def test_complaint_register_filters(world, data):
    pm = world.users["pm_a"]
    assert listed("complaints", pm, **OCTOBER) == numbers(data, "C4", "C3", "X2", "Q2", "P2", "C5", "C2")
    assert listed("complaints", pm, **OCTOBER, on_time="1") == numbers(data, "C2")
    assert listed("complaints", pm, **OCTOBER, on_time="0") == numbers(data, "C3", "C5")
    assert listed("complaints", pm, **OCTOBER, valid="1") == numbers(data, "C2")
    assert listed("complaints", pm, **OCTOBER, valid="0") == numbers(data, "C3")
    assert listed("complaints", pm, **OCTOBER, category="service") == numbers(data, "C4", "C5")
    assert listed("complaints", pm, **OCTOBER, severity="important") == numbers(data, "C2")
    assert listed("complaints", pm, **OCTOBER, department=data["sec"].pk) == numbers(data, "C2")
    assert listed("complaints", pm, **OCTOBER, status="cancelled") == numbers(data, "X1")


def drill_down_complaints(world) -> dict:
    """Two more October complaints of A, about the lobby of building 3 (a common area):

        N1  10-18 09:00  the lobby, no room   no category, severity or department; validity not decided;
                                              resolve_by 10-20, resolved 10-19 (on time)
        N2  10-19 09:00  3-2-1802 and the lobby  engineering, minor, security, valid; on time → counts for building 3
    """
    a = world.project_a
    lobby = CommonArea.objects.create(project=a, building=Building.objects.get(project=a, number="3"), kind="lobby",
                                      name="3号楼大堂")
    n1 = new_request(world, "TS2610180001", sh(2026, 10, 18, 9), room=None, common_area=lobby,
                     description="大堂地面湿滑无警示牌", resolve_by=sh(2026, 10, 20, 9),
                     resolved_at=sh(2026, 10, 19, 9), status="closed")
    n2 = new_request(world, "TS2610190001", sh(2026, 10, 19, 9), common_area=lobby, complaint_category="engineering",
                     severity="minor", complained_department=department(a, DepartmentKind.SECURITY),
                     complaint_valid=True, resolve_by=sh(2026, 10, 21, 9), resolved_at=sh(2026, 10, 20, 9),
                     status="closed")
    return {"lobby": lobby, "N1": n1, "N2": n2}


def test_complaint_register_empty_fields_open_and_places(world, data):
    """October in A is now C4, C3, N2, N1, X2, Q2, P2, C5, C2. P2, Q2 and X2 were recorded without severity,
    deadline or department; C3, C4 and C5 without department."""
    pm, a = world.users["pm_a"], world.project_a
    more = drill_down_complaints(world)
    data = {**data, "requests": {**data["requests"], "N1": more["N1"], "N2": more["N2"]}}
    everything = listed("complaints", pm, **OCTOBER)
    assert everything == numbers(data, "C4", "C3", "N2", "N1", "X2", "Q2", "P2", "C5", "C2")
    assert listed("complaints", pm, **OCTOBER, category="none") == numbers(data, "N1")
    assert listed("complaints", pm, **OCTOBER, severity="none") == numbers(data, "N1", "X2", "Q2", "P2")
    assert listed("complaints", pm, **OCTOBER, complained="none") == numbers(data, "C4", "C3", "N1", "X2", "Q2", "P2",
                                                                               "C5")
    assert listed("complaints", pm, **OCTOBER, valid="none") == numbers(data, "C4", "N1", "X2", "Q2", "P2", "C5")
    # Open and not yet due: C4 (due 12-01) and the three without a deadline.
    assert listed("complaints", pm, **OCTOBER, on_time="open") == numbers(data, "C4", "X2", "Q2", "P2")
    # Each filter's values split the month: on time, late and open; valid, not valid and undecided; the categories.
    for name, values in (("on_time", ("1", "0", "open")), ("valid", ("1", "0", "none")),
                         ("category", ("engineering", "design", "sales", "property", "service", "other", "none"))):
        split = [number for value in values for number in listed("complaints", pm, **OCTOBER, **{name: value})]
        assert sorted(split) == sorted(everything), name
    three, five = (Building.objects.get(project=a, number=number).pk for number in ("3", "5"))
    assert listed("complaints", pm, **OCTOBER, building=three) == numbers(data, "C3", "N2", "Q2", "P2", "C2")
    assert listed("complaints", pm, **OCTOBER, building=five) == numbers(data, "C4", "X2", "C5")
    # N2 names a room as well as the lobby: it counts for building 3, not for the lobby.
    assert listed("complaints", pm, **OCTOBER, area=more["lobby"].pk) == numbers(data, "N1")
    assert listed("complaints", pm, **OCTOBER, area=more["lobby"].pk, category="none", valid="none") == \
        numbers(data, "N1")
    # On the requests register the empty complaint fields select complaints only: the repair R1 has none of them.
    r = data["requests"]
    assert listed("requests", pm, **OCTOBER, category="none") == [r["N1"].pk]
    assert r["R1"].pk not in listed("requests", pm, **OCTOBER, valid="none")
    assert listed("requests", pm, **OCTOBER, complained="none", building=five) == [r["C4"].pk, r["X2"].pk, r["C5"].pk]


def test_repeat_complaints_within_90_days(world, data):
    pm = world.users["pm_a"]
    # C3 after C2 (15 days), C4 after C5 (18 days), P2 exactly 90 days after P1; Q2 is 90 days and a minute after
    # Q1, X2 follows only a cancelled complaint.
    assert listed("complaints", pm, **OCTOBER, repeat="1") == numbers(data, "C4", "C3", "P2")
    assert listed("complaints", pm, **OCTOBER, repeat="0") == numbers(data, "X2", "Q2", "C5", "C2")
    # The earlier complaint may lie in another period (and is looked for whatever the period chosen).
    assert listed("complaints", pm, **{"from": "2026-10-10", "to": "2026-10-10"}, repeat="1") == numbers(data, "P2")


def test_complaint_register_row(world, data):
    register = REGISTERS["complaints"]
    pm = world.users["pm_a"]
    rows = register.page_rows(pm, register.queryset(pm, register_filters(register, pm, {**OCTOBER})))
    by_number = {row["number"]: row for row in rows}
    with translation.override("en"):
        c2 = [column.value(by_number["TS2610050001"]) for column in register.columns]
        c3 = [column.value(by_number["TS2610200001"]) for column in register.columns]
        c4 = [column.value(by_number["TS2610280001"]) for column in register.columns]
    assert c2 == ["TS2610050001", "翠湖花园", sh(2026, 10, 5, 9), "周美玲", "13812345678", "3-2-1802",
                  "夜间有陌生人进入单元", "property management", "important", "翠湖花园秩序部/门岗 小李", "yes",
                  "夜班巡逻不到位", "已加强夜间巡逻并向业主致歉", sh(2026, 10, 6, 16), sh(2026, 10, 7, 9), "yes",
                  "satisfied"]
    # C3: not valid, solved late, its visit still to make; C4: open and not yet due, the order still running.
    assert (c3[10], c3[12], c3[15], c3[16]) == ("no", "重新疏通排水管", "no", "")
    assert (c4[12], c4[15]) == ("", "open, not yet due")


# --- the visit register 《回访记录表》 --------------------------------------------------------------------

def test_visit_register_by_due_month(world, data):
    pm, v = world.users["pm_a"], data["visits"]
    assert listed("visits", pm, **OCTOBER) == [v[k].pk for k in ("V4", "V2", "V1")]  # V5 cancelled
    assert listed("visits", pm, month="2026-11") == [v["V3"].pk, v["V6"].pk]
    assert listed("visits", pm, **OCTOBER, dissatisfied="1") == [v["V1"].pk]
    assert listed("visits", pm, **OCTOBER, satisfaction="4") == [v["V2"].pk]
    assert listed("visits", pm, **OCTOBER, status="pending") == [v["V4"].pk]
    assert listed("visits", pm, **OCTOBER, rule="repair") == []
    assert listed("visits", pm, month="2026-11", rule="repair") == [v["V3"].pk]


def test_visit_register_row(world, data):
    register = REGISTERS["visits"]
    pm = world.users["pm_a"]
    row = next(row for row in register.queryset(pm, register_filters(register, pm, {**OCTOBER, "dissatisfied": "1"})))
    with translation.override("en"):
        values = [column.value(row) for column in register.columns]
    assert values == [sh(2026, 10, 7, 10), "TS2610050001", "翠湖花园", "周美玲", "3-2-1802", "phone", "张晓燕", "poor",
                      "一般", "dissatisfied", "巡逻仍不到位", "夜间增加巡逻", "confirmed by phone",
                      "request reopened：安排秩序部主管上门", "已督促整改"]


# --- the work-order register ----------------------------------------------------------------------------

def test_order_register_measures_and_filters(world, data):
    pm = world.users["pm_a"]
    assert listed("orders", pm, **OCTOBER) == numbers(data, "W1", "W5", "W3", "W2")  # W4 cancelled
    assert listed("orders", pm, **OCTOBER, measure="completed") == numbers(data, "W3", "W2")
    assert listed("orders", pm, month="2026-11", measure="completed") == numbers(data, "W1")
    assert listed("orders", pm, **OCTOBER, measure="accepted") == numbers(data, "W5", "W3", "W2")
    assert listed("orders", pm, **OCTOBER, on_time="1") == numbers(data, "W1", "W2")
    assert listed("orders", pm, **OCTOBER, on_time="0") == numbers(data, "W3")
    assert listed("orders", pm, **OCTOBER, reopened="1") == numbers(data, "W3")
    assert listed("orders", pm, **OCTOBER, first_fix="1") == numbers(data, "W1")
    assert listed("orders", pm, **OCTOBER, first_fix="0") == numbers(data, "W3", "W2")
    assert listed("orders", pm, **OCTOBER, assignee=world.users["technician_a"].pk) == numbers(data, "W1", "W5", "W3")
    assert listed("orders", pm, **OCTOBER, department=data["eng"].pk) == numbers(data, "W1", "W5", "W3")
    assert listed("orders", pm, **OCTOBER, status="accepted") == numbers(data, "W5")


def test_order_register_row(world, data):
    register = REGISTERS["orders"]
    pm = world.users["pm_a"]
    rows = {row["number"]: row for row in register.queryset(pm, register_filters(register, pm, OCTOBER))}
    with translation.override("en"):
        w3 = [column.value(rows["GD2610200001"]) for column in register.columns]
        w2 = [column.value(rows["GD2610050001"]) for column in register.columns]
        w5 = [column.value(rows["GD2610280001"]) for column in register.columns]
    assert w3 == ["GD2610200001", "TS2610200001", "翠湖花园", "翠湖花园工程部", "刘师傅", sh(2026, 10, 20, 14, 30),
                  sh(2026, 10, 20, 15), None, sh(2026, 10, 23, 10), "", sh(2026, 10, 22, 14), "no",
                  "PVC排水管1米、弯头2个", 1, "no"]
    assert (w2[4], w2[9], w2[11], w2[12], w2[14]) == ("", "1 h 00 min", "yes", "", "no")
    assert (w5[8], w5[11], w5[14]) == (None, "", "")


# --- scope and permissions ------------------------------------------------------------------------------

def test_scope_project_manager_and_branch_leader(world, data):
    r = data["requests"]
    assert r["B1"].number not in listed("complaints", world.users["pm_a"], **OCTOBER)
    east = listed("complaints", world.users["leader_east"], **OCTOBER)
    assert r["B1"].number in east and r["C2"].number in east and r["C1"].number not in east
    assert listed("complaints", world.users["leader_east"], **OCTOBER, project=world.project_b.pk) == ["TS2610120001"]
    assert listed("orders", world.users["leader_east"], **OCTOBER, project=world.project_b.pk) == ["GD2610120001"]
    assert r["C1"].number in listed("complaints", world.users["quality"], **OCTOBER)


@pytest.mark.parametrize(("user", "params", "field"), [
    ("leader_east", {"project": "C"}, "project"),
    ("pm_a", {"project": "B"}, "project"),
    ("pm_a", {"project": "999999"}, "project"),
    ("pm_a", {"month": "2099-12"}, "month"),  # in the future whenever the suite runs
    ("pm_a", {"from": "2026-10-20", "to": "2026-10-01"}, "to"),
    ("pm_a", {"kind": "xyz"}, "kind"),
    ("pm_a", {"on_time": "yes"}, "on_time"),
])
def test_bad_filters_name_the_field(world, user, params, field):
    ids = {"A": world.project_a.pk, "B": world.project_b.pk, "C": world.project_c.pk}
    params = {key: str(ids.get(value, value)) for key, value in params.items()}
    with pytest.raises(ApplicationError) as caught, translation.override("en"):
        register_filters(REGISTERS["requests"], world.users[user], params)
    assert list(caught.value.field_errors) == [field]
    if field == "project":
        with translation.override("en"):
            assert caught.value.field_errors["project"] == ["No such project in your scope."]


@pytest.mark.parametrize(("user", "params", "field", "message"), [
    ("pm_a", {"valid": "maybe"}, "valid", "Choose one of the listed values."),
    ("pm_a", {"on_time": "later"}, "on_time", "Choose one of the listed values."),
    ("pm_a", {"complained": "1"}, "complained", "Choose one of the listed values."),
    ("pm_a", {"building": "999999"}, "building", "No such building in your scope."),
    ("pm_a", {"building": "B3"}, "building", "No such building in your scope."),
    ("pm_a", {"building": "3号楼"}, "building", "No such building in your scope."),
    ("pm_a", {"area": "999999"}, "area", "No such common area in your scope."),
    ("pm_a", {"area": "B-lobby"}, "area", "No such common area in your scope."),
    ("leader_east", {"building": "C3"}, "building", "No such building in your scope."),
])
def test_bad_drill_down_values_name_the_field(world, user, params, field, message):
    b_lobby = CommonArea.objects.create(project=world.project_b, kind="lobby", name="金桂苑大堂")
    ids = {"B3": Building.objects.get(project=world.project_b, number="3").pk,
           "C3": Building.objects.get(project=world.project_c, number="3").pk, "B-lobby": b_lobby.pk}
    params = {key: str(ids.get(value, value)) for key, value in params.items()}
    for name in ("requests", "complaints"):
        with pytest.raises(ApplicationError) as caught, translation.override("en"):
            register_filters(REGISTERS[name], world.users[user], {**OCTOBER, **params})
        assert caught.value.field_errors == {field: [message]}


def test_a_building_and_an_area_in_scope_are_accepted(world):
    b_lobby = CommonArea.objects.create(project=world.project_b, kind="lobby", name="金桂苑大堂")
    b3 = Building.objects.get(project=world.project_b, number="3")
    filters = register_filters(REGISTERS["complaints"], world.users["leader_east"],
                               {**OCTOBER, "building": str(b3.pk), "area": str(b_lobby.pk), "valid": "none"})
    assert filters.values == {"building": str(b3.pk), "area": str(b_lobby.pk), "valid": "none"}


@pytest.mark.parametrize("register", ["complaints", "visits", "orders"])
def test_each_register_refuses_a_value_not_among_its_choices(world, register):
    field = {"complaints": "category", "visits": "rule", "orders": "measure"}[register]
    with pytest.raises(ApplicationError) as caught:
        register_filters(REGISTERS[register], world.users["pm_a"], {field: "xyz"})
    assert list(caught.value.field_errors) == [field]
    # Cancelled orders and visits are never listed: "cancelled" is not a status to choose.
    if register != "complaints":
        with pytest.raises(ApplicationError):
            register_filters(REGISTERS[register], world.users["pm_a"], {"status": "cancelled"})


# --- the pages ------------------------------------------------------------------------------------------

URLS = {name: f"/reports/registers/{name}/" for name in REGISTERS}


def english(client):
    client.cookies["django_language"] = "en"
    return client


def table_rows(html: str) -> list[list[str]]:
    body = re.search(r'<table class="register[^"]*" id="register-table">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_url_names():
    for name, url in URLS.items():
        assert reverse(f"reports:register_{name}") == url


def test_complaint_page_masks_phones_and_links_requests(world, data, login):
    client = english(login(world.users["pm_a"]))
    response = client.get(URLS["complaints"], {**OCTOBER, "valid": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    rows = table_rows(html)
    assert len(rows) == 1 and rows[0][:6] == ["TS2610050001", "翠湖花园", "2026-10-05 09:00", "周美玲", "138****5678",
                                              "3-2-1802"]
    assert "13812345678" not in html
    assert reverse("servicedesk:request_detail", args=[data["requests"]["C2"].pk]) in html
    assert 'id="export-excel"' in html and "format=xlsx" in html and "valid=1" in html


def test_order_page_flags_the_reopened_order(world, data, login):
    html = english(login(world.users["pm_a"])).get(URLS["orders"], OCTOBER).content.decode()
    flagged = re.findall(r'<tr data-id="(\d+)" class="reopened"', html)
    assert flagged == [str(data["orders"]["W3"].pk)]
    assert [row[0] for row in table_rows(html)] == numbers(data, "W1", "W5", "W3", "W2")


def test_requests_page_numbers_rows_and_pages_by_50(world, data, login):
    for index in range(55):
        new_request(world, f"BS26090{index:05d}", sh(2026, 9, 1, 8) + timedelta(minutes=index), kind="repair")
    client = english(login(world.users["pm_a"]))
    first = table_rows(client.get(URLS["requests"], {"month": "2026-09"}).content.decode())
    second_html = client.get(URLS["requests"], {"month": "2026-09", "page": "2"}).content.decode()
    second = table_rows(second_html)
    assert len(first) == 50 and len(second) == 5
    assert (first[0][0], first[0][1]) == ("1", "2026-09-01 08:54")  # newest first
    assert [row[0] for row in second] == ["51", "52", "53", "54", "55"]
    assert "Page 2 of 2" in second_html and "month=2026-09&amp;page=1" in second_html


def test_empty_period_says_so(world, data, login):
    html = english(login(world.users["pm_a"])).get(URLS["visits"], {"month": "2025-01"}).content.decode()
    assert 'id="register-empty"' in html and "Nothing recorded in this period." in html
    assert 'id="register-table"' not in html


def test_page_default_period_is_this_month(world, data, login):
    html = english(login(world.users["pm_a"])).get(URLS["orders"]).content.decode()
    assert f'name="month" value="{timezone.localdate():%Y-%m}"' in html
    assert 'id="register-empty"' in html  # the data set's orders were all created before November 2026
    assert '<option value="created" selected>' in html  # the period counts orders by creation unless told


def test_export_button_needs_export(world, data, login, monkeypatch):
    from propdesk.reports.views import registers as views
    from propdesk.staff.rules.roles import Capability

    allowed = views.user_can
    monkeypatch.setattr(views, "user_can", lambda user, capability: capability != Capability.EXPORT
                        and allowed(user, capability))
    client = login(world.users["pm_a"])
    html = client.get(URLS["complaints"], OCTOBER).content.decode()
    assert 'id="export-excel"' not in html and 'id="register-table"' in html
    assert client.get(URLS["complaints"], {**OCTOBER, "format": "xlsx"}).status_code == 403


@pytest.mark.parametrize(("params", "message"), [
    ({"month": "2027-01"}, "The period is in the future"),
    ({"from": "2026-10-20", "to": "2026-10-01"}, "The period ends before it starts."),
    ({"kind": "xyz"}, "Choose one of the listed values."),
    ({"project": "C"}, "No such project in your scope."),
])
def test_page_bad_input_is_a_400_with_the_message(world, data, login, params, message):
    if params.get("project") == "C":
        params = {"project": str(world.project_c.pk)}
    response = english(login(world.users["leader_east"])).get(URLS["requests"], params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'id="register-table"' not in html and "锦江城" not in html


def test_page_bad_drill_down_value_is_a_400_with_the_message(world, data, login):
    client = english(login(world.users["pm_a"]))
    b3 = Building.objects.get(project=world.project_b, number="3")
    response = client.get(URLS["complaints"], {**OCTOBER, "building": b3.pk, "valid": "maybe"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "No such building in your scope." in html and "Choose one of the listed values." in html
    assert 'id="register-table"' not in html and "金桂苑" not in html


def test_complaint_page_form_keeps_the_drill_down_values(world, data, login):
    more = drill_down_complaints(world)
    client = english(login(world.users["pm_a"]))
    response = client.get(URLS["complaints"], {**OCTOBER, "area": more["lobby"].pk, "valid": "none",
                                               "on_time": "1", "complained": "none", "category": "none"})
    assert response.status_code == 200
    html = response.content.decode()
    assert [row[0] for row in table_rows(html)] == ["TS2610180001"]
    assert f'<option value="{more["lobby"].pk}" selected>3号楼大堂</option>' in html
    for name, label in (("valid", "not yet decided"), ("complained", "no department named"),
                        ("category", "not classified"), ("on_time", "yes")):
        select = re.search(rf'<select name="{name}">(.*?)</select>', html, re.S).group(1)
        assert f'selected>{label}</option>' in select, name
    # pm_a sees one project: its buildings are listed by name alone, no other project's.
    building = re.search(r'<select name="building">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", building) == ["Any", "Building 3", "Building 5"]


def test_permissions(world, data, login):
    assert login(world.users["technician_a"]).get(URLS["requests"]).status_code == 403
    assert login(world.users["steward_a"]).get(URLS["complaints"], {"format": "xlsx"}).status_code == 403
    html = login(world.users["leader_east"]).get(URLS["visits"], OCTOBER).content.decode()
    assert 'id="export-excel"' in html


def test_page_query_count_does_not_grow_with_rows(world, login):
    client = login(world.users["pm_a"])
    eng = department(world.project_a, DepartmentKind.ENGINEERING)

    def month_with(count: int, month: int):
        for index in range(count):
            request = new_request(world, f"BS26{month:02d}{index:05d}", sh(2026, month, 3, 9) + timedelta(hours=index),
                                  kind="repair")
            new_order(request, f"GD26{month:02d}{index:05d}", eng, sh(2026, month, 3, 10) + timedelta(hours=index),
                      assignee=world.users["technician_a"], completed_at=sh(2026, month, 5, 10), result="已修复")
            new_visit(request, "repair", sh(2026, month, 10, 18), satisfaction=5, done_at=sh(2026, month, 9, 10))

    month_with(1, 7)
    month_with(30, 8)
    for name in REGISTERS:
        counts = []
        for month in ("2026-07", "2026-08"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(URLS[name], {"month": month})
            assert response.status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (name, counts)
        assert counts[1] <= 14, (name, counts)  # the form lists buildings and common areas: 2 of them


@pytest.mark.parametrize("name", ["requests", "complaints", "visits", "orders"])
def test_an_agent_reads_every_register_of_their_project(world, data, login, name):
    """客服 keep the 投诉登记表 and the 回访记录表: every register opens with their project's rows, no export."""
    managers_rows = table_rows(login(world.users["pm_a"]).get(URLS[name], OCTOBER).content.decode())
    agent = login(world.users["agent_a"])
    response = agent.get(URLS[name], OCTOBER)
    assert response.status_code == 200
    html = response.content.decode()
    assert table_rows(html) == managers_rows and managers_rows  # the same rows as their project manager: project A's
    assert 'id="export-excel"' not in html
    assert agent.get(URLS[name], {**OCTOBER, "format": "xlsx"}).status_code == 403
    assert agent.get(URLS[name], {"project": world.project_b.pk}).status_code == 400
    tabs = re.search(r'<nav class="tabs report-tabs[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert "顾客投诉登记表" in tabs and "回访记录表" in tabs and "服务指标" not in tabs  # no tab that answers 403
