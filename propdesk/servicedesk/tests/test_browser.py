"""A phone complaint from intake to the reply, in a real browser: the agent records and dispatches it, the project
manager sees it in the inbox, the technician accepts and completes it on a phone-sized screen with the resident's
signature, and the agent answers the resident."""

import pytest

from propdesk.browser_testing import browser_page, requires_chromium
from propdesk.browser_testing import sign_in as shared_sign_in

pytestmark = [pytest.mark.browser, requires_chromium]


def sign_in(page, live_server, username):
    # The shared sign-in waits until the page is idle: htmx has bound its triggers before a test types.
    shared_sign_in(page, live_server.url, username)


@pytest.mark.django_db(transaction=True)
def test_phone_complaint_from_intake_to_reply(live_server, world):
    from propdesk.servicedesk.models import ServiceRequest

    with browser_page() as page:
        sign_in(page, live_server, "agent_a")
        page.goto(f"{live_server.url}/desk/intake/")
        page.fill("#caller-search", "5678")
        page.locator("a.resident-hit", has_text="周美玲").click()
        page.wait_for_selector("#caller-card")
        page.check("input[name=kind][value=complaint]")
        page.fill("#id_description", "维修工上门态度差，还把地板弄脏了")
        page.fill("#id_resident_request", "要求道歉并清洁地板")
        page.select_option("#id_complaint_category", "service")
        page.select_option("#id_severity", "important")
        page.select_option("#id_emotion", "angry")
        page.select_option("#id_dispatch", label="刘师傅")
        page.click("#record-button")
        page.wait_for_selector("#request-title")
        assert "投诉" in page.inner_text("#request-title") and "重要" in page.inner_text("#request-title")
    sr = ServiceRequest.objects.get()

    with browser_page() as page:  # the project manager sees the complaint arrive in the inbox
        sign_in(page, live_server, "pm_a")
        assert page.inner_text("#unread-count") == "1"
        page.click("#inbox-link")
        page.locator("button.inbox-item", has_text=sr.number).click()
        page.wait_for_selector("#acknowledge")
        page.click("#acknowledge")
        page.wait_for_selector("#timeline")
        assert "陈志强 已接手处理\n项目经理已接手处理（在受理时限内）" in page.inner_text("#timeline")

    with browser_page(viewport={"width": 390, "height": 844}) as page:  # the technician, on a phone
        sign_in(page, live_server, "technician_a")
        page.goto(f"{live_server.url}/desk/orders/mine/")
        page.locator("a.my-order").first.click()
        page.click("button[data-action=accept]")
        page.wait_for_selector("button[data-action=arrive]")
        page.click("button[data-action=arrive]")
        page.wait_for_selector(".complete-form", state="attached")
        page.click("summary.btn")
        page.fill("textarea[name=result]", "当面道歉，已清洁地板")
        page.locator("canvas.sigpad").scroll_into_view_if_needed()
        box = page.locator("canvas.sigpad").bounding_box()
        page.mouse.move(box["x"] + 20, box["y"] + 40)
        page.mouse.down()
        for step in range(1, 12):
            page.mouse.move(box["x"] + 20 + step * 20, box["y"] + 40 + (step % 3) * 25)
        page.mouse.up()
        page.click(".complete-form button[type=submit]")
        page.wait_for_selector("#wo-status")
        assert "完工" in page.inner_text("#wo-status")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    with browser_page() as page:  # the agent answers the resident; the request closes
        sign_in(page, live_server, "agent_a")
        page.goto(f"{live_server.url}/desk/requests/{sr.pk}/")
        page.fill("#reply-form textarea[name=text]", "已向您道歉并清洁，感谢监督")
        page.select_option("#reply-form select[name=complaint_valid]", "yes")
        page.click("#reply-form button")
        page.wait_for_selector("#request-status")
        assert "已关闭" in page.inner_text("#request-status")
    sr.refresh_from_db()
    wo = sr.work_orders.get()
    assert sr.status == "closed" and sr.complaint_valid is True
    assert wo.confirmation_method == "signature" and wo.signature.startswith("data:image/png;base64,")
