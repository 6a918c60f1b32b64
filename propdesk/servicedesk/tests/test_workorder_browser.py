"""The technician completes a work order on a phone (390x844) in a real browser: a file that is not a photo brings the
page back with the error at the photo field, the typed result and materials and the drawn signature still there, and
the completion panel open; a real JPEG then completes the order."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from propdesk.browser_testing import browser_page, requires_chromium, wait_for_js
from propdesk.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, requires_chromium]

PHONE = {"width": 390, "height": 844}


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 180, 140)).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def canvas_has_ink(page) -> bool:
    return page.evaluate("""() => { const c = document.querySelector("canvas.sigpad");
        if (!c.width || !c.height) return false;
        const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
        return false; }""")


def sign(page):
    pad = page.locator("canvas.sigpad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 30)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 18, box["y"] + 30 + (step % 3) * 20)
    page.mouse.up()


@pytest.mark.django_db(transaction=True)
def test_a_bad_photo_keeps_the_result_and_the_signature_then_a_jpeg_completes(live_server, world):
    from propdesk.servicedesk.models import WorkOrder
    from propdesk.servicedesk.services.requests import RequestInput, request_submit
    from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

    from .services.helpers import engineering

    owner = world.residents["a_owner"]
    request = request_submit(actor=world.users["agent_a"], project=world.project_a, data=RequestInput(
        channel="phone", kind="repair", description="卫生间花洒接口漏水，地面一直有积水", reporter_id=owner.pk,
        room_id=world.room(world.project_a, "3-2-1802").pk, contact_name=owner.name, contact_phone="13812345678"))
    work_order = workorder_create(request=request, department=engineering(world), actor=world.users["agent_a"])
    workorder_act(work_order=work_order, actor=world.users["agent_a"], action="dispatch",
                  assignee_id=world.users["technician_a"].pk)
    workorder_act(work_order=work_order, actor=world.users["technician_a"], action="accept")

    with browser_page(viewport=PHONE) as page:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "technician_a")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("a.my-order")  # a technician lands on 我的工单
        assert page.url.endswith(reverse("servicedesk:my_orders"))
        page.locator("a.my-order").first.click()
        page.wait_for_selector("#wo-title")

        page.click("details.complete-panel > summary")
        page.fill("textarea[name=result]", "更换花洒软管及接口密封圈，试水十分钟无渗漏")
        page.fill("input[name=materials]", "花洒软管 1 根，密封圈 2 个")
        sign(page)
        assert canvas_has_ink(page)
        page.set_input_files("input[name=photos]", files=[
            {"name": "维修单.txt", "mimeType": "text/plain", "buffer": "这不是照片".encode()}])
        page.click(".complete-form button[type=submit]")
        page.wait_for_selector(f"#row-photos-{work_order.pk} .errorlist")

        assert "维修单.txt" in page.inner_text(f"#row-photos-{work_order.pk} .errorlist")
        assert page.locator(f"#row-photos-{work_order.pk} .errorlist").is_visible()
        assert page.evaluate("document.querySelector('details.complete-panel').open")
        assert page.input_value("textarea[name=result]") == "更换花洒软管及接口密封圈，试水十分钟无渗漏"
        assert page.input_value("input[name=materials]") == "花洒软管 1 根，密封圈 2 个"
        assert page.input_value("input[name=signature]").startswith("data:image/png;base64,")
        wait_for_js(page, """() => { const c = document.querySelector("canvas.sigpad");
            const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true; return false; }""")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert WorkOrder.objects.get(pk=work_order.pk).status == "accepted"

        page.set_input_files("input[name=photos]", files=[
            {"name": "完工照片.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
        page.click(".complete-form button[type=submit]")
        page.wait_for_selector("#wo-materials")
        assert "完工" in page.inner_text("#wo-status")
        assert "已完工：工单" in page.inner_text(".messages")
        assert page.inner_text("#wo-materials") == "花洒软管 1 根，密封圈 2 个"

    done = WorkOrder.objects.get(pk=work_order.pk)
    assert done.status == "completed" and done.confirmation_method == "signature"
    assert done.result == "更换花洒软管及接口密封圈，试水十分钟无渗漏" and done.attachments.count() == 1
