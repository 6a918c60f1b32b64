"""The reports' filter bars and registers in a real browser at 1366×900: one period type at a time (月/季/周/自定义),
and a wide register scrolls inside its own box instead of pushing the page sideways (data of test_registers.py)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from propdesk.browser_testing import browser_page, requires_chromium

from .test_registers import build_data
from .test_reports_browser import sign_in

pytestmark = [pytest.mark.browser, requires_chromium]

DESKTOP = {"width": 1366, "height": 900}


def visible_period_inputs(page, form: str) -> list[str]:
    return page.eval_on_selector_all(
        f"{form} [data-grain] input",
        "inputs => inputs.filter(i => i.offsetParent !== null).map(i => i.name)")


@pytest.mark.django_db(transaction=True)
def test_register_offers_one_period_type_at_a_time_and_fits_the_screen(live_server, world):
    build_data(world)
    with browser_page(viewport=DESKTOP) as page:
        sign_in(page, live_server, "leader_east")
        page.goto(f"{live_server.url}/reports/registers/complaints/?month=2026-10")
        assert visible_period_inputs(page, "#register-filters") == ["month"]
        assert page.input_value("#register-filters [name=month]") == "2026-10"
        # The register's wide table scrolls in its box; the page itself does not scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert page.evaluate("(() => { const w = document.querySelector('#register-table').closest('.table-wrap');"
                             " return w.scrollWidth >= w.clientWidth && w.clientWidth <= window.innerWidth; })()")
        page.select_option("#register-filters [name=period]", "quarter")
        assert visible_period_inputs(page, "#register-filters") == ["quarter"]
        page.fill("#register-filters [name=quarter]", "2026-Q3")
        page.click("#register-filters button")
        page.wait_for_load_state()
        sent = parse_qs(urlsplit(page.url).query)
        assert sent["quarter"] == ["2026-Q3"] and "month" not in sent  # the hidden month input is not sent
        assert "2026年第3季度" in page.inner_text("#register-period")
        page.select_option("#register-filters [name=period]", "range")
        assert visible_period_inputs(page, "#register-filters") == ["from", "to"]


@pytest.mark.django_db(transaction=True)
def test_summary_filter_bar_shows_the_type_of_the_period_on_the_page(live_server, world):
    build_data(world)
    with browser_page(viewport=DESKTOP) as page:
        sign_in(page, live_server, "leader_east")
        page.goto(f"{live_server.url}/reports/visits/?quarter=2026-Q3")
        assert page.input_value("#summary-filters [name=period]") == "quarter"
        assert visible_period_inputs(page, "#summary-filters") == ["quarter"]
        page.select_option("#summary-filters [name=period]", "week")
        assert visible_period_inputs(page, "#summary-filters") == ["week"]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
