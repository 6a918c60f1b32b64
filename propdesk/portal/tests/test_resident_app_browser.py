"""The resident app end to end on a 390×844 phone, as issue 11 asks: a family member (not the owner) signs in with a
texted code, reports a leak with two photos and a preferred visit window, and sees it passed to engineering by the
project's rule; the technician accepts, arrives and completes on their own phone, leaving the confirmation to the
app; the resident confirms and rates; a notice to their building appears on their home."""

import pytest

from propdesk.accounts.tests.helpers import FAMILY, last_code
from propdesk.browser_testing import browser_page, requires_chromium, wait_for_js
from propdesk.core.testing import PASSWORD
from propdesk.followups.models import FollowUpVisit
from propdesk.notices.services import NoticeInput, notice_publish
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.servicedesk.models import DispatchRule, ServiceRequest

from .helpers import sh
from .test_report_browser import camera_photo

pytestmark = [pytest.mark.browser, requires_chromium]
PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
LEAK = "卫生间吊顶漏水，水一直往下滴，楼下邻居说他家也湿了"


def fits(page) -> None:
    page.wait_for_load_state("load")  # with the page's stylesheets (test_browser.assert_fits_and_hides_staff_text)
    assert page.evaluate(OVERFLOW) <= 0, f"{page.url} runs off the right edge of a 390 px phone"


@pytest.mark.django_db(transaction=True)
def test_a_resident_reports_follows_confirms_and_rates_on_a_phone(live_server, world):
    # The test's own database work happens before the phones open and after they close (and once for the texted
    # code, while the code page is idle): on SQLite the live server shares the test's in-memory connection, and a
    # query from this thread while a page loads a photo fails ("bad parameter or other API misuse").
    engineering = Department.objects.get(project=world.project_a, kind=DepartmentKind.ENGINEERING)
    DispatchRule.objects.create(project=world.project_a, kind="repair", department=engineering,
                                assignee=world.users["technician_a"])
    room = world.room(world.project_a, "3-2-1802")
    notice_publish(project=world.project_a, actor=world.users["agent_a"], now=sh(2026, 11, 23, 9, 0),
                   data=NoticeInput(kind="outage", title="3号楼明日停水通知", scope="buildings",
                                    body="明日9:00-12:00三号楼二次供水设备检修停水，请提前储水。",
                                    building_ids=[room.building_id], pinned=True))
    family = world.residents["a_family"]  # 周子轩, a family member of 3-2-1802, no account before today

    with browser_page(viewport=PHONE) as page:
        # Sign in with the phone: number, texted code, straight to the home (one home).
        page.goto(f"{live_server.url}/login/")
        page.click("#phone-signin-link")
        page.fill("#id_phone", "139 0000 1111")
        page.click("form.signin-form button[type=submit]")
        page.wait_for_selector("#id_code")
        page.wait_for_load_state("networkidle")
        fits(page)
        page.fill("#id_code", last_code(FAMILY))
        page.click("form.signin-form button[type=submit]")
        page.wait_for_selector("#portal-home")
        assert page.url.endswith("/my/")
        assert "3-2-1802" in page.inner_text("#current-home")
        assert "3号楼明日停水通知" in page.inner_text("#home-notices")  # the notice to their building
        fits(page)

        # Report a leak: two camera photos (shrunk on the phone), the first window offered.
        page.click("a.rk-repair")
        page.wait_for_selector("#report-form")
        wait_for_js(page, "() => document.getElementById('report-form').dataset.ready === '1'")  # report.js set up
        page.fill("#id_description", LEAK)
        assert page.is_checked("#id_urgent")  # 漏水: the console's urgent hint
        page.set_input_files("#id_photos", [camera_photo("JPEG", (4000, 3000)), camera_photo("PNG", (1200, 2400))])
        wait_for_js(page, "() => document.querySelectorAll('#thumbs .thumb img').length === 2")
        page.locator("input[name=visit_at]").nth(1).check()
        fits(page)
        page.click("#report-send")
        page.wait_for_url("**/my/requests/*/")
        request_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        assert "工程部" in page.inner_text("#steps")  # passed to engineering by the rule, in plain words
        assert page.locator("#request-photos img").count() == 2
        number = page.inner_text("body").split("报事编号")[1].split()[0]
        fits(page)

        # The technician, on their own phone: accept, arrive, complete; the resident confirms in the app.
        tech = page.context.browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
        tech.set_default_timeout(15000)
        tech.goto(f"{live_server.url}/login/")
        tech.fill("#id_username", "technician_a")
        tech.fill("#id_password", PASSWORD)
        tech.click("form:has(input[name=password]) button[type=submit]")
        tech.wait_for_selector("a.my-order")
        tech.click(f"a.my-order:has-text('{number}')")
        tech.wait_for_selector("#wo-title")
        tech.click(".wo-actions button[data-action=accept]")
        tech.wait_for_selector(".wo-actions button[data-action=arrive]")
        tech.click(".wo-actions button[data-action=arrive]")
        tech.wait_for_selector(".complete-panel summary")
        tech.click(".complete-panel summary")
        tech.fill(".complete-form textarea[name=result]", "更换卫生间吊顶上方的进水软管，试水无渗漏")
        tech.check(".complete-form input[name=confirm_in_app]")
        tech.click(".complete-form button[type=submit]")
        wait_for_js(tech, "() => !document.querySelector('.complete-panel')")
        assert "已完工" in tech.inner_text("#wo-status")
        tech.context.close()

        # Back on the resident's phone: confirm the work, then rate it.
        page.reload()
        page.click("[id^=confirm-button-]")
        page.wait_for_selector("#rate-link")
        page.click("#rate-link")
        page.check("input[name=satisfaction][value='5']")
        page.fill("textarea[name=comment]", "师傅来得很快，修得很仔细")
        page.click("form:has(input[name=satisfaction]) button[type=submit]")
        page.wait_for_selector("#portal-request")
        assert "您的评价" in page.inner_text("#portal-request")
        fits(page)
        page.goto(f"{live_server.url}/my/")
        page.wait_for_selector("#portal-home")
        fits(page)
        page.screenshot(path="/tmp/resident_app_home_390.png", full_page=True)

    sr = ServiceRequest.objects.get()
    family.refresh_from_db()
    assert (sr.pk, sr.number, sr.channel, sr.kind, sr.urgent, sr.reporter_id) == (
        request_id, number, "app", "repair", True, family.pk)
    assert sr.attachments.count() == 2 and sr.appointment_at is not None
    order = sr.work_orders.get()
    assert (order.status, order.assignee_id, order.confirmation_method) == (
        "completed", world.users["technician_a"].pk, "app")
    visit = FollowUpVisit.objects.get(request=sr)
    assert (visit.status, visit.satisfaction) == ("done", 5)
