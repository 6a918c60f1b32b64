"""The org and property API from the outside: scope, capabilities, JSON errors, query counts."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from propdesk.core.testing import assert_json_error
from propdesk.org.models import Building, Room

JSON = "application/json"


def room_url(room) -> str:
    return f"/api/org/rooms/{room.pk}"


# --- reads and scope ------------------------------------------------------------------------------------

def test_tree_holds_only_projects_in_scope(world, login):
    tree = login(world.users["agent_a"]).get("/api/org/tree").json()
    projects = [p for company in tree for branch in company["branches"] for p in branch["projects"]]
    assert [p["code"] for p in projects] == ["a"]
    assert projects[0]["room_count"] == Room.objects.filter(project=world.project_a).count() == 104


def test_branch_leader_tree_has_both_projects_of_the_branch(world, login):
    tree = login(world.users["leader_east"]).get("/api/org/tree").json()
    assert [b["code"] for b in tree[0]["branches"]] == ["east"]
    assert sorted(p["code"] for p in tree[0]["branches"][0]["projects"]) == ["a", "b"]


def test_project_detail_with_departments_and_buildings(world, login):
    client = login(world.users["agent_a"])
    project = client.get(f"/api/org/projects/{world.project_a.pk}").json()
    assert project["code"] == "a" and project["branch_name"] == "华东分公司"
    assert {d["kind"] for d in project["departments"]} == {"customer_service", "engineering", "security",
                                                           "cleaning"}
    buildings = client.get(f"/api/org/projects/{world.project_a.pk}/buildings").json()
    assert buildings["count"] == 2
    by_number = {b["number"]: b for b in buildings["items"]}
    assert (by_number["3"]["unit_count"], by_number["3"]["room_count"], by_number["3"]["occupied_count"]) \
        == (2, 80, 1)
    assert (by_number["5"]["unit_count"], by_number["5"]["room_count"]) == (1, 24)


@pytest.mark.parametrize("user", ["agent_a", "technician_a", "pm_a"])
def test_project_a_staff_get_404_for_project_b(world, login, user):
    client = login(world.users[user])
    room_b = world.room(world.project_b, "3-1-101")
    project_b = f"/api/org/projects/{world.project_b.pk}"
    for url in (project_b, f"{project_b}/buildings", room_url(room_b)):
        assert_json_error(client.get(url), 404)
    assert client.get(f"/api/org/rooms?project={world.project_b.pk}").json() == {"items": [], "count": 0}
    assert_json_error(client.patch(room_url(room_b), {"status": "vacant"}, content_type=JSON),
                      403 if user != "pm_a" else 404)


def test_unknown_and_absurd_ids_are_404(world, login):
    client = login(world.users["agent_a"])
    assert_json_error(client.get("/api/org/rooms/987654"), 404)
    assert_json_error(client.get("/api/org/rooms/99999999999999999999999"), 404)
    assert_json_error(client.get("/api/org/projects/987654"), 404)


def test_room_list_filters(world, login):
    client = login(world.users["agent_a"])
    building_3 = Building.objects.get(project=world.project_a, number="3")
    by_code = client.get("/api/org/rooms?code=3栋2单元1802").json()
    assert by_code["count"] == 1
    room = by_code["items"][0]
    assert (room["code"], room["building_number"], room["unit_number"], room["number"], room["floor"],
            room["area"], room["room_type"], room["status"], room["project_id"]) \
        == ("3-2-1802", "3", "2", "1802", 18, "89.00", "residence", "occupied", world.project_a.pk)
    assert client.get("/api/org/rooms?code=3-2&limit=1").json()["count"] == 40
    assert client.get(f"/api/org/rooms?building={building_3.pk}").json()["count"] == 80
    assert [r["code"] for r in client.get("/api/org/rooms?status=occupied").json()["items"]] == ["3-2-1802"]
    assert_json_error(client.get("/api/org/rooms?status=sold"), 422)
    assert_json_error(client.get("/api/org/rooms?project=abc"), 422)


def test_room_detail_lists_current_occupants_with_masked_phones(world, login):
    room = world.room(world.project_a, "3-2-1802")
    response = login(world.users["agent_a"]).get(room_url(room))
    assert b"13812345678" not in response.content
    body = response.json()
    occupants = {o["name"]: o for o in body["occupants"]}
    assert set(occupants) == {"周美玲", "周子轩"}
    assert occupants["周美玲"] == {"resident_id": world.residents["a_owner"].pk, "name": "周美玲",
                                   "relation": "owner", "phone": "138****5678"}


def test_resident_user_sees_only_own_rooms(world, login):
    client = login(world.users["resident_a"])
    rooms = client.get("/api/org/rooms").json()
    assert [r["code"] for r in rooms["items"]] == ["3-2-1802"]
    own = client.get(room_url(world.room(world.project_a, "3-2-1802"))).json()
    assert [o["name"] for o in own["occupants"]] == ["周美玲"]  # the family member's row is not theirs
    assert_json_error(client.get(room_url(world.room(world.project_a, "5-1-301"))), 404)
    assert_json_error(client.get("/api/org/tree"), 403)  # as in the UI: the org tree is for staff


def test_room_list_query_count_does_not_grow_with_page_size(world, login):
    client = login(world.users["agent_a"])

    def count(limit):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/org/rooms?limit={limit}")
        assert len(response.json()["items"]) == limit
        return len(queries)

    assert count(5) == count(100)


# --- writes ---------------------------------------------------------------------------------------------

def test_project_manager_generates_a_building(world, login):
    client = login(world.users["pm_a"])
    response = client.post(f"/api/org/projects/{world.project_a.pk}/buildings", {
        "number": "7", "name": "7号楼", "floors": 11, "units": 2, "rooms_per_floor": 2, "area": "95.5",
    }, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["unit_count"], body["room_count"], body["occupied_count"]) == ("7", 2, 44, 0)
    assert Room.objects.get(project=world.project_a, code="7-2-1102").area == 95.5


def test_building_errors_are_field_level_json(world, login):
    client = login(world.users["pm_a"])
    url = f"/api/org/projects/{world.project_a.pk}/buildings"
    duplicate = assert_json_error(client.post(url, {"number": "3", "floors": 5, "rooms_per_floor": 2},
                                              content_type=JSON), 400)
    assert list(duplicate["extra"]["fields"]) == ["number"]
    wrong_type = assert_json_error(client.post(url, {"number": "8", "floors": "many", "rooms_per_floor": 2},
                                               content_type=JSON), 422)
    assert "floors" in wrong_type["extra"]["fields"]
    too_tall = {"number": "8", "floors": 500, "rooms_per_floor": 2}
    assert_json_error(client.post(url, too_tall, content_type=JSON), 422)
    assert_json_error(client.post(url, "{not json", content_type=JSON), 400)
    assert not Building.objects.filter(project=world.project_a, number="8").exists()


def test_building_create_needs_edit_org_and_scope(world, login):
    body = {"number": "9", "floors": 2, "rooms_per_floor": 1}
    url_a = f"/api/org/projects/{world.project_a.pk}/buildings"
    url_b = f"/api/org/projects/{world.project_b.pk}/buildings"
    assert_json_error(login(world.users["agent_a"]).post(url_a, body, content_type=JSON), 403)
    assert_json_error(login(world.users["pm_a"]).post(url_b, body, content_type=JSON), 404)
    assert not Building.objects.filter(number="9").exists()


def test_room_patch(world, login):
    room = world.room(world.project_a, "5-1-301")
    client = login(world.users["pm_a"])
    response = client.patch(room_url(room), {"status": "renovating", "area": "66.6"}, content_type=JSON)
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["area"]) == ("renovating", "66.60")
    room.refresh_from_db()
    assert (room.status, str(room.area), room.floor, room.room_type) \
        == ("renovating", "66.60", 3, "residence")
    assert_json_error(client.patch(room_url(room), {"room_type": "castle"}, content_type=JSON), 422)
    assert_json_error(client.patch(room_url(room), {"area": -1}, content_type=JSON), 422)
    agent = login(world.users["agent_a"])
    assert_json_error(agent.patch(room_url(room), {"status": "vacant"}, content_type=JSON), 403)
    room.refresh_from_db()
    assert room.status == "renovating"


@pytest.mark.parametrize("body", ["[]", '[{"floor": 19}]', '"renovating"', "19", "null", "true"])
def test_a_body_that_is_not_a_json_object_is_refused_and_changes_nothing(world, login, body):
    room = world.room(world.project_a, "5-1-301")
    before = Room.objects.filter(pk=room.pk).values().get()
    client = login(world.users["pm_a"])
    refused = assert_json_error(client.patch(room_url(room), body, content_type=JSON), 422)
    assert "JSON" in refused["message"] and refused["extra"]["fields"]
    assert Room.objects.filter(pk=room.pk).values().get() == before
    # The same on a POST: the body's shape, not a list of "required" fields of an object never sent.
    url = f"/api/org/projects/{world.project_a.pk}/buildings"
    assert_json_error(client.post(url, body, content_type=JSON), 422)
    assert not Building.objects.filter(project=world.project_a).exclude(number__in=["3", "5"]).exists()


def test_a_body_that_is_not_json_is_a_400_in_json(world, login):
    room = world.room(world.project_a, "5-1-301")
    assert_json_error(login(world.users["pm_a"]).patch(room_url(room), "{floor: 19", content_type=JSON), 400)


# --- auth and docs --------------------------------------------------------------------------------------

def test_unauthenticated_requests_get_401_json(world):
    client = Client()
    assert_json_error(client.get("/api/org/tree"), 401)
    assert_json_error(client.get(room_url(world.room(world.project_a, "3-2-1802"))), 401)
    assert_json_error(client.post(f"/api/org/projects/{world.project_a.pk}/buildings", {}, content_type=JSON),
                      401)


def test_openapi_lists_the_org_endpoints(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/org/tree", "/api/org/projects/{project_id}",
                 "/api/org/projects/{project_id}/buildings", "/api/org/rooms", "/api/org/rooms/{room_id}"):
        assert path in paths, sorted(paths)
    assert set(paths["/api/org/rooms/{room_id}"]) == {"get", "patch"}


def test_docs_page_loads_swagger_from_static_not_a_cdn(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # Look only at what the page loads: the CSRF token in the page is random text
    # and once spelled "cdn" by chance.
    loaded = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert loaded, html
    assert all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded

