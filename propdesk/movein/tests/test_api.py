"""The API: slots, buyers, bookings (twice, full), the handover as multipart with a photo, the defects report."""

import json

import pytest

from propdesk.core.testing import assert_json_error
from propdesk.movein.models import HandoverDefect
from propdesk.movein.rules.handover import AREAS, DOCUMENTS

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def test_slots_open_a_day_and_refuse_the_past(movein, login):
    client = login(movein.users["pm_a"])
    body = {"project_id": movein.project_a.pk, "day": "2026-11-26", "first": "09:00", "last_end": "10:30",
            "minutes": 30, "capacity": 3}
    response = client.post("/api/movein/slots/batch", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert len(response.json()) == 3
    past = client.post("/api/movein/slots", {
        "project_id": movein.project_a.pk, "starts_at": "2026-11-20T09:00:00+08:00",
        "ends_at": "2026-11-20T09:30:00+08:00", "capacity": 2}, content_type="application/json")
    assert "starts_at" in assert_json_error(past, 400)["extra"]["fields"]
    other = client.post("/api/movein/slots/batch", {**body, "project_id": movein.project_b.pk},
                        content_type="application/json")
    assert "project_id" in assert_json_error(other, 400)["extra"]["fields"]
    slots = client.get("/api/movein/slots", {"project": movein.project_a.pk}).json()
    assert len(slots) == 5
    steward = login(movein.users["steward_a"])
    assert_json_error(steward.post("/api/movein/slots/batch", body, content_type="application/json"), 403)


def test_buyers_and_bookings(movein, login):
    client = login(movein.users["agent_a"])
    room = movein.room(movein.project_a, "5-1-103")
    bad = client.post("/api/movein/buyers", {"room_id": room.pk, "name": "孙悦", "mobile": "12345"},
                      content_type="application/json")
    assert "mobile" in assert_json_error(bad, 400)["extra"]["fields"]
    made = client.post("/api/movein/buyers", {"room_id": room.pk, "name": "孙悦", "mobile": "13600003333"},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["mobile"] != "13600003333"
    buyer_id, slot_id = made.json()["id"], movein.slots["tue"].pk
    first = client.post("/api/movein/bookings", {"buyer_id": buyer_id, "slot_id": slot_id},
                        content_type="application/json")
    assert first.status_code == 201
    assert_json_error(client.post("/api/movein/bookings", {"buyer_id": buyer_id, "slot_id": slot_id},
                                  content_type="application/json"), 409)
    client.post("/api/movein/bookings", {"buyer_id": movein.buyers["101"].pk, "slot_id": slot_id},
                content_type="application/json")
    full = client.post("/api/movein/bookings", {"buyer_id": movein.buyers["102"].pk, "slot_id": slot_id},
                       content_type="application/json")
    assert "slot" in assert_json_error(full, 409)["extra"]["fields"]
    cancelled = client.post(f"/api/movein/bookings/{first.json()['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert len(client.get("/api/movein/bookings", {"day": "2026-11-24"}).json()) == 2


def checklist(**defects) -> dict:
    return {"documents": list(DOCUMENTS), "keys": {"入户门钥匙": 3, "单元门禁卡": 2},
            "readings": {"water": "12.5", "power": "305.2"},
            "areas": [{"area": a, "ok": a not in defects, "note": defects.get(a, "")} for a in AREAS]}


def test_the_handover_with_a_photo_then_the_report(movein, login):
    client = login(movein.users["steward_a"])
    room_id = movein.buyers["101"].room_id
    bad = client.post(f"/api/movein/rooms/{room_id}/handover",
                      {"data": json.dumps({**checklist(), "readings": {"water": "abc", "power": "1"}})})
    assert "water_reading" in assert_json_error(bad, 400)["extra"]["fields"]
    response = client.post(f"/api/movein/rooms/{room_id}/handover",
                           {"data": json.dumps(checklist(卫生间="地漏倒坡"), ensure_ascii=False),
                            f"photo_{AREAS.index('卫生间')}": jpeg()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["archive_no"] and len(body["defects"]) == 1 and body["defects"][0]["area"] == "卫生间"
    assert body["keys"]["入户门钥匙"] == 3 and body["readings"]["power"] == "305.20"
    again = client.post(f"/api/movein/rooms/{room_id}/handover", {"data": json.dumps(checklist())})
    assert_json_error(again, 409)
    report = client.get("/api/movein/defects").json()
    assert report["total"] == 1 and report["areas"] == {"卫生间": 1}
    developer = login(movein.users["developer_a"])
    assert developer.get("/api/movein/defects").json()["defects"][0]["note"] == "地漏倒坡"
    assert HandoverDefect.objects.count() == 1



def test_settings(movein, login):
    client = login(movein.users["pm_a"])
    put = client.put("/api/movein/settings", {"project_id": movein.project_a.pk, "defect_days": 10},
                     content_type="application/json")
    assert put.status_code == 200 and put.json()["defect_days"] == 10
    assert client.get("/api/movein/settings", {"project_id": movein.project_a.pk}).json()["defect_days"] == 10
