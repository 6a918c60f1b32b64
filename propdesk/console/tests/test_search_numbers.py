"""The one search box finds a request by the number a resident reads out on the phone — the whole number or the
part after the project prefix — and only in the user's scope. The requests API's ``q`` does the same."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from propdesk.core.testing import make_user
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.staff.models import ApiToken

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def two(world):
    """The first request of 30 November in project A (翠湖花园) and in project B (金桂苑): same day, same sequence."""
    pm_b = make_user("pm_b", role="project_manager", project=world.project_b, display_name="黄经理")
    requests = {}
    for key, project, actor, name in (("a", world.project_a, world.users["agent_a"], "周美玲"),
                                      ("b", world.project_b, pm_b, "郑海燕")):
        requests[key] = request_submit(actor=actor, project=project, now=NOW, data=RequestInput(
            channel="phone", kind="repair", description="厨房水槽下水管漏水", contact_name=name,
            contact_phone="13955556666", room_id=world.room(project, "3-1-101").pk))
    return requests


def hits(client, q) -> str:
    return client.get(reverse("search"), {"q": q}, headers={"HX-Request": "true"}).content.decode()


def test_the_whole_number_finds_the_request(world, login, two):
    a = two["a"]
    assert a.number == f"{world.project_a.number_prefix}-261130-001"
    page = hits(login(world.users["agent_a"]), a.number)
    assert reverse("servicedesk:request_detail", args=[a.pk]) in page and "翠湖花园" in page and "周美玲" in page
    # As typed on the phone: lower case, spaces, a full-width dash.
    for typed in (a.number.lower(), a.number.replace("-", " "), a.number.replace("-", "－")):
        assert reverse("servicedesk:request_detail", args=[a.pk]) in hits(login(world.users["agent_a"]), typed)


def test_the_part_after_the_prefix_finds_the_request_of_the_users_projects(world, login, two):
    a, b = two["a"], two["b"]
    agent = hits(login(world.users["agent_a"]), "261130-001")
    assert reverse("servicedesk:request_detail", args=[a.pk]) in agent
    assert reverse("servicedesk:request_detail", args=[b.pk]) not in agent and b.number not in agent
    company = hits(login(world.users["quality"]), "261130001")
    assert a.number in company and b.number in company and "金桂苑" in company


def test_another_projects_number_finds_nothing(world, login, two):
    page = hits(login(world.users["agent_a"]), two["b"].number)
    assert "request-hit" not in page and f"没有找到“{two['b'].number}”" in page


def test_enter_on_a_single_number_opens_the_request(world, login, two):
    client = login(world.users["agent_a"])
    response = client.get(reverse("search"), {"q": two["a"].number, "go": "1"})
    assert response.status_code == 302
    assert response.url == reverse("servicedesk:request_detail", args=[two["a"].pk])


def test_the_requests_api_finds_a_number_in_scope(world, two):
    _token, raw = ApiToken.issue(user=world.users["agent_a"], name="移动端")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    for q in (two["a"].number, "261130-001"):
        body = api.get("/api/desk/requests", {"q": q}).json()
        assert [row["number"] for row in body["items"]] == [two["a"].number], q
