"""Issue 14's renovation walk as one story in a real browser: a resident applies on a 390×844 phone, the PM approves
on the console and the deposit appears on the home's account; the household pays it at the desk; the steward records
a failed inspection with a photo and then a passed re-inspection on the phone, and the acceptance with a deduction;
the PM approves the refund and the home's account shows the deposit paid back less the deduction."""

import io

import pytest
from PIL import Image

from propdesk.browser_testing import PHONE, browser_page, fits, requires_chromium, sign_in
from propdesk.core.testing import TEST_NOW
from propdesk.fees.services.payments import payment_take
from propdesk.org.models import Room
from propdesk.renovation.models import Renovation, RenovationStatus

from .conftest import END, START, WORKER_ID

pytestmark = [pytest.mark.browser, requires_chromium]


def photo(name: str) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (170, 150, 120)).save(out, format="JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": out.getvalue()}


@pytest.mark.django_db(transaction=True)
def test_apply_approve_pay_inspect_accept_and_refund(live_server, reno):
    base = live_server.url
    with browser_page(viewport=PHONE) as page:  # the resident, on the phone
        sign_in(page, base, "resident_a")
        page.goto(f"{base}/my/renovation/apply/")
        page.wait_for_selector("#renovation-apply-form")
        for code in ("wall_finish", "floor_finish"):
            page.check(f"input[name=items][value={code}]")
        page.fill("#id_contractor_name", "上海美家装饰工程有限公司")
        page.fill("#id_contractor_contact", "孙立新")
        page.fill("#id_contractor_phone", "13611112222")
        page.fill("input[name=worker_name_0]", "李大勇")
        page.fill("input[name=worker_id_0]", WORKER_ID)
        page.fill("#id_planned_start", START.isoformat())
        page.fill("#id_planned_end", END.isoformat())
        page.fill("#id_description", "客厅墙面翻新，地板更换")
        page.set_input_files("#id_photos", [photo("户型图.jpg")])
        page.click("#renovation-submit")
        page.wait_for_selector("#my-renovation")
        fits(page)
    renovation = Renovation.objects.get()
    with browser_page() as page:  # the project manager approves at the console: the deposit is charged
        sign_in(page, base, "pm_a")
        page.goto(f"{base}/renovation/{renovation.pk}/")
        page.check("input[name=decision][value=approved]")
        page.click("#renovation-decide")
        page.wait_for_selector("#permit-link")
        page.click("#fees-account-link")
        page.wait_for_selector("#open-bills")
        assert "装修押金" in page.inner_text("#open-bills")
    renovation.refresh_from_db()
    deposit = renovation.deposit_bill
    assert renovation.status == RenovationStatus.APPROVED and deposit.amount_fen == deposit.open_fen == 300000
    payment_take(room=renovation.room, amount=deposit.amount_fen, method="wechat", actor=reno.users["agent_a"],
                 bill_ids=[deposit.pk], payer="周美玲", now=TEST_NOW)  # paid at the desk
    with browser_page(viewport=PHONE) as page:  # the steward, on the phone
        sign_in(page, base, "steward_a")
        page.goto(f"{base}/renovation/{renovation.pk}/inspect/")
        page.wait_for_selector("#renovation-inspect-form")
        items = page.locator("input[name^=item_][value=pass]").count()
        for position in range(items):
            page.check(f"input[name=item_{position}][value={'fail' if position == 2 else 'pass'}]")
        page.fill("input[name=note_2]", "建筑垃圾堆放在楼道，未袋装")
        page.set_input_files("input[name=photos]", [photo("IMG_0101.jpg")])
        fits(page)
        page.click("#renovation-inspect-submit")
        page.wait_for_selector("#open-rect-list")
        assert "ZG" in page.inner_text("#open-rect-list")  # the rectification notice
        page.goto(f"{base}/renovation/{renovation.pk}/inspect/")  # the debris is gone: the re-inspection passes
        page.wait_for_selector("#open-rectification")
        for position in range(items):
            page.check(f"input[name=item_{position}][value=pass]")
        page.click("#renovation-inspect-submit")
        page.wait_for_selector("#due-list")
        page.goto(f"{base}/renovation/{renovation.pk}/acceptance/")
        page.wait_for_selector("#acceptance-form")
        page.check("input[name=passed][value=yes]")
        page.fill("input[name=reason_0]", "楼道墙面污损修复")
        page.fill("input[name=amount_0]", "200")
        fits(page)
        page.click("#acceptance-submit")
        page.wait_for_selector("#due-list")
    with browser_page() as page:  # the project manager approves the refund; the account shows it
        sign_in(page, base, "pm_a")
        page.goto(f"{base}/renovation/acceptances/")
        page.wait_for_selector("#acceptances")
        assert "2800.00" in page.inner_text("#acceptances")
        page.click("#acceptances button[value=approve]")
        page.wait_for_selector("#acceptances")
        page.goto(f"{base}/fees/homes/{renovation.room_id}/")
        page.wait_for_selector("#deposits")
        shown = page.inner_text("#deposits")
        assert "退还 ¥2,800.00" in shown and "¥200.00" in shown
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.CLOSED
    assert Room.objects.get(pk=renovation.room_id).status == renovation.room_status_before
