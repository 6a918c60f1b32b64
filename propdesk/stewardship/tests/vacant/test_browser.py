"""A steward's vacant-home round on a 390×844 phone: the list, the building, the inspection form with a photo of a
leak, back to the round for the next home — no page runs off the right edge."""

import io

import pytest
from PIL import Image

from propdesk.browser_testing import PHONE, browser_page, fits, requires_chromium, sign_in
from propdesk.stewardship.models import VacantInspection

pytestmark = [pytest.mark.browser, requires_chromium]


def photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (150, 120, 90)).save(out, format="JPEG")
    return {"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.mark.django_db(transaction=True)
def test_a_steward_inspects_a_vacant_home_on_a_phone(live_server, vacant):
    building_id = vacant.room(vacant.project_a, "5-1-101").building_id
    with browser_page(viewport=PHONE) as page:
        sign_in(page, live_server.url, "steward_a")
        page.goto(f"{live_server.url}/steward/vacant/")
        page.wait_for_selector("#vacant-homes")
        fits(page)
        page.click("#vacant-round-link")
        page.wait_for_selector("#vacant-round-buildings")
        page.goto(f"{live_server.url}/steward/vacant/round/?building={building_id}")
        page.click("#vacant-next")
        page.wait_for_selector("#vacant-inspect-form")
        fits(page)
        for position in range(7):
            page.check(f"input[name=item_{position}][value={'not_fine' if position == 2 else 'fine'}]")
        page.fill("input[name=note_2]", "卫生间天花板有水渍")
        page.set_input_files("input[name=photo_2]", [photo()])
        page.fill("#id_water_reading", "312.4")
        fits(page)
        page.click("#vacant-inspect-submit")
        page.wait_for_selector("#vacant-round-homes")
        assert "1" in page.inner_text("h1")
        fits(page)
    inspection = VacantInspection.objects.get()
    request = inspection.items.get(position=2).request
    assert request.channel == "patrol" and request.attachments.count() == 1
