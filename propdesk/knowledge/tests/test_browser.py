"""In a desktop browser: an agent on the phone types 门禁 补办 into the standard answers box and the list narrows as she
types; "answer and close" records the inquiry closed in one step, and the request page then shows the case library
panel with similar cases, loaded after the page."""

import pytest

from propdesk.browser_testing import browser_page, requires_chromium, sign_in, wait_for_js
from propdesk.servicedesk.models import ServiceRequest

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_find_an_answer_while_on_the_phone_and_close_the_inquiry(live_server, world, library):
    with browser_page() as page:
        sign_in(page, live_server.url, "agent_a")
        page.goto(f"{live_server.url}/knowledge/answers/")
        page.wait_for_selector("#answers")
        total = page.locator("#answers .answer:visible").count()
        assert total >= 20
        page.fill("input[name=q]", "门禁")  # the card answer, and the tenant registration's (办理门禁卡)
        wait_for_js(page, "document.querySelectorAll('#answers .answer:not([hidden])').length === 2")
        page.fill("input[name=q]", "门禁 补办")
        wait_for_js(page, "document.querySelectorAll('#answers .answer:not([hidden])').length === 1")
        card = page.locator("#answers .answer:not([hidden])")
        assert "门禁卡补办" in card.inner_text()
        page.fill("input[name=q]", "门禁 快递")
        wait_for_js(page, "!document.getElementById('answers-none').hidden")
        page.fill("input[name=q]", "门禁 补办")
        wait_for_js(page, "document.querySelectorAll('#answers .answer:not([hidden])').length === 1")
        card.get_by_role("link", name="答复并关闭").click()
        page.wait_for_selector("#answer-close-form")
        page.fill("#id_contact_name", "周美玲")
        page.fill("#id_contact_phone", "13812345678")
        page.fill("#id_room_code", "3-2-1802")
        page.fill("#id_question", "门禁卡丢了怎么补办？")
        page.click("#answer-close-form button[type=submit]")
        page.wait_for_selector("#knowledge-panel #similar-cases")
        panel = page.locator("#knowledge-panel").inner_text()
        assert "相似案例" in panel and "相似的历史报事" in panel
        page.click("#case-from-request-link")  # the closed inquiry can be saved as a case, prefilled
        page.wait_for_selector("#case-form")
        assert page.input_value("#id_happened") == "门禁卡丢了怎么补办？"
    sr = ServiceRequest.objects.get()
    assert (sr.kind, sr.status, sr.description) == ("inquiry", "closed", "门禁卡丢了怎么补办？")
    assert "工本费20元" in sr.reply
