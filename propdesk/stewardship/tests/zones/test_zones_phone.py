"""The steward's first-contact worklist, the PM's zones page and the resident's home on a 390×844 phone: nothing
runs off the right edge; the steward records a contact by phone and the task leaves the list."""

import pytest

from propdesk.browser_testing import PHONE, browser_page, fits, requires_chromium, sign_in
from propdesk.core.testing import make_user, sh
from propdesk.org.models import Building
from propdesk.stewardship.models import ContactTask
from propdesk.stewardship.services.zones import zone_assign

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_steward_records_a_first_contact_on_a_phone(live_server, world):
    a = world.project_a
    make_user("steward2_a", role="steward", project=a, display_name="李梅")
    world.users["steward_a"].staff_profile.mobile = "13911112222"
    world.users["steward_a"].staff_profile.save()
    zone_assign(project=a, buildings=[Building.objects.get(project=a, number="3").pk],
                steward=world.users["steward_a"], actor=world.users["pm_a"], now=sh(2026, 11, 23, 9, 0))
    owner_task = ContactTask.objects.get(resident=world.residents["a_owner"])

    with browser_page(viewport=PHONE) as page:
        sign_in(page, live_server.url, "steward_a")
        page.goto(f"{live_server.url}/steward/contacts/")
        assert "周美玲" in page.inner_text("#contact-list") and "周子轩" in page.inner_text("#contact-list")
        fits(page)
        page.click(f"a[href='/steward/contacts/{owner_task.pk}/']")
        page.wait_for_selector("#contact-form")
        fits(page)
        page.check("input[name=method][value=phone]")
        page.fill("#id_note", "电话自我介绍，告知管家电话，周末上门认识")
        page.click("#contact-form button[type=submit]")
        page.wait_for_selector("#contact-list")
        assert "周美玲" not in page.inner_text("#contact-list") and "周子轩" in page.inner_text("#contact-list")

    with browser_page(viewport=PHONE) as page:
        sign_in(page, live_server.url, "pm_a")
        page.goto(f"{live_server.url}/steward/zones/")
        page.wait_for_selector("#steward-load")
        assert "王建国" in page.inner_text("#steward-load")
        fits(page)

    with browser_page(viewport=PHONE) as page:
        sign_in(page, live_server.url, "resident_a")
        page.goto(f"{live_server.url}/my/")
        page.wait_for_selector("#home-steward")
        assert "王建国" in page.inner_text("#home-steward")
        fits(page)
    owner_task.refresh_from_db()
    assert owner_task.status == "done" and owner_task.method == "phone"
