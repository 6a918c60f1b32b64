"""On a 390×844 phone: a steward records a blocked fire lane (the household's things in the stairwell) with a photo
and issues a notice; the household reads it in the app; two days later, past the deadline, the steward's follow-up
finds it still there and the violation goes to the project manager — no page runs off the right edge."""

import io
from datetime import timedelta

import pytest
import time_machine
from PIL import Image

from propdesk.browser_testing import PHONE, browser_page, fits, requires_chromium, sign_in
from propdesk.core.testing import TEST_NOW
from propdesk.notify.models import Notification
from propdesk.violations.models import Violation

pytestmark = [pytest.mark.browser, requires_chromium]


def photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (170, 90, 60)).save(out, format="JPEG")
    return {"name": "IMG_0815.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.mark.django_db(transaction=True)
def test_a_blocked_fire_lane_from_record_to_escalation_on_a_phone(live_server, world):
    with browser_page(viewport=PHONE) as page:
        sign_in(page, live_server.url, "steward_a")
        page.goto(f"{live_server.url}/violations/new/")
        page.wait_for_selector("#violation-form")
        fits(page)
        page.click("#kind-fire_lane")
        page.fill("#id_room_code", "3-2-1802")
        page.fill("#id_location", "18楼楼梯间")
        page.fill("#id_description", "楼梯间消防通道堆放旧家具和纸箱，堵塞通行")
        page.set_input_files("#id_photos", [photo()])
        fits(page)
        page.click("#violation-submit")
        page.wait_for_selector("#violation-timeline")
        fits(page)
        page.click("#notice-link")
        page.wait_for_selector("#notice-form")
        fits(page)
        page.click("#notice-submit")
        page.wait_for_selector("#violation-timeline .event-notice")
        fits(page)

    violation = Violation.objects.get()
    assert violation.kind == "fire_lane" and violation.status == "notified" and violation.photos.count() == 1
    assert violation.deadline > TEST_NOW.date()

    with browser_page(viewport=PHONE) as page:
        sign_in(page, live_server.url, "resident_a")
        page.goto(f"{live_server.url}/my/violations/")
        page.wait_for_selector(".my-violation-notice")
        fits(page)
        page.click(".my-violation-notice")
        page.wait_for_selector("#my-notice-text")
        assert violation.deadline.isoformat() in page.inner_text("#my-notice-deadline")
        fits(page)

    with time_machine.travel(TEST_NOW + timedelta(days=2), tick=True):  # Wednesday: the deadline has passed
        with browser_page(viewport=PHONE) as page:
            sign_in(page, live_server.url, "steward_a")
            page.goto(f"{live_server.url}/violations/{violation.pk}/")
            page.wait_for_selector("#follow-up-form")
            assert page.is_visible("#violation-overdue")
            page.check("#follow-up-form input[name=fixed][value=no]")
            page.fill("#follow-up-form input[name=note]", "复查：旧家具仍堆在楼梯间")
            fits(page)
            page.click("#follow-up-submit")
            page.wait_for_selector("#violation-timeline .event-escalated")
            fits(page)
        with browser_page(viewport=PHONE) as page:
            sign_in(page, live_server.url, "pm_a")
            page.goto(f"{live_server.url}/violations/?status=escalated")
            page.wait_for_selector("#violations .violation")
            fits(page)
            page.click("#violations .violation a")
            page.wait_for_selector("#refer-form")
            fits(page)

    violation.refresh_from_db()
    assert violation.status == "escalated" and violation.escalated_by.username == "steward_a"
    assert Notification.objects.filter(recipient__username="pm_a", kind="violation_escalated").count() == 1
