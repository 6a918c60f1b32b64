"""Races with real threads on PostgreSQL: a manager approving a reduction while the cashier takes the bill's payment,
a refund approved while the prepayment pays a bill, two cashiers charging late fees at once."""

from datetime import date

import pytest
from django.db import connection, transaction

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import run_together
from propdesk.fees.models import Account, Adjustment, Bill, LedgerEntry, Payment, Refund
from propdesk.fees.services import ledger
from propdesk.fees.services.adjustments import adjustment_decide, adjustment_request
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.services.late_fees import late_fees_charge
from propdesk.fees.services.payments import payment_take
from propdesk.fees.services.refunds import refund_decide, refund_request
from propdesk.fees.services.setup import fee_items_standard
from propdesk.fees.tests.ledger_check import assert_ledger_balances

from .conftest import NOW

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and ignores SELECT … FOR UPDATE, so there is no "
                    "race to test (CI runs this on PostgreSQL)")


@pytest.fixture
def home(world):
    fee_items_standard(project=world.project_a, effective_from=date(2026, 1, 1))
    room = world.room(world.project_a, "3-2-1802")
    bills_generate(project=world.project_a, period_key="2026-10", now=NOW, room_ids=[room.pk])
    return room


def test_approving_a_reduction_while_the_bill_is_paid_never_makes_it_negative(world, home):
    agent, pm = world.users["agent_a"], world.users["pm_a"]
    for round_ in range(4):
        bill = _fresh_bill(world, home, round_)  # a one-off charge of 800 yuan, due
        owed = bill.open_fen
        asked = adjustment_request(bill=bill, kind="waiver", amount=f"{owed / 100:.2f}", reason="全额减免测试",
                                   actor=agent, now=NOW)
        results = run_together(
            lambda a=asked: adjustment_decide(adjustment=a, actor=pm, approve=True, now=NOW),
            lambda b=bill, o=owed: payment_take(room=home, amount=f"{o / 100:.2f}", method="cash", actor=agent,
                                                payer="周美玲", bill_ids=[b.pk], match_chosen=True, now=NOW))
        bill.refresh_from_db()
        assert bill.open_fen == 0
        won = [r for r in results if not isinstance(r, Exception)]
        assert len(won) == 1, results  # either the reduction or the payment, never both
        assert all(isinstance(r, ApplicationError) for r in results if isinstance(r, Exception)), results
    assert_ledger_balances()


def _fresh_bill(world, home, n):
    item = home.project.fee_items.get(code="reno_waste")
    with transaction.atomic():
        account = ledger.account_lock(room=home)
        bill = Bill.objects.create(project=home.project, room=home, item=item, period_key=f"race-{n}",
                                   period_start=date(2026, 11, 1), period_end=date(2026, 11, 2),
                                   due_date=date(2026, 11, 1), amount_fen=80000, open_fen=0, issued_at=NOW)
        ledger.post(account=account, kind="charge", at=NOW, bill=bill, receivable=80000)
        ledger.account_refresh(account)
    return bill


def test_a_refund_approved_while_the_prepayment_pays_a_bill_never_overdraws(world, home):
    agent, pm = world.users["agent_a"], world.users["pm_a"]
    owed = Account.objects.get(room=home).owed_fen
    payment_take(room=home, amount=f"{(owed + owed) / 100:.2f}", method="cash", actor=agent, payer="周美玲",
                 bill_ids=None, now=NOW)  # pays everything and leaves `owed` prepaid
    bill = _fresh_bill(world, home, 9)
    prepaid = Account.objects.get(room=home).prepaid_fen
    refund = refund_request(room=home, amount=f"{prepaid / 100:.2f}", method="cash", reason="全额退预存",
                            actor=agent, now=NOW)
    results = run_together(
        lambda: refund_decide(refund=refund, actor=pm, approve=True, now=NOW),
        lambda: payment_take(room=home, amount=f"{min(prepaid, bill.open_fen) / 100:.2f}", method="prepaid",
                             actor=agent, payer="周美玲", bill_ids=[bill.pk], match_chosen=True, now=NOW))
    assert Account.objects.get(room=home).prepaid_fen >= 0
    assert len([r for r in results if not isinstance(r, Exception)]) == 1, results
    assert Refund.objects.get().status in ("pending", "approved")
    assert_ledger_balances()


def test_two_cashiers_charging_late_fees_at_once_issue_them_once(world, home):
    agent, steward = world.users["agent_a"], world.users["steward_a"]
    results = run_together(lambda: late_fees_charge(room=home, actor=agent, now=NOW),
                           lambda: late_fees_charge(room=home, actor=steward, now=NOW))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(len(r) for r in results) == [0, 1]
    assert Bill.objects.filter(room=home, item__kind="late_fee").count() == 1
    assert LedgerEntry.objects.filter(kind="charge", bill__item__kind="late_fee").count() == 1
    assert not Payment.objects.exists() and not Adjustment.objects.exists()
    assert_ledger_balances()
