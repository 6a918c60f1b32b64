"""A handled request gets its follow-up visit 回访 through the real service-desk flow: completing the work (resolved)
schedules it with the rule's window and visitor; answering the resident (closed) adds none; a request handled again
after a reopening gets a visit for the new handling."""

from datetime import timedelta

import pytest

from propdesk.followups.models import FollowUpPolicy
from propdesk.servicedesk.services.requests import request_reply
from propdesk.servicedesk.tests.services.helpers import act, dispatched, submit

from .helpers import (
    COMPLETED,
    RECEIVED,
    REPLIED,
    complete,
    completed_repair,
    handled_complaint,
    only_visit,
    sh,
    visits_of,
)

pytestmark = pytest.mark.django_db


def test_a_completed_repair_gets_one_visit_from_one_week_to_one_month_by_customer_service(world):
    request, _order = completed_repair(world, replied=None)
    assert request.status == "resolved"
    visit = only_visit(request)
    assert visit.status == "pending" and visit.rule == "repair" and visit.kind == "repair"
    assert visit.handled_at == COMPLETED
    assert visit.due_from == COMPLETED + timedelta(days=7) and visit.due_by == COMPLETED + timedelta(days=30)
    assert visit.visitor == world.users["agent_a"] and visit.visitor_role == "customer_service"
    assert visit.project == world.project_a
    assert visit.department == request.work_orders.get().department


def test_answering_the_resident_closes_the_request_without_a_second_visit(world):
    request, _order = completed_repair(world, replied=None)
    request_reply(request=request, actor=world.users["agent_a"], text="已修好", now=REPLIED)
    request.refresh_from_db()
    assert request.status == "closed"
    assert only_visit(request).handled_at == COMPLETED  # the visit counts from the work, not the answer


def test_a_request_answered_before_the_work_is_done_is_visited_from_the_completion(world):
    request = submit(world, now=RECEIVED)
    work_order = dispatched(world, request, now=RECEIVED)
    request_reply(request=request, actor=world.users["agent_a"], text="师傅今天上午上门", now=sh(2026, 3, 10, 9, 5))
    assert visits_of(request) == []  # answered, not handled
    complete(world, work_order, now=COMPLETED)
    visit = only_visit(request)
    assert visit.handled_at == COMPLETED and visit.due_by == COMPLETED + timedelta(days=30)


def test_a_help_request_follows_the_repair_window(world):
    request, _order = completed_repair(world, kind="help")
    visit = only_visit(request)
    assert visit.rule == "help" and visit.due_from - visit.handled_at == timedelta(days=7)


def test_a_handled_complaint_is_visited_within_three_days_by_the_project_manager(world):
    request = handled_complaint(world, severity="minor")
    visit = only_visit(request)
    assert visit.rule == "complaint" and visit.handled_at == REPLIED
    assert visit.due_from == REPLIED and visit.due_by == REPLIED + timedelta(days=3)
    assert visit.visitor == world.users["pm_a"] and visit.visitor_role == "project_manager"


def test_a_major_complaint_is_visited_by_the_branch_leadership(world):
    visit = only_visit(handled_complaint(world, severity="major"))
    assert visit.visitor == world.users["leader_east"] and visit.visitor_role == "branch_leader"
    assert visit.due_by == REPLIED + timedelta(days=3)


def test_the_company_rules_change_the_window(world):
    FollowUpPolicy.objects.create(company=world.company, rules={"repair": {"opens_after_days": 1,
                                                                           "closes_after_days": 5}})
    request, _order = completed_repair(world)
    visit = only_visit(request)
    assert visit.due_from == COMPLETED + timedelta(days=1) and visit.due_by == COMPLETED + timedelta(days=5)


def test_reopened_and_completed_again_gets_a_visit_for_the_new_handling(world):
    agent = world.users["agent_a"]
    request, work_order = completed_repair(world)
    first = only_visit(request)
    act(work_order, agent, "reopen", now=sh(2026, 3, 12, 8, 50), reason="业主来电：灯又不亮了")
    again = sh(2026, 3, 12, 15, 0)
    complete(world, work_order, now=again)
    first_after, second = visits_of(request)
    assert first_after.pk == first.pk
    assert first_after.status == "cancelled"  # it asked about work that did not last: superseded
    assert second.status == "pending" and second.handled_at == again
    assert second.due_from == again + timedelta(days=7) and second.due_by == again + timedelta(days=30)
    request_reply(request=request, actor=agent, text="已更换镇流器", now=sh(2026, 3, 12, 15, 30))
    assert len(visits_of(request)) == 2  # closing after the second handling adds nothing


def test_an_order_still_open_does_not_schedule_a_visit(world):
    request = submit(world, now=RECEIVED)
    first, second = dispatched(world, request, now=RECEIVED), dispatched(world, request, now=RECEIVED)
    complete(world, first, now=COMPLETED)
    assert visits_of(request) == []  # one of two orders done: not handled yet
    complete(world, second, now=COMPLETED + timedelta(hours=1))
    assert only_visit(request).handled_at == COMPLETED + timedelta(hours=1)
