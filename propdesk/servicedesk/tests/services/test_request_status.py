"""A request 报事 is closed when its work is done and the resident has been answered — in either order; a reopened
order reopens the request, and withdrawing every order puts it back in the queue."""

import pytest

from propdesk.core.errors import ApplicationError
from propdesk.notify.models import OutboxMessage
from propdesk.servicedesk.models import TimelineEvent
from propdesk.servicedesk.services.requests import request_reply

from .helpers import SIGNATURE, act, dispatched, order, sh, submit

pytestmark = pytest.mark.django_db
RECEIVED = sh(2026, 3, 10, 9, 0)


def status_of(request):
    request.refresh_from_db()
    return request.status


def done(world, work_order, *, now):
    tech = world.users["technician_a"]
    work_order = act(work_order, tech, "accept", now=now)
    return act(work_order, tech, "complete", now=now, result="更换灯座，灯已亮", signature=SIGNATURE)


def test_closed_only_when_the_work_is_done_and_the_resident_answered(world):
    agent = world.users["agent_a"]
    request = submit(world, now=RECEIVED)
    assert status_of(request) == "open"
    work_order = dispatched(world, request, now=RECEIVED)
    assert status_of(request) == "in_progress"
    done(world, work_order, now=sh(2026, 3, 10, 11, 0))
    assert status_of(request) == "resolved" and request.closed_at is None  # done, not yet answered
    request_reply(request=request, actor=agent, text="灯座已更换，如有问题请随时联系", now=sh(2026, 3, 10, 11, 30))
    assert status_of(request) == "closed" and request.closed_at == sh(2026, 3, 10, 11, 30)
    with pytest.raises(ApplicationError):  # a closed request takes no second answer
        request_reply(request=request, actor=agent, text="再次答复", now=sh(2026, 3, 10, 12, 0))


def test_an_answer_before_the_work_is_done_closes_it_at_completion(world):
    request = submit(world, now=RECEIVED)
    work_order = dispatched(world, request, now=RECEIVED)
    request_reply(request=request, actor=world.users["agent_a"], text="师傅今天上午上门", now=sh(2026, 3, 10, 9, 5))
    assert status_of(request) == "in_progress"
    done(world, work_order, now=sh(2026, 3, 10, 11, 0))
    assert status_of(request) == "closed"


def test_a_request_waits_for_all_its_orders(world):
    request = submit(world, now=RECEIVED)
    first = dispatched(world, request, now=RECEIVED)
    second = dispatched(world, request, now=RECEIVED)
    request_reply(request=request, actor=world.users["agent_a"], text="两项维修均已安排", now=RECEIVED)
    done(world, first, now=sh(2026, 3, 10, 10, 0))
    assert status_of(request) == "in_progress"
    done(world, second, now=sh(2026, 3, 10, 11, 0))
    assert status_of(request) == "closed"


def test_reopening_a_completed_order_reopens_the_request_until_done_and_answered_again(world):
    agent = world.users["agent_a"]
    request = submit(world, now=RECEIVED)
    work_order = done(world, dispatched(world, request, now=RECEIVED), now=sh(2026, 3, 10, 11, 0))
    request_reply(request=request, actor=agent, text="已修好", now=sh(2026, 3, 10, 11, 30))
    assert status_of(request) == "closed"

    work_order = act(work_order, agent, "reopen", now=sh(2026, 3, 11, 8, 50), reason="业主来电：灯又不亮了")
    assert work_order.status == "dispatched" and work_order.assignee == world.users["technician_a"]
    assert work_order.completed_at is None and work_order.reopen_count == 1
    assert status_of(request) == "in_progress"
    assert request.closed_at is None and request.replied_at is None  # the old answer no longer closes it

    done(world, work_order, now=sh(2026, 3, 11, 10, 0))
    assert status_of(request) == "resolved"  # done again, but not answered again
    request_reply(request=request, actor=agent, text="已更换镇流器，灯正常", now=sh(2026, 3, 11, 10, 30))
    assert status_of(request) == "closed" and request.closed_at == sh(2026, 3, 11, 10, 30)

    statuses = list(TimelineEvent.objects.filter(request=request, kind="status").exclude(action="acknowledge")
                    .values_list("action", flat=True))
    assert statuses == ["in_progress", "resolved", "closed", "in_progress", "resolved", "closed"]
    # The resident is told "done" once per completion, not once in all.
    done_messages = OutboxMessage.objects.filter(dedupe_key__startswith=f"resident:{request.pk}:done-")
    assert done_messages.count() == 2


def test_cancelling_every_order_returns_the_request_to_the_queue(world):
    agent = world.users["agent_a"]
    request = submit(world, now=RECEIVED)
    first = dispatched(world, request, now=RECEIVED)
    second = order(world, request, now=RECEIVED)
    assert status_of(request) == "in_progress"
    act(first, agent, "cancel", now=sh(2026, 3, 10, 9, 30), reason="重复派单")
    assert status_of(request) == "open"  # the remaining order still waits for dispatch
    act(second, agent, "cancel", now=sh(2026, 3, 10, 9, 31), reason="业主自行处理")
    assert status_of(request) == "open" and request.closed_at is None


def test_a_cancelled_order_neither_holds_the_request_open_nor_finishes_it(world):
    agent = world.users["agent_a"]
    request = submit(world, now=RECEIVED)
    kept, withdrawn = dispatched(world, request, now=RECEIVED), dispatched(world, request, now=RECEIVED)
    request_reply(request=request, actor=agent, text="已安排", now=RECEIVED)
    act(withdrawn, agent, "cancel", now=sh(2026, 3, 10, 9, 30), reason="重复派单")
    assert status_of(request) == "in_progress"
    done(world, kept, now=sh(2026, 3, 10, 10, 0))
    assert status_of(request) == "closed"
