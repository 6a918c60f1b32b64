"""Online orders and the gateway's signed callbacks through the services: one payment per order however often the
callback comes, nothing written for a forged, old, unknown or mismatched one, and the ledger always balances."""

from datetime import timedelta

import pytest

from propdesk.core.errors import ApplicationError
from propdesk.fees.models import Account, Bill, LedgerEntry, OnlineOrder, Payment
from propdesk.fees.services import gateway
from propdesk.fees.services.online import online_callback, online_order_create
from propdesk.fees.services.payments import payment_take
from propdesk.fees.tests.ledger_check import assert_ledger_balances
from propdesk.notify.models import Notification

from .helpers import NOW, billed, open_bills, order_for, pay, signed

pytestmark = pytest.mark.django_db


def _fields(excinfo) -> set[str]:
    return set(excinfo.value.extra.get("fields", {}))


def test_an_order_is_for_open_bills_of_the_residents_own_home(world):
    room = billed(world)
    bills = open_bills(room)
    order = order_for(world, room, bills)
    assert order.amount_fen == sum(b.open_fen for b in bills) and order.status == "pending"
    assert order.bill_ids == [b.pk for b in bills] and len(order.out_trade_no) <= 32
    assert order.payer == "周美玲"
    assert order_for(world, room, bills).pk == order.pk  # the same bills ticked twice: the same order
    neighbour = world.room(world.project_a, "3-2-1801")
    other_bill = Bill.objects.filter(room__project=world.project_a).exclude(room=room).first()
    resident = world.users["resident_a"]
    for room_, ids, method in ((room, [other_bill.pk], "wechat"), (neighbour, [other_bill.pk], "wechat"),
                               (room, [], "wechat"), (room, ["x"], "wechat"), (room, [bills[0].pk], "cash")):
        with pytest.raises(ApplicationError) as excinfo:
            online_order_create(room=room_, bill_ids=ids, method=method, actor=resident, now=NOW)
        assert _fields(excinfo) & {"bills", "method"} and excinfo.value.status_code == 400
    with pytest.raises(ApplicationError):  # staff cannot start a resident's order
        online_order_create(room=room, bill_ids=[bills[0].pk], method="wechat", actor=world.users["agent_a"],
                            now=NOW)
    assert OnlineOrder.objects.count() == 1


def test_a_signed_callback_records_one_payment_however_often_it_comes(world):
    room = billed(world)
    bills = open_bills(room)
    order = order_for(world, room, bills, method="alipay")
    payload = signed(order)
    results = [online_callback(payload=payload, now=NOW + timedelta(seconds=i)) for i in range(3)]
    assert {r.payment_id for r in results} == {results[0].payment_id}
    assert Payment.objects.count() == 1
    payment = Payment.objects.get()
    assert (payment.channel, payment.method, payment.amount_fen) == ("app", "alipay", order.amount_fen)
    assert payment.reference == payload["gateway_txn"] and payment.payer == "周美玲" and payment.cashier is None
    assert not Bill.objects.filter(room=room, open_fen__gt=0).exists()
    assert Account.objects.get(room=room).owed_fen == 0
    order.refresh_from_db()
    assert order.status == "paid" and order.gateway_txn == payload["gateway_txn"]
    note = Notification.objects.get(recipient=world.users["resident_a"], kind="fee_paid")
    assert payment.receipt_number in note.title
    with pytest.raises(ApplicationError) as excinfo:  # another transaction for the paid order
        pay(order, gateway_txn="SIMOTHER")
    assert excinfo.value.status_code == 409 and Payment.objects.count() == 1
    assert_ledger_balances()


def _nothing_written(order):
    order.refresh_from_db()
    assert order.status == "pending" and order.payment_id is None
    assert not Payment.objects.exists() and not LedgerEntry.objects.exclude(kind="charge").exists()


def test_forged_old_and_unknown_callbacks_are_refused_and_write_nothing(world):
    room = billed(world)
    order = order_for(world, room, open_bills(room))
    forged = {**signed(order), "amount_fen": 1}  # altered after signing
    wrong_key = {**signed(order), "sign": "0" * 64}
    for payload in (forged, wrong_key, {k: v for k, v in signed(order).items() if k != "sign"}, {}):
        with pytest.raises(gateway.BadSignature) as excinfo:
            online_callback(payload=payload, now=NOW)
        assert excinfo.value.status_code == 400 and str(excinfo.value.message) == "bad signature"
    old = signed(order, now=NOW - timedelta(minutes=11))  # a valid callback replayed later
    with pytest.raises(ApplicationError) as excinfo:
        online_callback(payload=old, now=NOW)
    assert "timestamp" in _fields(excinfo)
    unknown = signed(OnlineOrder(out_trade_no="FO-NO-SUCH-ORDER", amount_fen=100))
    with pytest.raises(ApplicationError) as excinfo:
        online_callback(payload=unknown, now=NOW)
    assert "out_trade_no" in _fields(excinfo) and excinfo.value.status_code == 400
    _nothing_written(order)
    assert_ledger_balances()


def test_a_wrong_amount_fails_the_order_and_records_no_money(world):
    room = billed(world)
    order = order_for(world, room, open_bills(room))
    with pytest.raises(ApplicationError) as excinfo:
        pay(order, amount_fen=order.amount_fen - 1)
    assert excinfo.value.status_code == 400 and "amount_fen" in _fields(excinfo)
    order.refresh_from_db()
    assert order.status == "failed" and order.payment_id is None and str(order.amount_fen - 1) in order.message
    assert not Payment.objects.exists() and not LedgerEntry.objects.exclude(kind="charge").exists()
    assert_ledger_balances()


def test_a_bill_paid_at_the_desk_meanwhile_turns_into_prepayment(world):
    room = billed(world)
    bills = open_bills(room)
    order = order_for(world, room, bills[:2])
    first = bills[0]
    payment_take(room=room, amount=f"{first.open_fen / 100:.2f}", method="cash", actor=world.users["agent_a"],
                 bill_ids=[first.pk], payer="周美玲", now=NOW)
    paid = pay(order).payment
    assert paid.amount_fen == order.amount_fen and paid.prepaid_added_fen == first.open_fen
    assert Bill.objects.get(pk=bills[1].pk).open_fen == 0
    assert Account.objects.get(room=room).prepaid_fen == first.open_fen
    assert all(Bill.objects.get(pk=b.pk).open_fen == b.open_fen for b in bills[2:])  # never put on other bills
    assert_ledger_balances()


def test_when_every_chosen_bill_was_paid_the_whole_amount_is_prepaid(world):
    room = billed(world)
    bills = open_bills(room)
    order = order_for(world, room, bills[:1])
    payment_take(room=room, amount=f"{bills[0].open_fen / 100:.2f}", method="cash", actor=world.users["agent_a"],
                 bill_ids=[bills[0].pk], payer="周美玲", now=NOW)
    paid = pay(order).payment
    assert paid.prepaid_added_fen == order.amount_fen and len(paid.lines) == 1
    assert all(Bill.objects.get(pk=b.pk).open_fen == b.open_fen for b in bills[1:])
    assert_ledger_balances()


def test_a_closed_payment_fails_the_order_without_money(world):
    room = billed(world)
    order = order_for(world, room, open_bills(room))
    result = pay(order, status=gateway.CLOSED)
    assert result.status == "failed" and not Payment.objects.exists()
    assert_ledger_balances()
