"""/api/notices: the resident's notices (paged, with ``read``; opening marks read) and the staff's publish, list,
detail and withdraw. Staff on the resident endpoints and residents on the staff endpoints: 403; another scope's or
household's notice: 404; bad input: 4xx naming the field, nothing written; a retried publication: once."""

import json
from datetime import timedelta

import pytest

from propdesk.core.testing import TEST_NOW, assert_json_error
from propdesk.notify.models import OutboxMessage

from ..models import Notice, NoticeRead
from .helpers import building, publish, unit

pytestmark = pytest.mark.django_db


def _post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def _body(world, **extra):
    return {"project_id": world.project_a.pk, "kind": "outage", "title": "3号楼明日停水",
            "body": "明日9:00-16:00停水，请提前储水。", "scope": "buildings",
            "building_ids": [building(world, world.project_a).pk], **extra}


def test_the_resident_lists_reads_and_marks(world, client):
    tip = publish(world, scope="project", kind="tip", title="冬季防冻温馨提示", pinned=True,
                  now=TEST_NOW - timedelta(hours=2))
    outage = publish(world, buildings=[building(world, world.project_a)], title="3号楼停水")
    other = publish(world, project=world.project_b, actor=world.users["agent_b"],
                    buildings=[building(world, world.project_b)], title="金桂苑停水")
    client.force_login(world.users["resident_a"])
    listing = client.get("/api/notices").json()
    assert listing["count"] == 2
    assert [(n["title"], n["read"], n["kind_label"]) for n in listing["items"]] == [
        ("冬季防冻温馨提示", False, "温馨提示"), ("3号楼停水", False, "停水停电通知")]
    assert client.get("/api/notices/unread-count").json() == {"unread_count": 2}
    one = client.get(f"/api/notices/{outage.pk}")
    assert one.status_code == 200 and one.json()["read"] is True
    assert client.post(f"/api/notices/{tip.pk}/read").json()["read"] is True
    assert NoticeRead.objects.filter(user=world.users["resident_a"]).count() == 2
    assert client.get("/api/notices", {"unread": True}).json()["count"] == 0
    assert_json_error(client.get(f"/api/notices/{other.pk}"), 404)
    assert_json_error(client.post(f"/api/notices/{other.pk}/read"), 404)
    assert not NoticeRead.objects.filter(notice=other).exists()


def test_staff_get_403_on_the_resident_endpoints_and_residents_on_the_staff_ones(world, client):
    notice = publish(world, buildings=[building(world, world.project_a)])
    client.force_login(world.users["agent_a"])
    assert_json_error(client.get("/api/notices"), 403)
    assert_json_error(client.get(f"/api/notices/{notice.pk}"), 403)
    client.force_login(world.users["resident_a"])
    assert_json_error(client.get("/api/notices/manage"), 403)
    assert_json_error(_post(client, "/api/notices/manage", _body(world)), 403)
    assert_json_error(client.get(f"/api/notices/manage/{notice.pk}"), 403)
    assert_json_error(client.post(f"/api/notices/manage/{notice.pk}/withdraw"), 403)
    client.force_login(world.users["technician_a"])
    assert_json_error(_post(client, "/api/notices/manage", _body(world)), 403)
    assert Notice.objects.count() == 1 and Notice.objects.get().withdrawn_at is None


def test_staff_publish_once_with_an_idempotency_key_and_read_the_counts(world, client):
    client.force_login(world.users["agent_a"])
    first = _post(client, "/api/notices/manage", _body(world, urgent=True), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["state"] == "active" and data["audience"] == 2 and data["read_count"] == 0
    assert data["sms_queued"] == 2 and [t["label"] for t in data["targets"]] == ["3 栋"]
    again = _post(client, "/api/notices/manage", _body(world, urgent=True), HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    assert Notice.objects.count() == 1
    assert OutboxMessage.objects.filter(template="notice_urgent").count() == 2  # once per resident
    NoticeRead.objects.create(notice_id=data["id"], user=world.users["resident_a"], read_at=TEST_NOW)
    assert client.get(f"/api/notices/manage/{data['id']}").json()["read_count"] == 1
    listing = client.get("/api/notices/manage", {"state": "active"}).json()
    assert [n["id"] for n in listing["items"]] == [data["id"]]
    withdrawn = client.post(f"/api/notices/manage/{data['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    assert_json_error(client.post(f"/api/notices/manage/{data['id']}/withdraw"), 409)


@pytest.mark.parametrize("change, field", [
    ({"scope": "buildings", "building_ids": []}, "building_ids"),
    ({"scope": "units", "unit_ids": []}, "unit_ids"),
    ({"valid_from": "2026-11-25T10:00:00+08:00", "valid_until": "2026-11-24T10:00:00+08:00"}, "valid_until"),
    ({"title": "  "}, "title"),
])
def test_bad_input_names_the_field_and_writes_nothing(world, client, change, field):
    client.force_login(world.users["pm_a"])
    body = assert_json_error(_post(client, "/api/notices/manage", _body(world, **change)), 400)
    assert field in body["extra"]["fields"]
    assert not Notice.objects.exists()


def test_another_projects_buildings_units_and_notices(world, client):
    b = world.project_b
    client.force_login(world.users["agent_a"])
    body = assert_json_error(_post(client, "/api/notices/manage",
                                   _body(world, building_ids=[building(world, b).pk])), 400)
    assert body["extra"]["fields"]["building_ids"] == ["所选楼栋不属于该项目。"]
    body = assert_json_error(_post(client, "/api/notices/manage",
                                   _body(world, scope="units", unit_ids=[unit(world, b).pk])), 400)
    assert "unit_ids" in body["extra"]["fields"]
    body = assert_json_error(_post(client, "/api/notices/manage", _body(world, project_id=b.pk)), 400)
    assert "project_id" in body["extra"]["fields"]
    assert_json_error(_post(client, "/api/notices/manage", _body(world, scope="nowhere")), 422)
    assert not Notice.objects.exists()
    theirs = publish(world, project=b, actor=world.users["agent_b"], buildings=[building(world, b)])
    assert_json_error(client.get(f"/api/notices/manage/{theirs.pk}"), 404)
    assert_json_error(client.post(f"/api/notices/manage/{theirs.pk}/withdraw"), 404)
    assert Notice.objects.get(pk=theirs.pk).withdrawn_at is None
    assert client.get("/api/notices/manage", {"state": "all"}).json()["count"] == 0
