"""Finance's API: prices, runs, readings, one-off bills and subscriptions with the console's permissions."""

import json
from datetime import date

import pytest

from propdesk.core.testing import assert_json_error
from propdesk.fees.models import Bill, BillingRun, MeterReading
from propdesk.fees.services.readings import reading_record
from propdesk.fees.services.setup import fee_items_standard
from propdesk.fees.tests.ledger_check import assert_ledger_balances

pytestmark = pytest.mark.django_db


@pytest.fixture
def fees(world):
    for project in (world.project_a, world.project_c):
        fee_items_standard(project=project, effective_from=date(2026, 1, 1))
    world.items = {item.code: item for item in world.project_a.fee_items.all()}
    world.home = world.room(world.project_a, "3-2-1802")
    return world


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_finance_changes_prices_and_runs_bills_through_the_api(fees, login):
    world = fees
    client = login(world.users["finance_east"])
    items = client.get("/api/fees/items", {"project": world.project_a.pk}).json()
    assert {"property", "water", "opening"} <= {i["code"] for i in items}
    item_id = world.items["property"].pk
    created = post(client, f"/api/fees/items/{item_id}/rates", {"effective_from": "2026-12-01", "rate": "3.05"})
    assert created.status_code == 201 and created.json()["rate_fen"] in ("305", "305.0000", 305)
    assert_json_error(post(client, f"/api/fees/items/{item_id}/rates", {"effective_from": "2026-12-01",
                                                                         "rate": "3.10"}), 400)
    other = world.project_c.fee_items.get(code="property")
    assert_json_error(post(client, f"/api/fees/items/{other.pk}/rates", {"effective_from": "2027-01-01",
                                                                          "rate": "1"}), 404)
    run = post(client, "/api/fees/runs", {"project_id": world.project_a.pk, "period": "2026-11"})
    assert run.status_code == 201 and run.json()["status"] == "queued"
    assert client.get(f"/api/fees/runs/{run.json()['id']}").json()["period_key"] == "2026-11"
    assert_json_error(post(client, "/api/fees/runs", {"project_id": world.project_a.pk, "period": "2026-13"}), 400)
    assert BillingRun.objects.count() == 1
    assert_json_error(login(world.users["agent_a"]).get("/api/fees/runs"), 403)
    assert_json_error(login(world.users["resident_a"]).get("/api/fees/items"), 403)


def test_readings_one_off_and_subscriptions_through_the_api(fees, login):
    world = fees
    water = world.items["water"]
    for month, value in enumerate(range(100, 170, 10), start=4):
        reading_record(room=world.home, item=water, period_key=f"2026-{month:02d}", reading=str(value),
                       actor=world.users["steward_a"])
    client = login(world.users["steward_a"])
    body = {"room_id": world.home.pk, "item_id": water.pk, "period": "2026-11", "reading": "220"}
    unusual = assert_json_error(post(client, "/api/fees/readings", body), 400)
    assert unusual["extra"]["unusual"] is True
    assert_json_error(post(client, "/api/fees/readings", {**body, "reading": "150"}), 400)
    saved = post(client, "/api/fees/readings", {**body, "confirm_unusual": True})
    assert saved.status_code == 201 and saved.json()["consumption"] in ("60.00", "60", 60)
    listed = client.get("/api/fees/readings", {"project": world.project_a.pk, "period": "2026-11"}).json()
    assert [r["room_code"] for r in listed["items"]] == ["3-2-1802"]
    other_room = world.room(world.project_c, "3-1-101")
    assert_json_error(post(client, "/api/fees/readings", {**body, "room_id": other_room.pk}), 400)
    assert MeterReading.objects.filter(period_key="2026-11").count() == 1

    finance = login(world.users["finance_east"])
    bill = post(finance, f"/api/fees/homes/{world.home.pk}/one-off",
                {"item_id": world.items["reno_waste"].pk, "amount": "120.50", "note": "装修垃圾"})
    assert bill.status_code == 201 and bill.json()["amount_fen"] == 12050
    assert_json_error(post(finance, f"/api/fees/homes/{world.home.pk}/one-off",
                           {"item_id": world.items["reno_waste"].pk, "amount": "-1"}), 400)
    assert_json_error(post(finance, f"/api/fees/homes/{other_room.pk}/one-off",
                           {"item_id": world.items["reno_waste"].pk}), 404)
    space = post(finance, f"/api/fees/homes/{world.home.pk}/subscriptions",
                 {"item_id": world.items["parking"].pk, "start_date": "2026-11-01", "label": "B1-023"})
    assert space.status_code == 201 and space.json()["label"] == "B1-023"
    assert_json_error(post(finance, f"/api/fees/homes/{world.home.pk}/subscriptions",
                           {"item_id": world.items["property"].pk, "start_date": "2026-11-01"}), 400)
    assert Bill.objects.count() == 1
    assert_ledger_balances()
