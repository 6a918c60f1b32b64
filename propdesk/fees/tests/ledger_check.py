"""The ledger invariant, for any test: every balance shown is the sum of the ledger."""

from django.db.models import Sum

from propdesk.fees.models import Account, Bill, LedgerEntry, Payment


def assert_ledger_balances() -> None:
    by_bill = dict(LedgerEntry.objects.exclude(bill=None).values_list("bill").annotate(s=Sum("receivable_fen")))
    charged = dict(LedgerEntry.objects.filter(kind="charge").values_list("bill").annotate(s=Sum("receivable_fen")))
    for bill in Bill.objects.all():
        assert bill.open_fen == by_bill.get(bill.pk, 0), f"bill {bill.pk}: {bill.open_fen} ≠ ledger"
        assert bill.amount_fen == charged.get(bill.pk, 0), f"bill {bill.pk}: amount ≠ its charge"
    prepaid = dict(LedgerEntry.objects.values_list("room").annotate(s=Sum("prepaid_fen")))
    for account in Account.objects.all():
        assert account.prepaid_fen == prepaid.get(account.room_id, 0), f"room {account.room_id}: prepaid ≠ ledger"
        owed = Bill.objects.filter(room_id=account.room_id).aggregate(s=Sum("open_fen"))["s"] or 0
        assert account.owed_fen == owed, f"room {account.room_id}: owed {account.owed_fen} ≠ open bills {owed}"
    cash = dict(LedgerEntry.objects.exclude(payment=None).values_list("payment").annotate(s=Sum("cash_fen")))
    for payment in Payment.objects.all():
        expected = 0 if payment.is_void or payment.method == "prepaid" else payment.amount_fen
        assert cash.get(payment.pk, 0) == expected, f"payment {payment.receipt_number}: cash ≠ ledger"
