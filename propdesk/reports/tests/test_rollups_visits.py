"""The visit statistics read from the rollup (rollups/visits.py) give every figure the raw visits give
(``visit_statistics_raw``, the reference): on random visits (rescheduled, rated, cancelled, decided on; their
requests and follow-up complaints closed and reopened), after the first build, while changes wait for the worker,
after the worker's pass and after ``rebuild_rollups``; on the demo at scale 0.02; and through the page, whose query
count does not grow with the visits."""

import random
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from propdesk.core.testing import TEST_NOW
from propdesk.followups.models import FollowUpVisit
from propdesk.org.models import Department
from propdesk.reports.filters import report_filters
from propdesk.reports.models import RollupState, VisitDay
from propdesk.reports.rollups import visits as rollup
from propdesk.reports.selectors.visits import visit_statistics, visit_statistics_from_rollup, visit_statistics_raw
from propdesk.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db

SENT = [{"quarter": "2026-Q3"}, {"month": "2026-11"}, {"quarter": "2026-Q4"},
        {"from": "2025-11-01", "to": "2026-11-23"}, {"from": "2026-08-17", "to": "2026-10-09"}]


def shown(stats) -> tuple:
    """Everything the page, the Excel file and the API show of a VisitStatistics."""
    return (stats.total, [(k.key, k.label, k.target, k.counts, k.met) for k in stats.kinds],
            [(level.value, level.count, level.percent) for level in stats.levels], stats.outcomes,
            [(v.pk, v.request_id, v.follow_request_id, v.project.name) for v in stats.cases],
            [(g.id, g.name, g.counts) for g in stats.projects], [(g.id, g.name, g.counts) for g in stats.departments],
            [(m.month, m.counts, m.kinds) for m in stats.months], stats.targets, stats.empty)


def assert_same(user, sent: dict):
    filters = report_filters(user, sent)
    assert visit_statistics_from_rollup(user=user, filters=filters) is not None, "the rollup is built"
    assert shown(visit_statistics(user=user, filters=filters)) == shown(
        visit_statistics_raw(user=user, filters=filters)), sent


def random_history(world, rng: random.Random, count: int, prefix: str = "R") -> list[FollowUpVisit]:
    a, b, c = world.project_a, world.project_b, world.project_c
    departments = {p.pk: list(Department.objects.filter(project=p)) for p in (a, b, c)}
    visits = []
    for number in range(count):
        project = rng.choice((a, a, b, c))
        received = TEST_NOW - timedelta(days=rng.randint(0, 420), minutes=rng.randint(0, 1440))
        request = ServiceRequest.objects.create(
            project=project, number=f"{prefix}V{number:05d}", channel="phone", kind=rng.choice(("repair", "complaint")),
            status=rng.choice(("closed", "closed", "in_progress")), contact_name="周美玲",
            description="卫生间地漏返味", received_at=received, created_by=world.users["agent_a"])
        for _index in range(rng.choice((1, 1, 2))):
            due = received + timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 600))
            status = rng.choice(("done", "done", "done", "pending", "unreachable", "cancelled"))
            satisfaction = rng.choice((None, 1, 2, 3, 4, 5, 5)) if status == "done" else None
            decision, follow = "", None
            if satisfaction is not None and satisfaction <= 2:
                decision = rng.choice(("", "reopened", "complaint"))
                if decision == "complaint":
                    follow = ServiceRequest.objects.create(
                        project=project, number=f"{prefix}F{number:05d}-{_index}", channel="visit", kind="complaint",
                        status=rng.choice(("closed", "in_progress")), contact_name="周美玲",
                        description="回访不满意：维修后仍漏水", received_at=due, created_by=world.users["agent_a"])
            visits.append(FollowUpVisit.objects.create(
                request=request, project=project, department=rng.choice([None, *departments[project.pk]]),
                kind=request.kind, rule=rng.choice(("complaint", "repair", "help", "other", "repair")),
                handled_at=due - timedelta(days=3), due_from=due - timedelta(days=3), due_by=due,
                visitor_role="customer_service", status=status, late=status == "done" and rng.random() < 0.2,
                done_at=due - timedelta(hours=5) if status == "done" else None, satisfaction=satisfaction,
                decision=decision, follow_request=follow))
    return visits


def change_some(rng: random.Random, visits: list[FollowUpVisit], count: int) -> None:
    """What happens later, saved as the services save (updated_at moves): visits rescheduled (across months),
    recorded, rated, cancelled, decided on; the request or follow-up complaint of a dissatisfied visit closed or
    opened again (the visit itself unchanged)."""
    for visit in rng.sample(visits, count):
        what = rng.choice(("reschedule", "record", "rate", "cancel", "decide", "request"))
        if what == "reschedule":
            visit.due_by += timedelta(days=rng.choice((-40, 3, 35)))
        elif what == "record":
            visit.status, visit.satisfaction = "done", rng.choice((1, 2, 4, 5))
        elif what == "rate":
            visit.satisfaction = rng.choice((1, 4, 5))
        elif what == "cancel":
            visit.status = "cancelled"
        elif what == "decide":
            visit.status, visit.satisfaction, visit.decision = "done", 1, "reopened"
        else:
            target = visit.follow_request or visit.request
            target.status = "in_progress" if target.status == "closed" else "closed"
            target.save()
            continue
        visit.save()


def check_everything(world):
    year = visit_statistics(user=world.users["quality"], filters=report_filters(world.users["quality"], SENT[3]))
    assert year.total.due > 50 and year.total.rated > 20 and year.outcomes.total > 5 and year.outcomes.reopened
    for sent in SENT:
        assert_same(world.users["quality"], sent)
        assert_same(world.users["pm_a"], sent)
    east = str(world.project_a.branch_id)
    assert_same(world.users["leader_east"], {"quarter": "2026-Q3", "branch": east})
    department = Department.objects.filter(project=world.project_a).order_by("id").first()
    assert_same(world.users["leader_east"], {"from": "2025-11-01", "to": "2026-11-23",
                                             "department": str(department.pk)})
    assert_same(world.users["quality"], {"from": "2025-11-01", "to": "2026-11-23",
                                         "project": str(world.project_b.pk)})


def test_random_history_rollup_equals_raw_after_build_changes_pass_and_rebuild(world):
    rng = random.Random(15)
    visits = random_history(world, rng, 260)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        assert rollup.refresh() == -1
        assert VisitDay.objects.exists()
        check_everything(world)
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        change_some(rng, visits, 70)
        check_everything(world)  # changed buckets (where the visits were and are) read raw
    with time_machine.travel(TEST_NOW + timedelta(minutes=30), tick=True):
        assert rollup.refresh() > 0
    with time_machine.travel(TEST_NOW + timedelta(minutes=40), tick=True):
        assert rollup.dirty_buckets(RollupState.objects.get(name="visits").watermark)[0] == set()
        check_everything(world)  # nothing dirty: every figure from the rollup
        change_some(rng, visits, 30)
    with time_machine.travel(TEST_NOW + timedelta(minutes=50), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=60), tick=True):
        check_everything(world)
        VisitDay.objects.all().delete()
        call_command("rebuild_rollups", stdout=open("/dev/null", "w"))
        check_everything(world)
        call_command("rebuild_rollups", project=world.project_a.pk, since="2026-09-01",
                     stdout=open("/dev/null", "w"))
        check_everything(world)


def test_a_follow_up_complaint_closed_later_counts_once_the_pass_has_run(world):
    """Only the follow-up complaint changes (the visit does not): its visit's bucket must be recomputed."""
    rng = random.Random(7)
    random_history(world, rng, 5)
    request = ServiceRequest.objects.filter(project=world.project_a).first()
    follow = ServiceRequest.objects.create(
        project=world.project_a, number="RF-1", channel="visit", kind="complaint", status="in_progress",
        contact_name="周美玲", description="回访不满意：师傅迟到两小时", received_at=TEST_NOW - timedelta(days=20),
        created_by=world.users["agent_a"])
    FollowUpVisit.objects.create(
        request=request, project=world.project_a, kind="repair", rule="repair",
        handled_at=TEST_NOW - timedelta(days=25),
        due_from=TEST_NOW - timedelta(days=25), due_by=TEST_NOW - timedelta(days=20), visitor_role="customer_service",
        status="done", done_at=TEST_NOW - timedelta(days=21), satisfaction=1, decision="complaint",
        follow_request=follow)
    user, sent = world.users["pm_a"], {"month": "2026-11"}
    filters = report_filters(user, sent)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
        assert visit_statistics(user=user, filters=filters).outcomes.complaint_closed == 0
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        follow.status = "closed"
        follow.save()
        assert visit_statistics(user=user, filters=filters).outcomes.complaint_closed == 1
    with time_machine.travel(TEST_NOW + timedelta(minutes=30), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=40), tick=True):
        assert rollup.dirty_buckets(RollupState.objects.get(name="visits").watermark)[0] == set()
        assert visit_statistics(user=user, filters=filters).outcomes.complaint_closed == 1
        assert_same(user, sent)


def test_the_page_reads_the_rollup_in_a_flat_number_of_queries(world, login):
    rng = random.Random(3)
    client = login(world.users["leader_east"])
    sent = {"from": "2025-11-01", "to": "2026-11-23", "branch": str(world.project_a.branch_id)}
    random_history(world, rng, 20)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        client.get("/reports/visits/", sent)
        with CaptureQueriesContext(connection) as few:
            assert client.get("/reports/visits/", sent).status_code == 200
        random_history(world, random.Random(4), 120, prefix="S")
        with CaptureQueriesContext(connection) as dirty:  # the new visits' buckets are read raw
            assert client.get("/reports/visits/", sent).status_code == 200
    with time_machine.travel(TEST_NOW + timedelta(minutes=30), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=40), tick=True):
        with CaptureQueriesContext(connection) as many:
            response = client.get("/reports/visits/", sent)
        assert response.status_code == 200
        stats = visit_statistics(user=world.users["leader_east"], filters=report_filters(world.users["leader_east"],
                                                                                         sent))
        assert f"{stats.total.done}" in response.content.decode()
        assert len(many) == len(few) <= 25
        # while visits wait for the worker: their marks, the visits of the changed requests, the dirty buckets raw
        assert len(dirty) == len(few) + 3


def test_the_demo_rollup_equals_raw(db):
    from propdesk.console.demo import build_demo

    build_demo(seed=42, scale=0.02, today=date(2026, 11, 20))
    boss = get_user_model().objects.create_superuser("rollup_boss", "boss@example.com", "x")
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        for sent in SENT:
            assert_same(boss, sent)
        year = visit_statistics(user=boss, filters=report_filters(boss, SENT[3]))
        assert year.total.due > 20 and year.total.rated > 0
        assert_same(get_user_model().objects.get(username="pm_cuihu"), {"quarter": "2026-Q4"})


def test_the_hand_counted_quarter_is_the_same_from_the_rollup(world):
    """The data set of test_visit_statistics.py (visits due at 23:30 on the quarter's last day and 00:30 after it,
    cancelled, late, dissatisfied with each decision): the rollup gives the figures counted there by hand."""
    from propdesk.reports.tests.test_visit_statistics import build

    build(world)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        leader = world.users["leader_east"]
        stats = visit_statistics(user=leader, filters=report_filters(leader, {"quarter": "2026-Q3"}))
        assert (stats.total.due, stats.total.done, stats.total.visit_rate) == (11, 9, 81.8)
        assert (stats.outcomes.total, stats.outcomes.reopened_closed, stats.outcomes.complaint_closed) == (3, 1, 0)
        assert [m.counts.due for m in stats.months] == [4, 3, 4]
        for sent in ({"quarter": "2026-Q3"}, {"quarter": "2026-Q4"}, {"month": "2026-09"}):
            assert_same(leader, sent)
            assert_same(world.users["pm_a"], sent)
