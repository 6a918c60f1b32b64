"""Service KPIs on a small known data set, every figure computed by hand (Shanghai wall-clock times).

Staff: 刘师傅 (technician_a) and 马师傅 in A's engineering department, 黄阿姨 in A's cleaning department, 郭师傅 in
B's engineering department. Work orders (dispatched → accepted / arrived / completed, deadline):

    W1  A eng 刘  R1 repair (received 10-31 21:30)  10-31 22:00 → 22:20 / 23:00 / 11-01 02:00   by 11-01 06:00
        accepted and arrived in October, completed in November (240 min), on time, first-visit fix
    W2  A eng 刘  R2 repair (11-03 09:00)  11-03 09:10 → 09:40 / 10:30 / 15:10, 2 h on hold      by 16:00
        completion 360 − 120 = 240 min, on time, not first-visit fix (held)
    W3  A cleaning 黄  R3 complaint (11-05 10:00)  11-05 10:05 → 10:15 / 10:45 / 11-06 12:05 (1560 min) by 11-06 10:05
        late, reopened once
    W4  A eng 马  R4 repair (11-10 08:00)  11-10 08:30 → 08:38 / 09:00 / 10:30 (120 min)        by 12:00, first fix
    W5  A eng 刘  R5 repair (11-12, request cancelled), order cancelled after acceptance        ← nowhere
    W6  A cleaning 黄  R4, cancelled although it carries every timestamp                         ← nowhere
    W7  A eng 刘  R7 repair (11-21 09:00)  11-21 09:30 → 09:50, still open, due 11-21 18:00
    W8  B eng 郭  R8 repair (11-04 10:00)  11-04 10:00 → 10:30 / 11:00 / 13:00 (180 min)        by 12:00: late
    W9  C eng     R9 repair (11-02) completed                                                   ← not the east's
    W10 A eng 刘  R10 repair (10-15 08:50)  10-15 09:00 → 09:15 / 09:45 / 11:00 (120 min)     by 17:00
    R6  A inquiry (11-20 14:00), answered at the desk: no work order.

Visits (due, satisfaction): V1 R1 11-08 5 · V2 R2 11-10 4 · V3 R3 11-12 2 · V4 R4 11-30 23:30 5 (done early) ·
V5 R4 11-15 5 cancelled ← nowhere · V6 R1 10-31 23:30 1 (October) · V7 B R8 11-09 5 · V8 R6 11-21 3.

Project A, November 2026: received 5 (R2 R3 R4 R6 R7); accept (30 + 10 + 8 + 20) / 4 = 17.0 min; arrive (80 + 40 +
30) / 3 = 50.0 min; complete (240 + 240 + 1560 + 120) / 4 = 540 min = 9.0 h; completed 4, on time 3/4, reopened 1/4,
first-visit fix 2/4; satisfaction 3/5 (V1 V2 V4 of V1 V2 V3 V4 V8).
Project A, October: received 2 (R1 R10); accept (15 + 20) / 2 = 17.5 min; arrive (45 + 60) / 2 = 52.5 min; complete
120 min; completed 1 on time; satisfaction 0/1 (V6).
Project B, November: received 1; accept 30, arrive 60, complete 180 min; on time 0/1; first fix 1/1; satisfaction 1/1.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import make_user
from propdesk.followups.models import FollowUpVisit
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.reports.periods import Period, month_period
from propdesk.reports.selectors.kpis import (
    Average,
    Share,
    figures_for_periods,
    kpi_buckets,
    kpi_filters,
    kpi_report,
    trend_period,
)
from propdesk.servicedesk.models import ServiceRequest, WorkOrder
from propdesk.servicedesk.tests.services.helpers import sh

pytestmark = pytest.mark.django_db

NOVEMBER = {"month": "2026-11"}
TODAY = date(2026, 11, 22)  # the trend charts end with the week (month) of today


@dataclass
class Data:
    world: object
    eng_a: Department
    clean_a: Department
    eng_b: Department
    staff: dict
    requests: dict
    orders: dict
    visits: dict


def new_request(world, project, number, received_at, *, kind="repair", status="closed", **fields):
    extra = {"complaint_category": "service", "severity": "minor"} if kind == "complaint" else {}
    return ServiceRequest.objects.create(
        project=project, number=number, channel="phone", kind=kind, status=status, contact_name="周美玲",
        contact_phone="13812345678", description=fields.pop("description", "厨房水龙头漏水"), received_at=received_at,
        room=world.room(project, "3-2-1802"), created_by=world.users["agent_a"], **extra, **fields)


def new_order(request, number, department, assignee, *, status="completed", dispatched_at=None, accepted_at=None,
              arrived_at=None, completed_at=None, resolve_by=None, **fields):
    order = WorkOrder.objects.create(
        request=request, project=request.project, number=number, department=department, assignee=assignee,
        status=status, dispatched_at=dispatched_at, accepted_at=accepted_at, arrived_at=arrived_at,
        completed_at=completed_at, resolve_by=resolve_by, **fields)
    WorkOrder.objects.filter(pk=order.pk).update(created_at=dispatched_at or request.received_at)
    return order


def new_visit(request, due_by, *, satisfaction=None, status="done", department=None, rule=None, **fields):
    return FollowUpVisit.objects.create(
        request=request, project=request.project, department=department, kind=request.kind,
        rule=rule or ("complaint" if request.kind == "complaint" else "repair"), handled_at=due_by - timedelta(days=7),
        due_from=due_by - timedelta(days=7), due_by=due_by, visitor_role="customer_service", status=status,
        done_at=due_by - timedelta(days=1) if status == "done" else None, satisfaction=satisfaction,
        method="phone" if satisfaction else "", **fields)


def build_dataset(world) -> Data:
    a, b, c = world.project_a, world.project_b, world.project_c

    def dept(project, kind):
        return Department.objects.get(project=project, kind=kind)

    eng_a, clean_a = dept(a, DepartmentKind.ENGINEERING), dept(a, DepartmentKind.CLEANING)
    eng_b, eng_c = dept(b, DepartmentKind.ENGINEERING), dept(c, DepartmentKind.ENGINEERING)
    staff = {
        "liu": world.users["technician_a"],
        "ma": make_user("technician_a2", role="technician", department=eng_a, project=a, display_name="马师傅"),
        "huang": make_user("cleaner_a", role="dept_staff", department=clean_a, project=a, display_name="黄阿姨"),
        "guo": make_user("technician_b", role="technician", department=eng_b, project=b, display_name="郭师傅"),
    }
    liu, ma, huang, guo = staff["liu"], staff["ma"], staff["huang"], staff["guo"]
    r = {
        "R1": new_request(world, a, "261031-001", sh(2026, 10, 31, 21, 30)),
        "R2": new_request(world, a, "261103-001", sh(2026, 11, 3, 9)),
        "R3": new_request(world, a, "261105-001", sh(2026, 11, 5, 10), kind="complaint",
                          description="保洁阿姨态度差"),
        "R4": new_request(world, a, "261110-001", sh(2026, 11, 10, 8)),
        "R5": new_request(world, a, "261112-001", sh(2026, 11, 12, 9), status="cancelled"),
        "R6": new_request(world, a, "261120-001", sh(2026, 11, 20, 14), kind="inquiry", description="咨询停车费"),
        "R7": new_request(world, a, "261121-001", sh(2026, 11, 21, 9), status="in_progress"),
        "R8": new_request(world, b, "261104-001", sh(2026, 11, 4, 10)),
        "R9": new_request(world, c, "261102-001", sh(2026, 11, 2, 10)),
        "R10": new_request(world, a, "261015-001", sh(2026, 10, 15, 8, 50)),
    }
    w = {
        "W1": new_order(r["R1"], "W1", eng_a, liu, dispatched_at=sh(2026, 10, 31, 22),
                        accepted_at=sh(2026, 10, 31, 22, 20), arrived_at=sh(2026, 10, 31, 23),
                        completed_at=sh(2026, 11, 1, 2), resolve_by=sh(2026, 11, 1, 6)),
        "W2": new_order(r["R2"], "W2", eng_a, liu, dispatched_at=sh(2026, 11, 3, 9, 10),
                        accepted_at=sh(2026, 11, 3, 9, 40), arrived_at=sh(2026, 11, 3, 10, 30),
                        completed_at=sh(2026, 11, 3, 15, 10), resolve_by=sh(2026, 11, 3, 16), held_seconds=7200),
        "W3": new_order(r["R3"], "W3", clean_a, huang, dispatched_at=sh(2026, 11, 5, 10, 5),
                        accepted_at=sh(2026, 11, 5, 10, 15), arrived_at=sh(2026, 11, 5, 10, 45),
                        completed_at=sh(2026, 11, 6, 12, 5), resolve_by=sh(2026, 11, 6, 10, 5), reopen_count=1),
        "W4": new_order(r["R4"], "W4", eng_a, ma, dispatched_at=sh(2026, 11, 10, 8, 30),
                        accepted_at=sh(2026, 11, 10, 8, 38), arrived_at=sh(2026, 11, 10, 9),
                        completed_at=sh(2026, 11, 10, 10, 30), resolve_by=sh(2026, 11, 10, 12)),
        "W5": new_order(r["R5"], "W5", eng_a, liu, status="cancelled", dispatched_at=sh(2026, 11, 12, 9, 5),
                        accepted_at=sh(2026, 11, 12, 9, 10), resolve_by=sh(2026, 11, 12, 18)),
        "W6": new_order(r["R4"], "W6", clean_a, huang, status="cancelled", dispatched_at=sh(2026, 11, 10, 9),
                        accepted_at=sh(2026, 11, 10, 9, 1), arrived_at=sh(2026, 11, 10, 9, 30),
                        completed_at=sh(2026, 11, 10, 10), resolve_by=sh(2026, 11, 10, 12)),
        "W7": new_order(r["R7"], "W7", eng_a, liu, status="accepted", dispatched_at=sh(2026, 11, 21, 9, 30),
                        accepted_at=sh(2026, 11, 21, 9, 50), resolve_by=sh(2026, 11, 21, 18)),
        "W8": new_order(r["R8"], "W8", eng_b, guo, dispatched_at=sh(2026, 11, 4, 10),
                        accepted_at=sh(2026, 11, 4, 10, 30), arrived_at=sh(2026, 11, 4, 11),
                        completed_at=sh(2026, 11, 4, 13), resolve_by=sh(2026, 11, 4, 12)),
        "W9": new_order(r["R9"], "W9", eng_c, None, dispatched_at=sh(2026, 11, 2, 10),
                        accepted_at=sh(2026, 11, 2, 10, 1), arrived_at=sh(2026, 11, 2, 10, 2),
                        completed_at=sh(2026, 11, 2, 10, 3), resolve_by=sh(2026, 11, 2, 12)),
        "W10": new_order(r["R10"], "W10", eng_a, liu, dispatched_at=sh(2026, 10, 15, 9),
                         accepted_at=sh(2026, 10, 15, 9, 15), arrived_at=sh(2026, 10, 15, 9, 45),
                         completed_at=sh(2026, 10, 15, 11), resolve_by=sh(2026, 10, 15, 17)),
    }
    v = {
        "V1": new_visit(r["R1"], sh(2026, 11, 8, 18), satisfaction=5, department=eng_a),
        "V2": new_visit(r["R2"], sh(2026, 11, 10, 18), satisfaction=4, department=eng_a),
        "V3": new_visit(r["R3"], sh(2026, 11, 12, 18), satisfaction=2, department=clean_a),
        "V4": new_visit(r["R4"], sh(2026, 11, 30, 23, 30), satisfaction=5, department=eng_a),
        "V5": new_visit(r["R4"], sh(2026, 11, 15, 18), satisfaction=5, status="cancelled", department=eng_a),
        "V6": new_visit(r["R1"], sh(2026, 10, 31, 23, 30), satisfaction=1, department=eng_a),
        "V7": new_visit(r["R8"], sh(2026, 11, 9, 18), satisfaction=5, department=eng_b),
        "V8": new_visit(r["R6"], sh(2026, 11, 21, 18), satisfaction=3, rule="other"),
    }
    return Data(world, eng_a, clean_a, eng_b, staff, r, w, v)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def data(world):
    return build_dataset(world)


def times(figures) -> tuple:
    """(accept min, n), (arrive min, n), (complete min, n)."""
    return ((figures.accept.minutes, figures.accept.denominator), (figures.arrive.minutes, figures.arrive.denominator),
            (figures.complete.minutes, figures.complete.denominator))


def shares(figures) -> tuple:
    return tuple((s.numerator, s.denominator) for s in (figures.on_time, figures.reopened, figures.first_fix,
                                                        figures.satisfaction))


def report(user, **params):
    """The KPI report of November 2026 (or of the period given)."""
    if not {"month", "week", "from", "quarter"} & set(params):
        params = {**NOVEMBER, **params}
    return kpi_report(user=user, filters=kpi_filters(user, params, today=TODAY))


# --- the figures ------------------------------------------------------------------------------------------

def test_project_a_in_november_by_hand(world, data):
    total = report(world.users["pm_a"]).total
    assert (total.received, total.completed) == (5, 4)
    # W1 was accepted and arrived in October: only its completion is November's. W2's 2-hour hold is not work time.
    assert times(total) == ((17.0, 4), (50.0, 3), (540.0, 4))
    assert total.complete.hours == 9.0
    # On time W1 W2 W4; reopened W3; first-visit fix W1 W4 (W2 was on hold, W3 reopened).
    assert shares(total) == ((3, 4), (1, 4), (2, 4), (3, 5))
    assert (total.on_time.percent, total.reopened.percent, total.first_fix.percent, total.satisfaction.percent) \
        == (75.0, 25.0, 50.0, 60.0)


def test_an_order_dispatched_in_october_and_completed_in_november(world, data):
    october, november = figures_for_periods(user=world.users["pm_a"], place=kpi_filters(
        world.users["pm_a"], NOVEMBER).place, periods=[month_period(sh(2026, 10, 1).date()),
                                                         month_period(sh(2026, 11, 1).date())])
    assert (october.received, october.completed) == (2, 1)  # R1 was received on 10-31; only W10 completed
    assert times(october) == ((17.5, 2), (52.5, 2), (120.0, 1))  # W10 and W1's acceptance and arrival
    assert shares(october) == ((1, 1), (0, 1), (1, 1), (0, 1))
    assert november.completed == 4 and november.on_time.numerator == 3  # W1, completed 11-01 02:00 local


def test_hold_time_is_left_out_of_the_time_to_complete(world, data):
    w2 = report(world.users["pm_a"], week="2026-11-02", department=str(data.eng_a.pk)).total
    assert (w2.completed, w2.complete.minutes) == (1, 240.0)  # 15:10 − 09:10 = 6 h, minus 2 h on hold


def test_cancelled_orders_and_requests_count_nowhere(world, data):
    week = report(world.users["pm_a"], week="2026-11-09").total
    # W5 (cancelled, R5 cancelled) and W6 (cancelled with every timestamp) would add 2 and 1 acceptances.
    assert week.received == 1  # R4; R5 was cancelled
    assert times(week) == ((8.0, 1), (30.0, 1), (120.0, 1))
    assert (week.completed, week.satisfaction) == (1, Share(1, 2))  # V2 4 and V3 2; V5 was cancelled


def test_leader_sees_a_and_b_side_by_side_and_in_total(world, data):
    leader = report(world.users["leader_east"])
    assert [g.name for g in leader.groups] == ["翠湖花园", "金桂苑"]
    a, b = leader.groups
    assert (a.figures.received, a.figures.completed, times(a.figures)) == (5, 4, ((17.0, 4), (50.0, 3), (540.0, 4)))
    assert (b.figures.received, times(b.figures), shares(b.figures)) \
        == (1, ((30.0, 1), (60.0, 1), (180.0, 1)), ((0, 1), (0, 1), (1, 1), (1, 1)))
    total = leader.total
    assert times(total) == ((19.6, 5), (52.5, 4), (468.0, 5))  # 98/5, 210/4, 2340/5
    assert shares(total) == ((3, 5), (1, 5), (3, 5), (4, 6)) and total.received == 6


def test_per_department(world, data):
    groups = {g.name: g.figures for g in report(world.users["pm_a"], group="department").groups}
    assert list(groups) == ["翠湖花园环境部", "翠湖花园工程部", "no department"]  # by project, kind
    clean, eng, none = groups.values()
    assert eng.received == 3  # R2 R4 R7 (R1 was received in October)
    assert times(eng) == ((19.3, 3), (55.0, 2), (200.0, 3))  # 58/3, 110/2, 600/3
    assert shares(eng) == ((3, 3), (0, 3), (2, 3), (3, 3))
    assert clean.received == 1  # R3; R4's cleaning order was cancelled
    assert times(clean) == ((10.0, 1), (40.0, 1), (1560.0, 1)) and clean.complete.hours == 26.0
    assert shares(clean) == ((0, 1), (1, 1), (0, 1), (0, 1))
    assert (none.received, none.completed, none.satisfaction) == (1, 0, Share(0, 1))  # the inquiry R6 and V8
    # A complaint about the security department handled by engineering counts for both; a complaint about cleaning
    # with no order yet counts for cleaning (as the request register lists a department's requests).
    a = world.project_a
    security = Department.objects.get(project=a, kind=DepartmentKind.SECURITY)
    about_security = new_request(world, a, "261118-001", sh(2026, 11, 18, 9), kind="complaint", status="in_progress",
                                 complained_department=security)
    new_order(about_security, "W11", data.eng_a, data.staff["liu"], status="dispatched",
              dispatched_at=sh(2026, 11, 18, 10))
    new_request(world, a, "261119-001", sh(2026, 11, 19, 9), kind="complaint", status="open",
                complained_department=data.clean_a)
    again = {g.name: g.figures.received for g in report(world.users["pm_a"], group="department").groups}
    assert again == {"翠湖花园工程部": 4, "翠湖花园秩序部": 1, "翠湖花园环境部": 2, "no department": 1}
    assert report(world.users["pm_a"], department=str(security.pk)).total.received == 1


def test_per_staff_member_satisfaction_follows_the_completed_orders(world, data):
    groups = {g.name: g.figures for g in report(world.users["pm_a"], group="staff").groups}
    assert list(groups) == ["刘师傅", "马师傅", "黄阿姨", "no staff member"]
    liu, ma, huang, nobody = groups.values()
    assert (liu.received, times(liu)) == (2, ((25.0, 2), (80.0, 1), (240.0, 2)))  # R2 R7; W2 W7; W2; W1 W2
    assert shares(liu) == ((2, 2), (0, 2), (1, 2), (2, 2))  # V1 (R1) and V2 (R2); V6 was due in October
    assert (ma.received, ma.satisfaction) == (1, Share(1, 1))  # V4 on R4 (W4); V5 was cancelled
    # 黄阿姨's cancelled W6 on R4 does not bring her R4's visit: only V3 (2) on her R3.
    assert (huang.received, huang.satisfaction, huang.reopened) == (1, Share(0, 1), Share(1, 1))
    assert (nobody.received, nobody.satisfaction) == (1, Share(0, 1))  # R6 had no order; V8
    # A second completed order of 刘's on R2 does not count V2 twice.
    new_order(data.requests["R2"], "W2B", data.eng_a, data.staff["liu"], dispatched_at=sh(2026, 9, 1, 9),
              completed_at=sh(2026, 9, 1, 10))
    again = {g.name: g.figures for g in report(world.users["pm_a"], group="staff").groups}
    assert again["刘师傅"].satisfaction == Share(2, 2)


def test_weekly_buckets(world, data):
    pm = world.users["pm_a"]
    filters = kpi_filters(pm, NOVEMBER, today=TODAY)
    assert (filters.trend.start, filters.trend.end) == (sh(2026, 8, 31).date(), sh(2026, 11, 23).date())
    buckets = {f"{b.start:%m-%d}": b.figures for b in kpi_buckets(user=pm, place=filters.place,
                                                                   trend=filters.trend, grain="week")}
    assert len(buckets) == 12 and list(buckets)[-4:] == ["10-26", "11-02", "11-09", "11-16"]
    assert buckets["10-19"] == buckets["08-31"] and buckets["08-31"].empty
    # W1 completed on Sunday 11-01 02:00: the week of Monday 10-26, with R1, its acceptance and V6 (10-31 23:30).
    w1026 = buckets["10-26"]
    assert (w1026.received, w1026.completed, times(w1026)) == (1, 1, ((20.0, 1), (60.0, 1), (240.0, 1)))
    assert w1026.satisfaction == Share(0, 1)
    w1102 = buckets["11-02"]
    assert (w1102.received, w1102.completed, w1102.on_time) == (2, 2, Share(1, 2))
    assert times(w1102) == ((20.0, 2), (60.0, 2), (900.0, 2)) and w1102.satisfaction == Share(1, 1)
    assert (buckets["11-09"].received, buckets["11-09"].satisfaction) == (1, Share(1, 2))
    assert (buckets["11-16"].received, buckets["11-16"].accept) == (2, Average(1200.0, 1))


def test_monthly_buckets_and_trend_of_a_range(world, data):
    pm = world.users["pm_a"]
    monthly = kpi_report(user=pm, filters=kpi_filters(pm, {**NOVEMBER, "grain": "month"}, today=TODAY)).buckets
    assert (f"{monthly[0].start:%Y-%m}", len(monthly)) == ("2025-12", 12)
    october, november = monthly[-2].figures, monthly[-1].figures
    assert (october.received, october.completed, november.received, november.completed) == (2, 1, 5, 4)
    assert times(november) == ((17.0, 4), (50.0, 3), (540.0, 4))
    # A range shows its own weeks, whole: 10-28 … 11-04 touches the weeks of 10-26 and 11-02.
    ranged = kpi_filters(pm, {"from": "2026-10-28", "to": "2026-11-04"}, today=TODAY)
    assert ranged.trend == Period(sh(2026, 10, 26).date(), sh(2026, 11, 9).date(), "range")
    assert trend_period(month_period(sh(2026, 11, 1).date()), "week", today=sh(2026, 11, 5).date()).end \
        == sh(2026, 11, 9).date()  # the current month stops at this week


def test_an_empty_period_is_zeros(world, data):
    empty = report(world.users["pm_a"], month="2026-06")
    assert empty.empty and empty.total.received == 0 and empty.total.on_time.percent is None
    assert empty.total.accept.minutes is None and [g.name for g in empty.groups] == ["翠湖花园"]


# --- scope and bad input ----------------------------------------------------------------------------------

def test_project_manager_sees_only_their_project(world, data):
    pm = report(world.users["pm_a"])
    assert [g.name for g in pm.groups] == ["翠湖花园"] and pm.total.received == 5
    with pytest.raises(ApplicationError) as caught:
        kpi_filters(world.users["pm_a"], {**NOVEMBER, "project": str(world.project_b.pk)})
    assert caught.value.field_errors == {"project": ["No such project in your scope."]}


def test_out_of_scope_project_unknown_grain_and_future_month_are_refused_together(world, data):
    with pytest.raises(ApplicationError) as caught:
        kpi_filters(world.users["leader_east"], {"month": "2027-01", "project": str(world.project_c.pk),
                                                  "grain": "day", "group": "room"})
    fields = caught.value.field_errors
    assert set(fields) == {"month", "project", "grain", "group"}
    assert fields["project"] == ["No such project in your scope."]
    assert "future" in fields["month"][0]


def test_report_queries_do_not_grow_with_rows(world, data):
    pm = world.users["pm_a"]

    def count_queries(group):
        with CaptureQueriesContext(connection) as queries:
            report(pm, group=group)
        return len(queries)

    before = {group: count_queries(group) for group in ("project", "department", "staff")}
    for number in range(30):
        request = new_request(world, world.project_a, f"2611{number:02d}-9", sh(2026, 11, 2 + number % 20, 9))
        new_order(request, f"WX{number}", data.eng_a, data.staff["ma"], dispatched_at=sh(2026, 11, 2 + number % 20, 10),
                  accepted_at=sh(2026, 11, 2 + number % 20, 10, 10), completed_at=sh(2026, 11, 2 + number % 20, 12),
                  resolve_by=sh(2026, 11, 2 + number % 20, 18))
        new_visit(request, sh(2026, 11, 3 + number % 20, 18), satisfaction=4, department=data.eng_a)
    assert {group: count_queries(group) for group in before} == before
    assert before["project"] <= 14
    assert report(pm).total.received == 35
