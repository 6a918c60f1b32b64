"""助这儿, the technician's installable app, through the test client: the manifest opens on 我的工单, the service
worker at /desk/sw.js keeps only the technician's own pages, and the pages carry what an action queued offline
sends (the order's state as shown). The queue itself runs in the browser: test_offline_browser.py."""

import json
import re

import pytest
from django.urls import reverse

from .test_api import recorded

pytestmark = pytest.mark.django_db


def test_the_manifest_opens_on_my_work_orders(client):
    manifest = json.loads(client.get(reverse("servicedesk:manifest")).content)
    assert manifest["name"] == "助这儿" and manifest["start_url"] == "/desk/orders/mine/"
    assert manifest["scope"] == "/desk/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_the_worker_keeps_my_orders_and_work_orders_only(client):
    response = client.get(reverse("servicedesk:service_worker"))
    assert response["Service-Worker-Allowed"] == "/desk/"
    config = json.loads(re.search(r"const CONFIG = (\{.*\});", response.content.decode()).group(1))
    kept = [re.compile(pattern) for pattern in config["pages"]]
    for path, expected in (("/desk/orders/mine/", True), ("/desk/orders/12/", True), ("/desk/orders/12/accept/", False),
                           ("/desk/requests/3/", False), ("/desk/", False), ("/api/desk/work-orders/12", False)):
        assert any(pattern.search(path) for pattern in kept) is expected, path
    assert "/static/servicedesk/offline-actions.js" in config["shell"]
    assert config["offline"] in config["shell"]


def test_the_offline_page_lists_what_waits_without_anyones_data(world, login):
    html = login(world.users["technician_a"]).get(reverse("servicedesk:offline")).content.decode()
    assert "当前没有网络" in html and 'data-user=""' in html and "刘师傅" not in html


def test_a_technicians_pages_link_the_app_and_carry_the_state_shown(world, login):
    order = recorded(world).work_orders.get()
    client = login(world.users["technician_a"])
    mine = client.get(reverse("servicedesk:my_orders")).content.decode()
    assert '<link rel="manifest" href="/desk/manifest.webmanifest">' in mine and "offline-actions.js" in mine
    assert "待发送" in mine  # the queue's words come translated from the script tag
    state = (f'data-offline-wo="{order.pk}" data-number="{order.number}" data-status="dispatched" '
             f'data-assignee="{world.users["technician_a"].pk}"')
    assert state in mine  # one-tap accept under the order's card, queued when offline
    assert f'action="{reverse("servicedesk:workorder_action", args=[order.pk, "accept"])}"' in mine
    page = client.get(reverse("servicedesk:workorder_detail", args=[order.pk])).content.decode()
    assert state in page and 'data-sw="/desk/sw.js"' in page


def test_an_agent_gets_no_technician_app(world, login):
    order = recorded(world).work_orders.get()
    page = login(world.users["agent_a"]).get(reverse("servicedesk:workorder_detail", args=[order.pk]))
    assert 'rel="manifest"' not in page.content.decode()
