"""services/resident_actions.py with explicit times: hurries counted, spaced and escalated one step on the second;
cancel before anyone is on the way; confirm in the app; nobody but the reporter may act."""

from datetime import timedelta

import pytest
from django.urls import reverse

from propdesk.core.errors import ApplicationError, NotFound
from propdesk.core.testing import make_user
from propdesk.notify.models import Notification
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent, WorkOrder
from propdesk.servicedesk.services.requests import UNHANDLED_RUNG
from propdesk.servicedesk.services.resident_actions import (
    request_cancel_by_resident,
    request_hurry,
    workorder_confirm_in_app,
)
from propdesk.servicedesk.services.workorders import workorder_act

from .helpers import SIGNATURE, department_head, order, sh, submit

pytestmark = pytest.mark.django_db
START = sh(2026, 11, 23, 9, 0)


def accepted(world):
    request = submit(world, now=START)
    wo = order(world, request, now=START)
    workorder_act(work_order=wo, actor=world.users["agent_a"], action="dispatch",
                  assignee_id=world.users["technician_a"].pk, now=START)
    workorder_act(work_order=wo, actor=world.users["technician_a"], action="accept", now=START)
    return request, WorkOrder.objects.get(pk=wo.pk)


def inbox(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).values_list("title", flat=True))


def test_each_hurry_is_counted_told_and_the_second_goes_one_step_up(world):
    head = department_head(world)
    request, wo = accepted(world)
    resident = world.users["resident_a"]
    request_hurry(request=request, actor=resident, now=START + timedelta(minutes=5))
    request.refresh_from_db()
    assert (request.hurry_count, request.last_hurried_at) == (1, START + timedelta(minutes=5))
    assert len(inbox(world.users["agent_a"], "resident_hurry")) == 1
    assert "第1次" in inbox(world.users["technician_a"], "resident_hurry")[0]
    told = Notification.objects.get(recipient=world.users["technician_a"], kind="resident_hurry")
    assert told.url == reverse("servicedesk:workorder_detail", args=[wo.pk])  # to their order's page
    assert not TimelineEvent.objects.filter(request=request, kind="escalation").exists()

    with pytest.raises(ApplicationError) as too_soon:  # 29 minutes later: refused, nothing counted
        request_hurry(request=request, actor=resident, now=START + timedelta(minutes=34))
    assert too_soon.value.status_code == 429 and "09:35" in str(too_soon.value.message)
    request.refresh_from_db()
    assert request.hurry_count == 1

    request_hurry(request=request, actor=resident, now=START + timedelta(minutes=35))
    escalation = TimelineEvent.objects.get(request=request, kind="escalation")
    # one step above the technician: the head of the department, recorded like a timed escalation, reason 住户催单
    assert escalation.action == "breach_department_head" and escalation.data["reason"] == "hurry"
    assert "住户催单" in escalation.message and escalation.work_order_id == wo.pk
    assert escalation.at == START + timedelta(minutes=35)
    assert inbox(head, "escalation") and "住户催单" in inbox(head, "escalation")[0]
    wo.refresh_from_db()
    assert wo.escalations_sent == ["breach_department_head"]  # the assignee's own reminder still comes on time

    request_hurry(request=request, actor=resident, now=START + timedelta(minutes=65))
    request.refresh_from_db()
    assert request.hurry_count == 3
    assert TimelineEvent.objects.filter(request=request, kind="escalation").count() == 1  # only the second
    assert TimelineEvent.objects.filter(request=request, kind="hurry").count() == 3


def test_a_second_hurry_with_nothing_dispatched_goes_to_the_project_manager(world):
    request = submit(world, now=START)
    request_hurry(request=request, actor=world.users["resident_a"], now=START)
    request_hurry(request=request, actor=world.users["resident_a"], now=START + timedelta(hours=1))
    request.refresh_from_db()
    assert UNHANDLED_RUNG in request.escalations_sent
    assert inbox(world.users["pm_a"], "escalation")


def test_no_hurry_on_a_finished_request(world):
    request, wo = accepted(world)
    workorder_act(work_order=wo, actor=world.users["technician_a"], action="complete", result="修好",
                  signature=SIGNATURE, now=START + timedelta(hours=1))
    with pytest.raises(ApplicationError) as done:
        request_hurry(request=request, actor=world.users["resident_a"], now=START + timedelta(hours=2))
    assert done.value.status_code == 409
    ServiceRequest.objects.filter(pk=request.pk).update(status="cancelled")
    with pytest.raises(ApplicationError):
        request_hurry(request=request, actor=world.users["resident_a"], now=START + timedelta(hours=2))
    assert ServiceRequest.objects.get(pk=request.pk).hurry_count == 0


def test_cancel_takes_the_waiting_orders_with_it_and_tells_the_agent(world):
    request = submit(world, now=START)
    wo = order(world, request, now=START)
    workorder_act(work_order=wo, actor=world.users["agent_a"], action="dispatch",
                  assignee_id=world.users["technician_a"].pk, now=START)
    with pytest.raises(ApplicationError) as no_reason:
        request_cancel_by_resident(request=request, actor=world.users["resident_a"], reason=" ", now=START)
    assert "reason" in no_reason.value.field_errors
    request_cancel_by_resident(request=request, actor=world.users["resident_a"], reason="自己修好了", now=START)
    request.refresh_from_db()
    wo.refresh_from_db()
    assert (request.status, wo.status, request.next_escalation_at, wo.next_escalation_at) == (
        "cancelled", "cancelled", None, None)
    assert inbox(world.users["agent_a"], "resident_cancel") and inbox(world.users["technician_a"], "resident_cancel")
    with pytest.raises(ApplicationError) as again:
        request_cancel_by_resident(request=request, actor=world.users["resident_a"], reason="再撤", now=START)
    assert again.value.status_code == 409


def test_no_cancel_once_someone_is_on_the_way(world):
    request, wo = accepted(world)
    with pytest.raises(ApplicationError) as refused:
        request_cancel_by_resident(request=request, actor=world.users["resident_a"], reason="不修了", now=START)
    assert refused.value.status_code == 409 and "客服中心" in str(refused.value.message)
    request.refresh_from_db()
    wo.refresh_from_db()
    assert (request.status, wo.status) == ("in_progress", "accepted")


def test_work_completed_for_the_app_is_confirmed_by_the_resident_once(world):
    request, wo = accepted(world)
    with pytest.raises(ApplicationError):  # not finished yet
        workorder_confirm_in_app(work_order=wo, actor=world.users["resident_a"], now=START)
    workorder_act(work_order=wo, actor=world.users["technician_a"], action="complete", result="更换灯管",
                  confirm_in_app=True, now=START + timedelta(hours=1))
    wo.refresh_from_db()
    assert wo.status == "completed" and wo.confirmation_method == "" and wo.confirmed_at is None
    workorder_confirm_in_app(work_order=wo, actor=world.users["resident_a"], now=START + timedelta(hours=2))
    wo.refresh_from_db()
    assert (wo.confirmation_method, wo.confirmed_at) == ("app", START + timedelta(hours=2))
    with pytest.raises(ApplicationError) as twice:
        workorder_confirm_in_app(work_order=wo, actor=world.users["resident_a"], now=START + timedelta(hours=3))
    assert twice.value.status_code == 409


def test_completing_for_the_app_needs_a_resident_with_an_app_account(world):
    request, wo = accepted(world)
    owner = world.residents["a_owner"]
    owner.user = None
    owner.save(update_fields=["user"])
    with pytest.raises(ApplicationError) as refused:
        workorder_act(work_order=wo, actor=world.users["technician_a"], action="complete", result="更换灯管",
                      confirm_in_app=True, now=START)
    assert "signature" in refused.value.field_errors
    assert WorkOrder.objects.get(pk=wo.pk).status == "accepted"


def test_nobody_but_the_reporter_acts_on_the_request(world):
    request, wo = accepted(world)
    neighbour = make_user("resident_tenant")
    world.residents["a_tenant"].user = neighbour
    world.residents["a_tenant"].save(update_fields=["user"])
    for actor in (neighbour, world.users["agent_a"]):
        with pytest.raises(NotFound):
            request_hurry(request=request, actor=actor, now=START)
        with pytest.raises(NotFound):
            request_cancel_by_resident(request=request, actor=actor, reason="x", now=START)
        with pytest.raises(NotFound):
            workorder_confirm_in_app(work_order=wo, actor=actor, now=START)
    assert ServiceRequest.objects.get(pk=request.pk).hurry_count == 0
