"""The project dashboard's requests per week and kind read from the rollup (rollups/requests.py, kept with the
KPIs) equal the raw
count (``requests_by_week_and_kind_raw``, the reference): on random requests (some cancelled later, some restored),
after the first build, while changes wait for the worker, after the pass and after ``rebuild_rollups``; on the demo;
and through the dashboard page, whose query count does not grow with the requests."""

import random
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from propdesk.core.testing import TEST_NOW
from propdesk.org.models import Department
from propdesk.reports.filters import Place
from propdesk.reports.models import RequestDay, RollupState
from propdesk.reports.periods import Period, month_period
from propdesk.reports.rollups import kpis as rollup
from propdesk.reports.selectors.dashboards import requests_by_week_and_kind, requests_by_week_and_kind_raw
from propdesk.reports.selectors.kpis import trend_period
from propdesk.reports.selectors.kpis.rollups import kpi_reader
from propdesk.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db

TODAY = TEST_NOW.date()
KINDS = ("inquiry", "repair", "repair", "complaint", "help", "suggestion", "praise")


def trends() -> list[Period]:
    return [trend_period(month_period(date(2026, 11, 1)), "week", today=TODAY),
            trend_period(month_period(date(2026, 6, 1)), "week", today=TODAY),
            trend_period(Period(date(2025, 12, 3), date(2026, 3, 10), "range"), "week", today=TODAY)]


def assert_same(user, place: Place):
    for trend in trends():
        assert kpi_reader(user, place) is not None, "the rollup is built"
        assert requests_by_week_and_kind(user=user, place=place, trend=trend) == requests_by_week_and_kind_raw(
            user=user, place=place, trend=trend), (user, place, trend)


def random_requests(world, rng: random.Random, count: int, prefix: str = "RQ") -> list[ServiceRequest]:
    out = []
    for number in range(count):
        project = rng.choice((world.project_a, world.project_a, world.project_b, world.project_c))
        out.append(ServiceRequest.objects.create(
            project=project, number=f"{prefix}{number:05d}", channel=rng.choice(("phone", "wechat", "walk_in")),
            kind=rng.choice(KINDS), status=rng.choice(("closed", "closed", "in_progress", "cancelled")),
            contact_name="刘海燕", description="楼道灯不亮，请尽快维修",
            received_at=TEST_NOW - timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 1440)),
            created_by=world.users["agent_a"]))
    return out


def change_some(rng: random.Random, requests: list[ServiceRequest], count: int) -> None:
    for request in rng.sample(requests, count):
        request.status = "in_progress" if request.status == "cancelled" else "cancelled"
        request.save()


def check_everything(world):
    a, b = world.project_a, world.project_b
    assert sum(sum(weeks.values()) for weeks in requests_by_week_and_kind(
        user=world.users["pm_a"], place=Place(project=a), trend=trends()[0]).values()) > 5
    assert_same(world.users["pm_a"], Place(project=a))
    assert_same(world.users["leader_east"], Place(project=b))
    assert_same(world.users["leader_east"], Place(branch=a.branch))
    assert_same(world.users["quality"], Place())


def test_random_requests_rollup_equals_raw_after_build_changes_pass_and_rebuild(world):
    rng = random.Random(15)
    requests = random_requests(world, rng, 300)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        assert rollup.refresh() == -1
        assert RequestDay.objects.exists()
        check_everything(world)
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        change_some(rng, requests, 60)
        random_requests(world, rng, 20, prefix="RN")
        check_everything(world)  # changed buckets read raw
    with time_machine.travel(TEST_NOW + timedelta(minutes=30), tick=True):
        assert rollup.refresh() > 0
    with time_machine.travel(TEST_NOW + timedelta(minutes=40), tick=True):
        assert rollup.dirty_buckets(RollupState.objects.get(name="kpis").watermark)[0] == set()
        check_everything(world)  # nothing dirty: every figure from the rollup
        RequestDay.objects.all().delete()
        call_command("rebuild_rollups", stdout=open("/dev/null", "w"))
        check_everything(world)
        call_command("rebuild_rollups", project=world.project_a.pk, since="2026-09-01",
                     stdout=open("/dev/null", "w"))
        check_everything(world)


def test_a_department_reads_raw_rows(world):
    random_requests(world, random.Random(2), 10)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
        place = Place(project=world.project_a, department=Department.objects.filter(project=world.project_a).first())
        assert kpi_reader(world.users["pm_a"], place) is None
        assert requests_by_week_and_kind(user=world.users["pm_a"], place=place, trend=trends()[0]) == \
            requests_by_week_and_kind_raw(user=world.users["pm_a"], place=place, trend=trends()[0])


def test_the_dashboard_reads_the_rollup_in_a_flat_number_of_queries(world, login):
    client = login(world.users["pm_a"])
    random_requests(world, random.Random(3), 10)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
        client.get("/reports/", {"month": "2026-11"})
        with CaptureQueriesContext(connection) as few:
            assert client.get("/reports/", {"month": "2026-11"}).status_code == 200
        random_requests(world, random.Random(4), 100, prefix="RM")
    with time_machine.travel(TEST_NOW + timedelta(minutes=30), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=40), tick=True):
        with CaptureQueriesContext(connection) as many:
            assert client.get("/reports/", {"month": "2026-11"}).status_code == 200
    assert len(many) == len(few)
    assert any("reports_requestday" in query["sql"] for query in many.captured_queries)


def test_the_demo_rollup_equals_raw(db):
    from propdesk.console.demo import build_demo

    build_demo(seed=42, scale=0.02, today=date(2026, 11, 20))
    boss = get_user_model().objects.create_superuser("rollup_boss", "boss@example.com", "x")
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        assert_same(boss, Place())
        pm = get_user_model().objects.get(username="pm_cuihu")
        assert_same(pm, Place(project=pm.staff_profile.project))
