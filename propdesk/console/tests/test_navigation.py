"""The main menu lights the section of the page shown, and only it: a request page lights 报事 (the list), not 报事登记
(every service-desk page used to light 报事登记, the first item of the app)."""

import re

import pytest

from propdesk.console.context_processors import active_item
from propdesk.reports.tests.test_kpis import new_order, new_request
from propdesk.servicedesk.tests.services.helpers import engineering, sh

pytestmark = pytest.mark.django_db


def lit(html: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="[^"]*" class="active">([^<]*)</a>', nav)


AGENT_MENU = ["home", "servicedesk:intake", "servicedesk:dispatch_queue", "servicedesk:request_list",
              "servicedesk:overdue", "servicedesk:incident_list", "servicedesk:price_list", "followups:visit_queue",
              "reports:dashboard", "customers:resident_list", "org:tree"]


@pytest.mark.parametrize(("page", "expected"), [
    ("servicedesk:intake", "servicedesk:intake"),
    ("servicedesk:request_detail", "servicedesk:request_list"),
    ("servicedesk:reply", "servicedesk:request_list"),
    ("servicedesk:workorder_detail", "servicedesk:request_list"),
    ("servicedesk:incident_detail", "servicedesk:incident_list"),
    ("servicedesk:overdue", "servicedesk:overdue"),
    ("followups:visit_detail", "followups:visit_queue"),
    ("reports:register_complaints", "reports:dashboard"),
    ("customers:resident_detail", "customers:resident_list"),
    ("org:room_detail", "org:tree"),
    ("notify:inbox", None),
])
def test_the_section_of_each_page(page, expected):
    assert active_item(AGENT_MENU, page) == expected


def test_a_technicians_order_page_lights_my_orders():
    menu = ["home", "servicedesk:intake", "servicedesk:my_orders", "servicedesk:request_list", "servicedesk:overdue"]
    assert active_item(menu, "servicedesk:workorder_detail") == "servicedesk:my_orders"


def test_pages_light_one_item(world, login):
    request = new_request(world, world.project_a, "261201-001", sh(2026, 12, 1, 9), status="in_progress")
    order = new_order(request, "261201-001-1", engineering(world), world.users["technician_a"], status="dispatched",
                      dispatched_at=sh(2026, 12, 1, 9, 5))
    agent = login(world.users["agent_a"])
    assert lit(agent.get("/desk/intake/").content.decode()) == ["报事登记"]
    assert lit(agent.get(f"/desk/requests/{request.pk}/").content.decode()) == ["报事"]
    assert lit(agent.get("/desk/requests/").content.decode()) == ["报事"]
    assert lit(agent.get("/reports/registers/complaints/").content.decode()) == ["看板"]
    technician = login(world.users["technician_a"])
    assert lit(technician.get(f"/desk/orders/{order.pk}/").content.decode()) == ["我的工单"]
