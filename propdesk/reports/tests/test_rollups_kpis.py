"""The KPIs read from the rollup give every figure the raw rows give (``*_raw`` in selectors/kpis, the reference):
on random requests, work orders (reopened, reassigned, held, cancelled) and visits (rescheduled, rated, cancelled),
after the first build, while changes wait for the worker, after the worker's pass and after ``rebuild_rollups``;
and on the demo at scale 0.02."""

import random
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from propdesk.core.testing import TEST_NOW, make_user
from propdesk.followups.models import FollowUpVisit
from propdesk.org.models import Department
from propdesk.reports.models import KpiDay, RollupState
from propdesk.reports.rollups import kpis as rollup
from propdesk.reports.selectors.kpis import KPIS, kpi_filters, kpi_report
from propdesk.reports.selectors.kpis.breakdowns import kpi_buckets_raw, kpi_groups_raw
from propdesk.reports.selectors.kpis.figures import figures_for_periods_raw
from propdesk.reports.selectors.kpis.rollups import kpi_reader
from propdesk.servicedesk.models import ServiceRequest, WorkOrder

pytestmark = pytest.mark.django_db

TODAY = TEST_NOW.date()
SENT = [{"month": "2026-11"}, {"month": "2026-10", "grain": "month"}, {"quarter": "2026-Q3"},
        {"from": "2025-11-01", "to": "2026-11-23", "grain": "month"}, {"week": "2026-11-16"}]


def values(figures) -> tuple:
    """What the pages show of a Figures: every KPI's value and the counts behind the shares and averages."""
    return tuple((kpi.key, kpi.value(figures)) for kpi in KPIS) + (
        figures.accept.denominator, figures.arrive.denominator, figures.complete.denominator,
        figures.on_time.numerator, figures.reopened.numerator, figures.first_fix.numerator,
        figures.satisfaction.numerator, figures.satisfaction.denominator)


def assert_same(user, sent: dict):
    filters = kpi_filters(user, sent, today=TODAY)
    assert kpi_reader(user, filters.place) is not None, "the rollup is built"
    report = kpi_report(user=user, filters=filters)
    place = filters.place
    raw_total = figures_for_periods_raw(user=user, place=place, periods=[filters.period])[0]
    raw_groups = kpi_groups_raw(user=user, place=place, period=filters.period, group="project")
    raw_buckets = kpi_buckets_raw(user=user, place=place, trend=filters.trend, grain=filters.grain)
    assert values(report.total) == values(raw_total), sent
    assert [(g.key, g.name, values(g.figures)) for g in report.groups] == [
        (g.key, g.name, values(g.figures)) for g in raw_groups], sent
    assert [(b.start, values(b.figures)) for b in report.buckets] == [
        (b.start, values(b.figures)) for b in raw_buckets], sent


def random_history(world, rng: random.Random, count: int):
    a, b = world.project_a, world.project_b
    departments = {p.pk: list(Department.objects.filter(project=p)) for p in (a, b)}
    staff = {a.pk: [world.users["technician_a"], None,
                    make_user("tech_r1", role="technician", project=a, display_name="马师傅")],
             b.pk: [make_user("tech_r2", role="technician", project=b, display_name="郭师傅"), None]}
    orders, visits = [], []
    for number in range(count):
        project = rng.choice((a, a, b))
        received = TEST_NOW - timedelta(days=rng.randint(0, 420), minutes=rng.randint(0, 1440))
        request = ServiceRequest.objects.create(
            project=project, number=f"RK{number:05d}", channel="phone", kind=rng.choice(("repair", "complaint")),
            status=rng.choice(("closed", "closed", "in_progress", "cancelled")), contact_name="周美玲",
            description="厨房水龙头漏水", received_at=received, created_by=world.users["agent_a"])
        for index in range(rng.choice((0, 1, 1, 2))):
            dispatched = received + timedelta(minutes=rng.randint(0, 600)) if rng.random() < 0.9 else None
            start = dispatched or received
            accepted = start + timedelta(minutes=rng.randint(1, 300)) if rng.random() < 0.8 else None
            arrived = accepted + timedelta(minutes=rng.randint(1, 600)) if accepted and rng.random() < 0.8 else None
            completed = (arrived or start) + timedelta(hours=rng.randint(1, 80)) if rng.random() < 0.7 else None
            orders.append(WorkOrder.objects.create(
                request=request, project=project, number=f"WK{number:05d}-{index}",
                department=rng.choice(departments[project.pk]), assignee=rng.choice(staff[project.pk]),
                status=rng.choice(("completed",) * 5 + ("cancelled",)) if completed else
                rng.choice(("pending", "accepted", "in_progress", "cancelled")),
                dispatched_at=dispatched, accepted_at=accepted, arrived_at=arrived, completed_at=completed,
                held_seconds=rng.choice((0, 0, 0, 3600)), reopen_count=rng.choice((0, 0, 0, 1)),
                resolve_by=start + timedelta(hours=rng.choice((4, 48, 200))) if rng.random() < 0.9 else None))
        if rng.random() < 0.5:
            due = received + timedelta(days=rng.randint(1, 10))
            visits.append(FollowUpVisit.objects.create(
                request=request, project=project, department=rng.choice([None, *departments[project.pk]]),
                kind=request.kind, rule="repair", handled_at=due - timedelta(days=3), due_from=due - timedelta(days=3),
                due_by=due, visitor_role="customer_service",
                status=rng.choice(("done", "done", "pending", "cancelled")),
                satisfaction=rng.choice((None, 1, 2, 3, 4, 5))))
    return orders, visits, staff


def change_some(rng: random.Random, orders, visits, staff, count: int) -> None:
    """What happens later, saved as the services save (updated_at moves): orders reopened (their times cleared),
    completed, reassigned, cancelled; visits rescheduled, rated, cancelled; requests cancelled."""
    for order in rng.sample(orders, count):
        what = rng.choice(("reopen", "complete", "reassign", "cancel", "cancel_request"))
        if what == "reopen" and order.completed_at:
            order.status, order.reopen_count = "pending", order.reopen_count + 1
            order.accepted_at = order.arrived_at = order.completed_at = None
            order.dispatched_at = TEST_NOW
        elif what == "complete" and order.completed_at is None:
            order.status, order.completed_at = "completed", TEST_NOW + timedelta(minutes=15)
        elif what == "reassign":
            order.assignee = rng.choice(staff[order.project_id])
        elif what == "cancel":
            order.status = "cancelled"
        else:
            order.request.status = "cancelled"
            order.request.save()
        order.save()
    for visit in rng.sample(visits, min(count, len(visits))):
        what = rng.choice(("reschedule", "rate", "cancel"))
        if what == "reschedule":
            visit.due_by += timedelta(days=rng.choice((-40, 3, 35)))
        elif what == "rate":
            visit.satisfaction = rng.choice((1, 4, 5))
        else:
            visit.status = "cancelled"
        visit.save()


def check_everything(world):
    year = kpi_report(user=world.users["quality"], filters=kpi_filters(world.users["quality"], SENT[3], today=TODAY))
    assert year.total.completed > 50 and year.total.accept.denominator > 50 and year.total.satisfaction.denominator
    for sent in SENT:
        assert_same(world.users["quality"], sent)
        assert_same(world.users["pm_a"], sent)
    assert_same(world.users["leader_east"], {"month": "2026-10", "branch": str(world.project_a.branch_id)})


def test_random_history_rollup_equals_raw_after_build_changes_pass_and_rebuild(world):
    rng = random.Random(15)
    orders, visits, staff = random_history(world, rng, 250)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        assert rollup.refresh() == -1
        assert KpiDay.objects.exists()
        check_everything(world)
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        change_some(rng, orders, visits, staff, 60)
        check_everything(world)  # changed buckets (where the rows were and are) read raw
    with time_machine.travel(TEST_NOW + timedelta(minutes=30), tick=True):
        assert rollup.refresh() > 0
    with time_machine.travel(TEST_NOW + timedelta(minutes=40), tick=True):
        assert rollup.dirty_buckets(RollupState.objects.get(name="kpis").watermark)[0] == set()
        check_everything(world)  # nothing dirty: every figure from the rollup
        change_some(rng, orders, visits, staff, 30)
    with time_machine.travel(TEST_NOW + timedelta(minutes=50), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=60), tick=True):
        check_everything(world)
        KpiDay.objects.all().delete()
        call_command("rebuild_rollups", stdout=open("/dev/null", "w"))
        check_everything(world)
        project = world.project_a
        call_command("rebuild_rollups", project=project.pk, since="2026-09-01", stdout=open("/dev/null", "w"))
        check_everything(world)


def test_a_reopened_order_leaves_the_day_it_was_completed(world):
    """The order completed on 11-10 and reopened: the rollup's 11-10 bucket must forget it after the pass, though
    the order no longer has any date on that day."""
    a = world.project_a
    request = ServiceRequest.objects.create(
        project=a, number="RK-1", channel="phone", kind="repair", status="closed", contact_name="周美玲",
        description="漏水", received_at=TEST_NOW - timedelta(days=14), created_by=world.users["agent_a"])
    order = WorkOrder.objects.create(
        request=request, project=a, number="WK-1", department=Department.objects.filter(project=a).first(),
        status="completed", dispatched_at=TEST_NOW - timedelta(days=14), accepted_at=TEST_NOW - timedelta(days=14),
        completed_at=TEST_NOW - timedelta(days=13))
    user = world.users["pm_a"]
    filters = kpi_filters(user, {"month": "2026-11"}, today=TODAY)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
        assert kpi_report(user=user, filters=filters).total.completed == 1
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        order.status, order.reopen_count, order.dispatched_at = "pending", 1, TEST_NOW
        order.accepted_at = order.completed_at = None
        order.save()
        assert kpi_report(user=user, filters=filters).total.completed == 0
    with time_machine.travel(TEST_NOW + timedelta(minutes=30), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=40), tick=True):
        assert rollup.dirty_buckets(RollupState.objects.get(name="kpis").watermark)[0] == set()
        assert kpi_report(user=user, filters=filters).total.completed == 0
        assert_same(user, {"month": "2026-11"})


def test_the_demo_rollup_equals_raw(db):
    from propdesk.console.demo import build_demo

    build_demo(seed=42, scale=0.02, today=date(2026, 11, 20))
    boss = get_user_model().objects.create_superuser("rollup_boss", "boss@example.com", "x")
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        for sent in SENT:
            assert_same(boss, sent)
        october = kpi_report(user=boss, filters=kpi_filters(boss, {"month": "2026-10"}, today=TODAY))
        assert october.total.completed > 5 and october.total.satisfaction.denominator > 0
        assert_same(get_user_model().objects.get(username="pm_cuihu"), {"quarter": "2026-Q4"})


def test_a_bulk_change_after_the_pass_is_read_raw_and_the_dashboard_answers(world, login):
    """Every request of two years touched after the worker's pass (an import, the demo being built): hundreds of
    dirty days. The filter of the dirty buckets stays short (one term per group of projects with the same days),
    the dashboard answers, the figures equal the raw ones; past MAX_TERMS groups the page reads raw rows."""
    from propdesk.reports.rollups import state

    a = world.project_a
    department = Department.objects.filter(project=a).first()
    requests = ServiceRequest.objects.bulk_create(
        ServiceRequest(project=a, number=f"RB{day:04d}", channel="phone", kind="repair", status="closed",
                       contact_name="周美玲", description="厨房水龙头漏水", created_by=world.users["agent_a"],
                       received_at=TEST_NOW - timedelta(days=day, hours=3)) for day in range(1, 450))
    WorkOrder.objects.bulk_create(
        WorkOrder(request=r, project=a, number=f"WB{r.number}", department=department, status="completed",
                  dispatched_at=r.received_at, accepted_at=r.received_at + timedelta(minutes=20),
                  completed_at=r.received_at + timedelta(hours=2)) for r in requests)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        ServiceRequest.objects.update(updated_at=TEST_NOW + timedelta(minutes=20))
        WorkOrder.objects.update(updated_at=TEST_NOW + timedelta(minutes=20))
        dirty, _ = rollup.dirty_buckets(RollupState.objects.get(name="kpis").watermark)
        assert len(dirty) > 400 and not state.too_many(dirty)
        assert login(world.users["pm_a"]).get("/reports/").status_code == 200
        assert_same(world.users["pm_a"], {"month": "2026-11"})
        assert_same(world.users["pm_a"], {"from": "2025-01-01", "to": "2026-11-23", "grain": "month"})
    # 1,500 dirty days in three projects (the demo just built had 1,584): one short filter, on SQLite too (a term
    # per bucket passed SQLite's limit of 1,000 levels and the PM's dashboard answered 500).
    projects = (world.project_a.pk, world.project_b.pk, world.project_c.pk)
    days = {(project, TODAY - timedelta(days=n)) for project in projects for n in range(500)}
    assert ServiceRequest.objects.filter(state.buckets_q(days, "received_at")).count() == len(requests)
    assert KpiDay.objects.filter(state.buckets_q(days)).count() == KpiDay.objects.filter(day__gt=TODAY - timedelta(
        days=500), day__lte=TODAY).count()
    many = {(project_id, date(2026, 1, 1) + timedelta(days=project_id)) for project_id in range(state.MAX_TERMS + 1)}
    assert state.too_many(many) and not state.too_many(list(many)[:state.MAX_TERMS])
