"""Reductions, corrections, late fees and refunds through the services; every balance recomputed from the ledger."""

import pytest

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import sh
from propdesk.fees.models import Account, Adjustment, Bill, LedgerEntry, Refund
from propdesk.fees.services.adjustments import adjustment_decide, adjustment_request
from propdesk.fees.services.late_fees import late_fees_accrued, late_fees_charge
from propdesk.fees.services.payments import payment_take
from propdesk.fees.services.refunds import refund_decide, refund_request
from propdesk.fees.tests.ledger_check import assert_ledger_balances

from .conftest import NOW

pytestmark = pytest.mark.django_db
MONTH = 89 * 280  # 24,920 fen: 89 m² × 2.80 元


def _errors(call, **kwargs):
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    return caught.value


def test_a_reduction_waits_for_another_manager_then_is_its_own_signed_entry(fees):
    w = fees
    agent, pm = w.users["agent_a"], w.users["pm_a"]
    asked = adjustment_request(bill=w.october, kind="waiver", amount="100.00", reason="漏水影响居住，减免一百元",
                               actor=agent, now=NOW)
    w.october.refresh_from_db()
    assert asked.status == "pending" and asked.amount_fen == -10000 and w.october.open_fen == MONTH
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()
    done = adjustment_decide(adjustment=asked, actor=pm, approve=True, note="同意", now=NOW)
    w.october.refresh_from_db()
    entry = LedgerEntry.objects.get(kind="adjustment")
    assert done.status == "approved" and done.decided_by == pm and w.october.open_fen == MONTH - 10000
    assert (entry.receivable_fen, entry.actor, entry.adjustment, entry.note) == (-10000, pm, done,
                                                                                  "漏水影响居住，减免一百元")
    assert w.october.amount_fen == MONTH  # never an edit of the bill
    assert Account.objects.get(room=w.home).owed_fen == 2 * MONTH + 3000 - 10000
    error = _errors(adjustment_decide, adjustment=done, actor=w.users["leader_east"], approve=True, now=NOW)
    assert error.status_code == 409
    assert_ledger_balances()


def test_nobody_approves_their_own_request_and_only_managers_decide(fees):
    w = fees
    pm = w.users["pm_a"]
    asked = adjustment_request(bill=w.october, kind="waiver", amount="50", reason="经理申请的减免", actor=pm, now=NOW)
    assert _errors(adjustment_decide, adjustment=asked, actor=pm, approve=True, now=NOW).status_code == 403
    for user in ("agent_a", "finance_east", "steward_a"):
        assert _errors(adjustment_decide, adjustment=asked, actor=w.users[user], approve=True,
                       now=NOW).status_code == 403
    assert Adjustment.objects.get(pk=asked.pk).status == "pending"
    adjustment_decide(adjustment=asked, actor=w.users["leader_east"], approve=True, now=NOW)
    assert Adjustment.objects.get(pk=asked.pk).status == "approved"
    assert_ledger_balances()


def test_bad_requests_are_refused_on_their_field_and_write_nothing(fees):
    w = fees
    agent = w.users["agent_a"]
    cases = [
        (dict(kind="waiver", amount="100", reason=""), "reason"),  # a waiver without a reason
        (dict(kind="waiver", amount="100", reason="   "), "reason"),
        (dict(kind="waiver", amount="-5", reason="减免理由"), "amount"),
        (dict(kind="waiver", amount="0", reason="减免理由"), "amount"),
        (dict(kind="waiver", amount="1.234", reason="减免理由"), "amount"),
        (dict(kind="waiver", amount="250", reason="减免理由"), "amount"),  # more than the bill owes
        (dict(kind="bogus", amount="1", reason="减免理由"), "kind"),
        (dict(kind="late_fee_waiver", amount="1", reason="减免理由"), "bill"),  # not a late-fee bill
        (dict(kind="waiver", amount="1", reason="减免理由", direction="add"), "direction"),
    ]
    for kwargs, field in cases:
        error = _errors(adjustment_request, bill=w.october, actor=agent, now=NOW, **kwargs)
        assert field in error.field_errors, (kwargs, error.field_errors)
    assert _errors(adjustment_request, bill=w.october, kind="correction", amount="1", reason="更正面积",
                   actor=agent, now=NOW).status_code == 403  # a correction is finance's
    assert _errors(adjustment_request, bill=w.october, kind="waiver", amount="1", reason="减免理由",
                   actor=w.users["technician_a"], now=NOW).status_code == 403
    assert not Adjustment.objects.exists()
    # Pending reductions count: two of 150 yuan cannot both wait on a bill of 249.20.
    adjustment_request(bill=w.october, kind="waiver", amount="150", reason="第一笔减免", actor=agent, now=NOW)
    error = _errors(adjustment_request, bill=w.october, kind="waiver", amount="150", reason="第二笔减免",
                    actor=agent, now=NOW)
    assert "99.20" in error.field_errors["amount"][0]


def test_a_bill_paid_meanwhile_refuses_the_approval_and_never_goes_negative(fees):
    w = fees
    asked = adjustment_request(bill=w.october, kind="waiver", amount="200", reason="空置期减免",
                               actor=w.users["agent_a"], now=NOW)
    payment_take(room=w.home, amount="249.20", method="cash", actor=w.users["agent_a"], payer="周美玲",
                 bill_ids=[w.october.pk], match_chosen=True, now=NOW)
    error = _errors(adjustment_decide, adjustment=asked, actor=w.users["pm_a"], approve=True, now=NOW)
    assert error.status_code == 409 and "0.00" in error.message
    assert Adjustment.objects.get(pk=asked.pk).status == "pending"
    assert Bill.objects.get(pk=w.october.pk).open_fen == 0
    assert _errors(adjustment_decide, adjustment=asked, actor=w.users["pm_a"], approve=False, note="",
                   now=NOW).field_errors["note"]
    refused = adjustment_decide(adjustment=asked, actor=w.users["pm_a"], approve=False, note="已缴清，不再减免",
                                now=NOW)
    assert (refused.status, refused.decision_note) == ("refused", "已缴清，不再减免")
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()
    assert_ledger_balances()


def test_finance_corrects_at_once_and_adds_back_only_what_reductions_took(fees):
    w = fees
    finance = w.users["finance_east"]
    fixed = adjustment_request(bill=w.november, kind="correction", amount="24.92", reason="面积核减为80.1平方米",
                               actor=finance, now=NOW)
    assert fixed.status == "approved" and fixed.decided_by == finance
    assert Bill.objects.get(pk=w.november.pk).open_fen == MONTH - 2492
    error = _errors(adjustment_request, bill=w.november, kind="correction", amount="30", reason="改回原面积",
                    actor=finance, now=NOW, direction="add")
    message = error.field_errors["amount"][0]
    assert "24.92" in message and "一次性账单" in message  # more is a new one-off bill
    back = adjustment_request(bill=w.november, kind="correction", amount="24.92", reason="改回原面积",
                              actor=finance, now=NOW, direction="add")
    assert back.amount_fen == 2492 and Bill.objects.get(pk=w.november.pk).open_fen == MONTH
    assert _errors(adjustment_request, bill=w.november, kind="correction", amount="0.01", reason="再加一分",
                   actor=finance, now=NOW, direction="add").field_errors["amount"]
    assert_ledger_balances()


def test_late_fees_accrue_per_overdue_bill_are_charged_once_and_waived_by_a_manager(fees):
    w = fees
    today = NOW.date()
    accrued = dict((bill.pk, fen) for bill, fen in late_fees_accrued(room=w.home, on=today))
    # 0.05 % a day: October 39 days late, November 8; the garbage fee has no late fee.
    assert accrued == {w.october.pk: 486, w.november.pk: 100}
    agent = w.users["agent_a"]
    bills = late_fees_charge(room=w.home, actor=agent, now=NOW)
    assert sorted(b.amount_fen for b in bills) == [100, 486]
    late = next(b for b in bills if b.source_id == w.october.pk)
    assert late.period_key == f"late-{w.october.pk}-1" and late.item.kind == "late_fee" and late.open_fen == 486
    assert late_fees_charge(room=w.home, actor=agent, now=NOW) == []  # nothing twice
    assert late_fees_accrued(room=w.home, on=today) == []
    later = late_fees_accrued(room=w.home, on=today.replace(day=30))
    assert dict((b.pk, fen) for b, fen in later)[w.october.pk] == 573 - 486  # 46 days, minus what was charged
    with pytest.raises(ApplicationError):
        late_fees_charge(room=w.home, actor=w.users["technician_a"], now=NOW)
    # A waiver of a late fee: a reason of at least 4 characters, a manager, within the late fee.
    assert _errors(adjustment_request, bill=late, kind="late_fee_waiver", amount="4.86", reason="ok", actor=agent,
                   now=NOW).field_errors["reason"]
    assert _errors(adjustment_request, bill=late, kind="waiver", amount="4.86", reason="首次逾期免收",
                   actor=agent, now=NOW).field_errors["kind"]
    assert _errors(adjustment_request, bill=late, kind="late_fee_waiver", amount="4.87", reason="首次逾期免收",
                   actor=agent, now=NOW).field_errors["amount"]
    waiver = adjustment_request(bill=late, kind="late_fee_waiver", amount="4.86", reason="首次逾期免收", actor=agent,
                                now=NOW)
    adjustment_decide(adjustment=waiver, actor=w.users["pm_a"], approve=True, now=NOW)
    assert Bill.objects.get(pk=late.pk).open_fen == 0
    assert late_fees_accrued(room=w.home, on=today) == []  # a waived late fee is not charged again
    assert_ledger_balances()


def test_a_refund_comes_only_from_the_prepayment_and_needs_another_manager(fees):
    w = fees
    agent, pm = w.users["agent_a"], w.users["pm_a"]
    owed = Account.objects.get(room=w.home).owed_fen
    payment_take(room=w.home, amount=f"{(owed + 30000) / 100:.2f}", method="cash", actor=agent, payer="周美玲",
                 now=NOW)
    assert Account.objects.get(room=w.home).prepaid_fen == 30000
    error = _errors(refund_request, room=w.home, amount="300.01", method="cash", reason="搬离退预存", actor=agent,
                    now=NOW)
    assert "300.00" in error.field_errors["amount"][0]
    for kwargs, field in ((dict(amount="10", method="prepaid", reason="退款"), "method"),
                          (dict(amount="10", method="cash", reason=" "), "reason"),
                          (dict(amount="0", method="cash", reason="退款"), "amount")):
        assert field in _errors(refund_request, room=w.home, actor=agent, now=NOW, **kwargs).field_errors
    refund = refund_request(room=w.home, amount="200", method="transfer", reason="搬离退预存", actor=agent, now=NOW)
    assert refund.status == "pending" and Account.objects.get(room=w.home).prepaid_fen == 30000
    # what waits for approval counts against the balance
    assert _errors(refund_request, room=w.home, amount="150", method="cash", reason="再退一笔", actor=agent,
                   now=NOW).field_errors["amount"]
    assert _errors(refund_decide, refund=refund, actor=agent, approve=True, now=NOW).status_code == 403
    paid = refund_decide(refund=refund, actor=pm, approve=True, note="核实无误", now=NOW)
    entry = LedgerEntry.objects.get(kind="refund")
    assert paid.status == "approved" and (entry.prepaid_fen, entry.cash_fen, entry.refund) == (-20000, -20000, paid)
    assert Account.objects.get(room=w.home).prepaid_fen == 10000
    assert _errors(refund_decide, refund=paid, actor=pm, approve=True, now=NOW).status_code == 409
    assert_ledger_balances()


def test_a_refund_approved_after_the_prepayment_was_spent_is_refused(fees):
    w = fees
    agent, pm = w.users["agent_a"], w.users["pm_a"]
    payment_take(room=w.home, amount="100", method="cash", actor=agent, payer="周美玲", bill_ids=[w.october.pk],
                 now=NOW)
    owed = Account.objects.get(room=w.home).owed_fen
    payment_take(room=w.home, amount=f"{(owed + 5000) / 100:.2f}", method="cash", actor=agent, payer="周美玲",
                 now=NOW)
    refund = refund_request(room=w.home, amount="50", method="cash", reason="多缴退回", actor=agent, now=NOW)
    # December's bill draws the prepayment down (billing applies it)
    from propdesk.fees.services.billing import bills_generate

    bills_generate(project=w.project_a, period_key="2026-12", now=sh(2026, 12, 1, 9, 0))
    assert Account.objects.get(room=w.home).prepaid_fen == 0
    error = _errors(refund_decide, refund=refund, actor=pm, approve=True, now=NOW)
    assert error.status_code == 409 and Refund.objects.get(pk=refund.pk).status == "pending"
    assert not LedgerEntry.objects.filter(kind="refund").exists()
    assert_ledger_balances()
