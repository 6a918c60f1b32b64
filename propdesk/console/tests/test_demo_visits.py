"""The demo's follow-up visits 回访: one per handling of the year's requests, on the handbook's rules, with records,
attempts, handovers and reviews as the services would have left them, deterministic, and live enough that the
agent's queue shows rows."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from propdesk.followups.models import FollowUpVisit, VisitAttempt
from propdesk.followups.rules.schedule import OVERDUE_HANDOVER, rule_for, visitor_for, window
from propdesk.followups.selectors import visit_queue
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent, WorkOrder
from propdesk.staff.models import StaffProfile

TODAY = date(2026, 2, 14)
SCALE = 0.02
TZ = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2026, 2, 14, tzinfo=TZ)  # the history ends at midnight starting "today"
SWEEP = timedelta(seconds=30)


DEMO_ARGS = {"seed": 42, "scale": SCALE, "today": TODAY}


@pytest.fixture
def demo(demo_once, db):
    return demo_once  # built once for this module (conftest.demo_once)


def handlings() -> dict[int, list[datetime]]:
    """When each request became resolved or closed from an unhandled state: when the hook scheduled a visit."""
    found = defaultdict(list)
    for request_id, at, data in TimelineEvent.objects.filter(kind="status", action__in=("resolved", "closed")) \
            .order_by("at", "id").values_list("request_id", "at", "data"):
        if data["from"] not in ("resolved", "closed"):
            found[request_id].append(at)
    return found


def people():
    agents, managers, leaders = defaultdict(list), {}, {}
    for p in StaffProfile.objects.order_by("user_id"):
        if p.role == "agent":
            agents[p.project_id].append(p.user_id)
        elif p.role == "project_manager":
            managers.setdefault(p.project_id, p.user_id)
        elif p.role == "branch_leader":
            leaders.setdefault(p.branch_id, p.user_id)
    return agents, managers, leaders


def test_every_handling_has_its_visit_on_the_rules(demo):
    handled = handlings()
    requests = {r.pk: r for r in ServiceRequest.objects.select_related("project")}
    assert sum(r.status in ("closed", "resolved") for r in requests.values()) > 300
    for r in requests.values():  # every handled request has been handled at least once
        assert (r.status in ("closed", "resolved")) <= bool(handled.get(r.pk)), r.number
    visits = list(FollowUpVisit.objects.all())
    assert sorted((v.request_id, v.handled_at) for v in visits) == sorted(
        (request_id, at) for request_id, times in handled.items() for at in times)
    first_department = {}
    for request_id, department_id in WorkOrder.objects.order_by("-id").values_list("request_id", "department_id"):
        first_department[request_id] = department_id
    agents, managers, leaders = people()
    for v in visits:
        r = requests[v.request_id]
        rule = rule_for(r.kind)
        assert (v.kind, v.rule, v.project_id) == (r.kind, rule.key, r.project_id)
        due_from, due_by = window(v.handled_at, rule)
        if v.reschedule_reason:  # the resident asked to be called later
            assert v.status == "pending" and v.due_by > max(due_by, AS_OF) and v.due_from == min(due_from, v.due_by)
        else:
            assert (v.due_from, v.due_by) == (due_from, due_by)
        assert v.visitor_role == visitor_for(r.kind, r.severity)
        assert v.department_id == (r.complained_department_id or first_department.get(r.pk))
        expected = {"branch_leader": leaders[r.project.branch_id], "project_manager": managers[r.project_id],
                    "customer_service": r.created_by_id if r.created_by_id in agents[r.project_id]
                    else agents[r.project_id][0]}[v.visitor_role]
        if v.handed_over_at is None:
            assert v.visitor_id == expected, r.number
        else:  # the sweep took it 3 days after it was due, and it was still to do then
            assert v.visitor_id == managers[r.project_id] and v.handed_over_at == v.due_by + OVERDUE_HANDOVER + SWEEP
            assert v.handed_over_at < AS_OF and (v.done_at is None or v.done_at > v.handed_over_at)


def test_records_attempts_and_reviews_are_consistent(demo):
    attempts = defaultdict(list)
    for a in VisitAttempt.objects.order_by("at", "id"):
        attempts[a.visit_id].append(a)
    _agents, managers, _leaders = people()
    reopens = defaultdict(list)
    for request_id, at in TimelineEvent.objects.filter(action="reopen").values_list("request_id", "at"):
        reopens[request_id].append(at)
    visits = list(FollowUpVisit.objects.select_related("follow_request"))
    for v in visits:
        assert v.attempts == len(attempts[v.pk])
        assert all(v.handled_at < a.at < AS_OF for a in attempts[v.pk])
        if v.status == "pending":
            assert v.done_at is None and v.satisfaction is None and v.method == "" and v.attempts < 3
            if v.due_by + OVERDUE_HANDOVER + SWEEP < AS_OF:
                assert v.handed_over_at is not None  # nothing overdue by 3 days escaped the sweep
        elif v.status == "unreachable":
            assert v.attempts == 3 and v.done_at == attempts[v.pk][-1].at and v.satisfaction is None
        else:
            assert v.status == "done"
            assert v.handled_at < v.done_at < AS_OF and v.late == (v.done_at > v.due_by)
            assert v.recorded_by_id == v.visitor_id and 1 <= v.satisfaction <= 5
            assert v.confirmation == {"phone": "phone", "face_to_face": "signed", "online": "online"}[v.method]
            assert v.method != "online" or rule_for(v.kind).online_allowed  # complaints always get a call
            if v.satisfaction <= 2:
                assert v.decision in ("reopened", "complaint") and v.decision_note and v.shortcomings
                if v.decision == "complaint":
                    complaint = v.follow_request
                    assert complaint.kind == "complaint" and complaint.project_id == v.project_id
                    assert complaint.number in v.decision_note
                    assert v.done_at < complaint.received_at <= v.done_at + timedelta(hours=1)
                else:
                    assert any(v.done_at < at <= v.done_at + timedelta(minutes=30) for at in reopens[v.request_id])
            else:
                assert v.decision == "" and v.follow_request is None
        if v.reviewed_at is not None:
            assert v.status == "done" and v.reviewed_by_id == managers[v.project_id] and v.review_comment
            assert v.done_at < v.reviewed_at < AS_OF
    reopened = [(v.request_id, v.done_at) for v in visits if v.decision == "reopened"]
    for request_id, times in reopens.items():  # every reopening followed a dissatisfied visit
        for at in times:
            assert any(rid == request_id and done < at <= done + timedelta(minutes=30) for rid, done in reopened)


def test_the_shares_look_like_a_real_year(demo):
    visits = list(FollowUpVisit.objects.all())
    due = [v for v in visits if v.due_by < AS_OF - timedelta(days=7)]
    done = [v for v in due if v.status == "done"]
    assert 0.8 < len(done) / len(due) < 0.98
    assert any(v.status == "unreachable" for v in due) and any(v.late for v in done)
    recorded = [v for v in visits if v.status == "done"]
    methods = {m: sum(v.method == m for v in recorded) for m in ("phone", "online", "face_to_face")}
    assert methods["phone"] > methods["online"] > 0 and methods["face_to_face"] > 0
    assert sum(v.satisfaction >= 4 for v in recorded) / len(recorded) > 0.75
    assert 0 < sum(v.satisfaction <= 2 for v in recorded) / len(recorded) < 0.12
    assert 0.5 < sum(v.reviewed_at is not None for v in recorded) / len(recorded) < 0.9


def test_the_first_projects_agent_has_visits_to_make(demo):
    agent = get_user_model().objects.get(username="agent_cuihu")
    pending = FollowUpVisit.objects.filter(visitor=agent, status="pending")
    assert pending.exists()
    for v in pending:  # recent handlings, or visits the resident asked to have later
        assert v.project.code == "cuihu" and (v.handled_at > AS_OF - timedelta(days=40) or v.reschedule_reason)
    queue = visit_queue(user=agent, now=AS_OF + timedelta(hours=9))
    assert sum(queue["counts"].values()) == pending.count()


