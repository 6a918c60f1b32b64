"""Bad input is a 4xx naming the field, in JSON and HTML alike, never a 500 and never half written (issue 10, holes
5 and 10): control characters and text-direction overrides in any text, offsets beyond the database's integer,
and the API's errors with DEBUG off."""

import pytest
from django.test import Client
from django.urls import reverse

from config.api import api
from propdesk.customers.models import Resident
from propdesk.servicedesk.models import ServiceRequest
from propdesk.staff.models import ApiToken

JSON = "application/json"
NUL, BELL, RLO, ISOLATE = "\x00", "\x07", "\u202e", "\u2067"


def bearer(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user=user, name='测试')[1]}"})


def fields_of(response, status=422) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(JSON)
    body = response.json()
    assert set(body) == {"message", "extra"} and body["message"] == "请求内容无效。"
    return body["extra"]["fields"]


def repair(world, **overrides) -> dict:
    return {"project_id": world.project_a.pk, "channel": "phone", "kind": "repair",
            "reporter_id": world.residents["a_owner"].pk, "room_code": "3-2-1802",
            "description": "厨房水龙头漏水，滴个不停", **overrides}


# --- control characters and direction overrides ---------------------------------------------------------

@pytest.mark.parametrize("bad", [NUL, BELL, RLO, ISOLATE, "\ud800"])
def test_api_text_with_a_control_character_is_a_422_naming_the_field(world, bad):
    agent = bearer(world.users["agent_a"])
    response = agent.post("/api/desk/requests", repair(world, description=f"漏水{bad}exe.jpg"), content_type=JSON)
    assert fields_of(response) == {"description": ["请删除文字中的控制字符和文字方向控制符。"]}
    assert not ServiceRequest.objects.exists()


def test_nested_fields_are_named_by_their_path(world):
    agent = bearer(world.users["agent_a"])
    body = {"project_id": world.project_a.pk, "name": "王芳", "phones": ["13911112222", f"139{NUL}"],
            "note": f"老人{RLO}独居", "rooms": [{"code": f"3-1-{BELL}501"}]}
    response = agent.post("/api/customers/residents", body, content_type=JSON)
    assert set(fields_of(response)) == {"phones.1", "note", "rooms.0.code"}
    assert not Resident.objects.filter(name="王芳").exists()


def test_tabs_and_line_breaks_are_text(world):
    agent = bearer(world.users["agent_a"])
    response = agent.post("/api/desk/requests", repair(world, description="厨房漏水\r\n\t水槽下面"), content_type=JSON)
    assert response.status_code == 201, response.content
    assert ServiceRequest.objects.get().description == "厨房漏水\r\n\t水槽下面"


def test_a_search_with_a_nul_is_a_4xx_in_the_api_and_on_the_page(world, login):
    agent = bearer(world.users["agent_a"])
    for url in ("/api/desk/requests", "/api/customers/residents", "/api/followups/visits"):
        assert set(fields_of(agent.get(url, {"q": f"周{NUL}"}))) == {"q"}, url
    assert set(fields_of(agent.get("/api/desk/requests", {"project": "1", f"x{NUL}": "1"}))) == {"?"}
    page = login(world.users["agent_a"]).get("/desk/requests/", {"q": f"1802{NUL}"})
    assert page.status_code == 400 and "(q)" in page.content.decode()
    assert "请删除文字中的控制字符和文字方向控制符" in page.content.decode()


def test_a_page_form_names_the_field(world, login):
    """A browser posts a form without files urlencoded (refused before the view, naming the field); with photos it
    posts multipart, and the form's own field refuses the text."""
    agent = login(world.users["agent_a"])
    owner = world.residents["a_owner"]
    token = agent.get(reverse("servicedesk:intake"), {"resident": owner.pk}).context["form"].initial["form_token"]
    data = {"form_token": token, "reporter_id": owner.pk, "kind": "repair", "channel": "phone",
            "contact_name": owner.name, "contact_phone": "138****5678", "room_code": "3-2-1802",
            "description": f"卫生间渗水{RLO}", "emotion": "calm"}
    multipart = agent.post(reverse("servicedesk:intake"), data)
    assert multipart.context["form"].errors["description"] == ["请删除文字中的控制字符和文字方向控制符。"]
    from urllib.parse import urlencode

    urlencoded = agent.post(reverse("servicedesk:intake"), urlencode(data),
                            content_type="application/x-www-form-urlencoded")
    assert urlencoded.status_code == 400 and "(description)" in urlencoded.content.decode()
    assert not ServiceRequest.objects.exists()


# --- pagination bounds ----------------------------------------------------------------------------------

def _lists() -> list[str]:
    document = api.get_openapi_schema()
    return [path.replace("{", "").replace("}", "") for path, methods in document["paths"].items()
            if any(p["name"] == "offset" for p in methods.get("get", {}).get("parameters", []))]


@pytest.mark.parametrize("query, field", [({"offset": 2**63}, "offset"), ({"offset": 10**30}, "offset"),
                                          ({"offset": -1}, "offset"), ({"limit": 10**30}, "limit"),
                                          ({"limit": 0}, "limit"), ({"limit": "many"}, "limit")])
def test_every_list_answers_422_on_out_of_range_paging(world, query, field):
    admin = bearer(world.users["admin"])
    lists = _lists()
    assert len(lists) >= 7
    for path in lists:
        path = path.replace("project_id", str(world.project_a.pk))
        assert set(fields_of(admin.get(path, query))) == {field}, path


def test_register_page_beyond_any_number_is_a_422(world):
    admin = bearer(world.users["admin"])
    response = admin.get("/api/reports/registers/requests", {"page": "99999999999999999999"})
    assert set(fields_of(response)) == {"page"}


# --- the API's errors with DEBUG off --------------------------------------------------------------------

@pytest.fixture
def production(settings):
    settings.DEBUG = False


def error_of(response, status) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(JSON)
    body = response.json()
    assert set(body) == {"message", "extra"}
    return body["message"]


def test_api_errors_are_json_in_chinese_with_debug_off(world, login, production):
    agent = bearer(world.users["agent_a"])
    assert error_of(agent.get("/api/no/such/thing"), 404).startswith("找不到该对象")
    assert error_of(agent.get("/api/desk/requests/99999999"), 404).startswith("找不到该对象")
    assert error_of(agent.get("/api/desk/requests/99999999999999999999"), 404).startswith("找不到该对象")
    assert error_of(agent.delete("/api/desk/requests"), 405) == "此地址不接受该请求方法。"
    assert error_of(Client().get("/api/desk/requests"), 401) == "请先登录，或提供有效的 API 令牌。"
    assert "/api/portal/" in error_of(login(world.users["resident_a"]).get("/api/desk/requests"), 403)


def test_a_write_without_the_csrf_token_is_a_json_403(world, production):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["agent_a"])
    assert "CSRF" in error_of(browser.post("/api/inbox/read-all"), 403)


def test_a_crash_inside_an_operation_is_a_json_500(world, production, monkeypatch):
    def crash(user):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("propdesk.core.api.scope_of", crash)
    client = bearer(world.users["agent_a"])
    client.raise_request_exception = False
    assert error_of(client.get("/api/me"), 500).startswith("服务器出错")
