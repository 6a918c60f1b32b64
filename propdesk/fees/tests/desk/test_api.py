"""/api/fees/homes and /api/fees/payments as a program uses them: find, read an account, pay with an
Idempotency-Key, read and void a receipt; bad input, scope and permissions."""

import pytest

from propdesk.core.testing import assert_json_error
from propdesk.fees.models import LedgerEntry, Payment
from propdesk.fees.tests.ledger_check import assert_ledger_balances

from .helpers import billed, open_bills

pytestmark = pytest.mark.django_db


def pay(client, room, body, key=""):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(f"/api/fees/homes/{room.pk}/payments", body, content_type="application/json", **headers)


def test_find_read_pay_and_void(client, world):
    room = billed(world)
    client.force_login(world.users["agent_a"])
    hits = client.get("/api/fees/homes", {"q": "13812345678"}).json()
    assert [h["code"] for h in hits] == ["3-2-1802"] and hits[0]["owed"] == "807.60"
    assert hits[0]["occupants"][0]["phone"] == "138****5678"
    account = client.get(f"/api/fees/homes/{room.pk}").json()
    assert account["owed_fen"] == 80760 and account["owed_capitals"] == "捌佰零柒元陆角整"
    assert account["open_complaints"][0]["description"] == "楼上装修噪音一个月没人管"
    assert account["late_fee_accruing_fen"] > 0
    first = account["open_bills"][0]
    body = {"amount": f"{first['open_fen'] / 100:.2f}", "method": "wechat", "bill_ids": [first["id"]],
            "payer": "周美玲", "reference": "4200001234"}
    created = pay(client, room, body, key="pos-1")
    again = pay(client, room, body, key="pos-1")
    assert (created.status_code, again.status_code) == (201, 200)
    receipt = created.json()
    assert again.json()["receipt_number"] == receipt["receipt_number"] and Payment.objects.count() == 1
    assert receipt["amount_capitals"] and receipt["lines"][0]["bill_id"] == first["id"]
    assert client.get(f"/api/fees/payments/{receipt['id']}").json()["receipt_number"] == receipt["receipt_number"]
    voided = client.post(f"/api/fees/payments/{receipt['id']}/void", {"reason": "重复收款"},
                         content_type="application/json")
    assert voided.status_code == 200 and voided.json()["void"] and voided.json()["void_reason"] == "重复收款"
    assert_json_error(client.post(f"/api/fees/payments/{receipt['id']}/void", {"reason": "再来"},
                                  content_type="application/json"), 409)
    assert_ledger_balances()


@pytest.mark.parametrize(("amount", "field"), [("-5", "amount"), ("1.234", "amount"), ("0", "amount"),
                                               ("99999", "amount")])
def test_bad_amounts_are_400_on_the_field_and_write_nothing(client, world, amount, field):
    room = billed(world, with_complaint=False)
    client.force_login(world.users["agent_a"])
    bill = open_bills(room)[0]
    body = assert_json_error(pay(client, room, {"amount": amount, "method": "cash", "bill_ids": [bill.pk],
                                                "payer": "周美玲"}), 400)
    assert field in body["extra"]["fields"]
    assert not Payment.objects.exists() and not LedgerEntry.objects.exclude(kind="charge").exists()


def test_scope_permissions_and_foreign_bills(client, world):
    room = billed(world, with_complaint=False)
    other = world.room(world.project_a, "3-2-1801")
    client.force_login(world.users["agent_a"])
    body = assert_json_error(pay(client, room, {"amount": "1", "method": "cash", "payer": "周美玲",
                                                "bill_ids": [open_bills(other)[0].pk]}), 400)
    assert "bill_ids" in body["extra"]["fields"]
    receipt = pay(client, room, {"amount": "1", "method": "cash", "payer": "周美玲"}).json()
    client.force_login(world.users["agent_b"])
    assert_json_error(client.get(f"/api/fees/homes/{room.pk}"), 404)
    assert_json_error(pay(client, room, {"amount": "1", "method": "cash", "payer": "x"}), 404)
    assert_json_error(client.get(f"/api/fees/payments/{receipt['id']}"), 404)
    assert client.get("/api/fees/homes", {"q": "周美玲"}).json() == []
    client.force_login(world.users["pm_a"])
    assert_json_error(pay(client, room, {"amount": "1", "method": "cash", "payer": "x"}), 403)
    assert_json_error(client.post(f"/api/fees/payments/{receipt['id']}/void", {"reason": "试试"},
                                  content_type="application/json"), 403)
    client.force_login(world.users["resident_a"])
    assert_json_error(client.get(f"/api/fees/homes/{room.pk}"), 403)
    assert Payment.objects.count() == 1
