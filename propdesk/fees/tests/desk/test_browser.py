"""At the front desk, in a real browser: the agent signs in, searches the resident's phone, sees the arrears with an
open complaint beside them, takes a payment (the amount follows the ticked bills) and gets the printable receipt
with its number and the amount in Chinese capitals. Then the resident, on a phone: the bills the agent took are paid
in the app, the one left is owed, and paying it through the (simulated) gateway leaves the home all paid up."""

import pytest

from propdesk.browser_testing import browser_page, requires_chromium, wait_for_js
from propdesk.core.testing import PASSWORD
from propdesk.fees.models import Account, Payment
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

        # The resident (周美玲, the owner) on their phone: the payment is there, the bill left is owed; they pay it.
        phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
        phone.set_default_timeout(15000)
        phone.goto(f"{live_server.url}/login/")
        phone.fill("#id_username", "resident_a")
        phone.fill("#id_password", PASSWORD)
        phone.click("form:has(input[name=password]) button[type=submit]")
        phone.wait_for_load_state()
        phone.goto(f"{live_server.url}/my/fees/")
        phone.wait_for_selector("#my-fees")
        assert f"¥{fen // 100}.{fen % 100:02d}" in phone.inner_text("#owed-amount")
        assert number in phone.inner_text("#my-fees")  # the desk's receipt, in the resident's history
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.click("#pay-button")
        phone.wait_for_selector("#gateway")
        phone.click("#gateway-confirm")
        phone.wait_for_selector("#paid-banner")
        assert "已缴清" in phone.inner_text("#my-fees")
        phone.screenshot(path="/tmp/fees_resident_paid_390.png", full_page=True)
        phone.context.close()
    # after the browser: the live server shares the test's connection on SQLite
    desk, app = Payment.objects.order_by("pk")
    assert number == desk.receipt_number and desk.amount_fen == 80760 - fen and desk.method == "wechat"
    assert (app.channel, app.amount_fen) == ("app", fen)
    assert Account.objects.get(room=desk.room).owed_fen == 0
