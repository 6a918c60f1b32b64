"""The project manager's dashboard in a real browser: a click on a chart bar opens the list behind it, and the page
reads on a 1366-wide screen and on a phone (data set of test_kpis.py, November 2026)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from propdesk.browser_testing import browser_page, requires_chromium
from propdesk.browser_testing import sign_in as shared_sign_in

from .test_kpis import build_dataset

pytestmark = [pytest.mark.browser, requires_chromium]


def sign_in(page, live_server, username):
    # The shared sign-in waits until the page is idle: htmx has bound its triggers before a test types.
    shared_sign_in(page, live_server.url, username)


def no_sideways_scroll(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.django_db(transaction=True)
def test_project_manager_clicks_a_bar_and_lands_on_the_requests_behind_it(live_server, world):
    build_dataset(world)
    a = str(world.project_a.pk)
    with browser_page(viewport={"width": 1366, "height": 900}) as page:
        sign_in(page, live_server, "pm_a")
        page.goto(f"{live_server.url}/reports/?month=2026-11")
        page.wait_for_selector("#chart-requests")
        # Desktop: the KPI cards stand in rows, the two charts side by side.
        tops = page.eval_on_selector_all("#kpi-cards .kpi-card", "cards => cards.map(c => c.offsetTop)")
        assert len(tops) == 9 and tops.count(tops[0]) >= 4
        figures = page.locator("#dashboard-charts figure")
        assert figures.nth(0).bounding_box()["y"] == figures.nth(1).bounding_box()["y"]
        assert no_sideways_scroll(page, 1366)

        # The repairs received in the week of Monday 2 November.
        bar = page.locator('#chart-requests a.bar-link[href*="week=2026-11-02"][href*="kind=repair"]')
        shown = int(bar.locator("rect").get_attribute("data-value"))
        assert shown == 1
        bar.locator("rect").click()
        page.wait_for_url("**/reports/registers/requests/**")
        parts = urlsplit(page.url)
        assert parts.path == "/reports/registers/requests/"
        assert {key: values[0] for key, values in parse_qs(parts.query).items()} == {
            "week": "2026-11-02", "project": a, "kind": "repair"}
        # The register behind the bar lists as many requests as the bar says (R2, 翠湖花园 3-2-1802).
        page.wait_for_selector("#register-table")
        assert page.locator("#register-table tbody tr").count() == shown
        assert "2026-11-03 09:00" in page.inner_text("#register-table")

    with browser_page(viewport={"width": 390, "height": 844}) as page:  # the same dashboard on a phone
        sign_in(page, live_server, "pm_a")
        page.goto(f"{live_server.url}/reports/?month=2026-11")
        page.wait_for_selector("#chart-on-time")
        lefts = page.eval_on_selector_all("#kpi-cards .kpi-card", "cards => cards.map(c => c.offsetLeft)")
        assert len(set(lefts)) == 1  # one card under the other
        assert no_sideways_scroll(page, 390)
        # The chart keeps a legible size and scrolls inside its card, opening on the latest weeks.
        assert page.locator("#figure-on-time").bounding_box()["width"] <= 390
        assert page.locator("#chart-on-time").bounding_box()["width"] >= 480
        latest = page.locator('#chart-on-time a.bar-link[href*="week=2026-11-09"] rect')
        box = latest.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 390
        latest.click()
        page.wait_for_url("**/reports/registers/orders/**")
        query = {key: values[0] for key, values in parse_qs(urlsplit(page.url).query).items()}
        assert query == {"measure": "completed", "on_time": "1", "week": "2026-11-09", "project": a}
        assert page.locator("#register-table tbody tr").count() == 1  # W4, on time
