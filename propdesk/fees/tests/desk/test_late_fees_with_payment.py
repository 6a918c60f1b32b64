"""The cashier charges the accrued late fees from the payment form and takes them in the same payment."""

from datetime import date

import pytest

from propdesk.core.testing import sh
from propdesk.fees.models import Bill, Payment
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.services.setup import fee_items_standard
from propdesk.fees.tests.ledger_check import assert_ledger_balances

pytestmark = pytest.mark.django_db


def test_late_fees_charged_from_the_payment_form_are_paid_with_it(world, client):
    fee_items_standard(project=world.project_a, effective_from=date(2026, 1, 1))
    room = world.room(world.project_a, "3-2-1802")
    bills_generate(project=world.project_a, period_key="2026-10", now=sh(2026, 10, 1, 9, 0), room_ids=[room.pk])
    client.force_login(world.users["agent_a"])
    page = client.get(f"/fees/homes/{room.pk}/pay/")
    assert "计收滞纳金并一并缴纳" in page.content.decode()
    answer = client.post(f"/fees/homes/{room.pk}/adjustments/", {"action": "late_fees", "next": "pay"})
    assert answer.status_code == 302 and answer["Location"] == f"/fees/homes/{room.pk}/pay/"
    late = Bill.objects.get(room=room, item__code="late_fee")
    october = Bill.objects.get(room=room, item__code="property", period_key="2026-10")
    days = (date(2026, 11, 23) - october.due_date).days
    assert late.amount_fen == round(october.amount_fen * 5 * days / 10000)  # 0.5 ‰ a day
    page = client.get(f"/fees/homes/{room.pk}/pay/")
    assert f'value="{late.pk}"' in page.content.decode()  # the late fee is a bill ticked with the others
    form = {"form_token": "t-late-1", "bills": [str(b.pk) for b in Bill.objects.filter(room=room, open_fen__gt=0)],
            "amount": f"{sum(b.open_fen for b in Bill.objects.filter(room=room)) / 100:.2f}", "method": "cash",
            "payer": "周美玲"}
    answer = client.post(f"/fees/homes/{room.pk}/pay/", form)
    assert answer.status_code == 302
    payment = Payment.objects.get()
    assert any(line["bill"] == late.pk for line in payment.lines)
    assert not Bill.objects.filter(room=room, open_fen__gt=0).exists()
    assert_ledger_balances()


def test_an_app_payment_shows_on_the_staff_account_and_its_receipt(world, client):
    """A payment made in the app has no cashier: the account page and the receipt name the channel instead."""
    from propdesk.fees.services.payments import payment_take

    fee_items_standard(project=world.project_a, effective_from=date(2026, 1, 1))
    room = world.room(world.project_a, "3-2-1802")
    bills_generate(project=world.project_a, period_key="2026-11", now=sh(2026, 11, 1, 9, 0), room_ids=[room.pk])
    paid = payment_take(room=room, amount=10000, method="wechat", actor=None, payer="周美玲", channel="app",
                        now=sh(2026, 11, 20, 21, 0))
    client.force_login(world.users["agent_a"])
    account = client.get(f"/fees/homes/{room.pk}/")
    receipt = client.get(f"/fees/receipts/{paid.pk}/")
    assert account.status_code == receipt.status_code == 200
    assert paid.receipt_number in account.content.decode() and "业主App" in receipt.content.decode()
