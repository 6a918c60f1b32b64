"""The roster pages on a 390×844 phone: the week grid scrolls inside its box, nothing runs off the right edge."""

from datetime import date

import pytest

from propdesk.browser_testing import PHONE, browser_page, fits, requires_chromium, sign_in
from propdesk.core.testing import sh
from propdesk.duty.services.rosters import roster_assign

from .helpers import engineering, shifts

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_the_roster_pages_fit_a_phone(live_server, world):
    s = shifts(world)
    roster_assign(actor=None, shift=s["day"], day=date(2026, 11, 23), user_id=world.users["technician_a"].pk,
                  now=sh(2026, 11, 23, 9))
    eng = engineering(world).pk
    with browser_page(viewport=PHONE) as page:
        sign_in(page, live_server.url, "pm_a")
        for path in (f"/duty/roster/?department={eng}&week=2026-11-23", "/duty/shifts/", "/duty/now/",
                     "/duty/gaps/"):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            fits(page)
        page.goto(f"{live_server.url}/duty/roster/?department={eng}&week=2026-11-23")
        assert "刘师傅" in page.inner_text("#roster-grid")
