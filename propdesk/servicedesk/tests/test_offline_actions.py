"""Actions a technician took offline (助这儿's queue), sent later through POST /api/desk/work-orders/{id}/actions/
{action} with the order's state as the phone saw it and an Idempotency-Key: applied when nothing changed, refused
with a 409 naming the change (and nothing written) when the order changed meanwhile, applied once however often the
phone retries."""

import pytest

from propdesk.core.testing import assert_json_error, make_user
from propdesk.servicedesk.models import TimelineEvent, WorkOrder
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

from .test_api import ORDERS, SIGNATURE, engineering, post, recorded

KEY = {"Idempotency-Key": "c0ffee00-1111-4222-8333-444455556666"}


def queued(client, wo, action, *, status, assignee, key=KEY, **data):
    """What the phone sends for an action it queued while the order was ``status`` and ``assignee``'s."""
    return post(client, f"{ORDERS}/{wo.pk}/actions/{action}",
                {**data, "expected_status": status, "expected_assignee_id": assignee.pk if assignee else None},
                headers=key)


@pytest.fixture
def order(world):
    """刘师傅's dispatched order for 周美玲's blocked floor drain."""
    return recorded(world).work_orders.get()


@pytest.fixture
def tech(world, login):
    return login(world.users["technician_a"])


def writes(wo) -> tuple:
    wo.refresh_from_db()
    return wo.status, wo.assignee_id, TimelineEvent.objects.filter(request=wo.request).count()


def test_an_action_queued_on_an_unchanged_order_is_applied(world, tech, order):
    response = queued(tech, order, "accept", status="dispatched", assignee=world.users["technician_a"])
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    event = TimelineEvent.objects.get(work_order=order, action="accept")
    assert event.actor == world.users["technician_a"] and event.data["idempotency_key"] == KEY["Idempotency-Key"]


def test_a_retry_with_the_same_key_is_applied_once(world, tech, order):
    me = world.users["technician_a"]
    first = queued(tech, order, "accept", status="dispatched", assignee=me)
    before = writes(order)
    # The answer was lost on a weak signal: the phone sends the same action again, with what it saw then.
    again = queued(tech, order, "accept", status="dispatched", assignee=me)
    assert (first.status_code, again.status_code) == (200, 200), again.content
    assert again.json()["status"] == "accepted" and again.json()["id"] == order.pk
    assert writes(order) == before
    assert TimelineEvent.objects.filter(work_order=order, action="accept").count() == 1


def test_the_same_key_for_another_action_is_refused(world, tech, order):
    me = world.users["technician_a"]
    assert queued(tech, order, "accept", status="dispatched", assignee=me).status_code == 200
    before = writes(order)
    body = assert_json_error(queued(tech, order, "arrive", status="accepted", assignee=me), 422)
    assert "Idempotency-Key" in body["extra"]["fields"]
    assert writes(order) == before


def test_a_completed_retry_does_not_count_the_used_code_as_wrong(world, tech, order):
    me = world.users["technician_a"]
    for action in ("accept", "arrive"):
        workorder_act(work_order=order, actor=me, action=action)
    done = queued(tech, order, "complete", status="on_site", assignee=me, result="疏通地漏，灌水试验通畅",
                  signature=SIGNATURE)
    assert done.status_code == 200, done.content
    again = queued(tech, order, "complete", status="on_site", assignee=me, result="疏通地漏，灌水试验通畅",
                   signature=SIGNATURE)
    assert again.status_code == 200 and again.json()["status"] == "completed"
    assert TimelineEvent.objects.filter(work_order=order, action="complete").count() == 1


def test_an_order_reassigned_meanwhile_refuses_the_queued_action_naming_who_has_it(world, tech, order):
    colleague = make_user("technician_a2", role="technician", department=engineering(world.project_a),
                          project=world.project_a, display_name="王师傅")
    workorder_act(work_order=order, actor=world.users["agent_a"], action="reassign", assignee_id=colleague.pk,
                  reason="刘师傅在另一栋抢修")
    before = writes(order)
    response = queued(tech, order, "accept", status="dispatched", assignee=world.users["technician_a"])
    body = assert_json_error(response, 409)
    assert body["extra"]["code"] == "changed" and body["extra"]["changes"] == ["reassigned"]
    assert body["extra"]["assignee_name"] == "王师傅"
    assert "王师傅" in body["message"] and order.number in body["message"]
    assert writes(order) == before  # nothing written: no accept, no timeline entry


def test_an_order_cancelled_meanwhile_is_refused_in_chinese(world, tech, order):
    me = world.users["technician_a"]
    workorder_act(work_order=order, actor=me, action="accept")
    workorder_act(work_order=order, actor=world.users["agent_a"], action="cancel", reason="住户已自行修好")
    before = writes(order)
    tech.cookies["django_language"] = "zh-hans"
    response = queued(tech, order, "arrive", status="accepted", assignee=me,
                      headers={"Accept-Language": "zh-hans", **KEY})
    body = assert_json_error(response, 409)
    assert body["extra"]["changes"][0] == "cancelled" and body["extra"]["status"] == "cancelled"
    assert "撤销" in body["message"] and "到场" in body["message"], body["message"]
    assert writes(order) == before


def test_an_order_completed_meanwhile_refuses_the_hold(world, tech, order):
    me = world.users["technician_a"]
    for action in ("accept", "arrive"):
        workorder_act(work_order=order, actor=me, action=action)
    # Completed from the console on the resident's signature while the phone was in the basement.
    workorder_act(work_order=order, actor=me, action="complete", result="疏通地漏", signature=SIGNATURE)
    before = writes(order)
    body = assert_json_error(queued(tech, order, "hold", status="on_site", assignee=me, hold_reason="parts",
                                    reason="等配件"), 409)
    assert body["extra"]["changes"] == ["completed"]
    assert writes(order) == before


def test_another_state_than_seen_is_refused_even_if_the_action_would_be_allowed(world, tech, order):
    me = world.users["technician_a"]
    for action in ("accept", "arrive"):
        workorder_act(work_order=order, actor=me, action=action)
    workorder_act(work_order=order, actor=me, action="hold", hold_reason="not_home", reason="住户不在家")
    workorder_act(work_order=order, actor=me, action="resume")
    before = writes(order)
    # The phone still showed "on hold" and queued "resume"; the order was resumed from elsewhere and is on site.
    body = assert_json_error(queued(tech, order, "resume", status="on_hold", assignee=me), 409)
    assert body["extra"]["changes"] == ["status"]
    assert writes(order) == before


def test_a_pooled_order_grabbed_by_a_colleague_is_refused(world, tech, order):
    colleague = make_user("technician_a2", role="technician", department=engineering(world.project_a),
                          project=world.project_a, display_name="王师傅")
    sr = order.request
    pooled = workorder_create(request=sr, department=engineering(world.project_a), actor=world.users["agent_a"])
    workorder_act(work_order=pooled, actor=world.users["agent_a"], action="pool")
    workorder_act(work_order=pooled, actor=colleague, action="grab")
    body = assert_json_error(queued(tech, pooled, "grab", status="pooled", assignee=None), 409)
    assert body["extra"]["changes"][0] == "reassigned" and "王师傅" in body["message"]
    assert WorkOrder.objects.get(pk=pooled.pk).assignee == colleague


def test_without_what_was_seen_the_action_is_judged_as_before(world, tech, order):
    """The console and integrations send no expected state: the transition table alone decides, as before."""
    assert post(tech, f"{ORDERS}/{order.pk}/actions/accept").status_code == 200
    assert_json_error(post(tech, f"{ORDERS}/{order.pk}/actions/accept"), 409)


def test_an_unknown_expected_status_is_a_field_error(world, tech, order):
    response = post(tech, f"{ORDERS}/{order.pk}/actions/accept", {"expected_status": "gone"})
    assert response.status_code in (400, 422)
    assert order.events.filter(action="accept").count() == 0
