"""A resident applies for a renovation on a 390×844 phone (with a drawing), the PM approves it on the console, and
the deposit appears on the home's fees account — no phone page runs off the right edge."""

import io

import pytest
from PIL import Image

from propdesk.browser_testing import PHONE, browser_page, fits, requires_chromium, sign_in
from propdesk.renovation.models import Renovation, RenovationStatus

from .conftest import END, START, WORKER_ID, WORKER_ID_2

pytestmark = [pytest.mark.browser, requires_chromium]


def photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 190, 170)).save(out, format="JPEG")
    return {"name": "户型图.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.mark.django_db(transaction=True)
def test_resident_applies_on_a_phone_pm_approves_deposit_on_the_account(live_server, reno):
    room_id = reno.room(reno.project_a, "3-2-1802").pk
    with browser_page(viewport=PHONE) as page:
        sign_in(page, live_server.url, "resident_a")
        page.goto(f"{live_server.url}/my/renovation/")
        page.wait_for_selector("#my-renovations")
        fits(page)
        page.click("#renovation-apply-link")
        page.wait_for_selector("#renovation-apply-form")
        fits(page)
        for code in ("wall_finish", "floor_finish", "electrics"):
            page.check(f"input[name=items][value={code}]")
        page.fill("#id_contractor_name", "上海美家装饰工程有限公司")
        page.fill("#id_contractor_contact", "孙立新")
        page.fill("#id_contractor_phone", "13611112222")
        page.fill("input[name=worker_name_0]", "李大勇")
        page.fill("input[name=worker_id_0]", WORKER_ID)
        page.fill("input[name=worker_trade_0]", "木工")
        page.fill("input[name=worker_name_1]", "黄小平")
        page.fill("input[name=worker_id_1]", WORKER_ID_2)
        page.fill("#id_planned_start", START.isoformat())
        page.fill("#id_planned_end", END.isoformat())
        page.fill("#id_description", "客厅卧室墙面翻新，全屋地板更换")
        page.set_input_files("#id_photos", [photo()])
        fits(page)
        page.click("#renovation-submit")
        page.wait_for_selector("#my-renovation")
        fits(page)
        page.context.clear_cookies()
    renovation = Renovation.objects.get()
    assert renovation.status == RenovationStatus.SUBMITTED and renovation.photos.count() == 1
    with browser_page() as page:
        sign_in(page, live_server.url, "pm_a")
        page.goto(f"{live_server.url}/renovation/{renovation.pk}/")
        page.wait_for_selector("#renovation-decide-form")
        page.check("input[name=decision][value=conditions]")
        page.fill("#id_conditions", "电路改造须由持证电工施工")
        page.click("#renovation-decide")
        page.wait_for_selector("#permit-link")
        page.click("#fees-account-link")
        page.wait_for_load_state()
        assert "装修押金" in page.content()
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.APPROVED and renovation.deposit_bill.room_id == room_id
    with browser_page(viewport=PHONE) as page:  # the building's steward, told of it, opens it on the phone
        sign_in(page, live_server.url, "steward_a")
        page.goto(f"{live_server.url}/renovation/")
        page.wait_for_selector("#renovation-list")
        fits(page)
        page.click(f"a[href='/renovation/{renovation.pk}/']")
        page.wait_for_selector("#renovation-summary")
        fits(page)
