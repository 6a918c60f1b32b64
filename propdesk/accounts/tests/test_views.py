"""The browser's phone sign-in: /login/ → /login/phone/ → (several homes) /login/phone/home/ → /my/, switching at
/my/homes/, through the pages as a person would."""

import pytest
from django.contrib.auth import SESSION_KEY

from propdesk.accounts.models import SignInCode
from propdesk.customers.models import Occupancy
from propdesk.portal.selectors import CURRENT_HOME_SESSION_KEY
from propdesk.staff.models import StaffProfile

from .helpers import FAMILY, OWNER, UNKNOWN, last_code, later, second_home

pytestmark = pytest.mark.django_db


def send(client, phone, **extra):
    return client.post("/login/phone/", {"action": "send", "phone": phone}, **extra)


def enter(client, phone, code, **extra):
    return client.post("/login/phone/", {"action": "login", "phone": phone, "code": code}, **extra)


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


def test_the_sign_in_page_offers_the_phone_as_a_second_way(client):
    page = client.get("/login/").content.decode()
    assert 'href="/login/phone/"' in page and "手机验证码登录" in page
    form = client.get("/login/phone/").content.decode()
    assert 'type="tel"' in form and "获取验证码" in form and "<script>" not in form


def test_a_family_member_signs_in_with_a_code_and_lands_on_my(world, client):
    page = send(client, "139-0000-1111")
    assert page.status_code == 200
    text = page.content.decode()
    assert "验证码已发送，请查收短信" in text and "139****1111" in text and 'data-resend-after="60"' in text
    assert 'autocomplete="one-time-code"' in text and 'value="13900001111"' in text
    response = enter(client, FAMILY, last_code(FAMILY))
    assert response.status_code == 302 and response["Location"] == "/my/"
    family = world.residents["a_family"]
    family.refresh_from_db()
    assert signed_in_as(client) == str(family.user.pk)
    assert client.session[CURRENT_HOME_SESSION_KEY] == family.occupancies.get().pk
    assert "周子轩" in client.get("/my/").content.decode()


def test_an_unknown_number_sees_the_same_page_and_no_text_is_sent(world, client):
    known, unknown = send(client, OWNER), send(client, UNKNOWN)
    assert known.status_code == unknown.status_code == 200
    assert "验证码已发送，请查收短信" in unknown.content.decode()
    assert enter(client, UNKNOWN, "123456").status_code == 200 and signed_in_as(client) is None


def test_a_bad_number_is_a_field_error(world, client):
    page = send(client, "021-62345678")
    assert page.status_code == 200 and "请输入中国大陆手机号（11位，以1开头）" in page.content.decode()
    assert not SignInCode.objects.exists()


def test_wrong_codes_are_counted_and_the_sixth_try_is_refused(world, client):
    send(client, OWNER)
    code = last_code(OWNER)
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    first = enter(client, OWNER, wrong)
    assert first.status_code == 200 and "验证码错误，还可再试4次" in first.content.decode()
    for _try in range(4):
        last = enter(client, OWNER, wrong)
    assert last.status_code == 429
    sixth = enter(client, OWNER, code)
    assert sixth.status_code == 429 and "已失效" in sixth.content.decode() and signed_in_as(client) is None


def test_resending_too_soon_is_refused_with_a_countdown(world, client):
    send(client, OWNER)
    again = client.post("/login/phone/", {"action": "send", "step": "code", "phone": OWNER})
    assert again.status_code == 429
    text = again.content.decode()
    assert "秒后再试" in text and 'name="code"' in text  # still on the code step


def test_several_homes_pick_one_then_switch_without_a_new_code(world, client):
    other = second_home(world)
    first = world.residents["a_owner"].occupancies.get()
    send(client, OWNER)
    response = enter(client, OWNER, last_code(OWNER))
    assert response.status_code == 302 and response["Location"] == "/login/phone/home/"
    assert signed_in_as(client) is None
    picker = client.get("/login/phone/home/").content.decode()
    assert "翠湖花园" in picker and "金桂苑" in picker and "5-1-201" in picker and "业主" in picker
    stranger = world.residents["b_owner"].occupancies.get()
    assert client.post("/login/phone/home/", {"choice": stranger.pk}).status_code == 200
    assert signed_in_as(client) is None
    chosen = client.post("/login/phone/home/", {"choice": other.pk})
    assert chosen.status_code == 302 and chosen["Location"] == "/my/"
    other.resident.refresh_from_db()
    assert signed_in_as(client) == str(other.resident.user.pk)
    assert client.session[CURRENT_HOME_SESSION_KEY] == other.pk
    homes = client.get("/my/homes/").content.decode()
    assert "翠湖花园" in homes and "金桂苑" in homes
    back = client.post("/my/homes/", {"home": first.pk})
    assert back.status_code == 302 and signed_in_as(client) == str(world.users["resident_a"].pk)
    assert client.session[CURRENT_HOME_SESSION_KEY] == first.pk
    assert client.post("/my/homes/", {"home": stranger.pk}).status_code == 404
    assert signed_in_as(client) == str(world.users["resident_a"].pk)


def test_the_picker_needs_a_fresh_code(world, client):
    response = client.get("/login/phone/home/")
    assert response.status_code == 302 and response["Location"] == "/login/phone/"


def test_a_password_sign_in_switches_only_between_its_own_homes(world, client, login):
    second = Occupancy.objects.create(resident=world.residents["a_owner"], project=world.project_a,
                                      room=world.room(world.project_a, "3-1-101"), relation="owner")
    other = second_home(world)
    login(world.users["resident_a"])
    page = client.get("/my/homes/").content.decode()
    assert "3-1-101" in page and "5-1-201" not in page  # another record's home needs the phone's code
    assert client.post("/my/homes/", {"home": second.pk}).status_code == 302
    assert client.session[CURRENT_HOME_SESSION_KEY] == second.pk
    assert client.post("/my/homes/", {"home": other.pk}).status_code == 404


def test_staff_sign_in_by_mobile_lands_on_the_console(world, client):
    StaffProfile.objects.filter(user=world.users["agent_a"]).update(mobile="13600001234")
    send(client, "13600001234")
    response = enter(client, "13600001234", last_code("13600001234"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_as(client) == str(world.users["agent_a"].pk)


def test_a_phone_of_staff_and_resident_chooses(world, client):
    StaffProfile.objects.filter(user=world.users["technician_a"]).update(mobile=FAMILY)
    send(client, FAMILY)
    assert enter(client, FAMILY, last_code(FAMILY))["Location"] == "/login/phone/home/"
    picker = client.get("/login/phone/home/").content.decode()
    assert "员工工作台" in picker and "3-2-1802" in picker
    chosen = client.post("/login/phone/home/", {"choice": "staff"})
    assert chosen["Location"] == "/" and signed_in_as(client) == str(world.users["technician_a"].pk)
    # back to the home from /my/homes/, without a new code
    home = world.residents["a_family"].occupancies.get()
    assert client.post("/my/homes/", {"home": home.pk}).status_code == 302
    world.residents["a_family"].refresh_from_db()
    assert signed_in_as(client) == str(world.residents["a_family"].user.pk)


def test_my_homes_query_count_does_not_grow_with_homes(world, client, django_assert_max_num_queries):
    send(client, OWNER)
    enter(client, OWNER, last_code(OWNER))
    for code in ("3-1-101", "3-1-102", "3-1-201"):
        Occupancy.objects.create(resident=world.residents["a_owner"], project=world.project_a,
                                 room=world.room(world.project_a, code), relation="owner")
    with django_assert_max_num_queries(12):
        assert client.get("/my/homes/").status_code == 200


def test_a_signed_out_session_forgets_the_verified_phone(world, client):
    other = second_home(world)
    send(client, OWNER)
    enter(client, OWNER, last_code(OWNER))
    client.post("/login/phone/home/", {"choice": world.residents["a_owner"].occupancies.get().pk})
    client.post("/logout/")
    with later(minutes=2):
        response = client.post("/my/homes/", {"home": other.pk})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
