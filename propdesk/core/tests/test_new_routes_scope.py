"""Outside-in checks of the routes issue 9 added, as another project's staff, a resident of another household and
anonymously: another scope's object is a 404 (never its data), bad input a 4xx (never a 5xx)."""

import pytest
from django.urls import reverse

from propdesk.servicedesk.services.requests import RequestInput, request_submit

pytestmark = pytest.mark.django_db

HUGE = 99999999999999999999  # beyond any integer column


def a_request(world):
    owner = world.residents["a_owner"]
    return request_submit(actor=world.users["agent_a"], project=world.project_a, data=RequestInput(
        channel="phone", kind="repair", description="厨房水龙头漏水", reporter_id=owner.pk,
        room_id=world.room(world.project_a, "3-2-1802").pk))


def test_intake_caller_is_a_404_for_another_projects_resident_and_for_no_such_id(world, login):
    url = reverse("servicedesk:intake_caller", args=[world.residents["a_owner"].pk])
    agent_b = login(world.users["agent_b"])
    response = agent_b.get(url)
    assert response.status_code == 404 and "周美玲" not in response.content.decode()
    assert agent_b.get(f"/desk/intake/caller/{HUGE}/").status_code == 404
    assert login(world.users["agent_a"]).get(url).status_code == 200


def test_the_portal_shows_a_resident_only_their_own_requests(world, login, client):
    request = a_request(world)
    url = reverse("portal:request_detail", args=[request.pk])
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    b_resident = world.users.get("resident_b")
    if b_resident is None:  # the test world gives project B's owner no login; give one
        from propdesk.core.testing import make_user

        b_resident = make_user("resident_b")
        world.residents["b_owner"].user = b_resident
        world.residents["b_owner"].save(update_fields=["user"])
    other = login(b_resident)
    for path in (url, f"/api/portal/requests/{request.pk}", f"/my/requests/{HUGE}/", f"/api/portal/requests/{HUGE}"):
        response = other.get(path)
        assert response.status_code == 404, path
        assert "厨房水龙头漏水" not in response.content.decode()
    assert login(world.users["resident_a"]).get(url).status_code == 200


def test_holidays_are_the_admins_and_bad_input_is_a_4xx(world, login, client):
    assert client.get("/desk/holidays/").status_code == 302
    assert login(world.users["agent_a"]).get("/desk/holidays/").status_code == 403
    assert login(world.users["agent_a"]).get("/api/desk/holidays").status_code == 403
    admin = login(world.users["admin"])
    assert admin.get("/desk/holidays/", {"year": "abc"}).status_code == 200  # an unreadable year: the default one
    for year in ("99999999999999999999", "1800"):
        assert admin.get(f"/api/desk/holidays/{year}").status_code in (400, 404, 422), year
    assert admin.get("/api/desk/holidays/1800").json()["extra"]["fields"]["year"]
    response = admin.post("/desk/holidays/", {"year": "2027", "holidays": "2027-13-45 元旦", "workdays": ""})
    assert response.status_code in (200, 400) and "2027-13-45" in response.content.decode()
    agent_put = login(world.users["agent_a"]).put("/api/desk/holidays/2027", {"holidays": [], "workdays": []},
                                                   content_type="application/json")
    assert agent_put.status_code == 403


def test_prices_api_refuses_another_project_and_bad_ids(world, login):
    agent = login(world.users["agent_a"])
    assert agent.get("/api/desk/prices", {"project": world.project_c.pk}).status_code == 400
    assert agent.get("/api/desk/prices", {"project": "x"}).status_code in (400, 422)
    assert agent.get("/api/desk/prices", {"project": HUGE}).status_code in (400, 422)
