"""Follow-up visits in a real browser: a completed repair's visit reaches the agent's queue, the agent records the
resident as dissatisfied and the work goes back to the technician; a resident rates another repair on a phone-sized
screen through the signed link, without logging in."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from propdesk.browser_testing import browser_page, requires_chromium
from propdesk.followups.models import FollowUpVisit
from propdesk.followups.services.rating import rating_link_issue
from propdesk.servicedesk.choices import RequestStatus, WorkOrderStatus
from propdesk.servicedesk.tests.test_browser import sign_in

from .test_views import completed_repair

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_dissatisfied_visit_sends_the_repair_back_to_the_technician(live_server, world):
    sr, wo, visit = completed_repair(world, description="卫生间排风扇不转")
    # The handbook's window opens a week after the work: open it now.
    FollowUpVisit.objects.filter(pk=visit.pk).update(due_from=timezone.now() - timedelta(minutes=5))

    with browser_page() as page:
        sign_in(page, live_server, "agent_a")
        page.goto(f"{live_server.url}{reverse('followups:visit_queue')}")
        row = page.locator("#section-today tr.visit-row", has_text=sr.number)
        assert row.count() == 1 and "138****5678" in row.inner_text()
        row.locator("a.btn").click()
        page.wait_for_selector("#record-form")
        page.click("#reveal-phone")
        page.wait_for_selector("#visit-phone a.revealed")
        assert "13812345678" in page.inner_text("#visit-phone")
        page.check("#record-form input[name=method][value=phone]")
        page.check("#record-form input[name=satisfaction][value='2']")
        page.check("#record-form input[name=quality][value=poor]")
        page.fill("#id_shortcomings", "排风扇还是不转，声音很大")
        page.check("#record-form input[name=confirmation][value=phone]")
        page.click("#record-button")
        page.wait_for_selector("#visit-decision")
        assert page.locator("#record-form").count() == 0
        page.click("#request-link")
        page.wait_for_selector(f"#wo-{wo.pk}")
        with translation.override("zh-hans"):
            assert page.inner_text("#request-status") == str(RequestStatus.IN_PROGRESS.label)
            assert page.inner_text(f"#wo-{wo.pk} .wo-status") == str(WorkOrderStatus.DISPATCHED.label)

        page.goto(f"{live_server.url}{reverse('servicedesk:dispatch_queue')}")  # the dispatcher sees it come back
        assert page.locator("#reopened-orders a", has_text=wo.number).count() == 1

    wo.refresh_from_db()
    sr.refresh_from_db()
    assert wo.status == "dispatched" and wo.assignee == world.users["technician_a"]
    assert sr.status == "in_progress"

    with browser_page(viewport={"width": 390, "height": 844}) as page:  # back on the technician's phone
        sign_in(page, live_server, "technician_a")
        page.goto(f"{live_server.url}{reverse('servicedesk:my_orders')}")
        order = page.locator("a.my-order", has_text=wo.number)
        assert order.count() == 1
        order.click()
        page.wait_for_selector("button[data-action=accept]")


@pytest.mark.django_db(transaction=True)
def test_resident_rates_a_repair_on_a_phone(live_server, world):
    sr, _wo, visit = completed_repair(world, description="客厅插座没电")
    link = reverse("followups:rate", args=[rating_link_issue(visit=visit)])

    with browser_page(viewport={"width": 390, "height": 844}) as page:
        page.goto(f"{live_server.url}{link}")
        page.wait_for_selector("#rate-form")
        assert sr.number in page.inner_text("#rate-summary")
        assert "13812345678" not in page.content() and "138****5678" not in page.content()
        choice = page.locator("label[for=id_satisfaction_0]")
        assert choice.bounding_box()["height"] >= 44  # a thumb-sized target
        choice.click()
        page.fill("#id_comment", "师傅很快就修好了，谢谢")
        page.click("#rate-submit")
        page.wait_for_selector("#rate-thanks")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.goto(f"{live_server.url}{reverse('followups:rate', args=['not-a-real-link'])}")
        page.wait_for_selector("#rate-invalid")

    visit.refresh_from_db()
    assert visit.status == "done" and visit.method == "online" and visit.satisfaction == 5
    assert visit.shortcomings == "师傅很快就修好了，谢谢"
