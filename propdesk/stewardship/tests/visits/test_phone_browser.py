"""A steward on a 390×844 phone: the due list, recording a visit with a need that becomes a request, the record;
nothing runs off the right edge."""

import pytest

from propdesk.browser_testing import browser_page, requires_chromium
from propdesk.core.testing import PASSWORD
from propdesk.stewardship.models import HomeVisitNeed

from .helpers import covered

pytestmark = [pytest.mark.browser, requires_chromium]
PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def fits(page) -> None:
    assert page.evaluate(OVERFLOW) <= 0, f"{page.url} runs off the right edge of a 390 px phone"


@pytest.mark.django_db(transaction=True)
def test_steward_records_a_visit_on_a_phone(live_server, world):
    covered(world)
    owner = world.residents["a_owner"]
    with browser_page(viewport=PHONE) as page:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "steward_a")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{live_server.url}/steward/visits/")
        page.wait_for_selector(f"#due-{owner.pk}")
        assert "周美玲" in page.inner_text("#visits-due")
        fits(page)
        page.click(f"#due-{owner.pk} a.btn")
        page.wait_for_selector("#visit-form")
        fits(page)
        page.fill("#id_visited_at", "2026-11-23T09:30")
        page.fill("#id_discussed", "询问独居生活情况，叮嘱冬季用电安全")
        page.fill("input[name=need-0-description]", "厨房水槽下水慢")
        page.click("#visit-submit")
        page.wait_for_selector("#visit-needs, .errorlist")
        assert not page.locator(".errorlist").count(), page.inner_text("#visit-form")
        assert "厨房水槽下水慢" in page.inner_text("#visit-needs")
        fits(page)
    need = HomeVisitNeed.objects.select_related("request").get()
    assert need.request.channel == "staff" and need.request.reporter_id == owner.pk
