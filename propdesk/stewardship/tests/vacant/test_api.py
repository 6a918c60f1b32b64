"""The API: list, checklist get/put, inspections list/create (multipart with photos), a home's record."""

import json

import pytest

from propdesk.core.testing import assert_json_error
from propdesk.servicedesk.models import ServiceRequest
from propdesk.stewardship.models import VacantInspection
from propdesk.stewardship.rules.vacant import DEFAULT_ITEMS
from propdesk.stewardship.tests.vacant.conftest import jpeg

pytestmark = pytest.mark.django_db


def answers(**not_fine) -> list[dict]:
    """Every default item fine, except positions given as item_<n>="note"."""
    out = []
    for position, label in enumerate(DEFAULT_ITEMS):
        note = not_fine.get(f"item_{position}")
        out.append({"item": label, "fine": note is None, "note": note or ""})
    return out


def post_inspection(client, room, data, **files):
    return client.post(f"/api/steward/vacant/homes/{room.pk}/inspections",
                       {"data": json.dumps(data, ensure_ascii=False), **files})


def test_create_with_a_photo_then_the_record_and_the_lists(vacant, login):
    client = login(vacant.users["steward_a"])
    room = vacant.room(vacant.project_a, "5-1-401")
    response = post_inspection(client, room, {"items": answers(item_5="入户门锁芯松动"), "power_reading": "8801.2"},
                               photo_5=jpeg("门锁.jpg"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["findings"] == 1 and body["power_reading"] == "8801.20"
    finding = body["items"][5]
    assert finding["fine"] is False and finding["request_number"]
    request = ServiceRequest.objects.get(pk=finding["request_id"])
    assert request.channel == "patrol" and request.attachments.count() == 1

    record = client.get(f"/api/steward/vacant/homes/{room.pk}").json()
    assert record["home"]["last_inspected_on"] == body["day"] and not record["home"]["overdue"]
    assert record["inspections"][0]["items"][5]["note"] == "入户门锁芯松动"
    listed = client.get("/api/steward/vacant/inspections", {"room": room.pk}).json()
    assert [row["id"] for row in listed] == [body["id"]]
    homes = client.get("/api/steward/vacant/homes", {"building": room.building_id, "overdue": "true"}).json()
    assert room.code not in {home["code"] for home in homes} and homes


def test_owner_is_the_reporter_of_the_finding(vacant, login):
    from propdesk.customers.models import Occupancy

    room = vacant.room(vacant.project_a, "5-1-402")
    Occupancy.objects.create(resident=vacant.residents["a_owner"], room=room, project=vacant.project_a,
                             relation="owner")
    client = login(vacant.users["steward_a"])
    body = post_inspection(client, room, {"items": answers(item_3="室内有霉味")}).json()
    request = ServiceRequest.objects.get(pk=body["items"][3]["request_id"])
    assert request.reporter_id == vacant.residents["a_owner"].pk
    homes = client.get("/api/steward/vacant/homes", {"building": room.building_id}).json()
    assert next(h for h in homes if h["code"] == "5-1-402")["owners"] == ["周美玲"]


def test_bad_input_is_a_4xx_and_writes_nothing(vacant, login):
    client = login(vacant.users["steward_a"])
    room = vacant.room(vacant.project_a, "5-1-403")
    no_note = post_inspection(client, room, {"items": answers(item_0="")})
    assert "item_0" in assert_json_error(no_note, 400)["extra"]["fields"]
    missing = post_inspection(client, room, {"items": answers()[:-1]})
    assert "item_6" in assert_json_error(missing, 400)["extra"]["fields"]
    assert_json_error(client.post(f"/api/steward/vacant/homes/{room.pk}/inspections", {"data": "not json"}), 400)
    assert_json_error(client.post(f"/api/steward/vacant/homes/{room.pk}/inspections", {}), 422)
    not_photo = post_inspection(client, room, {"items": answers(item_2="渗水")}, photo_2=jpeg("x.txt").__class__(
        "x.txt", b"hello", content_type="text/plain"))
    assert "item_2" in assert_json_error(not_photo, 400)["extra"]["fields"]
    let = vacant.room(vacant.project_a, "5-1-301")
    assert "room" in assert_json_error(post_inspection(client, let, {"items": answers()}), 400)["extra"]["fields"]
    assert not VacantInspection.objects.exists() and not ServiceRequest.objects.exists()
    assert post_inspection(client, room, {"items": answers()}).status_code == 201
    assert_json_error(post_inspection(client, room, {"items": answers()}), 409)
    assert VacantInspection.objects.count() == 1


def test_checklist_get_and_put(vacant, login):
    pm = login(vacant.users["pm_a"])
    url = "/api/steward/vacant/checklist"
    got = pm.get(url, {"project_id": vacant.project_a.pk}).json()
    assert got["items"] == list(DEFAULT_ITEMS) and got["interval_days"] == 30 and not got["saved"]
    put = pm.put(url, {"project_id": vacant.project_a.pk, "items": ["门窗关闭", "燃气表读数"], "interval_days": 7},
                 content_type="application/json")
    assert put.status_code == 200 and put.json()["saved"] and put.json()["interval_days"] == 7
    bad = pm.put(url, {"project_id": vacant.project_a.pk, "items": [" "], "interval_days": 400},
                 content_type="application/json")
    assert set(assert_json_error(bad, 400)["extra"]["fields"]) == {"items", "interval_days"}
    other = pm.put(url, {"project_id": vacant.project_b.pk, "items": ["越权"], "interval_days": 7},
                   content_type="application/json")
    assert "project_id" in assert_json_error(other, 400)["extra"]["fields"]
    steward = login(vacant.users["steward_a"])
    assert_json_error(steward.put(url, {"project_id": vacant.project_a.pk, "items": ["x"], "interval_days": 7},
                                  content_type="application/json"), 403)


def test_another_scope_is_a_404(vacant, login):
    client = login(vacant.users["steward_a"])
    other = vacant.room(vacant.project_b, "5-1-101")
    assert_json_error(client.get(f"/api/steward/vacant/homes/{other.pk}"), 404)
    assert_json_error(post_inspection(client, other, {"items": answers()}), 404)
    assert all(home["project_id"] == vacant.project_a.pk for home in client.get("/api/steward/vacant/homes").json())
    assert_json_error(login(vacant.users["technician_a"]).get("/api/steward/vacant/homes"), 403)


def test_list_query_count_does_not_grow(vacant, login, django_assert_max_num_queries):
    client = login(vacant.users["pm_a"])
    with django_assert_max_num_queries(20) as small:
        assert len(client.get("/api/steward/vacant/homes", {"limit": 2}).json()) == 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get("/api/steward/vacant/homes", {"limit": 20}).json()) == 20
