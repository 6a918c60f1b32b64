"""助这儿 on a phone (390x844) in a real browser: the technician's work-order page is kept by the service worker for
use without network; an action taken offline waits as 「待发送」 and is sent when the phone is back online; one
whose order was cancelled meanwhile is refused with the server's Chinese message and dropped, nothing written."""

import pytest
from django.urls import reverse

from propdesk.browser_testing import browser_page, requires_chromium, wait_for_js
from propdesk.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, requires_chromium]

PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True)
def test_actions_taken_offline_are_sent_when_back_online_or_refused_when_the_order_changed(live_server, world):
    from propdesk.servicedesk.models import TimelineEvent, WorkOrder
    from propdesk.servicedesk.services.workorders import workorder_act

    from .test_api import recorded

    order = recorded(world).work_orders.get()  # dispatched to 刘师傅
    detail = reverse("servicedesk:workorder_detail", args=[order.pk])

    with browser_page(viewport=PHONE) as page:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "technician_a")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("a.my-order")
        page.goto(f"{live_server.url}{detail}")
        wait_for_js(page, "navigator.serviceWorker.controller !== null")  # 助这儿's worker controls the page
        page.reload()  # now through the worker, which keeps this page for use without network
        page.wait_for_selector("#wo-title")
        for button in page.locator(".wo-actions button:visible").all():  # touch targets on a phone
            assert button.bounding_box()["height"] >= 44, button.inner_text()

        # In the basement: the page comes from the phone, and the accept waits there.
        page.context.set_offline(True)
        page.reload()
        page.wait_for_selector("#wo-title")
        assert "已派单" in page.inner_text("#wo-status")
        page.click(".wo-actions button[data-action=accept]")
        page.wait_for_selector("#offline-queue .offline-item.pending")
        assert "待发送" in page.inner_text("#offline-queue")
        assert "待发送" in page.inner_text(f"#wo-actions-{order.pk} .offline-waiting")
        assert not page.locator(".wo-actions button[data-action=accept]").is_visible()  # not twice
        assert WorkOrder.objects.get(pk=order.pk).status == "dispatched"  # nothing reached the server
        page.goto(f"{live_server.url}/desk/requests/")  # a page the worker does not keep
        assert "当前没有网络" in page.inner_text("h1")
        page.go_back()
        page.wait_for_selector("#offline-queue .offline-item.pending")

        # Back online: sent by itself, once; the page shows the order as it is now.
        page.context.set_offline(False)
        page.wait_for_selector("#offline-queue .offline-sent")
        assert "已接单" in page.inner_text("#wo-status")
        assert WorkOrder.objects.get(pk=order.pk).status == "accepted"
        assert TimelineEvent.objects.filter(work_order=order, action="accept").count() == 1
        page.click("#offline-queue .offline-dismiss")
        assert not page.locator("#offline-queue").is_visible()

        # Offline again: "arrived" waits; meanwhile the center cancels the order.
        page.context.set_offline(True)
        page.click(".wo-actions button[data-action=arrive]")
        page.wait_for_selector("#offline-queue .offline-item.pending")
        workorder_act(work_order=order, actor=world.users["agent_a"], action="cancel", reason="住户已自行修好")
        page.context.set_offline(False)
        page.wait_for_selector("#offline-queue .offline-refused")
        refused = page.inner_text("#offline-queue .offline-refused")
        assert "已被撤销" in refused and order.number in refused, refused
        assert not page.locator("#offline-queue .offline-item.pending").count()  # dropped, not retried
        assert page.evaluate("JSON.parse(localStorage.getItem('propdesk:desk-queue') || '[]').length") == 0
        order.refresh_from_db()
        assert order.status == "cancelled" and order.arrived_at is None
