"""The escalation ladder 升级 end to end with a controlled clock: escalation_sweep(now=…) is run the way the worker
runs it (every minute, and again in the same minute by a second worker or a retry); each rung reaches its people
once, in their inbox and on the timeline.

The repair is received on Tuesday 2026-03-10 at 09:00: accept by 09:30 (30 working minutes), complete by Thursday
03-12 09:00 (48 hours); 80 % of the time is used on Wednesday at 23:24."""

from collections import Counter
from datetime import timedelta

import pytest

from propdesk.notify.models import Notification
from propdesk.servicedesk.models import ServicePolicy, TimelineEvent, WorkOrder
from propdesk.servicedesk.services.escalations import escalation_sweep
from propdesk.servicedesk.services.requests import request_acknowledge

from .helpers import SIGNATURE, act, complaint, department_head, dispatched, order, sh, submit

pytestmark = pytest.mark.django_db
MINUTE = timedelta(minutes=1)


def inbox():
    """Escalations received so far, per username."""
    return Counter(Notification.objects.filter(kind="escalation").values_list("recipient__username", flat=True))


def timeline(request):
    return list(TimelineEvent.objects.filter(request=request, kind="escalation")
                .exclude(action__startswith="intake_").order_by("id").values_list("action", flat=True))


def sweep(now, times=1) -> int:
    return sum(escalation_sweep(now=now) for _ in range(times))


def test_each_rung_of_the_ladder_reaches_its_people_once(world):
    users = world.users
    head = department_head(world)
    request = submit(world, now=sh(2026, 3, 10, 9, 0))
    work_order = dispatched(world, request, now=sh(2026, 3, 10, 9, 1))
    assert work_order.next_escalation_at == sh(2026, 3, 10, 9, 30)

    # Not accepted by 09:30: the dispatcher hears of it, at 09:30 and not a minute before.
    now = sh(2026, 3, 10, 9, 1)
    while now < sh(2026, 3, 10, 9, 30):
        assert sweep(now) == 0, now
        now += MINUTE
    assert sweep(sh(2026, 3, 10, 9, 30), times=3) == 1
    assert inbox() == {"agent_a": 1}
    assert timeline(request) == ["unaccepted_dispatcher"]

    act(work_order, users["technician_a"], "accept", now=sh(2026, 3, 10, 9, 40))
    rungs = [
        (sh(2026, 3, 11, 23, 24), "technician_a", "warn_assignee"),  # 80 % of the 48 hours
        (sh(2026, 3, 12, 9, 0), head.username, "breach_department_head"),  # breach
        (sh(2026, 3, 12, 11, 0), "pm_a", "breach_project_manager"),  # breach + 2 h
        (sh(2026, 3, 12, 17, 0), "leader_east", "breach_branch_leader"),  # breach + 8 h
    ]
    expected_inbox, expected_timeline = inbox(), timeline(request)
    now = sh(2026, 3, 10, 9, 40)
    for fires_at, username, key in rungs:
        while now < fires_at - 2 * MINUTE:  # nothing in between, sweeping every 20 minutes
            assert sweep(now) == 0, now
            now += 20 * MINUTE
        for tick in (fires_at - 2 * MINUTE, fires_at - MINUTE):
            assert sweep(tick) == 0, tick
        assert sweep(fires_at, times=3) == 1, key  # three workers, or a retry, in the same minute
        assert sweep(fires_at + MINUTE) == 0
        expected_inbox[username] += 1
        expected_timeline.append(key)
        assert inbox() == expected_inbox, key
        assert timeline(request) == expected_timeline
        now = fires_at + MINUTE

    assert inbox() == {"agent_a": 1, "technician_a": 1, head.username: 1, "pm_a": 1, "leader_east": 1}
    work_order.refresh_from_db()
    assert work_order.next_escalation_at is None  # nothing left to send: the sweep no longer picks it up
    assert sweep(sh(2026, 3, 20, 9, 0)) == 0
    assert inbox() == expected_inbox
    overdue = Notification.objects.get(recipient=head, kind="escalation")
    assert work_order.number in overdue.title and overdue.url.endswith(f"/{work_order.pk}/")


def test_several_rungs_due_at_once_are_all_sent_by_one_late_sweep(world):
    head = department_head(world)
    request = submit(world, now=sh(2026, 3, 10, 9, 0))
    work_order = dispatched(world, request, now=sh(2026, 3, 10, 9, 1))
    # The worker was down for days: one sweep sends every rung due, each once.
    assert sweep(sh(2026, 3, 13, 9, 0), times=2) == 5
    assert inbox() == {"agent_a": 1, "technician_a": 1, head.username: 1, "pm_a": 1, "leader_east": 1}
    # Nobody is told "due soon" about a deadline a day gone: the technician's missed warning is the overdue notice.
    assert not any(title.startswith("即将超时") for title in titles())
    assert titles("technician_a") == [f"已超时：工单 {work_order.number}（卧室吸顶灯不亮）"]


def titles(username=None):
    notices = Notification.objects.filter(kind="escalation").order_by("id")
    if username:
        notices = notices.filter(recipient__username=username)
    return list(notices.values_list("title", flat=True))


def test_the_first_sweep_after_the_deadline_sends_the_overdue_notice_not_a_warning(world):
    request = submit(world, now=sh(2026, 3, 10, 9, 0))
    work_order = dispatched(world, request, now=sh(2026, 3, 10, 9, 1))
    act(work_order, world.users["technician_a"], "accept", now=sh(2026, 3, 10, 9, 5))
    # The worker was down from Wednesday evening: the warning's moment (23:24) passed, and so did the deadline
    # (Thursday 09:00). At 09:03 the assignee gets one notice, and it says overdue.
    assert sweep(sh(2026, 3, 12, 9, 3), times=2) == 2  # warn_assignee and breach_department_head
    assert titles("technician_a") == [f"已超时：工单 {work_order.number}（卧室吸顶灯不亮）"]
    assert sweep(sh(2026, 3, 12, 9, 4)) == 0
    assert len(titles("technician_a")) == 1  # once
    warned = TimelineEvent.objects.get(request=request, action="warn_assignee")
    assert warned.data["overdue"] is True


def test_a_warning_in_time_is_still_a_warning(world):
    request = submit(world, now=sh(2026, 3, 10, 9, 0))
    work_order = dispatched(world, request, now=sh(2026, 3, 10, 9, 1))
    act(work_order, world.users["technician_a"], "accept", now=sh(2026, 3, 10, 9, 5))
    assert sweep(sh(2026, 3, 11, 23, 24)) == 1
    assert titles("technician_a") == [f"即将超时：工单 {work_order.number}（卧室吸顶灯不亮）"]


def test_the_assignee_who_heads_the_department_gets_one_overdue_notice_not_two(world):
    head = department_head(world)
    request = submit(world, now=sh(2026, 3, 10, 9, 0))
    work_order = order(world, request, now=sh(2026, 3, 10, 9, 1))
    act(work_order, world.users["agent_a"], "dispatch", now=sh(2026, 3, 10, 9, 1), assignee_id=head.pk)
    act(work_order, head, "accept", now=sh(2026, 3, 10, 9, 5))
    # Warning missed and breach due in the same sweep, both to the head: one overdue notice.
    assert sweep(sh(2026, 3, 12, 9, 3)) == 2
    assert inbox()[head.username] == 1


def test_a_pooled_order_nobody_grabs_is_escalated_and_the_department_is_warned(world):
    request = submit(world, now=sh(2026, 3, 10, 9, 0))
    work_order = order(world, request, now=sh(2026, 3, 10, 9, 0))
    act(work_order, world.users["agent_a"], "pool", now=sh(2026, 3, 10, 9, 1))
    assert sweep(sh(2026, 3, 10, 9, 30)) == 1
    assert inbox() == {"agent_a": 1}
    assert sweep(sh(2026, 3, 11, 23, 24)) == 1
    assert inbox() == {"agent_a": 1, "technician_a": 1}  # everyone of engineering, nobody holds it yet


def test_an_order_made_after_the_accept_deadline_gets_half_an_hour_then_reaches_the_dispatcher(world):
    # Received after hours: accept by 09:00 the next morning. The order is only created and dispatched at 09:10:
    # the technician gets 30 minutes to accept it rather than an escalation on the spot.
    request = submit(world, now=sh(2026, 3, 10, 20, 0))
    work_order = dispatched(world, request, now=sh(2026, 3, 11, 9, 10))
    WorkOrder.objects.filter(pk=work_order.pk).update(created_at=sh(2026, 3, 11, 9, 10))
    assert work_order.respond_by == sh(2026, 3, 11, 9, 40)
    assert sweep(sh(2026, 3, 11, 9, 39), times=2) == 0
    assert sweep(sh(2026, 3, 11, 9, 40), times=2) == 1
    assert inbox() == {"agent_a": 1}
    work_order.refresh_from_db()
    assert work_order.next_escalation_at > sh(2026, 3, 11, 9, 40)  # not picked up again every minute


def test_a_company_ladder_replaces_the_default(world):
    ServicePolicy.objects.create(company=world.company, ladder=[
        {"key": "breach_pm_at_once", "recipient": "project_manager", "anchor": "deadline", "offset_minutes": 0}])
    request = submit(world, now=sh(2026, 3, 10, 9, 0))
    work_order = dispatched(world, request, now=sh(2026, 3, 10, 9, 1))
    act(work_order, world.users["technician_a"], "accept", now=sh(2026, 3, 10, 9, 2))
    assert sweep(sh(2026, 3, 11, 23, 24)) == 0  # no warning rung in this ladder
    assert sweep(sh(2026, 3, 12, 9, 0), times=2) == 1
    assert inbox() == {"pm_a": 1}
    assert sweep(sh(2026, 3, 13, 9, 0)) == 0


# -- important complaints: the project manager acknowledges within the hour -----------------------------------------

def test_an_unacknowledged_important_complaint_goes_to_the_branch_leadership_once(world):
    request = complaint(world, now=sh(2026, 3, 10, 21, 0), severity="important")
    for minute in range(0, 60, 5):
        assert sweep(sh(2026, 3, 10, 21, minute)) == 0
    assert sweep(sh(2026, 3, 10, 21, 59)) == 0
    assert sweep(sh(2026, 3, 10, 22, 0), times=3) == 1
    assert sweep(sh(2026, 3, 10, 23, 0)) == 0
    assert inbox() == {"leader_east": 1}
    assert timeline(request) == ["unacknowledged_branch_leader"]
    assert request.number in Notification.objects.get(recipient=world.users["leader_east"]).title


def test_an_important_complaint_acknowledged_in_time_escalates_to_nobody(world):
    request = complaint(world, now=sh(2026, 3, 10, 21, 0), severity="important")
    request_acknowledge(request=request, actor=world.users["pm_a"], now=sh(2026, 3, 10, 21, 40))
    for now in (sh(2026, 3, 10, 22, 0), sh(2026, 3, 10, 23, 0), sh(2026, 3, 12, 9, 0)):
        assert sweep(now) == 0
    assert inbox() == {}
    assert not Notification.objects.filter(recipient=world.users["leader_east"]).exists()
    assert timeline(request) == []
    request.refresh_from_db()
    assert request.acknowledged_at == sh(2026, 3, 10, 21, 40)


def test_a_reopened_order_gets_a_new_clock_and_its_ladder_starts_over(world):
    request = submit(world, now=sh(2026, 3, 10, 9, 0))
    work_order = dispatched(world, request, now=sh(2026, 3, 10, 9, 1))
    tech, agent = world.users["technician_a"], world.users["agent_a"]
    act(work_order, tech, "accept", now=sh(2026, 3, 10, 9, 5))
    act(work_order, tech, "complete", now=sh(2026, 3, 10, 11, 0), result="已修好", signature=SIGNATURE)
    # A week later the tap drips again: reopened long after the first deadline (2026-03-12 09:00).
    reopened = act(work_order, agent, "reopen", now=sh(2026, 3, 17, 10, 0), reason="住户反映又开始滴水")
    assert reopened.status == "dispatched" and reopened.escalations_sent == []
    assert reopened.resolve_by == sh(2026, 3, 19, 10, 0)  # 48 hours from the reopening
    assert sweep(sh(2026, 3, 17, 10, 1), times=2) == 0  # no burst of stale escalations
    assert sweep(sh(2026, 3, 17, 10, 30)) == 1 and inbox() == {"agent_a": 1}  # not accepted in 30 minutes


def test_a_request_nothing_was_dispatched_for_reaches_the_project_manager_at_its_deadline(world):
    forgotten = complaint(world, now=sh(2026, 3, 10, 10, 0), severity="minor")  # resolve by 03-12 10:00
    handled = complaint(world, now=sh(2026, 3, 10, 10, 0), severity="minor", description="垃圾清运不及时")
    order(world, handled, now=sh(2026, 3, 10, 10, 5))  # this one has a work order: its own ladder applies
    sweep(sh(2026, 3, 12, 9, 59), times=2)
    assert timeline(forgotten) == [] and "pm_a" not in inbox()
    sweep(sh(2026, 3, 12, 10, 0), times=3)
    assert timeline(forgotten) == ["unhandled_project_manager"]
    assert "unhandled_project_manager" not in timeline(handled)
    assert Notification.objects.filter(recipient=world.users["pm_a"], title__contains=forgotten.number).count() == 1
    forgotten.refresh_from_db()
    assert forgotten.next_escalation_at is None  # sent once; nothing more to watch at request level


# -- one person, one notice per event ---------------------------------------------------------------------------------

def _pm_heads_engineering(world):
    from .helpers import engineering

    department = engineering(world)
    department.head = world.users["pm_a"]
    department.save(update_fields=["head"])


def test_a_project_manager_who_heads_the_department_gets_one_overdue_notice(world):
    """Breach reaches the department head (pm_a), two hours later the project manager (pm_a again): one notice."""
    _pm_heads_engineering(world)
    request = submit(world, now=sh(2026, 3, 10, 9, 0))
    work_order = dispatched(world, request, now=sh(2026, 3, 10, 9, 1))
    act(work_order, world.users["technician_a"], "accept", now=sh(2026, 3, 10, 9, 10))
    assert sweep(sh(2026, 3, 12, 9, 0)) == 2  # the warning to the technician, then the breach to the head
    assert sweep(sh(2026, 3, 12, 11, 0)) == 1  # breach + 2 h: the project manager's rung
    assert inbox()["pm_a"] == 1
    overdue = Notification.objects.get(recipient=world.users["pm_a"], kind="escalation")
    assert overdue.title.startswith("已超时") or overdue.title.startswith("Overdue")
    # Both rungs are on the timeline all the same: the ladder ran, the person was told once.
    assert timeline(request) == ["warn_assignee", "breach_department_head", "breach_project_manager"]


def test_a_late_sweep_sending_both_rungs_at_once_tells_the_manager_once(world):
    _pm_heads_engineering(world)
    request = submit(world, now=sh(2026, 3, 10, 9, 0))
    work_order = dispatched(world, request, now=sh(2026, 3, 10, 9, 1))
    act(work_order, world.users["technician_a"], "accept", now=sh(2026, 3, 10, 9, 10))
    assert sweep(sh(2026, 3, 13, 9, 0), times=2) == 4
    assert inbox() == {"technician_a": 1, "pm_a": 1, "leader_east": 1}


def test_a_reopened_order_that_breaches_again_is_news_again(world):
    _pm_heads_engineering(world)
    request = submit(world, now=sh(2026, 3, 10, 9, 0))
    work_order = dispatched(world, request, now=sh(2026, 3, 10, 9, 1))
    act(work_order, world.users["technician_a"], "accept", now=sh(2026, 3, 10, 9, 10))
    sweep(sh(2026, 3, 12, 11, 0))
    assert inbox()["pm_a"] == 1
    act(work_order, world.users["technician_a"], "complete", now=sh(2026, 3, 12, 12, 0), result="已更换灯管",
        signature=SIGNATURE)
    act(work_order, world.users["pm_a"], "reopen", now=sh(2026, 3, 13, 9, 0), reason="住户反映灯又不亮了")
    sweep(sh(2026, 3, 20, 9, 0))
    assert inbox()["pm_a"] == 2  # the second breach, after the reopening, is a second event
