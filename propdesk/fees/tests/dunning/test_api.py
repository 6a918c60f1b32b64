"""The dunning API: worklist, a home, contacts, disputes and the ladder, with scope and roles."""

import pytest

from propdesk.core.testing import assert_json_error
from propdesk.fees.models import Account, DunningStep
from propdesk.fees.services.dunning import dunning_sweep

from .helpers import NOW, owing

pytestmark = pytest.mark.django_db


def test_worklist_and_home(world, client):
    room = owing(world, months=("2026-09", "2026-10", "2026-11"))
    other = owing(world, "3-1-101", months=("2026-11",), project=world.project_b)
    dunning_sweep(now=NOW)
    client.force_login(world.users["steward_a"])
    rows = client.get("/api/fees/arrears").json()
    assert [row["room"] for row in rows["items"]] == ["3-2-1802"]
    row = rows["items"][0]
    assert row["call_open"] and row["letter_open"] and row["occupant"] == "周美玲"
    assert row["months_overdue"] == 4  # the Q3 garbage bill, due 07-15
    assert client.get("/api/fees/arrears", {"bucket": "0-3"}).json()["items"] == []
    home = client.get(f"/api/fees/arrears/{room.pk}").json()
    assert home["owed_fen"] == Account.objects.get(room=room).owed_fen
    assert {h["step_code"] for h in home["history"]} == {"app_15d", "sms_30d", "call_45d", "notice_60d"}
    assert_json_error(client.get(f"/api/fees/arrears/{other.pk}"), 404)
    client.force_login(world.users["agent_a"])
    assert_json_error(client.get("/api/fees/arrears"), 403)


def test_contact_and_dispute(world, client):
    room = owing(world)
    client.force_login(world.users["steward_a"])
    url = f"/api/fees/arrears/{room.pk}"
    body = assert_json_error(client.post(f"{url}/contacts", {"channel": "phone", "outcome": "promised"},
                                         content_type="application/json"), 400)
    assert "promise_date" in body["extra"]["fields"]
    assert_json_error(client.post(f"{url}/contacts", {"channel": "fax", "outcome": "promised"},
                                  content_type="application/json"), 422)
    done = client.post(f"{url}/contacts", {"channel": "phone", "outcome": "promised", "promise_date": "2026-12-01",
                                           "note": "答应下月初缴"}, content_type="application/json")
    assert done.status_code == 201 and done.json()["promise_date"] == "2026-12-01"
    opened = client.post(f"{url}/dispute", {"open": True, "note": "面积有异议"}, content_type="application/json")
    assert opened.status_code == 200 and opened.json()["dispute_open"]
    assert_json_error(client.post(f"{url}/dispute", {"open": True, "note": "again"},
                                  content_type="application/json"), 409)
    closed = client.post(f"{url}/dispute", {"open": False}, content_type="application/json")
    assert not closed.json()["dispute_open"]
    other = owing(world, "3-1-101", months=("2026-11",), project=world.project_b)
    assert_json_error(client.post(f"/api/fees/arrears/{other.pk}/dispute", {"open": True, "note": "x"},
                                  content_type="application/json"), 404)
    assert not Account.objects.get(room=other).dispute_open


def test_ladder(world, client):
    owing(world)
    url = f"/api/fees/ladder?project={world.project_a.pk}"
    client.force_login(world.users["steward_a"])
    assert [s["code"] for s in client.get(url).json()["steps"]][:2] == ["app_15d", "sms_30d"]
    assert_json_error(client.put(url, {"steps": []}, content_type="application/json"), 403)
    client.force_login(world.users["finance_east"])
    steps = [{"code": "app_7d", "kind": "app_reminder", "after_days": 7},
             {"code": "lawyer_3m", "kind": "lawyer_letter", "after_months": 3, "min_owed_fen": 100000}]
    answer = client.put(url, {"steps": steps}, content_type="application/json")
    assert answer.status_code == 200
    assert [s["code"] for s in answer.json()["steps"] if s["active"]] == ["app_7d", "lawyer_3m"]
    twice = assert_json_error(client.put(url, {"steps": steps + steps[:1]}, content_type="application/json"), 400)
    assert "steps" in twice["extra"]["fields"]
    assert_json_error(client.put(url, {"steps": [{"code": "Bad Code", "kind": "sms"}]},
                                 content_type="application/json"), 400)
    assert_json_error(client.get(f"/api/fees/ladder?project={world.project_c.pk}"), 400)  # the west branch
    assert DunningStep.objects.filter(project=world.project_c).count() == 0
