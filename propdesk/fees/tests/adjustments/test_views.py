"""The home's adjustments page and the manager's approvals queue."""

import pytest
from django.urls import reverse

from propdesk.fees.models import Adjustment, Bill, Refund
from propdesk.fees.services.adjustments import adjustment_request
from propdesk.fees.services.payments import payment_take
from propdesk.fees.services.refunds import refund_request
from propdesk.fees.tests.ledger_check import assert_ledger_balances

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _page(w):
    return reverse("fees:home_adjustments", args=[w.home.pk])


def test_the_desk_asks_for_a_reduction_and_the_manager_approves_it_from_the_queue(client, fees):
    w = fees
    client.force_login(w.users["agent_a"])
    page = client.get(_page(w))
    assert page.status_code == 200
    text = page.content.decode()
    assert "form-reduce" in text and "form-refund" in text and "form-correct" not in text  # finance corrects
    assert "4.86" in text  # October's late fee accrued so far
    answer = client.post(_page(w), {"action": "reduce", "bill": w.october.pk, "amount": "50",
                                    "reason": "电梯停运两周"})
    assert answer.status_code == 302
    asked = Adjustment.objects.get()
    assert (asked.status, asked.amount_fen, asked.requested_by) == ("pending", -5000, w.users["agent_a"])
    assert "电梯停运两周" in client.get(_page(w)).content.decode()
    assert client.get(reverse("fees:approvals")).status_code == 403  # the desk does not approve
    client.force_login(w.users["pm_a"])
    queue = client.get(reverse("fees:approvals"))
    assert queue.status_code == 200 and "电梯停运两周" in queue.content.decode()
    client.post(reverse("fees:adjustment_decide", args=[asked.pk]), {"decision": "approve", "note": "同意"})
    assert Adjustment.objects.get().status == "approved"
    assert Bill.objects.get(pk=w.october.pk).open_fen == 89 * 280 - 5000
    assert "电梯停运两周" not in client.get(reverse("fees:approvals")).content.decode()
    assert_ledger_balances()


def test_form_errors_stay_on_the_page_and_write_nothing(client, fees):
    w = fees
    client.force_login(w.users["agent_a"])
    for data in ({"action": "reduce", "bill": w.october.pk, "amount": "50", "reason": ""},
                 {"action": "reduce", "bill": w.october.pk, "amount": "-1", "reason": "理由充分"},
                 {"action": "reduce", "bill": "99999999", "amount": "1", "reason": "理由充分"},
                 {"action": "refund", "amount": "10", "method": "cash", "reason": "没有预存"},
                 {"action": "nonsense"}):
        answer = client.post(_page(w), data)
        assert answer.status_code == 400, data
        assert 'class="errorlist"' in answer.content.decode()
    assert client.post(_page(w), {"action": "correct", "bill": w.october.pk, "amount": "1",
                                  "reason": "更正"}).status_code == 403
    assert not Adjustment.objects.exists() and not Refund.objects.exists()


def test_finance_corrects_and_charges_late_fees_from_the_page(client, fees):
    w = fees
    client.force_login(w.users["finance_east"])
    assert client.post(_page(w), {"action": "correct", "bill": w.november.pk, "direction": "reduce",
                                  "amount": "10", "reason": "面积更正"}).status_code == 302
    assert Bill.objects.get(pk=w.november.pk).open_fen == 89 * 280 - 1000
    answer = client.post(_page(w), {"action": "correct", "bill": w.november.pk, "direction": "add", "amount": "20",
                                    "reason": "加回"})
    assert answer.status_code == 400 and "10.00" in answer.content.decode()
    assert client.post(_page(w), {"action": "late_fees"}).status_code == 302
    assert Bill.objects.filter(room=w.home, item__kind="late_fee").count() == 2
    assert_ledger_balances()


def test_another_scope_finds_nothing(client, fees):
    w = fees
    client.force_login(w.users["agent_b"])
    assert client.get(_page(w)).status_code == 404
    asked = adjustment_request(bill=w.october, kind="waiver", amount="5", reason="减免理由", actor=w.users["agent_a"],
                               now=NOW)
    client.force_login(w.users["technician_a"])
    assert client.get(_page(w)).status_code == 403
    assert client.post(reverse("fees:adjustment_decide", args=[asked.pk]), {"decision": "approve"}).status_code == 403
    assert Adjustment.objects.get().status == "pending"


def test_pages_do_not_query_more_with_more_rows(client, fees, django_assert_max_num_queries):
    w = fees
    agent, pm = w.users["agent_a"], w.users["pm_a"]

    def load():
        client.force_login(pm)
        with django_assert_max_num_queries(QUERIES):
            assert client.get(_page(w)).status_code == 200
        with django_assert_max_num_queries(QUERIES):
            assert client.get(reverse("fees:approvals")).status_code == 200

    QUERIES = 20
    adjustment_request(bill=w.october, kind="waiver", amount="1", reason="减免理由一", actor=agent, now=NOW)
    load()
    for n in range(8):
        adjustment_request(bill=w.november, kind="correction", amount="1", reason=f"更正{n}",
                           actor=w.users["finance_east"], now=NOW)
    owed = sum(Bill.objects.filter(room=w.home).values_list("open_fen", flat=True))
    payment_take(room=w.home, amount=f"{(owed + 50000) / 100:.2f}", method="cash", actor=agent, payer="周美玲",
                 now=NOW)
    for n in range(8):
        refund_request(room=w.home, amount="10", method="cash", reason=f"退款{n}", actor=agent, now=NOW)
    for bill in Bill.objects.filter(project=w.project_a, open_fen__gt=0).exclude(room=w.home)[:8]:
        adjustment_request(bill=bill, kind="waiver", amount="1", reason="减免理由多", actor=agent, now=NOW)
    load()
