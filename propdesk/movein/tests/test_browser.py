"""On 390×844 phones: a buyer books a handover slot through the link of their SMS, the steward completes the
checklist with one defect and its photo, the developer's after-sales contact finds the defect in their work-order
queue, and the new owner is in the archive with the building's steward — no page runs off the right edge."""

import io

import pytest
from PIL import Image

from propdesk.browser_testing import PHONE, browser_page, fits, requires_chromium, sign_in
from propdesk.movein.models import BookingStatus, Handover, HandoverBooking
from propdesk.movein.rules.handover import AREAS
from propdesk.movein.services.buyers import buyer_token

pytestmark = [pytest.mark.browser, requires_chromium]


def photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (170, 150, 120)).save(out, format="JPEG")
    return {"name": "IMG_0301.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.mark.django_db(transaction=True)
def test_a_buyer_books_the_steward_hands_over_and_the_defect_reaches_the_developer(live_server, movein):
    buyer, slot = movein.buyers["101"], movein.slots["tue"]
    link = f"{live_server.url}/my/handover/{buyer_token(buyer)}/"
    room_id = buyer.room_id
    bathroom = AREAS.index("卫生间")

    with browser_page(viewport=PHONE) as page:  # the buyer, not signed in
        page.goto(link)
        page.wait_for_selector("#open-slots")
        fits(page)
        page.check(f"input[name=slot][value='{slot.pk}']")
        page.click("#slot-submit")
        page.wait_for_selector("#my-booking")
        assert "11-24" in page.inner_text("#my-booking")
        fits(page)
    assert HandoverBooking.objects.get(room_id=room_id).status == BookingStatus.BOOKED

    with browser_page(viewport=PHONE) as page:  # the steward at the handover
        sign_in(page, live_server.url, "steward_a")
        page.goto(f"{live_server.url}/movein/rooms/{room_id}/handover/")
        page.wait_for_selector("#handover-form")
        assert "王建国" in page.inner_text("#handover-who")
        fits(page)
        for box in page.query_selector_all("input[name=documents]"):
            box.check()
        page.fill("#id_water_reading", "12.5")
        page.fill("#id_power_reading", "305")
        for position in range(len(AREAS)):
            page.check(f"input[name=area_{position}][value={'defect' if position == bathroom else 'ok'}]")
        page.fill(f"input[name=note_{bathroom}]", "地漏倒坡，淋浴区积水")
        page.set_input_files(f"input[name=photo_{bathroom}]", [photo()])
        page.click("#handover-submit")
        page.wait_for_selector("#handover-record")
        assert "地漏倒坡" in page.inner_text("#handover-defects")
        fits(page)

    handover = Handover.objects.select_related("resident").get(room_id=room_id)
    resident = handover.resident
    assert handover.defects.get().request.attachments.count() == 1

    with browser_page(viewport=PHONE) as page:  # the developer's after-sales contact
        sign_in(page, live_server.url, "developer_a")
        page.goto(f"{live_server.url}/desk/orders/mine/")
        page.wait_for_load_state("networkidle")
        assert "地漏倒坡" in page.content()
        page.goto(f"{live_server.url}/movein/defects/")
        page.wait_for_selector("#open-defects")
        assert "地漏倒坡" in page.inner_text("#open-defects")
        fits(page)

    with browser_page(viewport=PHONE) as page:  # the archive: the new owner with the building's steward
        sign_in(page, live_server.url, "agent_a")
        page.goto(f"{live_server.url}/customers/{resident.pk}/")
        page.wait_for_load_state("networkidle")
        text = page.inner_text("body")
        assert "林晓峰" in text and resident.archive_no in text and "王建国" in text
