from datetime import timedelta

import pytest
from django.utils import timezone

from propdesk.core.testing import assert_json_error
from propdesk.duty.models import Log, LogComment

from .conftest import roster

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_duty_log_through_the_api(world, login, night_shift, technician2_a):
    tech = world.users["technician_a"]
    entry = roster(night_shift, tech, timezone.localdate() - timedelta(days=1))
    client = login(tech)
    created = client.post("/api/duty/logs", {"kind": "duty", "roster_entry_id": entry.pk}, content_type=JSON)
    assert created.status_code == 201, created.content
    log_id = created.json()["id"]
    assert client.post("/api/duty/logs", {"kind": "duty", "roster_entry_id": entry.pk},
                       content_type=JSON).status_code == 200
    updated = client.put(f"/api/duty/logs/{log_id}", {"body": "夜班：3栋水泵异响，已停机", "items": [
        {"text": "水泵轴承待更换", "request_number": "A-20261122-0009"}]}, content_type=JSON)
    assert updated.status_code == 200 and updated.json()["items"][0]["text"] == "水泵轴承待更换"
    assert client.post(f"/api/duty/logs/{log_id}/submit").json()["status"] == "submitted"
    assert_json_error(client.post(f"/api/duty/logs/{log_id}/acknowledge"), 409)  # not its author
    client = login(technician2_a)
    acknowledged = client.post(f"/api/duty/logs/{log_id}/acknowledge")
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged_by"] == "马师傅"
    assert_json_error(client.post(f"/api/duty/logs/{log_id}/acknowledge"), 409)
    client = login(world.users["pm_a"])
    commented = client.post(f"/api/duty/logs/{log_id}/comments", {"body": "尽快更换轴承"}, content_type=JSON)
    assert commented.status_code == 201 and commented.json()["comments"][0]["author"] == "陈志强"
    assert client.post(f"/api/duty/logs/{log_id}/sign").json()["status"] == "signed"
    listed = client.get("/api/duty/logs", {"unsigned": "false", "kind": "duty"}).json()
    assert [row["id"] for row in listed] == [log_id]


def test_bad_input_through_the_api(world, login):
    steward = world.users["steward_a"]
    client = login(steward)
    log_id = client.post("/api/duty/logs", {"kind": "work"}, content_type=JSON).json()["id"]
    assert_json_error(client.post(f"/api/duty/logs/{log_id}/sign"), 403)  # a steward signs nothing
    assert_json_error(client.put(f"/api/duty/logs/{log_id}", {"body": "x" * 4001}, content_type=JSON), 422)
    assert_json_error(client.put(f"/api/duty/logs/{log_id}", {"body": "好", "items": [{"text": "x", "id": 99999}]},
                                 content_type=JSON), 400)
    client.put(f"/api/duty/logs/{log_id}", {"body": "走访3户，均无诉求"}, content_type=JSON)
    client = login(world.users["pm_a"])
    assert_json_error(client.post(f"/api/duty/logs/{log_id}/sign"), 409)  # a draft
    login(steward).post(f"/api/duty/logs/{log_id}/submit")
    client = login(world.users["pm_a"])
    assert client.post(f"/api/duty/logs/{log_id}/sign").status_code == 200
    client = login(steward)
    body = assert_json_error(client.put(f"/api/duty/logs/{log_id}", {"body": "签阅后改"}, content_type=JSON), 409)
    assert "签阅" in body["message"]
    assert Log.objects.get(pk=log_id).body == "走访3户，均无诉求"
    # another scope's log is a 404, for reading and for commenting
    other = login(world.users["agent_b"])
    assert_json_error(other.get(f"/api/duty/logs/{log_id}"), 404)
    assert_json_error(other.post(f"/api/duty/logs/{log_id}/comments", {"body": "越权"}, content_type=JSON), 404)
    assert not LogComment.objects.exists()
