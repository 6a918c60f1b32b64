"""Billing, payments and voids through the services, with every balance recomputed from the ledger."""

from datetime import date

import pytest
from django.db.models import Sum

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import sh
from propdesk.fees.models import Account, Bill, LedgerEntry, Payment, Subscription
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.services.payments import payment_take, payment_void
from propdesk.fees.services.setup import fee_items_standard
from propdesk.fees.tests.ledger_check import assert_ledger_balances

pytestmark = pytest.mark.django_db
NOW = sh(2026, 11, 23, 10, 0)


@pytest.fixture
def fees(world):
    fee_items_standard(project=world.project_a, effective_from=date(2026, 1, 1))
    return world


def test_a_month_of_bills_is_issued_once_and_prorated_from_the_handover(fees):
    world = fees
    room = world.room(world.project_a, "3-2-1802")  # occupied, 89 m²
    new = world.room(world.project_a, "3-2-1801")
    new.handed_over_on = date(2026, 11, 16)
    new.status = "occupied"
    new.save()
    first = bills_generate(project=world.project_a, period_key="2026-11", now=NOW)
    again = bills_generate(project=world.project_a, period_key="2026-11", now=NOW)
    assert first.created > 0 and again.created == 0
    bill = Bill.objects.get(room=room, item__code="property", period_key="2026-11")
    assert bill.amount_fen == 89 * 280 and bill.due_date == date(2026, 11, 15)
    assert "89.00 m² × 2.80 元/m²·月" in bill.description
    half = Bill.objects.get(room=new, item__code="property", period_key="2026-11")
    assert half.amount_fen == round(89 * 280 * 15 / 30)
    vacant = Bill.objects.get(room=world.room(world.project_a, "3-1-101"), item__code="property")
    assert vacant.amount_fen == round(89 * 280 * 0.7)  # 30 % off for a vacant home
    assert not Bill.objects.filter(room=world.room(world.project_a, "3-1-101"), item__code="garbage").exists()
    assert Bill.objects.filter(room=room, item__code="garbage", period_key="2026-Q4").count() == 1
    assert Account.objects.get(room=room).owed_fen == 89 * 280 + 3000
    assert_ledger_balances()


def test_parking_is_billed_per_subscribed_space(fees):
    world = fees
    room = world.room(world.project_a, "3-2-1802")
    Subscription.objects.create(item=room.project.fee_items.get(code="parking"), room=room, project=room.project,
                                quantity=2, label="B1-023/024", start_date=date(2026, 1, 1))
    bills_generate(project=world.project_a, period_key="2026-11", now=NOW)
    assert Bill.objects.get(room=room, item__code="parking").amount_fen == 30000


def test_oldest_first_partial_payment_prepayment_and_void(fees):
    world = fees
    room = world.room(world.project_a, "3-2-1802")
    bills_generate(project=world.project_a, period_key="2026-10", now=NOW)
    bills_generate(project=world.project_a, period_key="2026-11", now=NOW)
    october = Bill.objects.get(room=room, item__code="property", period_key="2026-10")
    agent = world.users["agent_a"]
    paid = payment_take(room=room, amount="200", method="cash", actor=agent, payer="周美玲", now=NOW)
    october.refresh_from_db()
    assert october.open_fen == 89 * 280 - 20000  # the oldest first, partly
    assert paid.receipt_number.endswith("000001") and paid.lines[0]["period"] == "2026-10"
    owed = Account.objects.get(room=room).owed_fen
    big = payment_take(room=room, amount=f"{owed / 100 + 100:.2f}", method="wechat", actor=agent, payer="周美玲",
                       now=NOW)
    account = Account.objects.get(room=room)
    assert (account.owed_fen, account.prepaid_fen, big.prepaid_added_fen) == (0, 10000, 10000)
    assert big.receipt_number.endswith("000002")
    payment_void(payment=paid, actor=agent, reason="金额录错", now=NOW)
    october.refresh_from_db()
    assert october.open_fen == 20000 and Payment.objects.get(pk=paid.pk).receipt_number.endswith("000001")
    with pytest.raises(ApplicationError):
        payment_void(payment=paid, actor=agent, reason="again", now=NOW)
    assert_ledger_balances()


def test_bad_payments_write_nothing(fees):
    world = fees
    room = world.room(world.project_a, "3-2-1802")
    bills_generate(project=world.project_a, period_key="2026-11", now=NOW)
    bill = Bill.objects.get(room=room, item__code="property")
    agent = world.users["agent_a"]
    for amount, bills, field in (("-5", None, "amount"), ("1.234", None, "amount"), ("abc", None, "amount"),
                                 ("0", None, "amount"), ("9999", [bill.pk], "amount"),
                                 ("10", [bill.pk, bill.pk], "bills"),
                                 ("10", [999999], "bills")):
        with pytest.raises(ApplicationError) as caught:
            payment_take(room=room, amount=amount, method="cash", actor=agent, payer="周美玲", bill_ids=bills,
                         match_chosen=True, now=NOW)
        assert field in caught.value.field_errors, (amount, caught.value.field_errors)
    assert not Payment.objects.exists() and not LedgerEntry.objects.exclude(kind="charge").exists()


def test_a_double_submitted_form_records_one_payment(fees):
    world = fees
    room = world.room(world.project_a, "3-2-1802")
    bills_generate(project=world.project_a, period_key="2026-11", now=NOW)
    kwargs = dict(room=room, amount="100", method="cash", actor=world.users["agent_a"], payer="周美玲",
                  idempotency_key="form-7f3a", now=NOW)
    assert payment_take(**kwargs).pk == payment_take(**kwargs).pk
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="payment").aggregate(s=Sum("cash_fen"))["s"] == 10000
