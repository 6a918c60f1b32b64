"""A person at the front desk, in a real browser: sign in, type the caller's last 4 digits, open the page."""

import pytest

from propdesk.browser_testing import browser_page, requires_chromium
from propdesk.browser_testing import sign_in as shared_sign_in

pytestmark = [pytest.mark.browser, requires_chromium]


def sign_in(page, live_server, username):
    # The shared sign-in waits until the page is idle: htmx has bound its triggers before a test types.
    shared_sign_in(page, live_server.url, username)


@pytest.mark.django_db(transaction=True)
def test_agent_finds_caller_by_last_four_digits_and_opens_their_page(live_server, world, tmp_path):
    with browser_page() as page:
        sign_in(page, live_server, "agent_a")
        page.wait_for_selector("#global-search")
        assert "工作台" in page.content()  # the console speaks Chinese by default
        page.fill("#global-search", "5678")
        hit = page.locator("a.resident-hit", has_text="周美玲")
        hit.wait_for()
        assert "138****5678" in hit.inner_text()
        assert page.locator("a.resident-hit", has_text="郑海燕").count() == 0  # project B's caller stays hidden
        hit.click()
        page.wait_for_selector("#resident-name")
        assert "周美玲" in page.inner_text("#resident-name")
        body = page.inner_text("body")
        assert "138****5678" in body and "13812345678" not in body
        assert "3-2-1802" in body and "周子轩" in body  # room and household
        # Reveal the number for the call: shown in place, and logged.
        page.click(f"#phone-{world.residents['a_owner'].phones.get().pk} button")
        page.wait_for_selector("a.revealed")
        assert page.inner_text("a.revealed") == "13812345678"
        page.screenshot(path=str(tmp_path / "customer.png"), full_page=True)
    from propdesk.core.models import AuditLog

    assert AuditLog.objects.filter(actor=world.users["agent_a"], action="reveal_phone").count() == 1


@pytest.mark.django_db(transaction=True)
def test_console_is_usable_on_a_phone_sized_screen(live_server, world):
    with browser_page(viewport={"width": 390, "height": 844}) as page:
        sign_in(page, live_server, "agent_a")
        page.wait_for_selector("#global-search")
        page.fill("#global-search", "3-2-1802")
        page.locator("a.hit", has_text="3-2-1802").first.wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page is {width}px wide on a 390px screen"
        page.click("label.nav-burger")
        page.locator("nav.mainnav a", has_text="客户档案").click()
        page.wait_for_selector("#resident-table")
