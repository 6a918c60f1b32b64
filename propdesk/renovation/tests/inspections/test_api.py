import json
from datetime import timedelta

import pytest

from propdesk.core.testing import TEST_NOW, assert_json_error
from propdesk.fees.choices import EntryKind
from propdesk.fees.models import LedgerEntry
from propdesk.renovation.models import RenovationAcceptance, RenovationInspection, RenovationStatus
from propdesk.renovation.services.inspections import DEFAULT_CHECKLIST

from .factories import approved_renovation, jpeg

pytestmark = pytest.mark.django_db


def inspection_data(fail: dict | None = None) -> str:
    fail = fail or {}
    return json.dumps({"items": [{"item": label, "passed": label not in fail, "note": fail.get(label, "")}
                                 for label in DEFAULT_CHECKLIST]})


def test_api_inspection_twice_is_409(world, renovation, login):
    client = login(world.users["steward_a"])
    url = f"/api/renovation/{renovation.pk}/inspections"
    first = client.post(url, {"data": inspection_data({DEFAULT_CHECKLIST[0]: "22:00 仍在电钻施工"}),
                              "photos": [jpeg()]})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["passed"] is False and len(body["photo_ids"]) == 1 and body["kind"] == "routine"
    again = client.post(url, {"data": inspection_data()})
    assert again.status_code == 201 and again.json()["kind"] == "reinspection"  # closes the rectification
    rects = client.get("/api/renovation/rectifications", {"renovation": renovation.pk}).json()
    assert rects[0]["status"] == "fixed" and rects[0]["closed_by_inspection_id"] == again.json()["id"]
    twice = client.post(url, {"data": inspection_data()})
    assert_json_error(twice, 409)
    assert RenovationInspection.objects.count() == 2


def test_api_bad_input(world, renovation, login):
    client = login(world.users["steward_a"])
    url = f"/api/renovation/{renovation.pk}/inspections"
    assert_json_error(client.post(url, {"data": "not json"}), 400)
    body = assert_json_error(client.post(url, {"data": inspection_data({DEFAULT_CHECKLIST[1]: ""})}), 400)
    assert "item_1" in body["extra"]["fields"]
    assert_json_error(client.post(f"/api/renovation/{renovation.pk}/acceptance", {
        "passed": True, "deductions": [{"reason": "损坏公共设施", "amount_fen": 300001}]},
        content_type="application/json"), 400)
    assert not RenovationAcceptance.objects.exists()


def test_api_acceptance_and_decision(world, renovation, login):
    steward = login(world.users["steward_a"])
    asked = steward.post(f"/api/renovation/{renovation.pk}/acceptance/request")
    assert asked.status_code == 201
    recorded = steward.post(f"/api/renovation/{renovation.pk}/acceptance", {
        "passed": True, "deductions": [{"reason": "楼道墙面污损", "amount_fen": 20000}]},
        content_type="application/json")
    assert recorded.status_code == 200, recorded.content
    acceptance_id = recorded.json()["id"]
    assert recorded.json()["refund_fen"] == 280000 and recorded.json()["id"] == asked.json()["id"]
    assert_json_error(steward.post(f"/api/renovation/acceptances/{acceptance_id}/decision", {"approve": True},
                                   content_type="application/json"), 403)
    pm = login(world.users["pm_a"])
    pending = pm.get("/api/renovation/acceptances").json()
    assert [row["id"] for row in pending] == [acceptance_id]
    decided = pm.post(f"/api/renovation/acceptances/{acceptance_id}/decision", {"approve": True},
                      content_type="application/json")
    assert decided.status_code == 200 and decided.json()["approval"] == "approved"
    assert LedgerEntry.objects.get(kind=EntryKind.DEPOSIT_REFUND).cash_fen == -280000
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.CLOSED
    assert_json_error(pm.post(f"/api/renovation/acceptances/{acceptance_id}/decision", {"approve": True},
                              content_type="application/json"), 409)


def test_api_inspector_may_not_approve_own(world, renovation, login):
    pm = login(world.users["pm_a"])
    recorded = pm.post(f"/api/renovation/{renovation.pk}/acceptance", {"passed": True},
                       content_type="application/json")
    assert_json_error(pm.post(f"/api/renovation/acceptances/{recorded.json()['id']}/decision", {"approve": True},
                              content_type="application/json"), 403)


def test_api_resident_asks_only_for_own_home(world, renovation, login):
    other = approved_renovation(world, world.room(world.project_a, "5-1-301"))
    client = login(world.users["resident_a"])
    assert_json_error(client.post(f"/api/renovation/{other.pk}/acceptance/request"), 404)
    assert client.post(f"/api/renovation/{renovation.pk}/acceptance/request").status_code == 201


def test_api_worklist(world, renovation, login):
    client = login(world.users["pm_a"])
    body = client.get("/api/renovation/inspections/worklist").json()
    assert [row["renovation_id"] for row in body["due"]] == [renovation.pk]
    assert body["due"][0]["overdue"] is True  # started five days ago, never inspected
    assert body["due"][0]["due_since"] == str(TEST_NOW.date() - timedelta(days=5))
