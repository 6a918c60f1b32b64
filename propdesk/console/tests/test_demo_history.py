"""The demo's year of service-desk history: sized, consistent with the workflow rules, deterministic, and live enough
that the queues show real work."""

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from propdesk.console.demo import plan_demo
from propdesk.console.demo.history import SIGNATURE, SUBJECTS, plan_history
from propdesk.core.models import Counter as Sequence
from propdesk.core.sequences import counter_take
from propdesk.customers.models import Occupancy
from propdesk.org.models import Project
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent, WorkOrder
from propdesk.servicedesk.rules import sla
from propdesk.servicedesk.rules.calendar import WorkingCalendar
from propdesk.servicedesk.rules.transitions import WorkOrderState, request_state_from
from propdesk.servicedesk.selectors import workorder_list

TODAY = date(2026, 2, 14)
SCALE = 0.02
TZ = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2026, 2, 14, tzinfo=TZ)  # the history ends at midnight starting "today"
FINAL = {"completed", "cancelled"}


DEMO_ARGS = {"seed": 42, "scale": SCALE, "today": TODAY, "stewards_day": False}  # the history alone


@pytest.fixture
def demo(demo_once, db):
    return demo_once  # built once for this module (conftest.demo_once)


def history():
    """The year before "today" (demo/setup.py adds today's paid repairs on top)."""
    return ServiceRequest.objects.filter(received_at__lt=AS_OF)


def test_size_and_mix_follow_the_scale(demo):
    requests = list(history().select_related("project"))
    assert 370 <= len(requests) <= 450  # 20,000 × 0.02, plus a few stalled repairs a small demo adds
    # today's 16 paid repairs (demo/setup.py) and resident1's 3 app requests to follow (demo/follow.py)
    assert demo.counts["service requests"] == ServiceRequest.objects.count() == len(requests) + 16 + 3
    assert demo.counts["work orders"] == WorkOrder.objects.count() > 0.5 * len(requests)
    assert demo.counts["timeline entries"] == TimelineEvent.objects.count() > 5 * len(requests)
    per_project = Counter(r.project.code for r in requests)
    occupied = dict(Occupancy.objects.filter(end_date__isnull=True).values_list("project__code").annotate(
        n=Count("id")))
    for code, count in per_project.items():  # proportional to the households of each project
        share, expected = count / len(requests), occupied[code] / sum(occupied.values())
        assert 0.6 * expected < share < 1.5 * expected, (code, share, expected)
    kinds = Counter(r.kind for r in requests)
    assert 0.45 < kinds["repair"] / len(requests) < 0.66
    assert 0.12 < kinds["inquiry"] / len(requests) < 0.28
    assert set(kinds) == {"repair", "inquiry", "complaint", "help", "suggestion", "praise"}
    assert min(r.received_at for r in requests) >= AS_OF - timedelta(days=366)
    assert max(r.received_at for r in requests) < AS_OF
    assert sum(r.emotion == "calm" for r in requests) / len(requests) > 0.6


def test_numbers_are_unique_in_the_company_and_the_sequences_continue(demo):
    requests = list(ServiceRequest.objects.select_related("project").order_by("received_at", "id"))
    assert len({r.number for r in requests}) == len(requests)  # company-wide, as the constraint demands
    assert {p.code: p.number_prefix for p in Project.objects.all()} == {
        "cuihu": "CH", "jingui": "JG", "jinjiang": "JJ", "binjiang": "BJ"}
    per_day: dict[tuple, list] = defaultdict(list)
    for r in requests:
        day = r.received_at.astimezone(TZ).date()
        assert r.number.startswith(f"{r.project.number_prefix}-{day:%y%m%d}-")
        per_day[(r.project_id, day)].append(int(r.number.split("-")[2]))
    for numbers in per_day.values():  # 001, 002 … in order of arrival
        assert numbers == list(range(1, len(numbers) + 1))
    counters = {c.key: c.value for c in Sequence.objects.filter(key__startswith="request:")}
    assert counters == {f"request:{pid}:{day:%Y%m%d}": len(numbers) for (pid, day), numbers in per_day.items()}
    (project_id, day), numbers = max(per_day.items(), key=lambda item: len(item[1]))
    assert counter_take(f"request:{project_id}:{day:%Y%m%d}") == len(numbers) + 1  # a new request continues
    for wo in WorkOrder.objects.select_related("request"):
        assert wo.number.startswith(wo.request.number + "-") and wo.project_id == wo.request.project_id


def test_statuses_follow_the_work_orders_and_the_reply(demo):
    orders = defaultdict(list)
    for wo in WorkOrder.objects.all():
        orders[wo.request_id].append(wo)
    requests = list(ServiceRequest.objects.all())
    for r in requests:
        mine = orders[r.pk]
        derived = request_state_from([WorkOrderState(wo.status) for wo in mine], replied=r.replied_at is not None,
                                     cancelled=False)
        assert r.status == derived.value, r.number
        if r.status == "closed":
            assert all(wo.status in FINAL for wo in mine)
            assert r.reply and r.replied_at and r.closed_at and r.closed_at >= r.received_at
            if r.kind == "complaint":
                assert r.complaint_valid is not None and r.root_cause
        else:
            assert r.closed_at is None
        if r.received_at < AS_OF - timedelta(days=15):
            assert r.status == "closed", r.number  # only the last two weeks hold live work
    letters = [r for r in requests if r.channel == "letter"]
    assert all(r.needs_written_reply for r in letters)
    assert not any(r.needs_written_reply for r in requests if r.channel != "letter")
    assert all(r.written_reply_at == r.replied_at for r in letters if r.written_reply)


def test_work_orders_go_to_the_right_people_with_a_consistent_record(demo):
    orders = list(WorkOrder.objects.select_related("request", "department", "assignee__staff_profile"))
    kinds = Counter(wo.request.kind for wo in orders)
    assert set(kinds) <= {"repair", "complaint", "help"} and kinds["repair"] > kinds["complaint"]
    assert Counter(wo.department.kind for wo in orders).most_common(1)[0][0] == "engineering"
    for wo in orders:
        assert wo.department.project_id == wo.project_id
        if wo.assignee_id:
            assert wo.assignee.staff_profile.department_id == wo.department_id
        if wo.status == "completed":
            assert wo.completed_at and wo.result and wo.accepted_at and wo.accepted_at <= wo.completed_at
            assert wo.created_at <= wo.dispatched_at <= wo.completed_at
            if wo.request.room_id and wo.request.kind in ("repair", "help") and wo.confirmation_method != "":
                assert wo.confirmation_method in ("signature", "code") and wo.confirmed_at == wo.completed_at
            elif wo.request.room_id and wo.request.kind in ("repair", "help"):  # left to the resident's app
                assert wo.request.channel == "app" and wo.confirmed_at is None
                assert wo.confirmation_method != "signature" or wo.signature == SIGNATURE
        if wo.status in FINAL:
            assert wo.next_escalation_at is None and wo.held_since is None
        if wo.held_seconds:
            assert wo.events.filter(action="hold").exists() and wo.events.filter(action="resume").exists()
    statuses = Counter(wo.status for wo in orders)
    assert statuses["completed"] > 0.9 * len(orders)
    assert SIGNATURE.startswith("data:image/png;base64,")


def test_timelines_record_every_step(demo):
    events = defaultdict(list)
    for e in TimelineEvent.objects.order_by("at", "id"):
        events[e.request_id].append(e)
    for r in ServiceRequest.objects.all():
        mine = events[r.pk]
        assert mine[0].kind == "created" and mine[0].at == r.received_at and mine[0].actor_id == r.created_by_id
        assert all(r.received_at <= e.at < (AS_OF if r.received_at < AS_OF else AS_OF + timedelta(days=1))
                   for e in mine)
        actions = [e.action for e in mine]
        if r.status == "closed":
            assert actions[-1] == "closed" and mine[-1].at == r.closed_at
            assert any(e.kind == "reply" for e in mine)
    completed = WorkOrder.objects.filter(status="completed")
    for wo in completed[:50]:
        steps = list(wo.events.order_by("at", "id").values_list("action", flat=True))
        assert steps[0] == "create" and "complete" in steps and ("accept" in steps or "grab" in steps)
        assert steps.index("create") < steps.index("complete")
    actions = set(TimelineEvent.objects.values_list("action", flat=True))
    assert {"create", "dispatch", "accept", "arrive", "complete", "in_progress", "resolved", "closed"} <= actions


def test_deadlines_come_from_the_policy(demo):
    calendar = WorkingCalendar(tz=TZ)
    for r in ServiceRequest.objects.all():
        target = sla.DEFAULT_POLICY[sla.rule_key(r.kind, severity=r.severity or None, urgent=r.urgent)]
        expected = sla.compute_deadlines(target=target, received_at=r.received_at, calendar=calendar,
                                         resident_deadline=r.resident_deadline, appointment=r.appointment_at)
        assert (r.respond_by, r.resolve_by) == (expected.respond_by, expected.resolve_by), r.number
        assert (r.respond_by is not None) == (target.respond is not None)
        if target.resolve is not None or target.same_day:
            assert r.resolve_by is not None
    for wo in WorkOrder.objects.select_related("request"):
        assert wo.respond_by == wo.request.respond_by and wo.resolve_by >= wo.request.resolve_by
        assert wo.resolve_by == wo.request.resolve_by or wo.held_seconds  # only time on hold moves it


def test_most_work_is_done_on_time(demo):
    done = list(WorkOrder.objects.filter(status="completed"))
    on_time = sum(wo.completed_at <= wo.resolve_by for wo in done) / len(done)
    assert 0.75 < on_time < 0.97
    late = [wo for wo in done if wo.completed_at > wo.resolve_by]
    assert late and all(wo.escalations_sent for wo in late)  # the sweep told someone


def test_overdue_queue_shows_real_rows(demo):
    agent = get_user_model().objects.get(username="agent_cuihu")
    overdue = list(workorder_list(user=agent, filters={"overdue": True}, now=AS_OF))
    assert overdue
    assert all(wo.project.code == "cuihu" and wo.status not in FINAL and wo.resolve_by < AS_OF for wo in overdue)
    assert list(workorder_list(user=agent, filters={"overdue": True}))  # also when looked at later
    for wo in WorkOrder.objects.exclude(status__in=FINAL):
        assert "breach_department_head" in wo.escalations_sent or wo.resolve_by >= AS_OF or wo.status == "on_hold"
        if wo.status != "on_hold":
            assert wo.next_escalation_at is not None or {"warn_assignee", "breach_branch_leader"} <= set(
                wo.escalations_sent)
    assert ServiceRequest.objects.filter(status__in=("open", "in_progress")).exists()


def test_the_year_has_a_rhythm():
    """Pure planning, no database: daily and seasonal patterns at a quarter of the full size."""
    today = date(2026, 11, 22)  # the year holds the 2026 Spring Festival (15–23 February)
    plan = plan_demo(seed=7, scale=0.25, today=today)
    requests = plan_history(plan)
    assert 4_800 <= len(requests) <= 5_300
    assert [(r.number, r.received_at) for r in plan_history(plan_demo(seed=7, scale=0.25, today=today))] == [
        (r.number, r.received_at) for r in requests]
    per_day = Counter(r.received_at.date() for r in requests)
    mean = len(requests) / 365
    festival = [per_day[date(2026, 2, 15) + timedelta(days=i)] for i in range(9)]
    assert sum(festival) / len(festival) < 0.7 * mean
    summer = sum(per_day[d] for d in per_day if d.month in (7, 8)) / 62
    winter = sum(per_day[d] for d in per_day if d.month in (11, 12) and d < today) / 52
    assert summer > 1.15 * winter
    hours = Counter(r.received_at.hour for r in requests)
    assert hours[9] + hours[10] > 8 * (hours[2] + hours[3] + hours[4])
    assert hours[19] + hours[20] > hours[13] + hours[14] * 0.8  # the evening peak after work
    ac = [r for r in requests if r.subject.key == "空调外机噪音"]
    assert sum(r.received_at.month in (6, 7, 8, 9) for r in ac) > 0.6 * len(ac)
    channels = Counter(r.channel for r in requests)
    assert channels["phone"] > channels["app"] > channels["letter"] > 0 and channels["patrol"] > 0
    for r in requests:
        if r.channel in ("patrol", "staff"):
            assert r.reporter is None and r.room is None and (r.area is not None or r.location_note)
        elif r.room is not None:
            assert r.reporter is not None and any(o.room is r.room for o in plan.projects[0].occupancies + [
                o for pp in plan.projects[1:] for o in pp.occupancies] if o.person is r.reporter)


def test_urgent_repairs_read_as_urgent():
    """The agent's hint (rules/sla.looks_urgent) agrees with the catalogue's urgent flag."""
    for subject in SUBJECTS:
        if subject.kind == "repair":
            for text in subject.texts:
                assert sla.looks_urgent(text) == subject.urgent, text


def test_the_history_is_found_by_its_words(demo):
    """The bulk writer bypasses save(): it fills the search tokens as save() would, so the demo's year is found
    by the words of its text (issue 15)."""
    rows = list(history().select_related("room"))
    assert rows and all(r.search_grams == ServiceRequest.grams_of(
        description=r.description, location_note=r.location_note, reply=r.reply, contact_name=r.contact_name,
        room_code=r.room.code if r.room_id else "") for r in rows)
