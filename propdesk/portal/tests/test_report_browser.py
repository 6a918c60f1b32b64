"""A report on a phone (390×844) that survives a dropped connection: the resident fills in a leak with two photos
and a visit time, sends while offline, the draft is kept; back online it is sent once, under its Idempotency-Key."""

import io
from datetime import datetime

import pytest
from PIL import Image

from propdesk.browser_testing import browser_page, requires_chromium, sign_in, wait_for_js
from propdesk.core.testing import PASSWORD
from propdesk.servicedesk.models import ServiceRequest

pytestmark = [pytest.mark.browser, requires_chromium]
PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
DRAFTS = """() => new Promise((resolve) => {
  const open = indexedDB.open("propdesk-portal", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("drafts", {keyPath: "id"});
  open.onsuccess = () => {
    const all = open.result.transaction("drafts").objectStore("drafts").getAll();
    all.onsuccess = () => resolve(all.result.map(d => ({pending: d.pending, photos: d.photos.length,
                                                        text: d.fields.description, key: d.key})));
  };
})"""


def camera_photo(fmt: str, size) -> dict:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 120, 160)).save(out, format=fmt)
    return {"name": f"IMG_0001.{fmt.lower()}", "mimeType": f"image/{fmt.lower()}", "buffer": out.getvalue()}


@pytest.mark.django_db(transaction=True)
def test_a_report_sent_offline_is_kept_as_a_draft_and_sent_once_back_online(live_server, world):
    with browser_page(viewport=PHONE) as page:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "resident_a")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("#portal-home")
        page.click("a.rk-repair")
        page.wait_for_selector("#report-form")
        page.wait_for_load_state("load")  # measured with the page's stylesheets, as a resident sees it
        assert page.evaluate(OVERFLOW) <= 0, "the form runs off the right edge"

        wait_for_js(page, "() => document.getElementById('report-form').dataset.ready === '1'")  # report.js set up
        page.fill("#id_description", "卫生间吊顶漏水，水一直往下滴")
        assert page.is_checked("#id_urgent")  # the console's hints light the urgent tick
        page.set_input_files("#id_photos", [camera_photo("JPEG", (4000, 3000)), camera_photo("PNG", (1200, 2400))])
        wait_for_js(page, "() => document.querySelectorAll('#thumbs .thumb img').length === 2")
        page.locator("input[name=visit_at]").nth(1).check()  # the first window offered
        window = page.locator("input[name=visit_at]").nth(1).get_attribute("value")

        page.context.set_offline(True)
        page.click("#report-send")
        wait_for_js(page, "() => document.getElementById('report-status').textContent.includes('已保存草稿')")
        assert page.inner_text("#report-status") == "已保存草稿，恢复网络后自动发送"
        drafts = page.evaluate(DRAFTS)
        assert len(drafts) == 1 and drafts[0]["pending"] and drafts[0]["photos"] == 2
        assert drafts[0]["text"] == "卫生间吊顶漏水，水一直往下滴"
        assert ServiceRequest.objects.count() == 0
        page.screenshot(path="/tmp/portal_report_offline_390.png", full_page=True)

        page.context.set_offline(False)  # the `online` event sends the draft
        page.wait_for_url("**/my/requests/*/")
        sr = ServiceRequest.objects.get()
        assert page.url.endswith(f"/my/requests/{sr.pk}/")
        assert page.evaluate(DRAFTS) == []  # removed once the server confirmed
        page.goto(f"{live_server.url}/my/")  # a later visit has nothing left to send
        page.wait_for_selector("#portal-home")
        page.wait_for_timeout(300)

    assert ServiceRequest.objects.count() == 1
    assert (sr.channel, sr.urgent, sr.appointment_at) == ("app", True, datetime.fromisoformat(window))
    sizes = []
    for attachment in sr.attachments.order_by("id"):
        with attachment.file.open("rb") as handle, Image.open(handle) as image:
            sizes.append((image.format, max(image.size)))
    assert sizes == [("JPEG", 1600), ("JPEG", 1600)]  # shrunk on the phone to 1600 px JPEGs


@pytest.mark.django_db(transaction=True)
def test_a_complaint_written_on_the_repair_page_is_offered_as_a_complaint_with_its_words(live_server, world):
    """Triage on the resident's report: the app reads the words once the resident pauses and offers to report them
    as the kind they sound like; taking the offer opens that kind's form with the words, and nothing is recorded
    until the resident sends."""
    from playwright.sync_api import expect

    angry = "物业太不负责任了！楼上漏水到我家一个月了，打了五次电话都没人管，再不解决我就去住建局投诉你们！"
    with browser_page(viewport=PHONE) as page:
        sign_in(page, live_server.url, "resident_a")
        page.click("a.rk-repair")
        page.wait_for_selector("#report-form")  # the click starts the navigation; wait for the new page
        wait_for_js(page, "() => document.getElementById('report-form').dataset.ready === '1'")
        expect(page.locator("#triage-hint")).to_be_hidden()
        page.fill("#id_description", angry)
        expect(page.locator("#triage-hint")).to_be_visible()
        expect(page.locator("#triage-kind-name")).to_have_text("投诉")
        assert page.evaluate(OVERFLOW) <= 0
        page.screenshot(path="/tmp/portal_report_triage_390.png", full_page=True)
        page.click("#triage-switch")
        page.wait_for_url("**/my/report/complaint/**")
        expect(page.locator("#id_description")).to_have_value(angry)
        wait_for_js(page, "() => document.getElementById('report-form').dataset.ready === '1'")
        assert page.evaluate(DRAFTS) == []  # the repair page's draft did not stay behind
    assert ServiceRequest.objects.count() == 0
