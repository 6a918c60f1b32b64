"""Incidents: several requests about one cause (a building without water). An update reaches every reporter once;
closing the incident answers every linked request with the same reply."""

import pytest
from django.urls import reverse

from propdesk.core.errors import ApplicationError
from propdesk.notify.models import Notification, OutboxMessage
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.servicedesk.models import Incident, IncidentUpdate, ServiceRequest, TimelineEvent
from propdesk.servicedesk.services.incidents import incident_close, incident_create, incident_link, incident_update
from propdesk.servicedesk.services.requests import RequestInput, request_reply, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

SIGNATURE = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
             "awAAAABJRU5ErkJggg==")


def report(world, resident_key, room_code, *, project=None, kind="repair", **extra):
    project = project or world.project_a
    resident = world.residents[resident_key]
    return request_submit(actor=world.users["agent_a" if project == world.project_a else "agent_b"], project=project,
                          data=RequestInput(channel="phone", kind=kind, description="家里停水了，什么时候来水？",
                                            reporter_id=resident.pk, room_id=world.room(project, room_code).pk,
                                            **extra))


@pytest.fixture
def outage(world):
    """Building 3 without water: the owner of 3-2-1802 calls twice, a family member of the same home once (own
    phone), and the tenant of 5-1-301 (a landline) once."""
    requests = [report(world, "a_owner", "3-2-1802"), report(world, "a_owner", "3-2-1802"),
                report(world, "a_family", "3-2-1802"), report(world, "a_tenant", "5-1-301")]
    incident = incident_create(project=world.project_a, title="3号楼停水", description="主管爆裂，正在抢修",
                               actor=world.users["agent_a"])
    for sr in requests:
        incident_link(incident=incident, request=sr, actor=world.users["agent_a"])
    return incident, requests


def test_an_update_reaches_every_reporter_once(world, login, outage):
    incident, requests = outage
    agent = login(world.users["agent_a"])
    text = "抢修中，预计18:00恢复供水"
    agent.post(reverse("servicedesk:incident_update", args=[incident.pk]), {"text": text})
    sms = OutboxMessage.objects.filter(channel="sms", template="incident_update", params__text=text)
    assert sorted(sms.values_list("to", flat=True)) == ["13812345678", "13900001111"]  # the landline gets none
    assert Notification.objects.filter(recipient=world.users["resident_a"], title=text).count() == 1
    for sr in requests:
        assert TimelineEvent.objects.filter(request=sr, kind="incident", action="update", message=text).count() == 1
    assert IncidentUpdate.objects.get(text=text).reached == 2
    response = agent.get(reverse("servicedesk:incident_detail", args=[incident.pk]))
    assert any(requests[3].number in str(m) for m in response.context["messages"])  # the landline: call them

    later = "管道已修复，正在恢复供水"
    agent.post(reverse("servicedesk:incident_update", args=[incident.pk]), {"text": later})
    assert OutboxMessage.objects.filter(params__text=later).count() == 2
    assert OutboxMessage.objects.filter(params__text=text).count() == 2  # the first update was not sent again
    page = agent.get(reverse("servicedesk:incident_detail", args=[incident.pk])).content.decode()
    assert text in page and later in page and all(sr.number in page for sr in requests)


def test_closing_the_incident_replies_to_every_linked_request(world, login, outage):
    incident, requests = outage
    agent_user, tech = world.users["agent_a"], world.users["technician_a"]
    first, second, third, fourth = requests
    # One request has work still under way; one was answered and closed before.
    engineering = Department.objects.get(project=world.project_a, kind=DepartmentKind.ENGINEERING)
    wo = workorder_create(request=third, department=engineering, actor=agent_user)
    workorder_act(work_order=wo, actor=agent_user, action="dispatch", assignee_id=tech.pk)
    workorder_act(work_order=wo, actor=tech, action="accept")
    request_reply(request=fourth, actor=agent_user, text="已电话告知停水原因")

    agent = login(agent_user)
    reply = "3号楼供水已于17:40恢复，给您带来不便深表歉意"
    agent.post(reverse("servicedesk:incident_close", args=[incident.pk]), {"reply": reply})
    incident.refresh_from_db()
    assert not incident.is_open and incident.closed_at is not None
    for sr in (first, second, third):
        sr.refresh_from_db()
        assert sr.reply == reply and sr.replied_at is not None
    assert first.status == second.status == "closed"
    assert third.status == "in_progress"  # answered, closes when its work is done
    fourth.refresh_from_db()
    assert fourth.reply == "已电话告知停水原因"  # already closed: not answered twice
    workorder_act(work_order=wo, actor=tech, action="complete", result="阀门已开启，来水正常", signature=SIGNATURE)
    third.refresh_from_db()
    assert third.status == "closed"
    replies = OutboxMessage.objects.filter(channel="sms", template="request_reply", params__text=reply)
    assert replies.count() == 3  # each open request's reply
    # A closed incident takes no more updates.
    with pytest.raises(ApplicationError):
        incident_update(incident=incident, text="再次通知", actor=agent_user)


def test_linked_complaints_need_a_validity_verdict_to_close(world, outage):
    incident, _requests = outage
    complaint = report(world, "a_owner", "3-2-1802", kind="complaint", complaint_category="property",
                       severity="minor")
    incident_link(incident=incident, request=complaint, actor=world.users["agent_a"])
    with pytest.raises(ApplicationError) as refused:
        incident_close(incident=incident, reply="已恢复供水", actor=world.users["agent_a"])
    assert "complaint_valid" in refused.value.field_errors
    assert Incident.objects.get(pk=incident.pk).is_open
    incident_close(incident=incident, reply="已恢复供水", actor=world.users["agent_a"], complaint_valid=True)
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.complaint_valid is True and complaint.root_cause == "3号楼停水"


def test_only_requests_of_the_same_project_are_linked(world, login, outage):
    incident, _requests = outage
    elsewhere = report(world, "b_owner", "3-1-101", project=world.project_b)
    with pytest.raises(ApplicationError):
        incident_link(incident=incident, request=elsewhere, actor=world.users["admin"])
    agent = login(world.users["agent_a"])
    agent.post(reverse("servicedesk:incident_add_request", args=[incident.pk]), {"number": elsewhere.number})
    assert ServiceRequest.objects.get(pk=elsewhere.pk).incident_id is None
    other = login(world.users["agent_b"])
    assert other.get(reverse("servicedesk:incident_detail", args=[incident.pk])).status_code == 404
    assert other.post(reverse("servicedesk:request_incident", args=[elsewhere.pk]),
                      {"incident_id": incident.pk}).status_code == 404
    assert ServiceRequest.objects.get(pk=elsewhere.pk).incident_id is None


def test_link_from_the_request_page(world, login):
    sr = report(world, "a_tenant", "5-1-301")
    agent = login(world.users["agent_a"])
    page = agent.get(reverse("servicedesk:request_detail", args=[sr.pk])).content.decode()
    assert 'id="incident-panel"' in page
    agent.post(reverse("servicedesk:request_incident", args=[sr.pk]), {"title": "5号楼电梯停运"})
    sr.refresh_from_db()
    assert sr.incident.title == "5号楼电梯停运" and sr.incident.project == world.project_a
    other = report(world, "a_owner", "3-2-1802")
    page = agent.get(reverse("servicedesk:request_detail", args=[other.pk])).content.decode()
    assert 'id="incident-link-form"' in page and "5号楼电梯停运" in page
    agent.post(reverse("servicedesk:request_incident", args=[other.pk]), {"incident_id": sr.incident_id})
    other.refresh_from_db()
    assert other.incident_id == sr.incident_id
    agent.post(reverse("servicedesk:request_incident", args=[other.pk]), {"unlink": "1"})
    other.refresh_from_db()
    assert other.incident_id is None
    assert list(TimelineEvent.objects.filter(request=other, kind="incident").values_list("action", flat=True)) == [
        "link", "unlink"]


def test_only_dispatchers_manage_incidents(world, login, outage):
    incident, _requests = outage
    tech = login(world.users["technician_a"])
    assert tech.post(reverse("servicedesk:incident_update", args=[incident.pk]), {"text": "x"}).status_code == 403
    assert tech.post(reverse("servicedesk:incident_close", args=[incident.pk]), {"reply": "x"}).status_code == 403
    assert tech.post(reverse("servicedesk:incident_list"), {"project": world.project_a.pk,
                                                            "title": "x"}).status_code == 403
    assert not IncidentUpdate.objects.exists() and Incident.objects.count() == 1
    with pytest.raises(ApplicationError):
        incident_create(project=world.project_a, title="x", actor=world.users["technician_a"])
    agent = login(world.users["agent_a"])
    agent.post(reverse("servicedesk:incident_list"), {"project": world.project_a.pk, "title": "地库积水"})
    assert Incident.objects.filter(title="地库积水", created_by=world.users["agent_a"]).exists()
    page = agent.get(reverse("servicedesk:incident_list")).content.decode()
    assert "3号楼停水" in page and "地库积水" in page
