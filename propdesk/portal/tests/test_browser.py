"""The resident on a phone (390×844): signs in, lands on their home, opens a request. Nothing runs off the right edge
and no staff-only text is on the screen."""

import pytest

from propdesk.browser_testing import browser_page, requires_chromium
from propdesk.core.testing import PASSWORD

from .helpers import REPLY, full_story, report, sh
from .test_views import STAFF_ONLY

pytestmark = [pytest.mark.browser, requires_chromium]
PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def assert_fits_and_hides_staff_text(page, resident):
    # Measured once the stylesheets are in: right after a navigation the new page's DOM can be laid out without its
    # CSS (24 px too wide, once in about six runs), which no resident sees (rendering waits for the stylesheets).
    page.wait_for_load_state("load")
    assert page.evaluate(OVERFLOW) <= 0, "the page runs off the right edge"
    text = page.inner_text("body")
    for needle in [*STAFF_ONLY, resident.archive_no, resident.id_number, resident.masked_id_number]:
        assert needle not in text, needle


@pytest.mark.django_db(transaction=True)
def test_a_resident_follows_their_requests_on_a_phone(live_server, world):
    story = full_story(world, start=sh(2026, 3, 10, 9, 0))
    report(world, now=sh(2026, 3, 12, 8, 30),
           description="厨房水槽下方的下水管接口一直在渗水，橱柜底板已经泡得发胀变形，麻烦尽快派师傅来看看")
    resident = world.residents["a_owner"]
    with browser_page(viewport=PHONE) as page:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "resident_a")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("#portal-home")
        assert page.url.endswith("/my/")
        assert page.inner_text(".who").strip() == "周美玲"
        assert "3-2-1802" in page.inner_text(".portal-homes")
        cards = page.locator("a.req-card")
        assert cards.count() == 2
        assert "已受理" in cards.nth(0).inner_text() and "厨房水槽" in cards.nth(0).inner_text()  # open first
        assert "已办结" in cards.nth(1).inner_text()
        # A card is a card: the description wraps at the width of the phone, not two characters a line.
        assert cards.nth(0).bounding_box()["width"] > 300
        assert_fits_and_hides_staff_text(page, resident)

        cards.nth(1).click()
        page.wait_for_selector("#portal-request")
        assert page.url.endswith(f"/my/requests/{story.pk}/")
        steps = page.inner_text("#steps")
        assert "我们已收到您的报事" in steps and "工程部已接单" in steps and REPLY in steps
        assert page.locator("#rate-link").is_visible()
        assert_fits_and_hides_staff_text(page, resident)
        page.screenshot(path="/tmp/portal_request_390.png", full_page=True)
