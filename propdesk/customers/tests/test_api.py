"""The customer-archive API from the outside: scope, masking, reveals, auth, JSON errors, query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from propdesk.core.models import AuditAction, AuditLog
from propdesk.core.testing import assert_json_error, make_resident
from propdesk.customers.models import Occupancy, Resident
from propdesk.org.models import Room
from propdesk.staff.models import ApiToken

JSON = "application/json"
FULL = "13812345678"
RESIDENTS = "/api/customers/residents"


def detail_url(resident) -> str:
    return f"{RESIDENTS}/{resident.pk}"


def new_resident(world, **overrides):
    return {"project_id": world.project_a.pk, "name": "钱文静", "phones": ["139 1234 0000"],
            "rooms": [{"code": "3-1-501", "relation": "owner"}], **overrides}


# --- reads, scope and masking ---------------------------------------------------------------------------

def test_list_and_detail_show_masked_phones_and_current_rooms(world, login):
    client = login(world.users["agent_a"])
    listing = client.get(RESIDENTS).json()
    assert listing["count"] == 3
    owner = next(r for r in listing["items"] if r["name"] == "周美玲")
    assert owner["phones"] == ["138****5678"]
    assert owner["rooms"] == [{"room_id": world.room(world.project_a, "3-2-1802").pk, "code": "3-2-1802",
                               "relation": "owner"}]
    detail = client.get(detail_url(world.residents["a_owner"])).json()
    assert detail["id_number"] == "110101********1233"
    assert [(p["masked"], p["kind"], p["is_primary"]) for p in detail["phones"]] == [("138****5678", "mobile",
                                                                                       True)]
    (room,) = detail["rooms"]
    assert room["code"] == "3-2-1802" and room["relation"] == "owner"
    assert [(m["name"], m["relation"]) for m in room["household"]] == [("周子轩", "family")]


@pytest.mark.parametrize(("q", "names"), [
    ("5678", {"周美玲", "吴强"}),  # last four digits of a mobile and of a landline
    (FULL, {"周美玲"}),
    ("3-2-1802", {"周美玲", "周子轩"}),
    ("周", {"周美玲", "周子轩"}),
    ("13712348888", set()),  # project B's caller stays hidden
])
def test_q_matches_like_the_search_box(world, login, q, names):
    body = login(world.users["agent_a"]).get(RESIDENTS, {"q": q}).json()
    assert {r["name"] for r in body["items"]} == names


def test_filters_by_project_segment_and_flag(world, login):
    Resident.objects.filter(pk=world.residents["a_tenant"].pk).update(segment="retirees", is_vip=True)
    client = login(world.users["leader_east"])
    assert client.get(RESIDENTS).json()["count"] == 4
    assert client.get(RESIDENTS, {"project": world.project_b.pk}).json()["count"] == 1
    assert [r["name"] for r in client.get(RESIDENTS, {"segment": "retirees"}).json()["items"]] == ["吴强"]
    vip = client.get(RESIDENTS, {"flag": "is_vip"}).json()["items"]
    assert [(r["name"], r["flags"]) for r in vip] == [("吴强", ["is_vip"])]
    assert_json_error(client.get(RESIDENTS, {"flag": "is_rich"}), 422)


@pytest.mark.parametrize("user", ["agent_a", "technician_a"])
def test_project_a_staff_get_404_for_project_b_resident_and_phone(world, login, user):
    client = login(world.users[user])
    b_owner = world.residents["b_owner"]
    assert_json_error(client.get(detail_url(b_owner)), 404)
    assert b_owner.pk not in [r["id"] for r in client.get(RESIDENTS).json()["items"]]
    assert client.get(RESIDENTS, {"project": world.project_b.pk}).json()["count"] == 0


def test_the_archive_api_is_the_staffs_even_for_a_residents_own_record(world, login):
    """Segment, flags, the staff note and the archive number are the staff's: a resident gets a 403 on the archive
    API, their own record included, and reads what is about them at /api/portal/me."""
    client = login(world.users["resident_a"])
    assert "/api/portal/" in assert_json_error(client.get(RESIDENTS), 403)["message"]
    for whose in ("a_owner", "a_family", "a_tenant", "b_owner"):
        assert_json_error(client.get(detail_url(world.residents[whose])), 403)
    assert_json_error(client.post(RESIDENTS, new_resident(world), content_type=JSON), 403)
    phone = world.residents["a_owner"].phones.get()
    assert_json_error(client.post(f"/api/customers/phones/{phone.pk}/reveal"), 403)


@pytest.mark.parametrize("user", ["agent_a", "technician_a"])
def test_full_phone_never_appears_in_a_get(world, login, user):
    client = login(world.users[user])
    owner = world.residents["a_owner"]
    shows_owner_phone = [RESIDENTS, f"{RESIDENTS}?q={FULL}", f"{RESIDENTS}?q=5678", f"{RESIDENTS}?q=3-2-1802",
                         detail_url(owner), f"/api/org/rooms/{owner.occupancies.get().room_id}"]
    for url in [*shows_owner_phone, detail_url(world.residents["a_family"]), "/api/org/rooms?code=3-2-1802"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert FULL.encode() not in response.content, (user, url)
        assert b"110101199003071233" not in response.content, (user, url)
        if url in shows_owner_phone:
            assert b"138****5678" in response.content, (user, url)  # the number is there, masked


def test_resident_list_query_count_does_not_grow_with_page_size(world, login):
    rooms = list(Room.objects.filter(project=world.project_a, building__number="3").order_by("id")[:60])
    for i, room in enumerate(rooms):
        make_resident(world.project_a, f"测试{i:02d}", f"1360000{i:04d}", room)
    client = login(world.users["agent_a"])

    def count(limit):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(RESIDENTS, {"limit": limit, "project": world.project_a.pk})
        assert len(response.json()["items"]) == limit
        return len(queries)

    assert count(5) == count(50)


# --- reveals --------------------------------------------------------------------------------------------

def test_agent_reveals_a_phone_and_the_reveal_is_logged(world, login):
    phone = world.residents["a_owner"].phones.get()
    response = login(world.users["agent_a"]).post(f"/api/customers/phones/{phone.pk}/reveal")
    assert response.status_code == 200
    assert response.json() == {"number": FULL}
    log = AuditLog.objects.exclude(action=AuditAction.LOGIN).get()
    assert (log.actor, log.action, log.target_id) == (world.users["agent_a"], AuditAction.REVEAL_PHONE,
                                                      str(phone.pk))


def test_technician_may_not_reveal_and_nothing_is_logged(world, login):
    phone = world.residents["a_owner"].phones.get()
    response = login(world.users["technician_a"]).post(f"/api/customers/phones/{phone.pk}/reveal")
    body = assert_json_error(response, 403)
    assert FULL not in str(body)
    assert not AuditLog.objects.exclude(action=AuditAction.LOGIN).exists()


def test_reveal_outside_scope_is_404_and_not_logged(world, login):
    phone_b = world.residents["b_owner"].phones.get()
    assert_json_error(login(world.users["agent_a"]).post(f"/api/customers/phones/{phone_b.pk}/reveal"), 404)
    assert not AuditLog.objects.exclude(action=AuditAction.LOGIN).exists()


def test_id_reveal_needs_reveal_id(world, login):
    owner = world.residents["a_owner"]
    url = f"{detail_url(owner)}/reveal-id"
    assert_json_error(login(world.users["agent_a"]).post(url), 403)
    assert login(world.users["steward_a"]).post(url).json() == {"number": "110101199003071233"}
    assert AuditLog.objects.exclude(action=AuditAction.LOGIN).get().action == AuditAction.REVEAL_ID


# --- writes ---------------------------------------------------------------------------------------------

def test_agent_registers_a_resident_with_a_room(world, login):
    response = login(world.users["agent_a"]).post(RESIDENTS, new_resident(world, flags=["is_vip"],
                                                                          gender="f", segment="retirees"),
                                                  content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "钱文静" and body["flags"] == ["is_vip"] and body["archive_no"]
    assert [p["masked"] for p in body["phones"]] == ["139****0000"]
    assert "13912340000" not in response.content.decode()
    assert [(r["code"], r["relation"]) for r in body["rooms"]] == [("3-1-501", "owner")]
    resident = Resident.objects.get(pk=body["id"])
    assert (resident.project, resident.gender, resident.segment, resident.is_vip) \
        == (world.project_a, "f", "retirees", True)
    assert resident.phones.get().number == "13912340000"


def test_malformed_phone_is_a_field_error(world, login):
    response = login(world.users["agent_a"]).post(RESIDENTS, new_resident(world, phones=["12345"]),
                                                  content_type=JSON)
    body = assert_json_error(response, 400)
    assert list(body["extra"]["fields"]) == ["phones"]
    assert not Resident.objects.filter(name="钱文静").exists()


@pytest.mark.parametrize("overrides", [
    {"phones": FULL},  # a string where a list belongs
    {"project_id": "A栋"},
    {"name": ["钱文静"]},
    {"rooms": [{"code": 3}]},
    {"flags": ["is_rich"]},
])
def test_wrong_json_types_are_422_with_fields(world, login, overrides):
    response = login(world.users["agent_a"]).post(RESIDENTS, new_resident(world, **overrides),
                                                  content_type=JSON)
    fields = assert_json_error(response, 422)["extra"]["fields"]
    assert {name.split(".")[0] for name in fields} == set(overrides), fields


@pytest.mark.parametrize("payload", ["{name: 1", "", "[1, 2]", "null", "周美玲"])
def test_garbage_bodies_are_4xx_json(world, login, payload):
    response = login(world.users["agent_a"]).post(RESIDENTS, payload, content_type=JSON)
    assert 400 <= response.status_code < 500
    assert_json_error(response, response.status_code)


def test_form_encoded_body_is_4xx_json(world, login):
    response = login(world.users["agent_a"]).post(RESIDENTS, {"name": "钱文静"})
    assert 400 <= response.status_code < 500
    assert_json_error(response, response.status_code)


@pytest.mark.parametrize("project", ["missing", "b"])
def test_unknown_or_foreign_project_is_a_field_error(world, login, project):
    project_id = world.project_b.pk if project == "b" else 987654
    response = login(world.users["agent_a"]).post(RESIDENTS, new_resident(world, project_id=project_id),
                                                  content_type=JSON)
    assert list(assert_json_error(response, 400)["extra"]["fields"]) == ["project_id"]


def test_unknown_room_or_relation_is_a_field_error(world, login):
    client = login(world.users["agent_a"])
    no_room = client.post(RESIDENTS, new_resident(world, rooms=[{"code": "9-9-909"}]), content_type=JSON)
    assert list(assert_json_error(no_room, 400)["extra"]["fields"]) == ["rooms"]
    bad_relation = client.post(RESIDENTS, new_resident(world, rooms=[{"code": "3-1-501", "relation": "cat"}]),
                               content_type=JSON)
    assert list(assert_json_error(bad_relation, 400)["extra"]["fields"]) == ["relation"]
    assert not Occupancy.objects.filter(room__code="3-1-501", room__project=world.project_a).exists()


def test_technician_may_not_register(world, login):
    response = login(world.users["technician_a"]).post(RESIDENTS, new_resident(world), content_type=JSON)
    assert_json_error(response, 403)


def test_patch_changes_only_what_is_sent(world, login):
    owner = world.residents["a_owner"]
    client = login(world.users["agent_a"])
    response = client.patch(detail_url(owner), {"name": "周美琳", "flags": ["is_elderly_alone"]},
                            content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "周美琳" and FULL not in response.content.decode()
    owner.refresh_from_db()
    assert (owner.name, owner.is_elderly_alone, owner.id_number) == ("周美琳", True, "110101199003071233")
    assert list(owner.phones.values_list("number", flat=True)) == [FULL]
    bad = client.patch(detail_url(owner), {"phones": ["0"]}, content_type=JSON)
    assert list(assert_json_error(bad, 400)["extra"]["fields"]) == ["phones"]
    assert list(owner.phones.values_list("number", flat=True)) == [FULL]


def test_patch_id_number_needs_reveal_id_and_scope(world, login):
    owner = world.residents["a_owner"]
    new_id = "11010519491231002X"
    assert_json_error(login(world.users["agent_a"]).patch(detail_url(owner), {"id_number": new_id},
                                                          content_type=JSON), 403)
    steward = login(world.users["steward_a"])
    response = steward.patch(detail_url(owner), {"id_number": new_id}, content_type=JSON)
    assert response.status_code == 200 and new_id not in response.content.decode()
    owner.refresh_from_db()
    assert owner.id_number == new_id
    assert_json_error(steward.patch(detail_url(world.residents["b_owner"]), {"name": "x"}, content_type=JSON),
                      404)


# --- authentication -------------------------------------------------------------------------------------

def test_unauthenticated_is_401_json(world):
    client = Client()
    assert_json_error(client.get(RESIDENTS), 401)
    assert_json_error(client.get(detail_url(world.residents["a_owner"])), 401)
    phone = world.residents["a_owner"].phones.get()
    assert_json_error(client.post(f"/api/customers/phones/{phone.pk}/reveal"), 401)


def test_bearer_token_works_until_revoked(world):
    token, raw = ApiToken.issue(user=world.users["agent_a"], name="呼叫中心集成")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.get(RESIDENTS)
    assert response.status_code == 200 and response.json()["count"] == 3
    assert_json_error(client.get(detail_url(world.residents["b_owner"])), 404)
    token.revoked = True
    token.save(update_fields=["revoked"])
    assert_json_error(client.get(RESIDENTS), 401)
    assert_json_error(Client(headers={"Authorization": "Bearer pd_not-a-token"}).get(RESIDENTS), 401)


def test_bearer_token_writes_without_csrf(world):
    _token, raw = ApiToken.issue(user=world.users["agent_a"], name="呼叫中心集成")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    response = client.post(RESIDENTS, new_resident(world), content_type=JSON)
    assert response.status_code == 201, response.content


def test_session_post_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["agent_a"])
    refused = client.post(RESIDENTS, new_resident(world), content_type=JSON)
    assert_json_error(refused, 403)
    assert not Resident.objects.filter(name="钱文静").exists()
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    accepted = client.post(RESIDENTS, new_resident(world), content_type=JSON, headers={"X-CSRFToken": secret})
    assert accepted.status_code == 201, accepted.content


def test_openapi_lists_the_customer_endpoints(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert set(paths[RESIDENTS]) == {"get", "post"}
    assert set(paths["/api/customers/residents/{resident_id}"]) == {"get", "patch"}
    assert "post" in paths["/api/customers/phones/{phone_id}/reveal"]
    assert "post" in paths["/api/customers/residents/{resident_id}/reveal-id"]
