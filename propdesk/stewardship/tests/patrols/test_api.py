"""The patrol API: plans and checkpoints, a round by scan and multipart submit with a photo, the refusals (4xx JSON,
nothing written), another scope's ids (404), the report."""

import json

import pytest
import time_machine

from propdesk.core.testing import assert_json_error
from propdesk.org.models import CommonArea
from propdesk.servicedesk.models import ServiceRequest
from propdesk.stewardship.models import PatrolVisit

from .factories import NOW, area_patrol, jpeg, morning_round

pytestmark = pytest.mark.django_db
API = "/api/steward/patrols"


@pytest.fixture
def at_940():
    with time_machine.travel(NOW, tick=False):
        yield


def test_plans_and_checkpoints_crud(world, login, client, at_940):
    login(world.users["pm_a"])
    area = CommonArea.objects.create(project=world.project_a, kind="garage", name="地下车库B2")
    created = client.post(f"{API}/plans", {
        "project_id": world.project_a.pk, "name": "车库巡查", "windows": ["21:00-22:00"], "frequency": "weekly",
        "weekdays": [0, 3], "assignee_role": "steward"}, content_type="application/json")
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert created.json()["supervisor_id"] == world.users["pm_a"].pk
    point = client.post(f"{API}/plans/{plan_id}/checkpoints", {
        "name": "B2消防栓", "common_area_id": area.pk,
        "items": [{"text": "水带完好", "photo_required": True}]}, content_type="application/json")
    assert point.status_code == 201 and len(point.json()["token"]) >= 20
    assert_json_error(client.post(f"{API}/plans", {
        "project_id": world.project_a.pk, "name": "x", "windows": ["11:00-09:00"], "assignee_role": "steward"},
        content_type="application/json"), 400)
    assert_json_error(client.post(f"{API}/plans", {
        "project_id": world.project_b.pk, "name": "x", "windows": ["09:00-10:00"], "assignee_role": "steward"},
        content_type="application/json"), 400)
    changed = client.put(f"{API}/checkpoints/{point.json()['id']}", {
        "name": "B2消防栓（东）", "items": [{"text": "水带完好"}, {"text": "压力正常", "note_required": True}]},
        content_type="application/json")
    assert changed.status_code == 200 and len(changed.json()["items"]) == 2
    assert client.get(f"{API}/plans/{plan_id}").json()["checkpoints"][0]["name"] == "B2消防栓（东）"
    assert client.delete(f"{API}/checkpoints/{point.json()['id']}").status_code == 204
    login(world.users["agent_a"])
    assert_json_error(client.get(f"{API}/plans"), 403)


def test_a_round_through_the_api(world, login, client, at_940):
    plan = area_patrol(world)
    round_ = morning_round(plan)
    login(world.users["agent_a"])
    mine = client.get(f"{API}/rounds", {"mine": "true"}).json()
    assert [r["id"] for r in mine if r["window_start"].startswith("2026-11-23T01:30")] == [round_.pk]
    points = list(plan.checkpoints.all())
    assert_json_error(client.get(f"{API}/scan/{points[0].token}"), 409)  # not started
    assert client.post(f"{API}/rounds/{round_.pk}/start").status_code == 200
    assert_json_error(client.post(f"{API}/rounds/{round_.pk}/start"), 409)
    scanned = client.get(f"{API}/scan/{points[0].token}").json()
    assert scanned["round_id"] == round_.pk and scanned["checkpoint"]["id"] == points[0].pk
    url = f"{API}/rounds/{round_.pk}/checkpoints/{points[0].pk}"
    refused = assert_json_error(client.post(url, {"results": json.dumps([{"fine": False}, {"fine": True}])}), 400)
    assert set(refused["extra"]["fields"]) == {"note_0", "photo_0"}
    assert_json_error(client.post(url, {"results": "not json"}), 422)
    done = client.post(url, {"results": json.dumps([{"fine": False, "note": "地面积水"}, {"fine": True}]),
                             "photo_0": jpeg()})
    assert done.status_code == 201, done.content
    finding = done.json()["checkpoints"][0]["findings"][0]
    assert ServiceRequest.objects.get(pk=finding["request_id"]).channel == "patrol"
    assert_json_error(client.post(url, {"results": json.dumps([{"fine": True}, {"fine": True}])}), 409)
    assert PatrolVisit.objects.count() == 1
    finished = client.post(f"{API}/rounds/{round_.pk}/finish").json()
    assert finished["status"] == "on_time" and finished["checkpoints_done"] == 1


def test_another_scope_is_404(world, login, client, at_940):
    plan = area_patrol(world)
    round_ = morning_round(plan)
    login(world.users["agent_b"])
    assert_json_error(client.get(f"{API}/rounds/{round_.pk}"), 404)
    assert_json_error(client.post(f"{API}/rounds/{round_.pk}/start"), 404)
    assert_json_error(client.get(f"{API}/scan/{plan.checkpoints.first().token}"), 404)
    login(world.users["leader_east"])
    report = client.get(f"{API}/report", {"month": "2026-11"}).json()
    assert report["total"]["rounds"] == 2 and report["by_plan"][0]["label"].endswith("客服助理日常巡查")
