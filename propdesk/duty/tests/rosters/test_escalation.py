"""Escalation at night goes to the person on duty (issue 13). A work order past its deadline at 23:00 reaches the
on-duty engineer, not the department head; the same at 10:00 on a working day reaches the head; at night with
nobody on duty, the head, and the timeline says so. An urgent repair dispatched by rule at night goes to the
on-duty engineer instead of the pool."""

from datetime import timedelta

import pytest

from propdesk.core.testing import sh
from propdesk.duty.services.rosters import roster_assign
from propdesk.notify.models import Notification
from propdesk.servicedesk.models import DispatchRule, TimelineEvent
from propdesk.servicedesk.services import people
from propdesk.servicedesk.services.dispatch import request_dispatch_by_rule
from propdesk.servicedesk.services.escalations import escalation_sweep
from propdesk.servicedesk.tests.services.helpers import act, dispatched, submit

from .helpers import engineer, engineering, head, shifts

pytestmark = pytest.mark.django_db


def order_breaching_at(world, breach):
    """An order of project A's engineering, accepted by technician_a, whose completion deadline is ``breach``
    (the policy gives repairs 48 hours)."""
    request = submit(world, now=breach - timedelta(hours=48))
    work_order = dispatched(world, request, now=breach - timedelta(hours=48) + timedelta(minutes=1))
    work_order = act(work_order, world.users["technician_a"], "accept", now=breach - timedelta(hours=47))
    assert work_order.resolve_by == breach
    return request, work_order


def breach_event(request):
    return TimelineEvent.objects.get(request=request, kind="escalation", action="breach_department_head")


def test_past_its_deadline_at_night_an_order_goes_to_the_on_duty_engineer_not_the_head(world):
    boss, on_duty = head(world), engineer(world)
    night = shifts(world)["night"]
    roster_assign(actor=None, shift=night, day=sh(2026, 11, 23, 0, 0).date(), user_id=on_duty.pk,
                  now=sh(2026, 11, 23, 10))
    request, work_order = order_breaching_at(world, sh(2026, 11, 23, 22, 50))
    escalation_sweep(now=sh(2026, 11, 23, 23, 0))
    told = set(Notification.objects.filter(kind="escalation", url__endswith=f"/{work_order.pk}/")
               .values_list("recipient__username", flat=True))
    assert on_duty.username in told and boss.username not in told
    event = breach_event(request)
    assert event.data["recipients"] == [on_duty.pk] and event.data["on_duty"] is True
    assert "孙师傅" in event.message


def test_at_ten_on_a_working_day_it_goes_to_the_head_even_with_someone_on_duty(world):
    boss, on_duty = head(world), engineer(world)
    roster_assign(actor=None, shift=shifts(world)["day"], day=sh(2026, 11, 23, 0, 0).date(), user_id=on_duty.pk,
                  now=sh(2026, 11, 23, 9))
    request, _ = order_breaching_at(world, sh(2026, 11, 23, 9, 50))  # Monday, a working day
    escalation_sweep(now=sh(2026, 11, 23, 10, 0))
    event = breach_event(request)
    assert event.data["recipients"] == [boss.pk] and event.data["on_duty"] is None
    assert Notification.objects.filter(recipient=boss, kind="escalation").exists()
    assert not Notification.objects.filter(recipient=on_duty, kind="escalation").exists()


def test_at_night_with_nobody_on_duty_the_head_and_the_timeline_says_so(world):
    boss = head(world)
    request, _ = order_breaching_at(world, sh(2026, 11, 23, 22, 50))
    escalation_sweep(now=sh(2026, 11, 23, 23, 0))
    event = breach_event(request)
    assert event.data["recipients"] == [boss.pk] and event.data["on_duty"] is False
    assert "nobody on duty" in event.message or "无人值班" in event.message
    assert Notification.objects.filter(recipient=boss, kind="escalation").exists()


def test_the_project_manager_at_night_is_the_duty_manager_and_a_weekend_day_is_not_working_time(world):
    s = shifts(world)
    roster_assign(actor=None, shift=s["manager"], day=sh(2026, 11, 28, 0, 0).date(),
                  user_id=world.users["steward_a"].pk, now=sh(2026, 11, 23, 10))
    project = world.project_a
    saturday_night = sh(2026, 11, 28, 23, 0)
    assert people.recipients("project_manager", project=project, now=saturday_night) == [world.users["steward_a"]]
    assert people.recipients("project_manager", project=project) == [world.users["pm_a"]]  # no ``now``: by day
    assert not people.is_working_time(project, sh(2026, 11, 28, 11, 0))  # Saturday
    assert people.is_working_time(project, sh(2026, 11, 23, 12, 15))  # Monday lunch
    assert not people.is_working_time(project, sh(2026, 10, 1, 10, 0))  # 国庆节
    assert people.recipients("branch_leader", project=project, now=saturday_night) == [world.users["leader_east"]]


def test_an_urgent_repair_at_night_is_dispatched_to_the_on_duty_engineer_not_the_pool(world):
    on_duty = engineer(world)
    DispatchRule.objects.create(project=world.project_a, kind="repair", department=engineering(world))
    roster_assign(actor=None, shift=shifts(world)["night"], day=sh(2026, 11, 23, 0, 0).date(), user_id=on_duty.pk,
                  now=sh(2026, 11, 23, 10))
    leak = submit(world, now=sh(2026, 11, 23, 22, 30), description="卫生间水管爆裂，水漫到客厅", urgent=True)
    work_order = request_dispatch_by_rule(request=leak, actor=world.users["agent_a"], now=sh(2026, 11, 23, 22, 30))
    assert work_order.assignee == on_duty and work_order.status == "dispatched"
    calm = submit(world, now=sh(2026, 11, 23, 22, 31), description="客厅灯不亮", urgent=False)
    pooled = request_dispatch_by_rule(request=calm, actor=world.users["agent_a"], now=sh(2026, 11, 23, 22, 31))
    assert pooled.assignee is None  # not urgent: the pool, as by day
    by_day = submit(world, now=sh(2026, 11, 24, 10, 0), description="厨房水管漏水", urgent=True)
    day_order = request_dispatch_by_rule(request=by_day, actor=world.users["agent_a"], now=sh(2026, 11, 24, 10, 0))
    assert day_order.assignee is None
