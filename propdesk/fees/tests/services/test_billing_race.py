"""Billing races that only a real database shows, with real threads on PostgreSQL: two billing runs of the same month
at once, and a billing run while a cashier takes a payment from the prepayment of a home it bills."""

from collections import Counter
from datetime import date

import pytest
from django.db import connection

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import run_together, sh
from propdesk.fees.models import Account, Bill, LedgerEntry, Payment
from propdesk.fees.services.billing import GenerateResult, bills_generate
from propdesk.fees.services.payments import payment_take
from propdesk.fees.services.setup import fee_items_standard
from propdesk.fees.tests.ledger_check import assert_ledger_balances

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
NOW = sh(2026, 11, 23, 10, 0)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and ignores SELECT … FOR UPDATE, so there is no "
                    "race to test (CI runs this on PostgreSQL)")



@pytest.fixture
def fees(world):
    fee_items_standard(project=world.project_a, effective_from=date(2026, 1, 1))
    return world


def test_two_billing_runs_of_the_same_month_at_once_issue_each_bill_once(fees):
    project = fees.project_a
    results = run_together(*(lambda: bills_generate(project=project, period_key="2026-11", now=NOW)
                             for _ in range(2)))

    assert all(isinstance(result, GenerateResult) for result in results), results
    bills = Bill.objects.filter(project=project, period_key__in=["2026-11", "2026-Q4"])
    keys = Counter(bills.values_list("room_id", "item_id", "period_key"))
    assert keys and max(keys.values()) == 1
    # Between them the two runs created every bill once, and nothing is left for a third.
    assert sum(result.created for result in results) == bills.count()
    assert bills_generate(project=project, period_key="2026-11", now=NOW).created == 0
    assert LedgerEntry.objects.filter(kind="charge").count() == bills.count()
    assert_ledger_balances()


def test_a_billing_run_while_a_payment_draws_the_prepayment_keeps_the_ledger_balanced(fees):
    world = fees
    project = world.project_a
    room = world.room(project, "3-2-1802")
    cashier = world.users["agent_a"]
    bills_generate(project=project, period_key="2026-10", now=sh(2026, 10, 1, 2, 0))
    october = Bill.objects.get(room=room, item__code="property", period_key="2026-10")
    garbage = Bill.objects.get(room=room, item__code="garbage", period_key="2026-Q4")
    # October's property fee and 1,000 yuan kept as prepayment (预存); the quarter's garbage fee is still open.
    payment_take(room=room, amount=october.amount_fen + 100_000, method="cash", actor=cashier, payer="周美玲",
                 bill_ids=[october.pk], now=sh(2026, 10, 10, 9))
    assert Account.objects.get(room=room).prepaid_fen == 100_000

    # November's run draws the prepayment of this home while the cashier pays the garbage fee from it: both lock the
    # home's account, so one waits for the other and sees what the other left.
    results = run_together(
        lambda: bills_generate(project=project, period_key="2026-11", now=NOW),
        lambda: payment_take(room=room, amount=garbage.amount_fen, method="prepaid", actor=cashier, payer="周美玲",
                             bill_ids=[garbage.pk], match_chosen=True, now=NOW),
    )

    assert isinstance(results[0], GenerateResult), results
    # The cashier either paid it first, or found it already drawn by the run ("already paid"): never both.
    assert isinstance(results[1], Payment | ApplicationError), results
    garbage.refresh_from_db()
    assert garbage.open_fen == 0
    draws = LedgerEntry.objects.filter(bill=garbage, kind="prepay_draw")
    assert draws.count() == 1 and draws.get().receivable_fen == -garbage.amount_fen
    november = Bill.objects.get(room=room, item__code="property", period_key="2026-11")
    account = Account.objects.get(room=room)
    assert account.prepaid_fen == 100_000 - garbage.amount_fen - (november.amount_fen - november.open_fen)
    assert_ledger_balances()
