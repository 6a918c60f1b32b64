"""Queue and detail pages run the same number of SQL queries for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from propdesk.servicedesk.models import ServiceRequest
from propdesk.servicedesk.services.requests import RequestInput, request_comment, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

from .services.helpers import engineering


def make_requests(world, count, *, dispatch=True, pool=False):
    rooms = list(world.project_a.rooms.order_by("id")[:count])
    for i, room in enumerate(rooms):
        sr = request_submit(actor=world.users["agent_a"], project=world.project_a, data=RequestInput(
            channel="phone", kind="repair", description=f"第{i}号报修：灯不亮", room_id=room.pk,
            contact_name=f"住户{i}", contact_phone=f"1390000{i:04d}"))
        if dispatch:
            wo = workorder_create(request=sr, department=engineering(world), actor=world.users["agent_a"])
            if pool:
                workorder_act(work_order=wo, actor=world.users["agent_a"], action="pool")
            else:
                workorder_act(work_order=wo, actor=world.users["agent_a"], action="dispatch",
                              assignee_id=world.users["technician_a"].pk)


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(("url_name", "user", "dispatch", "rows_in"), [
    ("servicedesk:request_list", "agent_a", True, "page"),
    ("servicedesk:dispatch_queue", "agent_a", False, "requests"),
    ("servicedesk:my_orders", "technician_a", True, "orders"),
])
def test_queue_pages_do_not_grow_with_rows(world, login, url_name, user, dispatch, rows_in):
    client = login(world.users[user])
    make_requests(world, 5, dispatch=dispatch)
    few, page = count(client, reverse(url_name))
    assert len(page.context[rows_in]) == 5
    make_requests(world, 45, dispatch=dispatch)
    many, page = count(client, reverse(url_name))
    assert len(page.context[rows_in]) == 50
    assert few == many


def test_overdue_page_does_not_grow_with_rows(world, login):
    client = login(world.users["pm_a"])
    make_requests(world, 5)
    ServiceRequest.objects.update(received_at="2026-01-05T02:00:00Z")
    from propdesk.servicedesk.models import WorkOrder

    WorkOrder.objects.update(resolve_by="2026-01-07T02:00:00Z")
    few, page = count(client, reverse("servicedesk:overdue"))
    assert len(page.context["overdue"]) == 5
    make_requests(world, 45)
    WorkOrder.objects.update(resolve_by="2026-01-07T02:00:00Z")
    many, page = count(client, reverse("servicedesk:overdue"))
    assert len(page.context["overdue"]) == 50
    assert few == many


def test_request_page_does_not_grow_with_work_orders_and_timeline(world, login):
    client = login(world.users["agent_a"])
    make_requests(world, 1)
    sr = ServiceRequest.objects.get()
    few, _ = count(client, reverse("servicedesk:request_detail", args=[sr.pk]))
    for i in range(6):
        wo = workorder_create(request=sr, department=engineering(world), actor=world.users["agent_a"])
        workorder_act(work_order=wo, actor=world.users["agent_a"], action="dispatch",
                      assignee_id=world.users["technician_a"].pk)
        request_comment(request=sr, actor=world.users["agent_a"], text=f"第{i}次回电")
    many, page = count(client, reverse("servicedesk:request_detail", args=[sr.pk]))
    assert len(page.context["work_orders"]) == 7
    assert few == many


@pytest.mark.parametrize(("url_name", "user", "dispatch", "rows_in"), [
    ("servicedesk:request_list", "agent_a", True, "page"),
    ("servicedesk:request_list", "pm_a", True, "page"),
    ("servicedesk:dispatch_queue", "agent_a", False, "requests"),
])
def test_list_pages_run_the_same_queries_for_10_and_60_rows(world, login, url_name, user, dispatch, rows_in):
    """60 rows: a full page and a second one, counted (under the cap) in one bounded query, as 10 rows are."""
    client = login(world.users[user])
    make_requests(world, 10, dispatch=dispatch)
    few, page = count(client, reverse(url_name))
    assert len(page.context[rows_in]) == 10 and not page.context[rows_in].has_next()
    make_requests(world, 50, dispatch=dispatch)
    many, page = count(client, reverse(url_name))
    assert len(page.context[rows_in]) == 50 and page.context[rows_in].has_next()
    assert few == many
    second, page = count(client, reverse(url_name) + "?page=2")
    assert len(page.context[rows_in]) == 10 and second == many


def test_request_list_past_the_cap_shows_it_and_pages_on(world, login, monkeypatch):
    """With the cap at 3 (1,000 in use), 5 requests show "3+" and a next page; the second page holds the other 2."""
    from propdesk.core.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    monkeypatch.setattr("propdesk.servicedesk.views.requests.CappedPaginator",
                        lambda rows, size, cap=None: CappedPaginator(rows, 2, cap=cap))
    client = login(world.users["agent_a"])
    make_requests(world, 5, dispatch=False)
    queries, first = count(client, reverse("servicedesk:request_list"))
    html = first.content.decode()
    assert 'data-count="3+"' in html and "page=2" in html
    numbers = [sr.number for sr in first.context["page"]]
    pages = [numbers]
    for number in (2, 3):
        _, response = count(client, reverse("servicedesk:request_list") + f"?page={number}")
        pages.append([sr.number for sr in response.context["page"]])
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(sum(pages, [])) == sorted(ServiceRequest.objects.values_list("number", flat=True))
    assert not response.context["page"].has_next()


def test_request_and_order_api_counts_stop_at_the_cap(world, monkeypatch):
    from django.test import Client

    from propdesk.staff.models import ApiToken

    monkeypatch.setattr("propdesk.org.api.CAP", 3)
    make_requests(world, 5)
    _token, raw = ApiToken.issue(user=world.users["agent_a"], name="移动端")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    for url in ("/api/desk/requests", "/api/desk/work-orders"):
        body = client.get(url, {"limit": 2}).json()
        assert (body["count"], body["count_exact"], body["has_more"], len(body["items"])) == (3, False, True, 2), url
        last = client.get(url, {"limit": 2, "offset": 4}).json()
        assert (last["count"], last["count_exact"], last["has_more"], len(last["items"])) == (5, True, False, 1)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, {"limit": 2, "offset": 2})
        assert not any("COUNT(" in q["sql"].upper() and "LIMIT" not in q["sql"] for q in ctx.captured_queries)
