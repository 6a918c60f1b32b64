"""Deposits 押金 as the desk sees them on a home's account: charged as a bill, paid like any bill, paid back (less
what was kept) through a DEPOSIT_REFUND entry; never paid back beyond what was paid in; left out of late fees."""

from datetime import timedelta

import pytest
from django.urls import reverse

from propdesk.core.errors import ApplicationError
from propdesk.fees.choices import EntryKind, FeeKind
from propdesk.fees.models import FeeItem, LedgerEntry
from propdesk.fees.selectors.accounts import open_bills
from propdesk.fees.services.deposits import deposit_charge, deposit_held_fen, deposit_refund
from propdesk.fees.services.payments import payment_take
from propdesk.fees.tests.ledger_check import assert_ledger_balances
from propdesk.org.models import Room

from .helpers import HOME, NOW

pytestmark = pytest.mark.django_db


def deposit_item(project) -> FeeItem:
    return FeeItem.objects.create(project=project, code="renovation-deposit", name="装修押金", kind=FeeKind.DEPOSIT)


def test_a_paid_deposit_paid_back_less_a_deduction_shows_on_the_account(client, world):
    room = Room.objects.get(project=world.project_a, code=HOME)
    agent = world.users["agent_a"]
    bill = deposit_charge(room=room, item=deposit_item(room.project), amount_fen=300000, note="装修押金 ZX001",
                          actor=agent, now=NOW)
    assert bill.open_fen == 300000  # owed like any bill
    payment_take(room=room, amount="3000", method="wechat", actor=agent, bill_ids=[bill.pk], payer="周美玲",
                 now=NOW + timedelta(hours=1))
    bill.refresh_from_db()
    assert deposit_held_fen(bill) == 300000

    with pytest.raises(ApplicationError) as refused:  # more than was paid in
        deposit_refund(bill=bill, amount_fen=300001, note="装修验收", actor=agent, now=NOW + timedelta(days=40))
    assert refused.value.status_code == 409 and "amount" in refused.value.field_errors
    deposit_refund(bill=bill, amount_fen=280000, note="装修押金退还 ZX001", actor=agent, now=NOW + timedelta(days=40))
    assert deposit_held_fen(bill) == 20000
    entry = LedgerEntry.objects.get(bill=bill, kind=EntryKind.DEPOSIT_REFUND)
    assert (entry.cash_fen, entry.receivable_fen, entry.prepaid_fen) == (-280000, 0, 0)
    assert_ledger_balances()

    client.force_login(agent)
    page = client.get(reverse("fees:home", args=[room.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and 'id="deposits"' in body
    assert "装修押金 ZX001" in body and "退还 ¥2,800.00" in body and "¥200.00" in body


def test_an_unpaid_deposit_cannot_be_paid_back_and_accrues_no_late_fee(world):
    room = Room.objects.get(project=world.project_a, code=HOME)
    item = deposit_item(room.project)
    FeeItem.objects.filter(pk=item.pk).update(late_daily_bp=5)  # even with a late-fee rate set on the item
    bill = deposit_charge(room=room, item=item, amount_fen=300000, note="", actor=world.users["agent_a"], now=NOW)
    with pytest.raises(ApplicationError):
        deposit_refund(bill=bill, amount_fen=100, note="", actor=world.users["agent_a"], now=NOW)
    [shown] = open_bills(room_id=room.pk, on=NOW.date() + timedelta(days=60))  # two months unpaid
    assert shown.days_overdue == 60 and shown.late_fee_fen == 0
