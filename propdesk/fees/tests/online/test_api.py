"""The resident's fees API and the gateway's public callback."""

import json
from datetime import timedelta

import pytest

from propdesk.core.testing import assert_json_error
from propdesk.fees.models import Bill, LedgerEntry, OnlineOrder, Payment
from propdesk.fees.tests.ledger_check import assert_ledger_balances

from .helpers import NOW, billed, open_bills, signed

pytestmark = pytest.mark.django_db
CALLBACK = "/api/fees/gateway/callback"


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_resident_reads_their_account_orders_and_pays_through_the_callback(world, client):
    room = billed(world)
    bills = open_bills(room)
    client.force_login(world.users["resident_a"])
    account = client.get("/api/fees/my/account").json()
    assert account["room"] == "3-2-1802" and {b["id"] for b in account["bills"]} == {b.pk for b in bills}
    assert account["owed_fen"] == sum(b.open_fen for b in bills) and account["owed_capitals"]
    created = _post(client, "/api/fees/my/orders", {"bill_ids": [bills[0].pk], "method": "wechat"})
    assert created.status_code == 201, created.content
    order = created.json()
    assert order["amount_fen"] == bills[0].open_fen and order["pay_url"].endswith(f"/{order['out_trade_no']}/")
    assert _post(client, "/api/fees/my/orders", {"bill_ids": [bills[0].pk], "method": "wechat"}).status_code == 200
    payload = signed(OnlineOrder.objects.get(out_trade_no=order["out_trade_no"]))
    client.logout()  # the gateway is nobody's session
    for _ in range(3):
        answer = _post(client, CALLBACK, payload)
        assert answer.status_code == 200 and answer.json() == {"result": "ok"}
    assert Payment.objects.count() == 1
    client.force_login(world.users["resident_a"])
    state = client.get(f"/api/fees/my/orders/{order['out_trade_no']}").json()
    assert state["status"] == "paid" and state["receipt_number"] == Payment.objects.get().receipt_number
    assert_ledger_balances()


def test_bad_callbacks_answer_4xx_json_and_write_nothing(world, client):
    room = billed(world)
    client.force_login(world.users["resident_a"])
    order_no = _post(client, "/api/fees/my/orders", {"bill_ids": [open_bills(room)[0].pk], "method": "alipay"}
                     ).json()["out_trade_no"]
    order = OnlineOrder.objects.get(out_trade_no=order_no)
    client.logout()
    good = signed(order)
    cases = [
        {**good, "sign": "f" * 64},  # forged
        {**good, "amount_fen": good["amount_fen"] + 100},  # altered after signing
        signed(order, now=NOW - timedelta(minutes=30)),  # an old one replayed
        signed(OnlineOrder(out_trade_no="FO-UNKNOWN", amount_fen=1)),  # unknown order
    ]
    for body in cases:
        assert_json_error(_post(client, CALLBACK, body), 400)
    assert_json_error(_post(client, CALLBACK, {"out_trade_no": order_no}), 422)
    order.refresh_from_db()
    assert order.status == "pending" and not Payment.objects.exists()
    assert not LedgerEntry.objects.exclude(kind="charge").exists()
    assert_json_error(_post(client, CALLBACK, signed(order, amount_fen=1)), 400)  # a signed wrong amount
    order.refresh_from_db()
    assert order.status == "failed" and not Payment.objects.exists()
    assert_ledger_balances()


def test_staff_get_403_and_another_homes_bill_is_refused(world, client):
    room = billed(world)
    other_bill = Bill.objects.exclude(room=room).first()
    client.force_login(world.users["agent_a"])
    assert_json_error(client.get("/api/fees/my/account"), 403)
    assert_json_error(_post(client, "/api/fees/my/orders", {"bill_ids": [open_bills(room)[0].pk],
                                                            "method": "wechat"}), 403)
    client.force_login(world.users["resident_a"])
    body = assert_json_error(_post(client, "/api/fees/my/orders", {"bill_ids": [other_bill.pk], "method": "wechat"}),
                             400)
    assert "bills" in body["extra"]["fields"]
    assert_json_error(_post(client, "/api/fees/my/orders", {"bill_ids": [open_bills(room)[0].pk], "method": "cash"}),
                      400)
    assert_json_error(client.get("/api/fees/my/orders/FO-NOT-MINE"), 404)
    assert not OnlineOrder.objects.exists()
