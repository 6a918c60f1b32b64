"""/api/auth/…: sign in with the phone and a texted code, from the outside."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model

from propdesk.accounts.models import SignInCode
from propdesk.core.testing import assert_json_error
from propdesk.customers.models import Occupancy
from propdesk.notify.models import OutboxMessage
from propdesk.portal.tests.helpers import report, sh
from propdesk.staff.models import ApiToken, StaffProfile

from .helpers import FAMILY, OTHER_OWNER, OWNER, UNKNOWN, ask_code, last_code, later, post, second_home, sign_in

pytestmark = pytest.mark.django_db

SENT = {"message": "验证码已发送，请查收短信", "resend_after": 60}


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_known_number_is_texted_a_six_digit_code(world, client):
    response = ask_code(client, "+86 138-1234-5678")
    assert response.status_code == 200 and response.json() == SENT
    message = OutboxMessage.objects.get(template="signin_code")
    assert message.to == OWNER and message.channel == "sms" and message.quiet_start is None  # urgent: no quiet hours
    code = message.params["code"]
    assert len(code) == 6 and code.isdigit() and code in message.body and "5分钟内有效" in message.body
    assert code not in SignInCode.objects.get().digest  # stored as an HMAC only


def test_an_unknown_number_gets_the_same_answer_and_no_text(world, client):
    known, unknown = ask_code(client, OWNER), ask_code(client, UNKNOWN)
    assert unknown.status_code == known.status_code == 200
    assert unknown.content == known.content
    assert not OutboxMessage.objects.filter(to=UNKNOWN).exists()
    assert SignInCode.objects.count() == 2  # a code row all the same: the try counts cannot tell either


def test_a_number_without_a_current_home_is_not_texted(world, client):
    Occupancy.objects.filter(resident=world.residents["b_owner"]).update(end_date=dt.date(2026, 10, 31))
    assert ask_code(client, OTHER_OWNER).json() == SENT
    assert not OutboxMessage.objects.filter(to=OTHER_OWNER).exists()


@pytest.mark.parametrize("phone", ["12345", "021-62345678", "4008123456", "1381234567a", "", 13812345678, None,
                                   "1" * 200])
def test_anything_but_a_mainland_mobile_is_a_422_on_phone(world, client, phone):
    body = assert_json_error(post(client, "/api/auth/sms-code", {"phone": phone}), 422)
    assert body["extra"]["fields"]["phone"] == ["请输入中国大陆手机号（11位，以1开头）"]
    assert not SignInCode.objects.exists()


def test_a_family_member_signs_in_and_gets_a_login_and_a_working_token(world, client):
    response = sign_in(client, "139 0000 1111")
    assert response.status_code == 200
    data = response.json()
    family = world.residents["a_family"]
    family.refresh_from_db()
    user = family.user
    assert user.username == f"r{family.pk}" and not user.has_usable_password()
    home = family.occupancies.get()
    assert data["name"] == "周子轩" and data["staff"] is False and data["signed_in_as"] == "resident"
    assert data["homes"] == [{"id": home.pk, "project": "翠湖花园", "room": "3-2-1802", "relation_label": "家属",
                              "current": True}]
    token = ApiToken.objects.get(user=user)
    assert token.name == "住这儿 App" and token.expires_at == token.created_at + dt.timedelta(days=30)
    me = client.get("/api/portal/me", **bearer(data["token"]))
    assert me.status_code == 200 and me.json()["name"] == "周子轩"
    # signing in again finds the same login and leaves the first token working (the unusable password is kept)
    with later(minutes=2):
        again = sign_in(client, FAMILY)
    assert again.status_code == 200 and get_user_model().objects.filter(username__regex=r"^r\d+$").count() == 1
    assert client.get("/api/portal/me", **bearer(data["token"])).status_code == 200
    assert client.get("/api/portal/me", **bearer(again.json()["token"])).status_code == 200


def test_a_resident_with_a_password_login_keeps_it(world, client):
    data = sign_in(client, OWNER).json()
    assert ApiToken.objects.get().user == world.users["resident_a"]
    assert client.get("/api/portal/me", **bearer(data["token"])).json()["name"] == "周美玲"


def test_a_wrong_code_counts_and_the_sixth_try_is_refused(world, client):
    assert ask_code(client, OWNER).status_code == 200
    code = last_code(OWNER)
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    messages = []
    for _try in range(5):
        response = post(client, "/api/auth/sms-login", {"phone": OWNER, "code": wrong})
        messages.append((response.status_code, response.json()["extra"]["fields"]["code"][0]))
    assert messages[:4] == [(400, f"验证码错误，还可再试{left}次") for left in (4, 3, 2, 1)]
    assert messages[4] == (429, "验证码错误次数过多，已失效，请重新获取")
    sixth = assert_json_error(post(client, "/api/auth/sms-login", {"phone": OWNER, "code": code}), 429)
    assert "retry_after" in sixth["extra"]
    assert not ApiToken.objects.exists() and SignInCode.objects.get().wrong == 5


def test_an_expired_code_is_refused(world, client):
    assert ask_code(client, OWNER).status_code == 200
    code = last_code(OWNER)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5, seconds=2)):
        body = assert_json_error(post(client, "/api/auth/sms-login", {"phone": OWNER, "code": code}), 400)
    assert body["extra"]["fields"]["code"] == ["验证码错误或已过期，请重新获取"]
    assert not ApiToken.objects.exists()


def test_a_code_works_once(world, client):
    assert sign_in(client, OWNER).status_code == 200
    reused = post(client, "/api/auth/sms-login", {"phone": OWNER, "code": last_code(OWNER)})
    assert assert_json_error(reused, 400)["extra"]["fields"]["code"] == ["验证码错误或已过期，请重新获取"]
    assert ApiToken.objects.count() == 1


def test_a_new_code_voids_the_last(world, client):
    assert ask_code(client, OWNER).status_code == 200
    first = last_code(OWNER)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61)):
        assert ask_code(client, OWNER).status_code == 200
        second = last_code(OWNER)
        if first != second:  # one in a million they are the same digits
            assert_json_error(post(client, "/api/auth/sms-login", {"phone": OWNER, "code": first}), 400)
        assert post(client, "/api/auth/sms-login", {"phone": OWNER, "code": second}).status_code == 200


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12a456", "１２３４５６", None])
def test_a_malformed_code_is_a_422_on_code(world, client, code):
    assert ask_code(client, OWNER).status_code == 200
    body = assert_json_error(post(client, "/api/auth/sms-login", {"phone": OWNER, "code": code}), 422)
    assert body["extra"]["fields"]["code"] == ["请输入短信中的6位验证码"]
    assert SignInCode.objects.get().wrong == 0


@pytest.mark.parametrize("phone", [OWNER, UNKNOWN])
def test_sends_are_limited_per_phone_the_same_for_unknown_numbers(world, client, phone):
    start = dt.datetime.now(dt.UTC)
    assert ask_code(client, phone).status_code == 200
    again = assert_json_error(ask_code(client, phone), 429)
    assert 55 <= again["extra"]["retry_after"] <= 61 and "秒后再试" in again["extra"]["fields"]["phone"][0]
    for minute in range(1, 5):
        with time_machine.travel(start + dt.timedelta(minutes=minute * 2)):
            assert ask_code(client, phone).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=10)):
        sixth = assert_json_error(ask_code(client, phone), 429)
        assert "一小时内" in sixth["message"] and sixth["extra"]["retry_after"] > 3000
    with time_machine.travel(start + dt.timedelta(minutes=61)):
        assert ask_code(client, phone).status_code == 200
    assert OutboxMessage.objects.filter(to=phone).count() == (6 if phone == OWNER else 0)


def test_sends_are_limited_per_client_address(world, client):
    for n in range(30):
        assert ask_code(client, f"1350000{n:04d}").status_code == 200
    refused = assert_json_error(ask_code(client, "13500009999"), 429)
    assert "网络" in refused["message"] and refused["extra"]["retry_after"] > 0
    assert ask_code(client, "13500009999", REMOTE_ADDR="10.1.2.3").status_code == 200  # another address


def test_wrong_codes_are_limited_per_client_address(world, client):
    numbers = [f"1350000{n:04d}" for n in range(7)]
    statuses = []
    for number in numbers:
        assert ask_code(client, number).status_code == 200
        for _try in range(5):
            statuses.append(post(client, "/api/auth/sms-login", {"phone": number, "code": "000000"}).status_code)
    assert statuses[:30].count(429) == 6  # each number's fifth wrong try voids its code
    refused = assert_json_error(post(client, "/api/auth/sms-login", {"phone": numbers[-1], "code": "000000"}), 429)
    assert "输错验证码次数过多" in refused["message"]
    assert set(statuses[30:]) == {429}


def test_several_homes_the_first_is_current_and_home_picks(world, client):
    other = second_home(world)
    first = world.residents["a_owner"].occupancies.get()
    data = sign_in(client, OWNER).json()
    assert [(h["id"], h["project"], h["current"]) for h in data["homes"]] == [
        (first.pk, "翠湖花园", True), (other.pk, "金桂苑", False)]
    with later(minutes=2):
        picked = sign_in(client, OWNER, home=other.pk)
    assert picked.status_code == 200 and [h["current"] for h in picked.json()["homes"]] == [False, True]
    other.resident.refresh_from_db()
    assert ApiToken.objects.order_by("-id").first().user == other.resident.user  # a login made for that record


def test_a_home_that_is_not_the_phones_is_404_and_issues_nothing(world, client):
    assert ask_code(client, OWNER).status_code == 200
    code = last_code(OWNER)
    stranger = world.residents["b_owner"].occupancies.get()
    for home in (stranger.pk, 10 ** 9):
        assert_json_error(post(client, "/api/auth/sms-login", {"phone": OWNER, "code": code, "home": home}), 404)
    assert not ApiToken.objects.exists() and world.residents["b_owner"].user is None
    assert post(client, "/api/auth/sms-login", {"phone": OWNER, "code": code}).status_code == 200  # still unused


def test_switch_home_with_the_app_token(world, client):
    other = second_home(world)
    data = sign_in(client, OWNER).json()
    switched = post(client, "/api/auth/switch-home", {"home": other.pk}, **bearer(data["token"]))
    assert switched.status_code == 200
    answer = switched.json()
    assert [h["current"] for h in answer["homes"]] == [False, True] and answer["name"] == "周美玲"
    assert client.get("/api/portal/me", **bearer(data["token"])).status_code == 401  # the old token is retired
    me = client.get("/api/portal/me", **bearer(answer["token"])).json()
    assert [h["project"] for h in me["homes"]] == ["金桂苑"]
    back = post(client, "/api/auth/switch-home", {"home": data["homes"][0]["id"]}, **bearer(answer["token"]))
    assert back.status_code == 200 and back.json()["homes"][0]["current"] is True


def test_switch_home_refuses_another_phones_home_and_other_tokens(world, client):
    data = sign_in(client, OWNER).json()
    stranger = world.residents["a_family"].occupancies.get()  # same room, but another person's phone
    assert_json_error(post(client, "/api/auth/switch-home", {"home": stranger.pk}, **bearer(data["token"])), 404)
    assert client.get("/api/portal/me", **bearer(data["token"])).status_code == 200  # nothing changed
    _token, raw = ApiToken.issue(user=world.users["agent_a"], name="集成")
    assert_json_error(post(client, "/api/auth/switch-home", {"home": stranger.pk}, **bearer(raw)), 404)
    assert_json_error(post(client, "/api/auth/switch-home", {"home": stranger.pk}), 401)


def test_staff_sign_in_by_mobile(world, client):
    StaffProfile.objects.filter(user=world.users["technician_a"]).update(mobile="13600001234")
    data = sign_in(client, "13600001234").json()
    assert data["signed_in_as"] == "staff" and data["staff"] is True and data["homes"] == []
    assert data["name"] == "刘师傅"
    me = client.get("/api/me", **bearer(data["token"]))
    assert me.status_code == 200 and me.json()["username"] == "technician_a"
    StaffProfile.objects.filter(user=world.users["technician_a"]).update(is_active=False)
    with later(minutes=2):
        assert ask_code(client, "13600001234").status_code == 200
    assert OutboxMessage.objects.filter(to="13600001234").count() == 1  # an inactive profile is not texted


def test_a_phone_of_staff_and_resident_defaults_to_staff_and_home_picks(world, client):
    StaffProfile.objects.filter(user=world.users["technician_a"]).update(mobile=FAMILY)
    data = sign_in(client, FAMILY).json()
    assert data["signed_in_as"] == "staff" and data["staff"] is True and len(data["homes"]) == 1
    assert data["homes"][0]["current"] is False
    home = data["homes"][0]["id"]
    with later(minutes=2):
        resident = sign_in(client, FAMILY, home=home).json()
    assert resident["signed_in_as"] == "resident" and resident["name"] == "周子轩"


def test_a_residents_token_cannot_read_another_households_request(world, client):
    mine = report(world, "a_family", now=sh(2026, 11, 20, 9, 0))
    theirs = report(world, "b_owner", now=sh(2026, 11, 20, 9, 0), project=world.project_b, room="3-1-101")
    token = sign_in(client, FAMILY).json()["token"]
    assert client.get(f"/api/portal/requests/{mine.pk}", **bearer(token)).status_code == 200
    assert_json_error(client.get(f"/api/portal/requests/{theirs.pk}", **bearer(token)), 404)
