"""At the front desk, in a real browser: the agent signs in, searches the resident's phone, sees the arrears with an
open complaint beside them, takes a payment (the amount follows the ticked bills) and gets the printable receipt
with its number and the amount in Chinese capitals."""

import pytest

from propdesk.browser_testing import browser_page, requires_chromium, wait_for_js
from propdesk.core.testing import PASSWORD
from propdesk.fees.models import Payment
from propdesk.fees.rules.money import chinese_capitals

from .helpers import billed

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_agent_finds_a_home_by_phone_takes_a_payment_and_prints_the_receipt(live_server, world):
    billed(world)  # 807.60 owed over five bills, and an open complaint
    with browser_page() as page:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "agent_a")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.click(".mainnav a[href='/fees/']")
        page.fill("#fees-q", "13812345678")
        page.press("#fees-q", "Enter")
        page.wait_for_selector("#fees-results .home-hit")
        assert "¥807.60" in page.inner_text("#fees-results")
        page.click("#fees-results a.home-link")
        page.wait_for_selector("#account-totals")
        assert "捌佰零柒元陆角整" in page.inner_text("#owed-capitals")
        assert "楼上装修噪音一个月没人管" in page.inner_text("#open-complaints")

        page.click("#take-payment")
        page.wait_for_selector("#pay-form")
        assert page.input_value("#id_amount") == "807.60"
        boxes = page.locator("input[name=bills]")
        last = boxes.nth(boxes.count() - 1)
        fen = int(last.get_attribute("data-fen"))
        last.uncheck()  # the JS recomputes the amount from the ticked bills
        expected = f"{(80760 - fen) // 100}.{(80760 - fen) % 100:02d}"
        wait_for_js(page, f"() => document.getElementById('id_amount').value === '{expected}'")
        page.check("input[name=method][value=wechat]")
        page.fill("#id_reference", "4200001234202611")
        page.click("#pay-submit")
        page.wait_for_selector("#receipt")
        number = page.inner_text("#receipt-number")
        assert page.inner_text("#amount-words") == chinese_capitals(80760 - fen)
        assert page.inner_text("#amount") == f"¥{expected}"
    payment = Payment.objects.get()  # after the browser: the live server shares the test's connection on SQLite
    assert number == payment.receipt_number and payment.amount_fen == 80760 - fen and payment.method == "wechat"
