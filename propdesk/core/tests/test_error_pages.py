"""Error pages as people meet them in production (DEBUG off): the console's layout, in Chinese, with a way back;
a 500 page that needs neither the database nor the context processors; the API keeps answering JSON."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory

from propdesk.core.views import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_not_found_has_the_layout_and_a_way_back(world, login):
    client = login(world.users["agent_a"])
    response = client.get("/desk/requests/999999999/", HTTP_REFERER="http://testserver/desk/requests/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="mainnav"' in html and "报事登记" in html  # the console's menu
    assert "页面不存在" in text(response) and "Not Found" not in html
    assert re.search(r'<a class="btn" href="/" id="error-home">返回首页</a>', html)
    assert 'href="http://testserver/desk/requests/" id="error-back"' in html  # back where they came from


def test_not_found_without_a_referer_offers_history_back(world, client):
    response = client.get("/no/such/page/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 404
    html = response.content.decode()
    # history.back() from static/propdesk/behaviours.js (no javascript: links under the CSP); without script, home.
    assert 'href="/" data-history-back id="error-back"' in html and "evil.example" not in html
    assert 'id="error-login"' in html  # signed out: the sign-in link too


def test_forbidden_is_explained_in_chinese(world, login):
    response = login(world.users["technician_a"]).get("/reports/kpis/")
    assert response.status_code == 403
    assert "无权访问" in text(response) and "403 Forbidden" not in response.content.decode()
    assert 'class="mainnav"' in response.content.decode() and 'id="error-home"' in response.content.decode()


def test_bad_request_has_a_page_too(world, client):
    response = client.get("/", HTTP_HOST="evil.example")  # a host that is not ours: Django answers 400
    assert response.status_code == 400
    assert "请求有误" in text(response) and 'id="error-home"' in response.content.decode()


@pytest.mark.urls("propdesk.core.tests.error_urls")
def test_server_error_page_is_plain_and_in_chinese(world):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "服务器出错" in text(response) and 'id="error-home"' in response.content.decode()
    api = Client(raise_request_exception=False).get("/api/boom/")
    assert api.status_code == 500 and api.json()["message"] and api.json()["extra"] == {}


def test_server_error_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/desk/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500 and b'id="error-page"' in response.content


def test_api_errors_stay_json(world, login):
    client = login(world.users["technician_a"])
    missing = client.get("/api/no-such-endpoint")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/json")
    assert set(missing.json()) == {"message", "extra"}
    refused = client.get("/api/reports/kpis")
    assert refused.status_code == 403 and refused["Content-Type"].startswith("application/json")


def test_favicon(world, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("propdesk/favicon.ico")
    assert finders.find("propdesk/favicon.ico")
    assert '<link rel="icon" href="/static/propdesk/favicon.ico"' in client.get("/login/").content.decode()
