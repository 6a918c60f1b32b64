"""The complaint summary read from the rollup gives every figure the raw rows give (``complaint_summary_raw``, the
reference): on random complaints and on the demo, after the first build, while changes wait for the worker (dirty
buckets read raw), after the worker's pass and after ``manage.py rebuild_rollups``."""

import random
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from propdesk.core.testing import TEST_NOW
from propdesk.org.models import CommonArea, Department
from propdesk.reports.filters import report_filters
from propdesk.reports.models import ComplaintDay, RollupState
from propdesk.reports.rollups import complaints as rollup
from propdesk.reports.selectors.complaints import complaint_summary, complaint_summary_raw
from propdesk.reports.selectors.complaints import rollups as complaint_rollups
from propdesk.servicedesk.choices import ComplaintCategory, Severity
from propdesk.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db

ROOMS = ["3-2-1802", "5-1-301", "3-1-101", "3-1-102"]
PERIODS = [{"month": "2026-11"}, {"month": "2026-10"}, {"month": "2026-09"}, {"quarter": "2026-Q3"},
           {"week": "2026-11-16"}, {"from": "2025-10-20", "to": "2026-11-23"}]


def figures(s) -> dict:
    """Everything the page, the Excel file and the API show."""
    def rows(items):
        return [tuple(item) for item in items]

    return {
        "totals": [(t.total, t.valid, t.invalid, t.undecided, t.on_time, t.late, t.open_not_due, t.repeat,
                    t.on_time_share) for t in (s.current, s.previous, s.last_year)],
        "by_category": rows(s.by_category), "by_severity": rows(s.by_severity),
        "by_department": sorted(rows(s.by_department)), "by_validity": rows(s.by_validity),
        "top_issues": rows(s.top_issues), "top_places": rows(s.top_places),
        "repeats": s.repeats, "root_causes": s.root_causes,
    }


def assert_same(user, sent: dict, now=None):
    filters = report_filters(user, sent)
    now = now or TEST_NOW
    from_rollups = complaint_rollups.complaint_summary_from_rollups(user=user, filters=filters, now=now)
    assert from_rollups is not None, "the rollup is built"
    assert figures(from_rollups) == figures(complaint_summary_raw(user=user, filters=filters, now=now)), sent


def random_complaints(world, rng: random.Random, count: int) -> list[ServiceRequest]:
    a, b = world.project_a, world.project_b
    departments = {p.pk: [None, *Department.objects.filter(project=p)] for p in (a, b)}
    areas = {p.pk: [CommonArea.objects.create(project=p, kind="garage", name=f"{p.name}车库"),
                    CommonArea.objects.create(project=p, kind="lobby", name=f"{p.name}大堂")] for p in (a, b)}
    made = []
    for number in range(count):
        project = rng.choice((a, a, b))
        received = TEST_NOW - timedelta(days=rng.randint(0, 430), minutes=rng.randint(0, 24 * 60))
        place = rng.random()
        resolve_by = None if rng.random() < 0.1 else received + timedelta(hours=rng.choice((4, 24, 72, 400)))
        resolved = received + timedelta(hours=rng.choice((2, 20, 80, 500))) if rng.random() < 0.6 else None
        resolved = resolved if resolved is None or resolved < TEST_NOW else None
        kind = "complaint" if rng.random() < 0.85 else "repair"
        made.append(ServiceRequest.objects.create(
            project=project, number=f"RC{number:05d}", channel="phone", kind=kind,
            status=rng.choice(("closed",) * 6 + ("cancelled",)) if resolved else
            rng.choice(("open", "in_progress", "in_progress", "cancelled")),
            contact_name="周美玲", description="楼上装修噪音扰民",
            room=world.room(project, rng.choice(ROOMS)) if place < 0.6 else None,
            common_area=rng.choice(areas[project.pk]) if 0.4 < place < 0.85 else None,
            complaint_category=rng.choice(["", *ComplaintCategory.values]) if kind == "complaint" else "",
            severity=rng.choice(["", *Severity.values]) if kind == "complaint" else "",
            complained_department=rng.choice(departments[project.pk]), complaint_valid=rng.choice((None, True, False)),
            root_cause=rng.choice(("", "", "保安人员态度问题", "外墙防水施工质量问题")), received_at=received,
            resolve_by=resolve_by, resolved_at=resolved, created_by=world.users["agent_a"]))
    return made


def change_some(rng: random.Random, made: list[ServiceRequest], count: int) -> None:
    """What the desk does to complaints later: cancel, resolve, reopen (resolved_at cleared), decide validity,
    write a root cause, push the deadline — saved as the services save them (updated_at moves)."""
    for request in rng.sample(made, count):
        what = rng.choice(("cancel", "resolve", "reopen", "valid", "cause", "deadline"))
        if what == "cancel":
            request.status = "cancelled"
        elif what == "resolve" and request.resolved_at is None:
            request.status, request.resolved_at = "closed", TEST_NOW
        elif what == "reopen":
            request.status, request.resolved_at = "in_progress", None
        elif what == "valid":
            request.complaint_valid = rng.choice((True, False))
        elif what == "cause":
            request.root_cause = "客服回复不及时"
        else:
            request.resolve_by = TEST_NOW + timedelta(hours=rng.choice((-30, 30)))
        request.save()


def check_everything(world):
    users = world.users
    for sent in PERIODS:
        assert_same(users["quality"], sent)
        assert_same(users["pm_a"], sent)
    assert_same(users["leader_east"], {"month": "2026-10", "branch": str(world.project_a.branch_id)})
    department = Department.objects.filter(project=world.project_a).first()
    assert_same(users["quality"], {"quarter": "2026-Q4", "department": str(department.pk)})
    assert_same(users["quality"], {"month": "2026-10"}, now=TEST_NOW - timedelta(days=40))  # late judged then
    assert_same(users["quality"], {"month": "2024-03"})  # nothing then, nor a month or a year earlier


def test_random_complaints_rollup_equals_raw_after_build_changes_pass_and_rebuild(world):
    rng = random.Random(15)
    made = random_complaints(world, rng, 300)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        assert rollup.refresh() == -1  # the first pass builds everything
        assert ComplaintDay.objects.exists()
        check_everything(world)
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        change_some(rng, made, 60)
        assert rollup.dirty_buckets(RollupState.objects.get(name="complaints").watermark)
        check_everything(world)  # changed buckets are read raw until the worker passes
    with time_machine.travel(TEST_NOW + timedelta(minutes=30), tick=True):
        assert rollup.refresh() > 0
        check_everything(world)
    with time_machine.travel(TEST_NOW + timedelta(minutes=40), tick=True):
        assert rollup.dirty_buckets(RollupState.objects.get(name="complaints").watermark) == set()
        check_everything(world)  # nothing dirty: every figure from the rollup
        ComplaintDay.objects.all().delete()
        call_command("rebuild_rollups", stdout=open("/dev/null", "w"))
        check_everything(world)
        call_command("rebuild_rollups", project=world.project_a.pk, since="2026-09-01", stdout=open("/dev/null", "w"))
        check_everything(world)


def test_a_cancelled_complaint_ends_the_repeat_of_the_next_one_in_the_rollup(world):
    """The repeat flag of a complaint depends on an earlier one: cancelling the earlier one changes the later one's
    bucket, which is not the bucket of the row that changed."""
    a = world.project_a
    room = world.room(a, "3-2-1802")

    def complaint(number, received):
        return ServiceRequest.objects.create(
            project=a, number=number, channel="phone", kind="complaint", status="in_progress", room=room,
            contact_name="周美玲", description="噪音", complaint_category="property", received_at=received,
            resolve_by=received + timedelta(days=2), created_by=world.users["agent_a"])

    first = complaint("RP1", TEST_NOW - timedelta(days=50))
    complaint("RP2", TEST_NOW - timedelta(days=5))
    user, sent = world.users["pm_a"], {"month": "2026-11"}
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
        assert complaint_summary(user=user, filters=report_filters(user, sent)).repeat == 1
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        first.status = "cancelled"
        first.save()
        assert complaint_summary(user=user, filters=report_filters(user, sent)).repeat == 0  # read raw: dirty
    with time_machine.travel(TEST_NOW + timedelta(minutes=30), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=40), tick=True):
        assert rollup.dirty_buckets(RollupState.objects.get(name="complaints").watermark) == set()
        assert complaint_summary(user=user, filters=report_filters(user, sent)).repeat == 0  # from the rollup
        assert_same(user, sent)


def test_the_demo_rollup_equals_raw(db):
    from propdesk.console.demo import build_demo

    build_demo(seed=42, scale=0.02, today=date(2026, 11, 20))
    boss = get_user_model().objects.create_superuser("rollup_boss", "boss@example.com", "x")
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        rollup.refresh()
    with time_machine.travel(TEST_NOW + timedelta(minutes=20), tick=True):
        assert ServiceRequest.objects.filter(kind="complaint").count() > 20
        for sent in PERIODS:
            assert_same(boss, sent)
        year = complaint_summary(user=boss, filters=report_filters(boss, PERIODS[-1]))
        assert year.total > 5 and year.top_places and year.by_department
        pm = get_user_model().objects.get(username="pm_cuihu")
        assert_same(pm, {"month": "2026-10"})
        assert_same(pm, {"quarter": "2026-Q3"})


def test_a_month_with_no_complaint_shows_zeros_from_the_built_rollup(world, client):
    """The rollup read an empty month (and empty previous and last-year months) as a KeyError: the page was a 500
    for a month before a project's first complaint."""
    random_complaints(world, random.Random(3), 20)
    with time_machine.travel(TEST_NOW + timedelta(minutes=10), tick=True):
        assert rollup.refresh() == -1
        client.force_login(world.users["quality"])
        page = client.get("/reports/complaints/", {"month": "2024-03"})
        api = client.get("/api/reports/complaints/summary", {"month": "2024-03"})
    assert page.status_code == 200
    assert 'id="summary-empty"' in page.content.decode()
    assert api.status_code == 200 and api.json()["current"]["total"] == 0
