"""The adjustments API: requests, decisions, the queue, late fees, refunds; scope, capability and state answers."""

import pytest

from propdesk.core.testing import assert_json_error
from propdesk.fees.models import Account, Adjustment, Bill, Refund
from propdesk.fees.services.payments import payment_take
from propdesk.fees.tests.ledger_check import assert_ledger_balances

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_a_reduction_through_the_api_waits_for_another_manager(client, fees):
    w = fees
    client.force_login(w.users["agent_a"])
    answer = _post(client, f"/api/fees/bills/{w.october.pk}/adjustments",
                   {"kind": "waiver", "amount": "30.50", "reason": "维修期间无法入住"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["status"], body["amount_fen"], body["requested_by"]) == ("pending", -3050, "张晓燕")
    assert_json_error(_post(client, f"/api/fees/bills/{w.october.pk}/adjustments",
                            {"kind": "waiver", "amount": "1", "reason": " "}), 400)  # no reason
    assert_json_error(client.get("/api/fees/approvals"), 403)
    assert_json_error(_post(client, f"/api/fees/adjustments/{body['id']}/decision", {"approve": True}), 403)
    client.force_login(w.users["pm_a"])
    queue = client.get("/api/fees/approvals").json()
    assert queue["adjustments_count"] == 1 and queue["adjustments"][0]["id"] == body["id"]
    assert_json_error(_post(client, f"/api/fees/adjustments/{body['id']}/decision", {"approve": False}), 400)
    decided = _post(client, f"/api/fees/adjustments/{body['id']}/decision", {"approve": True, "note": "同意"})
    assert decided.status_code == 200 and decided.json()["decided_by"] == "陈志强"
    assert_json_error(_post(client, f"/api/fees/adjustments/{body['id']}/decision", {"approve": True}), 409)
    assert Bill.objects.get(pk=w.october.pk).open_fen == 89 * 280 - 3050
    listed = client.get(f"/api/fees/homes/{w.home.pk}/adjustments").json()
    assert [a["status"] for a in listed["adjustments"]] == ["approved"]
    assert_ledger_balances()


def test_self_approval_and_other_scopes_are_refused(client, fees):
    w = fees
    client.force_login(w.users["pm_a"])
    mine = _post(client, f"/api/fees/bills/{w.october.pk}/adjustments",
                 {"kind": "waiver", "amount": "10", "reason": "经理自己申请"}).json()
    assert_json_error(_post(client, f"/api/fees/adjustments/{mine['id']}/decision", {"approve": True}), 403)
    client.force_login(w.users["agent_b"])
    assert_json_error(_post(client, f"/api/fees/bills/{w.october.pk}/adjustments",
                            {"kind": "waiver", "amount": "10", "reason": "越权减免"}), 404)
    assert_json_error(client.get(f"/api/fees/homes/{w.home.pk}/late-fees"), 404)
    client.force_login(w.users["resident_a"])
    assert_json_error(_post(client, f"/api/fees/bills/{w.october.pk}/adjustments",
                            {"kind": "waiver", "amount": "10", "reason": "住户自己减免"}), 403)
    assert_json_error(_post(client, f"/api/fees/homes/{w.home.pk}/late-fees"), 403)
    assert Adjustment.objects.count() == 1 and Adjustment.objects.get().status == "pending"
    client.force_login(w.users["agent_a"])
    assert_json_error(_post(client, "/api/fees/bills/99999999999999999999/adjustments",
                            {"kind": "waiver", "amount": "1", "reason": "理由充分"}), 404)


def test_late_fees_and_refunds_through_the_api(client, fees):
    w = fees
    client.force_login(w.users["agent_a"])
    accrued = client.get(f"/api/fees/homes/{w.home.pk}/late-fees").json()
    assert accrued["total_fen"] == 586
    charged = _post(client, f"/api/fees/homes/{w.home.pk}/late-fees").json()
    assert charged["total_fen"] == 586 and len(charged["lines"]) == 2
    assert _post(client, f"/api/fees/homes/{w.home.pk}/late-fees").json() == {"lines": [], "total_fen": 0}
    assert_json_error(_post(client, f"/api/fees/homes/{w.home.pk}/refunds",
                            {"amount": "1", "method": "cash", "reason": "没有预存"}), 400)
    owed = Account.objects.get(room=w.home).owed_fen
    payment_take(room=w.home, amount=f"{(owed + 10000) / 100:.2f}", method="cash", actor=w.users["agent_a"],
                 payer="周美玲", now=NOW)
    asked = _post(client, f"/api/fees/homes/{w.home.pk}/refunds",
                  {"amount": "100.00", "method": "transfer", "reason": "退还多缴"})
    assert asked.status_code == 201
    assert_json_error(_post(client, f"/api/fees/homes/{w.home.pk}/refunds",
                            {"amount": "1", "method": "prepaid", "reason": "退还多缴"}), 400)
    assert_json_error(_post(client, f"/api/fees/homes/{w.home.pk}/refunds", [1]), 422)
    client.force_login(w.users["leader_east"])
    paid = _post(client, f"/api/fees/refunds/{asked.json()['id']}/decision", {"approve": True})
    assert paid.status_code == 200 and paid.json()["status"] == "approved"
    assert Account.objects.get(room=w.home).prepaid_fen == 0 and Refund.objects.get().status == "approved"
    assert_json_error(_post(client, f"/api/fees/refunds/{asked.json()['id']}/decision", {"approve": False,
                                                                                          "note": "再拒"}), 409)
    assert_ledger_balances()
