"""The renovation API: apply (resident and desk), list/detail per scope, decide, withdraw, settings."""

import pytest

from propdesk.core.testing import assert_json_error
from propdesk.renovation.models import Renovation

from .conftest import END, START, WORKER_ID

pytestmark = pytest.mark.django_db
API = "/api/renovation"


def payload(room, **extra) -> dict:
    data = {"room_id": room.pk, "items": ["wall_finish", "ceiling"], "contractor_name": "上海美家装饰工程有限公司",
            "contractor_contact": "孙立新", "contractor_phone": "13611112222", "planned_start": START.isoformat(),
            "planned_end": END.isoformat(), "workers": [{"name": "李大勇", "id_number": WORKER_ID, "trade": "木工"}]}
    data.update(extra)
    return data


def test_resident_applies_pm_decides_through_the_api(reno, login):
    room = reno.room(reno.project_a, "3-2-1802")
    resident = login(reno.users["resident_a"])
    response = resident.post(f"{API}/applications", payload(room), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["workers"][0]["id_number_masked"] == "110105********2010"
    assert WORKER_ID not in response.content.decode()
    again = resident.post(f"{API}/applications", payload(room), content_type="application/json")
    assert_json_error(again, 409)
    assert [r["id"] for r in resident.get(f"{API}/applications").json()] == [body["id"]]
    resident.logout()
    pm = login(reno.users["pm_a"])
    refused = pm.post(f"{API}/applications/{body['id']}/decide", {"decision": "refused"},
                      content_type="application/json")
    assert "note" in assert_json_error(refused, 400)["extra"]["fields"]
    approved = pm.post(f"{API}/applications/{body['id']}/decide", {"decision": "approved"},
                       content_type="application/json")
    assert approved.status_code == 200, approved.content
    out = approved.json()
    assert out["status"] == "approved" and out["deposit"]["amount_fen"] == 300000 and not out["deposit"]["paid"]
    assert_json_error(pm.post(f"{API}/applications/{body['id']}/decide", {"decision": "approved"},
                              content_type="application/json"), 409)


def test_bad_input_is_a_400_and_nothing_is_written(reno, login):
    room = reno.room(reno.project_a, "3-2-1802")
    client = login(reno.users["resident_a"])
    no_id = client.post(f"{API}/applications", payload(room, workers=[{"name": "李大勇"}]),
                        content_type="application/json")
    assert "workers" in assert_json_error(no_id, 400)["extra"]["fields"]
    forbidden = client.post(f"{API}/applications", payload(room, items=["facade"]), content_type="application/json")
    assert "items" in assert_json_error(forbidden, 400)["extra"]["fields"]
    weekend = client.post(f"{API}/applications", payload(room, planned_start="2026-12-05", planned_end="2026-12-06"),
                          content_type="application/json")
    assert "planned_start" in assert_json_error(weekend, 400)["extra"]["fields"]
    other = client.post(f"{API}/applications", payload(reno.room(reno.project_a, "5-1-301")),
                        content_type="application/json")
    assert_json_error(other, 404)
    assert not Renovation.objects.exists()


def test_scope_and_roles(reno, login):
    room = reno.room(reno.project_a, "3-2-1802")
    desk = login(reno.users["agent_a"])
    response = desk.post(f"{API}/applications", payload(room, applicant_id=reno.residents["a_owner"].pk),
                         content_type="application/json")
    assert response.status_code == 201, response.content
    renovation_id = response.json()["id"]
    assert_json_error(desk.post(f"{API}/applications/{renovation_id}/decide", {"decision": "approved"},
                                content_type="application/json"), 403)
    desk.logout()
    other = login(reno.users["agent_b"])
    assert_json_error(other.get(f"{API}/applications/{renovation_id}"), 404)
    assert other.get(f"{API}/applications").json() == []
    assert_json_error(other.post(f"{API}/applications/{renovation_id}/withdraw", {},
                                 content_type="application/json"), 404)


def test_settings_get_and_put(reno, login):
    pm = login(reno.users["pm_a"])
    got = pm.get(f"{API}/settings", {"project_id": reno.project_a.pk}).json()
    assert got["saved"] is False and got["deposit_fen"] == 300000
    put = pm.put(f"{API}/settings", {"project_id": reno.project_a.pk, "deposit_fen": 200000,
                                     "quiet_days": ["2027-06-07"], "balcony_closing_banned": True},
                 content_type="application/json")
    assert put.status_code == 200, put.content
    assert put.json()["saved"] and put.json()["quiet_days"] == ["2027-06-07"]
    bad = pm.put(f"{API}/settings", {"project_id": reno.project_a.pk, "forbidden_items": ["teleporter"]},
                 content_type="application/json")
    assert "forbidden_items" in assert_json_error(bad, 400)["extra"]["fields"]
    assert_json_error(pm.get(f"{API}/settings", {"project_id": reno.project_b.pk}), 400)
