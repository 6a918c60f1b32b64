"""Holds 挂起 pause the resolution clock: resuming pushes the order's deadline back by the time held (on the
target's clock) and adds it to the order's held time; both steps are on the timeline."""

import pytest

from propdesk.servicedesk.models import TimelineEvent
from propdesk.servicedesk.services.escalations import escalation_sweep

from .helpers import act, dispatched, sh, submit

pytestmark = pytest.mark.django_db


def hold_events(work_order):
    return list(TimelineEvent.objects.filter(work_order=work_order, action__in=["hold", "resume"])
                .order_by("at", "id").values_list("action", "at", "message", "data"))


def test_hold_then_resume_extends_the_deadline_by_the_time_held(world):
    tech, received = world.users["technician_a"], sh(2026, 3, 10, 9, 0)
    request = submit(world, now=received)
    work_order = dispatched(world, request, now=received)
    work_order = act(work_order, tech, "accept", now=sh(2026, 3, 10, 9, 10))
    assert work_order.resolve_by == sh(2026, 3, 12, 9, 0)  # 48 hours, round the clock

    work_order = act(work_order, tech, "hold", now=sh(2026, 3, 10, 10, 30), reason="业主不在家，约下午再来",
                     hold_reason="not_home")
    assert work_order.status == "on_hold" and work_order.held_since == sh(2026, 3, 10, 10, 30)
    assert work_order.next_escalation_at is None  # the clock is paused: nothing to warn about
    work_order = act(work_order, tech, "resume", now=sh(2026, 3, 10, 15, 0))

    assert work_order.status == "accepted" and work_order.held_since is None and work_order.hold_reason == ""
    assert work_order.held_seconds == 4 * 3600 + 30 * 60
    assert work_order.resolve_by == sh(2026, 3, 12, 13, 30)
    hold, resume = hold_events(work_order)
    assert hold[0] == "hold" and hold[1] == sh(2026, 3, 10, 10, 30)
    assert hold[2] == "业主不在家，约下午再来" and hold[3]["hold_reason"] == "not_home"
    assert resume[0] == "resume" and resume[1] == sh(2026, 3, 10, 15, 0)

    # A second hold adds to the first.
    work_order = act(work_order, tech, "hold", now=sh(2026, 3, 11, 9, 0), reason="等配件", hold_reason="parts")
    work_order = act(work_order, tech, "resume", now=sh(2026, 3, 11, 10, 0))
    assert work_order.held_seconds == 5 * 3600 + 30 * 60
    assert work_order.resolve_by == sh(2026, 3, 12, 14, 30)
    assert [event[0] for event in hold_events(work_order)] == ["hold", "resume", "hold", "resume"]


def test_a_hold_over_a_weekend_costs_only_the_working_hours_it_covered(world):
    tech, received = world.users["technician_a"], sh(2026, 10, 16, 16, 0)  # Friday
    request = submit(world, now=received, kind="inquiry", description="想了解装修申请需要哪些材料")
    work_order = dispatched(world, request, now=received)
    work_order = act(work_order, tech, "accept", now=received)
    assert work_order.resolve_by == sh(2026, 10, 19, 10, 30)  # 2 working hours Friday, 2 Monday morning
    work_order = act(work_order, world.users["agent_a"], "hold", now=sh(2026, 10, 16, 17, 0),
                     reason="业主周一来物业中心面谈", hold_reason="appointment")
    work_order = act(work_order, world.users["agent_a"], "resume", now=sh(2026, 10, 19, 9, 0))
    # Held 1 h of Friday and 30 min of Monday morning: 1 h 30 of working time, from 10:30 to 12:00.
    assert work_order.resolve_by == sh(2026, 10, 19, 12, 0)
    assert work_order.held_seconds == 64 * 3600  # the record says how long it really waited


def test_cancelling_an_order_on_hold_records_the_time_held(world):
    tech, received = world.users["technician_a"], sh(2026, 3, 10, 9, 0)
    request = submit(world, now=received)
    work_order = act(dispatched(world, request, now=received), tech, "accept", now=received)
    work_order = act(work_order, tech, "hold", now=sh(2026, 3, 10, 10, 0), reason="等配件", hold_reason="parts")
    work_order = act(work_order, world.users["agent_a"], "cancel", now=sh(2026, 3, 10, 11, 0),
                     reason="业主自行找人修好了")
    assert work_order.status == "cancelled" and work_order.held_since is None
    assert work_order.held_seconds == 3600 and work_order.next_escalation_at is None


def test_no_warning_fires_while_the_order_is_on_hold(world):
    tech, received = world.users["technician_a"], sh(2026, 3, 10, 9, 0)
    request = submit(world, now=received)
    work_order = act(dispatched(world, request, now=received), tech, "accept", now=received)
    act(work_order, tech, "hold", now=sh(2026, 3, 10, 10, 0), reason="等配件", hold_reason="parts")
    assert escalation_sweep(now=sh(2026, 3, 13, 9, 0)) == 0  # long past the 48 hours, but the clock is paused
    assert not TimelineEvent.objects.filter(kind="escalation").exists()
