"""In the browser: an agent types 不知道 into the reply to the resident; when they pause, the words found and the
suggested phrasing show under the field (the script is bound from a data attribute, CSP-clean); the reply still
sends as written and the finding is recorded."""

import pytest

from propdesk.browser_testing import browser_page, requires_chromium, sign_in, wait_for_js
from propdesk.wording.models import WordingFinding

from .conftest import repair

pytestmark = [pytest.mark.browser, requires_chromium]
HINT = "document.querySelector('#reply-form .wording-hint:not([hidden]) .wording-finding')"


@pytest.mark.django_db(transaction=True)
def test_typing_bu_zhidao_shows_the_hint_and_sending_is_not_blocked(live_server, world):
    request = repair(world)
    errors = []
    with browser_page() as page:
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        sign_in(page, live_server.url, "agent_a")
        page.goto(f"{live_server.url}/desk/requests/{request.pk}/")
        page.wait_for_selector("#reply-form textarea[data-wording-check]")
        page.locator("#reply-form textarea").press_sequentially("您好，漏水原因我们也不知道", delay=20)
        wait_for_js(page, f"!!{HINT}")
        hint = page.inner_text("#reply-form .wording-hint")
        assert "不知道" in hint and "我帮您确认一下，稍后给您答复" in hint and "服务禁用语" in hint
        assert page.get_attribute("#reply-form .wording-finding", "data-phrase") == "不知道"
        # Rewritten politely, the hint goes away.
        page.fill("#reply-form textarea", "您好，漏水原因我帮您确认一下，稍后给您答复。")
        page.locator("#reply-form textarea").press("End")
        page.locator("#reply-form textarea").press_sequentially("谢谢", delay=20)
        wait_for_js(page, "!document.querySelector('#reply-form .wording-hint:not([hidden])')")
        # Written again with the phrase and sent anyway: never blocked.
        page.fill("#reply-form textarea", "这个我们不知道")
        with page.expect_navigation():
            page.click("#reply-form button")
        page.wait_for_selector("#reply-form, .timeline")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    assert list(WordingFinding.objects.values_list("phrase", "source_id")) == [("不知道", request.pk)]
