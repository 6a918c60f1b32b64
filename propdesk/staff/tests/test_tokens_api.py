"""API tokens from the outside: issued through /api/me/tokens, used as `Authorization: Bearer`, and dead once
they expire, are revoked, their user's password changes or the user is deactivated; read-only ones cannot write."""

from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from propdesk.core.testing import PASSWORD, TEST_NOW, assert_json_error
from propdesk.customers.models import Resident
from propdesk.staff.models import ApiToken

JSON = "application/json"
TOKENS = "/api/me/tokens"
RESIDENTS = "/api/customers/residents"


def issue(client, **payload) -> dict:
    response = client.post(TOKENS, {"name": "呼叫中心集成", **payload}, content_type=JSON)
    assert response.status_code == 201, response.content
    return response.json()


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def new_resident(world) -> dict:
    return {"project_id": world.project_a.pk, "name": "钱文静", "phones": ["13698765432"]}


def test_a_token_issued_through_the_api_works_as_its_user(world, login):
    issued = issue(login(world.users["agent_a"]), scope="read_write", days=30)
    assert issued["token"].startswith("pd_") and issued["prefix"] == issued["token"][:8]
    assert issued["scope"] == "read_write" and issued["state"] == "active"
    expires = timezone.datetime.fromisoformat(issued["expires_at"])
    assert abs(expires - (TEST_NOW + timedelta(days=30))) < timedelta(minutes=1)
    response = bearer(issued["token"]).get(RESIDENTS)
    assert response.status_code == 200 and response.json()["count"] == 3  # agent_a's project only
    assert not ApiToken.objects.filter(key_hash__contains=issued["token"]).exists()  # stored hashed


def test_the_default_lifetime_is_90_days_and_a_year_is_the_most(world, login):
    client = login(world.users["agent_a"])
    issued = issue(client)
    expires = timezone.datetime.fromisoformat(issued["expires_at"])
    assert abs(expires - (TEST_NOW + timedelta(days=90))) < timedelta(minutes=1)
    assert issued["scope"] == "read_write"
    for days in (0, 366, 10_000):
        body = assert_json_error(client.post(TOKENS, {"name": "脚本", "days": days}, content_type=JSON), 422)
        assert "days" in body["extra"]["fields"]
    body = assert_json_error(client.post(TOKENS, {"name": "  ", "days": 30}, content_type=JSON), 400)
    assert "name" in body["extra"]["fields"]
    assert ApiToken.objects.count() == 1


def test_an_expired_token_is_401(world, login):
    raw = issue(login(world.users["agent_a"]), days=30)["token"]
    with time_machine.travel(TEST_NOW + timedelta(days=30) - timedelta(minutes=5), tick=False):
        assert bearer(raw).get(RESIDENTS).status_code == 200
    with time_machine.travel(TEST_NOW + timedelta(days=30, minutes=5), tick=False):
        assert_json_error(bearer(raw).get(RESIDENTS), 401)


def test_a_password_change_kills_the_token(world, login):
    user = world.users["agent_a"]
    raw = issue(login(user))["token"]
    assert bearer(raw).get(RESIDENTS).status_code == 200
    user.set_password("a-new-password-2026")
    user.save()
    assert_json_error(bearer(raw).get(RESIDENTS), 401)
    # Setting the same password again does not bring the token back: the stored hash is salted anew.
    user.set_password(PASSWORD)
    user.save()
    assert_json_error(bearer(raw).get(RESIDENTS), 401)
    assert issue(login(user))["token"]  # signed in with the password, the user issues a new one


def test_a_password_changed_in_the_admin_kills_the_token(world, login):
    user = world.users["agent_b"]
    raw = issue(login(user))["token"]
    superuser = get_user_model().objects.create_superuser("root", password=PASSWORD)
    admin = Client()
    admin.force_login(superuser)
    response = admin.post(f"/admin/auth/user/{user.pk}/password/",
                          {"password1": "zhang-new-pass-88", "password2": "zhang-new-pass-88",
                           "usable_password": "true"})
    assert response.status_code == 302, response.content
    assert_json_error(bearer(raw).get(RESIDENTS), 401)


def test_deactivating_the_user_or_the_staff_profile_kills_the_token(world, login):
    user, other = world.users["agent_a"], world.users["steward_a"]
    raw, other_raw = issue(login(user))["token"], issue(login(other))["token"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_json_error(bearer(raw).get(RESIDENTS), 401)
    other.staff_profile.is_active = False
    other.staff_profile.save(update_fields=["is_active"])
    assert_json_error(bearer(other_raw).get(RESIDENTS), 401)


def test_a_read_only_token_reads_but_cannot_write(world, login):
    client = login(world.users["agent_a"])
    raw = issue(client, scope="read")["token"]
    token_id = ApiToken.objects.get().pk
    reader = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    assert reader.get(RESIDENTS).status_code == 200
    body = assert_json_error(reader.post(RESIDENTS, new_resident(world), content_type=JSON), 403)
    assert "只读" in body["message"]
    assert not Resident.objects.filter(name="钱文静").exists()
    room = world.room(world.project_a, "3-2-1802")
    assert_json_error(reader.patch(f"/api/org/rooms/{room.pk}", {"floor": 19}, content_type=JSON), 403)
    assert_json_error(reader.delete(f"{TOKENS}/{token_id}"), 403)
    room.refresh_from_db()
    assert room.floor == 18
    writer = bearer(issue(client, scope="read_write")["token"])
    assert writer.post(RESIDENTS, new_resident(world), content_type=JSON).status_code == 201


def test_the_list_shows_only_the_callers_tokens(world, login):
    issue(login(world.users["agent_b"]), name="李娜的脚本")
    client = login(world.users["agent_a"])
    issue(client, name="呼叫中心集成")
    issue(client, name="报表导出", scope="read")
    listed = client.get(TOKENS).json()
    assert [t["name"] for t in listed] == ["报表导出", "呼叫中心集成"]
    assert all("token" not in t and t["state"] == "active" for t in listed)
    assert {t["scope"] for t in listed} == {"read", "read_write"}


def test_revoking_ends_the_token_and_another_users_token_is_404(world, login):
    theirs = issue(login(world.users["agent_b"]), name="李娜的脚本")
    client = login(world.users["agent_a"])
    mine = issue(client)
    assert_json_error(client.delete(f"{TOKENS}/{theirs['id']}"), 404)
    assert bearer(theirs["token"]).get(RESIDENTS).status_code == 200  # untouched
    response = client.delete(f"{TOKENS}/{mine['id']}")
    assert response.status_code == 204
    assert_json_error(bearer(mine["token"]).get(RESIDENTS), 401)
    assert client.get(TOKENS).json() == []
    assert_json_error(client.delete(f"{TOKENS}/99999999999999999999"), 404)


def test_a_token_may_revoke_itself_but_not_issue_tokens(world, login):
    mine = issue(login(world.users["agent_a"]))
    machine = bearer(mine["token"])
    assert [t["id"] for t in machine.get(TOKENS).json()] == [mine["id"]]
    assert_json_error(machine.post(TOKENS, {"name": "再来一个"}, content_type=JSON), 403)
    assert ApiToken.objects.count() == 1
    assert machine.delete(f"{TOKENS}/{mine['id']}").status_code == 204
    assert_json_error(machine.get(TOKENS), 401)


def test_residents_cannot_issue_tokens_and_strangers_get_401(world, login):
    resident = login(world.users["resident_a"])
    assert_json_error(resident.post(TOKENS, {"name": "我的手机"}, content_type=JSON), 403)
    assert resident.get(TOKENS).json() == []
    anonymous = Client()
    assert_json_error(anonymous.get(TOKENS), 401)
    assert_json_error(anonymous.post(TOKENS, {"name": "x"}, content_type=JSON), 401)


def test_last_used_is_recorded_at_most_once_a_minute(world, login):
    mine = issue(login(world.users["agent_a"]))
    token = ApiToken.objects.get(pk=mine["id"])
    assert token.last_used_at is None
    with time_machine.travel(TEST_NOW + timedelta(hours=1), tick=False):
        bearer(mine["token"]).get(RESIDENTS)
    token.refresh_from_db()
    first = token.last_used_at
    assert first == TEST_NOW + timedelta(hours=1)
    with time_machine.travel(TEST_NOW + timedelta(hours=1, seconds=50), tick=False):
        bearer(mine["token"]).get(RESIDENTS)
    token.refresh_from_db()
    assert token.last_used_at == first
    with time_machine.travel(TEST_NOW + timedelta(hours=1, minutes=2), tick=False):
        bearer(mine["token"]).get(RESIDENTS)
        listed = login(world.users["agent_a"]).get(TOKENS).json()[0]["last_used_at"]
    assert timezone.datetime.fromisoformat(listed) == TEST_NOW + timedelta(hours=1, minutes=2)
