"""Two cashiers paying the same bill at the same instant (PostgreSQL, real threads): one payment, one clear error."""

import pytest
from django.db import connection

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import make_user, run_together
from propdesk.fees.models import Bill, LedgerEntry, Payment
from propdesk.fees.services.payments import payment_take
from propdesk.fees.tests.ledger_check import assert_ledger_balances

from .helpers import NOW, billed, open_bills

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and ignores SELECT … FOR UPDATE, so there is no "
                    "race to test (CI runs this on PostgreSQL)")


def test_two_cashiers_paying_one_bill_at_once_record_one_payment(world):
    room = billed(world, periods=("2026-11",), with_complaint=False)
    bill = open_bills(room)[0]
    cashiers = [world.users["agent_a"], make_user("agent_a2", role="agent", project=world.project_a,
                                                  display_name="刘芳")]
    amount = f"{bill.open_fen / 100:.2f}"

    results = run_together(*(lambda user=user, n=n: payment_take(
        room=room, amount=amount, method="cash", actor=user, payer="周美玲", bill_ids=[bill.pk], match_chosen=True,
        idempotency_key=f"form-{n}", now=NOW) for n, user in enumerate(cashiers)))

    paid = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(paid) == 1 and len(refused) == 1, results
    assert "bills" in refused[0].field_errors  # "A chosen bill is already paid. Reload the page."
    assert Payment.objects.count() == 1 and Bill.objects.get(pk=bill.pk).open_fen == 0
    assert LedgerEntry.objects.filter(kind="payment").count() == 1
    assert_ledger_balances()
