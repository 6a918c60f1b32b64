"""The desk's pages as an agent uses them: search, the account, the payment form (ticked bills, errors next to the
fields, a double submit), the receipt and its void; scope and permissions; query counts."""

import pytest
from django.urls import reverse

from propdesk.fees.models import Account, LedgerEntry, Payment
from propdesk.fees.rules.money import chinese_capitals
from propdesk.fees.tests.ledger_check import assert_ledger_balances

from .helpers import billed, open_bills

pytestmark = pytest.mark.django_db


def form(bills, amount, **extra):
    return {"form_token": extra.pop("form_token", "tok-1"), "bills": [str(b.pk) for b in bills], "amount": amount,
            "method": "cash", "payer": "周美玲", "reference": "", **extra}


def test_search_and_account_pages_show_arrears_with_complaints_beside_them(client, world):
    room = billed(world)
    client.force_login(world.users["agent_a"])
    page = client.get(reverse("fees:search"), {"q": "5678"})
    body = page.content.decode()
    assert page.status_code == 200 and reverse("fees:home", args=[room.pk]) in body and "¥807.60" in body
    assert "autofocus" in body and "138****5678" in body
    page = client.get(reverse("fees:home", args=[room.pk]))
    body = page.content.decode()
    assert "捌佰零柒元陆角整" in body and "楼上装修噪音一个月没人管" in body
    assert reverse("fees:pay", args=[room.pk]) in body
    assert 'id="open-complaints"' in body and "2026-09" in body
    nav = [item["name"] for item in page.context["nav_items"]]
    assert "fees:search" in nav and next(i for i in page.context["nav_items"] if i["name"] == "fees:search")["active"]


def test_pay_form_ticks_every_bill_oldest_first_and_prefills_amount_and_owner(client, world):
    room = billed(world, with_complaint=False)
    client.force_login(world.users["agent_a"])
    page = client.get(reverse("fees:pay", args=[room.pk]))
    form_ = page.context["form"]
    assert page.context["ticked"] == {str(b.pk) for b in open_bills(room)}
    assert form_.initial["amount"] == "807.60" and form_.initial["payer"] == "周美玲"
    assert "fees/desk_pay.js" in page.content.decode()


def test_a_payment_goes_to_the_receipt_and_a_double_submit_records_one(client, world):
    room = billed(world, with_complaint=False)
    client.force_login(world.users["agent_a"])
    bills = open_bills(room)[:2]
    amount = f"{sum(b.open_fen for b in bills) / 100:.2f}"
    first = client.post(reverse("fees:pay", args=[room.pk]), form(bills, amount))
    second = client.post(reverse("fees:pay", args=[room.pk]), form(bills, amount))
    payment = Payment.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("fees:receipt", args=[payment.pk])
    receipt = client.get(first["Location"]).content.decode()
    assert payment.receipt_number in receipt and "周美玲" in receipt and "翠湖花园 3-2-1802" in receipt
    assert "张晓燕" in receipt  # the cashier
    assert chinese_capitals(payment.amount_fen) in receipt
    assert_ledger_balances()


@pytest.mark.parametrize(("amount", "field", "extra"), [
    ("-5", "amount", {}), ("1.234", "amount", {}), ("abc", "amount", {}), ("0", "amount", {}),
    ("99999", "amount", {}),  # more than the ticked bills: not matching without "put the rest into prepayment"
    ("10", "bills", {"bills": ["999999"]}),
    ("10", "payer", {"payer": "  "}),
    ("10", "method", {"method": "bitcoin"}),
])
def test_bad_payment_forms_show_the_error_next_to_the_field_and_write_nothing(client, world, amount, field, extra):
    room = billed(world, with_complaint=False)
    client.force_login(world.users["agent_a"])
    data = form(open_bills(room)[:1], amount)
    data.update(extra)
    page = client.post(reverse("fees:pay", args=[room.pk]), data)
    assert page.status_code == 200 and page.context["form"].errors.get(field), page.context["form"].errors
    assert not Payment.objects.exists() and not LedgerEntry.objects.exclude(kind="charge").exists()


def test_form_errors_are_in_chinese(client, world):
    room = billed(world, with_complaint=False)
    client.force_login(world.users["agent_a"])
    page = client.post(reverse("fees:pay", args=[room.pk]), form(open_bills(room)[:1], "99999"))
    assert "金额超过了所选账单的欠费" in page.content.decode()
    page = client.post(reverse("fees:pay", args=[room.pk]), form(open_bills(room)[:1], "1.234"))
    assert "金额最多两位小数" in page.content.decode()


def test_a_bill_of_another_home_is_refused(client, world):
    room = billed(world, with_complaint=False)
    other = world.room(world.project_a, "3-2-1801")  # vacant: billed at 70 %
    client.force_login(world.users["agent_a"])
    assert open_bills(other)
    page = client.post(reverse("fees:pay", args=[room.pk]), form(open_bills(other)[:1], "10"))
    assert page.context["form"].errors["bills"] and not Payment.objects.exists()


def test_the_rest_goes_into_prepayment_only_when_ticked(client, world):
    room = billed(world, with_complaint=False)
    client.force_login(world.users["agent_a"])
    bills = open_bills(room)
    total = sum(b.open_fen for b in bills)
    page = client.post(reverse("fees:pay", args=[room.pk]),
                       form(bills, f"{(total + 10000) / 100:.2f}", prepay_rest="on", method="wechat"))
    assert page.status_code == 302
    account = Account.objects.get(room=room)
    assert (account.owed_fen, account.prepaid_fen) == (0, 10000)
    assert_ledger_balances()


def test_scope_and_permissions(client, world):
    room = billed(world, with_complaint=False)
    client.force_login(world.users["agent_a"])
    client.post(reverse("fees:pay", args=[room.pk]), form(open_bills(room)[:1], "10"))
    payment = Payment.objects.get()
    client.force_login(world.users["agent_b"])  # another project
    for name, args in (("fees:home", [room.pk]), ("fees:pay", [room.pk]), ("fees:receipt", [payment.pk])):
        assert client.get(reverse(name, args=args)).status_code == 404
    assert client.post(reverse("fees:void", args=[payment.pk]), {"reason": "越权"}).status_code == 404
    client.force_login(world.users["technician_a"])  # no VIEW_ACCOUNTS
    assert client.get(reverse("fees:search")).status_code == 403
    client.force_login(world.users["pm_a"])  # sees accounts, takes no payments, voids nothing
    assert client.get(reverse("fees:home", args=[room.pk])).status_code == 200
    assert client.get(reverse("fees:pay", args=[room.pk])).status_code == 403
    assert client.post(reverse("fees:void", args=[payment.pk]), {"reason": "试试"}).status_code == 403
    assert not Payment.objects.get().is_void


def test_the_cashier_voids_their_own_receipt_with_a_reason(client, world):
    room = billed(world, with_complaint=False)
    client.force_login(world.users["agent_a"])
    client.post(reverse("fees:pay", args=[room.pk]), form(open_bills(room)[:1], "10"))
    payment = Payment.objects.get()
    assert client.post(reverse("fees:void", args=[payment.pk]), {"reason": " "}).status_code == 302
    assert not Payment.objects.get().is_void  # no reason: nothing done
    client.post(reverse("fees:void", args=[payment.pk]), {"reason": "金额录错"})
    page = client.get(reverse("fees:receipt", args=[payment.pk])).content.decode()
    assert "金额录错" in page and 'id="void-stamp"' in page and payment.receipt_number in page
    assert Account.objects.get(room=room).owed_fen == sum(b.open_fen for b in open_bills(room))
    assert_ledger_balances()


def test_customer_360_shows_the_fees_of_each_home(client, world):
    room = billed(world, with_complaint=False)
    client.force_login(world.users["agent_a"])
    page = client.get(reverse("customers:resident_detail", args=[world.residents["a_owner"].pk])).content.decode()
    assert 'id="resident-fees"' in page and reverse("fees:home", args=[room.pk]) in page and "¥807.60" in page


def test_page_query_counts_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    room = billed(world, periods=("2026-11",))
    client.force_login(world.users["agent_a"])
    pages = [reverse("fees:home", args=[room.pk]), reverse("fees:pay", args=[room.pk]),
             f"{reverse('fees:search')}?q=3"]
    counts = {}
    for url in pages:
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured.captured_queries)
    billed(world, periods=("2026-06", "2026-07", "2026-08", "2026-09", "2026-10"))
    for n in range(3):
        client.post(reverse("fees:pay", args=[room.pk]), form(open_bills(room)[:1], "1", form_token=f"t{n}"))
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
