"""The gateway delivering one callback four times at the same instant, with real threads on PostgreSQL: one payment."""

import pytest
from django.db import connection

from propdesk.core.testing import run_together
from propdesk.fees.models import LedgerEntry, OnlineOrder, Payment
from propdesk.fees.services.online import online_callback
from propdesk.fees.tests.ledger_check import assert_ledger_balances

from .helpers import NOW, billed, open_bills, order_for, signed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers and ignores SELECT … FOR UPDATE, so there is no "
                    "race to test (CI runs this on PostgreSQL)")


def test_four_identical_callbacks_at_once_record_one_payment(world):
    room = billed(world)
    order = order_for(world, room, open_bills(room))
    payload = signed(order)
    results = run_together(*(lambda: online_callback(payload=payload, now=NOW) for _ in range(4)))
    assert all(isinstance(r, OnlineOrder) for r in results), results
    assert {r.payment_id for r in results} == {Payment.objects.get().pk}
    assert LedgerEntry.objects.filter(kind="payment").count() == len(order.bill_ids)
    assert_ledger_balances()
