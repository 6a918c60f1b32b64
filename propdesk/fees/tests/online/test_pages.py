"""The resident's fees pages, end to end: they see their own home's bills only, tick and pay through the simulated
gateway's cashier page, come back to 已缴清 and open their receipt; staff have no such pages."""

from datetime import timedelta

import pytest
from django.urls import reverse

from propdesk.fees.models import Bill, OnlineOrder, Payment
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.tests.ledger_check import assert_ledger_balances

from .helpers import NOW, billed, open_bills, order_for

pytestmark = pytest.mark.django_db


def test_the_resident_sees_only_their_homes_bills(world, client):
    room = billed(world)
    client.force_login(world.users["resident_a"])
    page = client.get(reverse("fees:my_account"))
    assert page.status_code == 200
    shown = {b.pk for b in page.context["account"].bills}
    assert shown == {b.pk for b in open_bills(room)}
    assert page.context["account"].owed_fen == sum(b.open_fen for b in open_bills(room))
    others = Bill.objects.exclude(room=room).values_list("pk", flat=True)
    assert not shown & set(others)
    html = page.content.decode()
    assert "物业服务费" in html and "3-2-1802" in html
    home = client.get(reverse("portal:home"))
    assert reverse("fees:my_account") in home.content.decode() and home.context["fees_owed"] != "0.00"


def test_staff_have_no_resident_fee_pages(world, client):
    room = billed(world)
    order = order_for(world, room, open_bills(room))
    client.force_login(world.users["agent_a"])
    assert client.get(reverse("fees:my_account")).status_code == 404
    assert client.get(reverse("fees:gateway", args=[order.out_trade_no])).status_code == 404
    assert client.post(reverse("fees:my_pay"), {"bills": [open_bills(room)[0].pk], "method": "wechat"}).status_code \
        == 404
    client.logout()
    assert client.get(reverse("fees:my_account")).status_code == 302  # to the sign-in page


def test_paying_through_the_simulated_gateway_end_to_end(world, client):
    room = billed(world)
    bills = open_bills(room)
    client.force_login(world.users["resident_a"])
    answer = client.post(reverse("fees:my_pay"), {"bills": [b.pk for b in bills], "method": "wechat"})
    order = OnlineOrder.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("fees:gateway", args=[order.out_trade_no])
    cashier = client.get(answer["Location"])
    assert cashier.status_code == 200 and f"{order.amount_fen / 100:.2f}" in cashier.content.decode()
    back = client.post(answer["Location"], {"action": "confirm"}, follow=True)
    assert back.status_code == 200 and back.request["PATH_INFO"] == reverse("fees:my_account")
    html = back.content.decode()
    payment = Payment.objects.get()
    assert "已缴清" in html and payment.receipt_number in html
    assert back.context["account"].owed_fen == 0 and not Bill.objects.filter(room=room, open_fen__gt=0).exists()
    again = client.post(reverse("fees:gateway", args=[order.out_trade_no]), {"action": "confirm"})
    assert again.status_code == 200 and Payment.objects.count() == 1  # already paid: nothing more
    receipt = client.get(reverse("fees:my_receipt", args=[payment.pk]))
    assert receipt.status_code == 200 and payment.receipt_number in receipt.content.decode()
    assert "元" in receipt.content.decode() or "圆" in receipt.content.decode()  # the amount in capitals
    assert_ledger_balances()


def test_cancel_at_the_cashier_records_nothing(world, client):
    room = billed(world)
    client.force_login(world.users["resident_a"])
    client.post(reverse("fees:my_pay"), {"bills": [open_bills(room)[0].pk], "method": "alipay"})
    order = OnlineOrder.objects.get()
    answer = client.post(reverse("fees:gateway", args=[order.out_trade_no]), {"action": "cancel"})
    assert answer.status_code == 302 and not Payment.objects.exists()
    order.refresh_from_db()
    assert order.status == "failed"


def test_another_homes_bill_receipt_and_order_are_refused(world, client):
    room = billed(world)
    other = world.room(world.project_a, "3-2-1801")
    other_bill = Bill.objects.filter(room__project=world.project_a).exclude(room=room).first()
    from propdesk.fees.services.payments import payment_take

    theirs = payment_take(room=other_bill.room, amount="10", method="cash", actor=world.users["agent_a"],
                          payer="邻居", now=NOW)
    client.force_login(world.users["resident_a"])
    answer = client.post(reverse("fees:my_pay"), {"bills": [other_bill.pk], "method": "wechat"}, follow=True)
    assert answer.status_code == 200 and not OnlineOrder.objects.exists()
    assert "所选账单不是本户的待缴账单" in answer.content.decode()
    assert client.get(reverse("fees:my_receipt", args=[theirs.pk])).status_code == 404
    assert other.pk != room.pk


def test_the_account_page_reads_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    room = billed(world)
    client.force_login(world.users["resident_a"])
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("fees:my_account"))
    for month in ("2026-06", "2026-07", "2026-08", "2026-09"):
        bills_generate(project=world.project_a, period_key=month, now=NOW - timedelta(days=120))
    from propdesk.fees.services.payments import payment_take

    for _ in range(4):
        payment_take(room=room, amount="5", method="cash", actor=world.users["agent_a"], payer="周美玲", now=NOW)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("fees:my_account"))
    assert len(page.context["account"].bills) > 6 and len(page.context["account"].payments) == 4
