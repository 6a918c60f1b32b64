"""The violations API: record (multipart with photos), notice, follow-up, escalate, refer, close, report."""

import json
from datetime import timedelta

import pytest

from propdesk.core.testing import TEST_NOW, assert_json_error
from propdesk.violations.models import Violation

from .conftest import jpeg, notify, record

pytestmark = pytest.mark.django_db
BASE = "/api/violations/"


def test_record_through_the_api_with_a_photo_and_without(world, login):
    client = login(world.users["steward_a"])
    data = {"kind": "fire_lane", "description": "3号楼东侧消防通道堆放纸箱", "location": "3号楼东侧"}
    body = assert_json_error(client.post(BASE, {"data": json.dumps(data)}), 400)
    assert "photos" in body["extra"]["fields"]
    response = client.post(BASE, {"data": json.dumps(data), "photos": [jpeg()]})
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["kind"] == "fire_lane" and out["status"] == "open" and len(out["photo_ids"]) == 1
    assert out["timeline"][0]["what"] == "recorded"
    assert_json_error(client.post(BASE, {"data": "not json"}), 400)


def test_the_steps_and_their_refusals(world, login):
    violation = record(world)
    steward = login(world.users["steward_a"])
    url = f"{BASE}{violation.pk}"
    past = (TEST_NOW - timedelta(days=1)).date().isoformat()
    body = assert_json_error(steward.post(f"{url}/notices", {"text": "请整改", "deadline": past},
                                          content_type="application/json"), 400)
    assert "deadline" in body["extra"]["fields"]
    later = (TEST_NOW + timedelta(days=5)).date().isoformat()
    ok = steward.post(f"{url}/notices", {"text": "请整改", "deadline": later, "channel": "app"},
                      content_type="application/json")
    assert ok.status_code == 201 and ok.json()["status"] == "notified" and len(ok.json()["notices"]) == 1
    assert_json_error(steward.post(f"{url}/escalate", {"reason": "拒不整改"}, content_type="application/json"), 403)
    fixed = steward.post(f"{url}/follow-ups", {"fixed": "true", "note": "已拆除", "photos": [jpeg("拆除后.jpg")]})
    assert fixed.status_code == 201 and fixed.json()["status"] == "rectified"
    assert len(fixed.json()["follow_ups"][0]["photo_ids"]) == 1
    closed = steward.post(f"{url}/close", {"outcome": "业主已自行拆除"}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    # A follow-up on a closed violation: 409, nothing written.
    assert_json_error(steward.post(f"{url}/follow-ups", {"fixed": "false", "note": "又搭了"}), 409)
    assert violation.follow_ups.count() == 1


def test_escalate_and_refer_are_the_pms(world, login):
    violation = record(world)
    notify(world, violation)
    pm = login(world.users["pm_a"])
    url = f"{BASE}{violation.pk}"
    assert_json_error(pm.post(f"{url}/refer", {"authority": "police", "note": "x"},
                              content_type="application/json"), 409)  # not escalated yet
    assert pm.post(f"{url}/escalate", {"reason": "业主拒不整改"}, content_type="application/json").status_code == 200
    body = assert_json_error(pm.post(f"{url}/refer", {"authority": "army", "note": "请处理"},
                                     content_type="application/json"), 400)
    assert "authority" in body["extra"]["fields"]
    referred = pm.post(f"{url}/refer", {"authority": "housing", "note": "请住建部门处理违法建设"},
                       content_type="application/json")
    assert referred.json()["status"] == "referred" and referred.json()["referral_authority"] == "housing"


def test_another_projects_violation_is_a_404_and_the_list_stays_in_scope(world, login):
    theirs = record(world, project=world.project_b, user="agent_b", room_code="3-1-101")
    mine = record(world)
    client = login(world.users["pm_a"])
    assert_json_error(client.get(f"{BASE}{theirs.pk}"), 404)
    assert_json_error(client.post(f"{BASE}{theirs.pk}/close", {"outcome": "x"}, content_type="application/json"), 404)
    assert [row["id"] for row in client.get(BASE).json()] == [mine.pk]
    report = client.get(f"{BASE}report").json()
    assert report["total"] == 1 and report["totals"]["construction"] == 1


def test_dashboard_figures_in_one_query(world, django_assert_num_queries):
    from propdesk.violations.selectors import dashboard_figures

    late = record(world, now=TEST_NOW - timedelta(days=9))
    notify(world, late, days=2, now=TEST_NOW - timedelta(days=9))
    record(world, kind="noise")
    with django_assert_num_queries(1):
        figures = {f["key"]: f for f in dashboard_figures(project_ids=[world.project_a.pk], now=TEST_NOW)}
    assert figures["violations_open"]["value"] == 2
    assert figures["violations_overdue"]["value"] == 1 and figures["violations_overdue"]["alert"]
    assert figures["violations_referred"]["value"] == 0
    assert Violation.objects.count() == 2


def test_a_residents_report_becomes_a_violation_and_another_projects_report_is_refused(world, login):
    from propdesk.servicedesk.services.requests import RequestInput, request_submit

    def report(project, agent, room_code):
        return request_submit(actor=world.users[agent], project=project, now=TEST_NOW, data=RequestInput(
            channel="phone", kind="complaint", severity="minor", complaint_category="property",
            description="楼上每晚十二点后还在拖家具，噪音很大", room_id=world.room(project, room_code).pk,
            contact_name="周美玲", contact_phone="13812345678"))

    ours, theirs = report(world.project_a, "agent_a", "3-2-1802"), report(world.project_b, "agent_b", "3-1-101")
    client = login(world.users["agent_a"])
    data = {"kind": "noise", "description": "19楼住户深夜噪音扰民", "room_code": "3-2-1802"}
    body = assert_json_error(client.post(BASE, {"data": json.dumps({**data, "request_id": theirs.pk}),
                                                "photos": [jpeg()]}), 400)
    assert "request_id" in body["extra"]["fields"] and not Violation.objects.exists()
    response = client.post(BASE, {"data": json.dumps({**data, "request_id": ours.pk}), "photos": [jpeg()]})
    assert response.status_code == 201, response.content
    assert response.json()["source"] == "resident" and response.json()["request_id"] == ours.pk
