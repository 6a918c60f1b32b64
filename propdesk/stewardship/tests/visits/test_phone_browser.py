"""A steward on a 390×844 phone: the due list, recording a visit with a need that becomes a request, the record;
nothing runs off the right edge."""

import pytest

from propdesk.browser_testing import PHONE, browser_page, fits, requires_chromium, sign_in
from propdesk.stewardship.models import HomeVisitNeed

from .helpers import covered

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_steward_records_a_visit_on_a_phone(live_server, world):
    covered(world)
    owner = world.residents["a_owner"]
    with browser_page(viewport=PHONE) as page:
        sign_in(page, live_server.url, "steward_a")
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
