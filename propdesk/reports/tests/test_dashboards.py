"""The KPI page, the dashboard of each role and their API, on the data set of test_kpis.py (November 2026, figures
computed there by hand): what each role sees, where each figure and chart bar leads, bad input, query counts."""

import re
from datetime import datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from propdesk.core.charts import bar_chart
from propdesk.reports.selectors.kpis import KPI_BY_KEY
from propdesk.reports.views.dashboards import shown_change
from propdesk.servicedesk.tests.services.helpers import sh

from .test_kpis import build_dataset, new_order, new_request, new_visit

pytestmark = pytest.mark.django_db

KPIS = "/reports/kpis/"
DASHBOARD = "/reports/"


@pytest.fixture(autouse=True)
def _december():
    """The data set is November 2026's, compared as a finished month: these pages are read on 2 December."""
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def data(world):
    return build_dataset(world)


def english(client):
    client.cookies["django_language"] = "en"
    return client


def card(html: str, card_id: str) -> dict:
    """A figure card's link, value, detail and previous value, as text."""
    block = re.search(rf'<a class="kpi-card[^"]*" id="{card_id}" href="([^"]*)">(.*?)</a>', html, re.S)
    assert block, f"no card {card_id}"

    def part(name):
        found = re.search(rf'<span class="{name}">(.*?)</span>\s*(?:<span class="(?:detail|previous)|$)',
                          block.group(2), re.S)
        return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""

    return {"url": unescape(block.group(1)), "value": part("value"), "detail": part("detail"),
            "previous": re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", part("previous")))}


def query(url: str) -> tuple[str, dict]:
    parts = urlsplit(unescape(url))
    return parts.path, {key: values[0] for key, values in parse_qs(parts.query).items()}


def bars(html: str, chart_id: str) -> list[tuple[str, str, str]]:
    """(address, label, value) of every linked bar of one chart."""
    svg = re.search(rf'<svg[^>]* id="{chart_id}">(.*?)</svg>', html, re.S).group(1)
    return [(unescape(href), label, value) for href, label, value in re.findall(
        r'<a class="bar-link" href="([^"]*)"[^>]*><rect [^>]*data-label="([^"]*)"[^>]*data-value="([^"]*)"', svg)]


def cell(html: str, group, kpi: str) -> tuple[str, str | None]:
    """(text, address) of one cell of the KPI table or the projects table."""
    row = re.search(rf'<tr data-(?:group|project)="{group}">(.*?)</tr>', html, re.S).group(1)
    found = re.search(rf'<td class="num" data-kpi="{kpi}">(.*?)</td>', row, re.S).group(1)
    link = re.search(r'href="([^"]*)"', found)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found)).strip(), unescape(link.group(1)) if link else None


# --- the chart --------------------------------------------------------------------------------------------

def test_bar_chart_links_each_bar_and_its_value():
    svg = bar_chart(labels=["11-02", "11-09"], series=[("报修", [3, None])],
                    links=["/reports/registers/requests/?week=2026-11-02&kind=repair", None])
    assert svg.count('<a class="bar-link"') == 1
    assert 'href="/reports/registers/requests/?week=2026-11-02&amp;kind=repair"' in svg
    linked = re.search(r'<a class="bar-link"[^>]*>(.*?)</a>', svg).group(1)
    assert 'data-value="3"' in linked and '<text class="value"' in linked  # the bar and its value
    assert "<a " not in bar_chart(labels=["11-02"], series=[("报修", [3])])  # without links: nothing wrapped


def test_stacked_bar_chart_has_a_linked_segment_per_series():
    svg = bar_chart(labels=["11-02", "11-09"], stacked=True, series=[("报修", [2, 0]), ("投诉", [1, 4])],
                    links=[["/r?kind=repair&week=1", "/r?kind=complaint&week=1"],
                           ["/r?kind=repair&week=2", "/r?kind=complaint&week=2"]])
    segments = re.findall(r'<a class="bar-link" href="([^"]*)"[^>]*><rect class="bar segment"[^>]*'
                          r'data-series="([^"]*)" data-value="([^"]*)"', svg)
    # A zero draws no segment; the totals are written above the bars.
    assert segments == [("/r?kind=repair&amp;week=1", "报修", "2"), ("/r?kind=complaint&amp;week=1", "投诉", "1"),
                        ("/r?kind=complaint&amp;week=2", "投诉", "4")]
    assert re.findall(r'<text class="total"[^>]*>([^<]*)</text>', svg) == ["3", "4"]
    assert "报修" in svg and "投诉" in svg  # the legend


# --- the KPI page -----------------------------------------------------------------------------------------

def test_kpi_page_shows_the_figures_with_their_parts_and_links(world, data, login):
    client = english(login(world.users["pm_a"]))
    response = client.get(KPIS, {"month": "2026-11"})
    assert response.status_code == 200
    html = response.content.decode()
    a = world.project_a.pk
    accept = card(html, "total-accept")
    assert (accept["value"], accept["detail"]) == ("17.0 min", "4 orders")
    on_time = card(html, "total-on_time")
    assert (on_time["value"], on_time["detail"]) == ("75.0%", "3 / 4")
    assert query(on_time["url"]) == ("/reports/registers/orders/", {
        "measure": "completed", "on_time": "1", "month": "2026-11"})
    assert card(html, "total-complete")["value"] == "9.0 h"
    assert card(html, "total-satisfaction")["detail"] == "3 / 5"
    text, url = cell(html, a, "first_fix")
    assert text == "50.0% 2 / 4"
    assert query(url) == ("/reports/registers/orders/", {"measure": "completed", "first_fix": "1",
                                                          "month": "2026-11", "project": str(a)})
    assert cell(html, a, "received")[0] == "5"
    assert query(cell(html, a, "received")[1]) == ("/reports/registers/requests/", {"month": "2026-11",
                                                                                     "project": str(a)})
    assert query(cell(html, a, "satisfaction")[1])[0] == "/reports/registers/visits/"
    # One chart per KPI; every bar opens the register for its week.
    assert len(re.findall(r'<svg [^>]*id="chart-', html)) == 9
    on_time_bars = {label: (url, value) for url, label, value in bars(html, "chart-on_time")}
    url, value = on_time_bars["11-02"]
    assert value == "50" and query(url) == ("/reports/registers/orders/", {
        "measure": "completed", "on_time": "1", "week": "2026-11-02"})
    received = {label: (url, value) for url, label, value in bars(html, "chart-received")}
    assert received["11-16"][1] == "2" and query(received["11-16"][0])[1] == {"week": "2026-11-16"}
    accept_bars = {label: query(url)[1] for url, label, _value in bars(html, "chart-accept")}
    assert accept_bars["11-09"] == {"measure": "accepted", "week": "2026-11-09"}


def test_kpi_page_per_staff_member_links_to_their_orders(world, data, login):
    client = english(login(world.users["pm_a"]))
    html = client.get(KPIS, {"month": "2026-11", "group": "staff", "grain": "month"}).content.decode()
    liu = data.staff["liu"].pk
    text, url = cell(html, liu, "complete")
    assert text == "4.0 h 2 orders"
    assert query(url) == ("/reports/registers/orders/", {"measure": "completed", "month": "2026-11",
                                                          "assignee": str(liu)})
    assert cell(html, liu, "received") == ("2", None)  # the request register has no staff filter
    assert cell(html, liu, "satisfaction") == ("100.0% 2 / 2", None)
    assert [label for _url, label, _v in bars(html, "chart-received")][-1] in ("Nov", "11月")


def test_kpi_page_department_rows_carry_the_place(world, data, login):
    client = english(login(world.users["leader_east"]))
    a = world.project_a.pk
    html = client.get(KPIS, {"month": "2026-11", "group": "department", "project": a}).content.decode()
    _text, url = cell(html, data.eng_a.pk, "reopened")
    assert query(url)[1] == {"measure": "completed", "reopened": "1", "month": "2026-11", "project": str(a),
                             "department": str(data.eng_a.pk)}


def register_rows(client, url: str) -> int:
    """How many rows the register behind a link lists (its "N rows" line)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return int(re.search(r'id="register-period">.*?(\d+) rows?\s*</p>', response.content.decode(), re.S).group(1))


LISTED = {  # KPI → what its register lists: the count, the numerator of a share, the orders behind an average
    "received": lambda text: int(text),
    "completed": lambda text: int(text),
    "accept": lambda text: int(re.search(r"(\d+) orders?", text).group(1)),
    "arrive": lambda text: int(re.search(r"(\d+) orders?", text).group(1)),
    "complete": lambda text: int(re.search(r"(\d+) orders?", text).group(1)),
    "on_time": lambda text: int(re.search(r"(\d+) / \d+", text).group(1)),
    "reopened": lambda text: int(re.search(r"(\d+) / \d+", text).group(1)),
    "first_fix": lambda text: int(re.search(r"(\d+) / \d+", text).group(1)),
}


@pytest.mark.parametrize("group", ["project", "department", "staff"])
def test_every_figure_of_the_kpi_table_opens_a_list_of_as_many_rows(world, data, login, group):
    client = english(login(world.users["leader_east"]))
    html = client.get(KPIS, {"month": "2026-11", "group": group}).content.decode()
    checked = 0
    for key in re.findall(r'<tr data-group="(\d+)">', html):
        for kpi, listed in LISTED.items():
            text, url = cell(html, key, kpi)
            if url is not None:
                assert register_rows(client, url) == listed(text), (group, key, kpi, url)
                checked += 1
    assert checked >= 16


def test_kpi_page_refuses_bad_input_field_by_field(world, data, login):
    client = english(login(world.users["leader_east"]))
    response = client.get(KPIS, {"month": "2026-11", "project": world.project_c.pk, "grain": "day"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<span class="errorlist" data-field="project">No such project in your scope.</span>' in html
    assert 'data-field="grain">Choose week or month.' in html
    future = client.get(KPIS, {"month": "2027-02"})
    assert future.status_code == 400 and "The period is in the future" in future.content.decode()


def test_kpi_page_says_when_the_period_is_empty(world, data, login):
    html = english(login(world.users["pm_a"])).get(KPIS, {"month": "2026-06"}).content.decode()
    assert 'id="kpi-empty"' in html and card(html, "total-received")["value"] == "0"
    assert card(html, "total-on_time")["value"] == "—"


def test_kpi_page_is_for_report_readers(world, data, client, login):
    assert client.get(KPIS).status_code == 302
    assert login(world.users["agent_a"]).get(KPIS).status_code == 403


# --- the project manager's dashboard ----------------------------------------------------------------------

def test_project_manager_dashboard(world, data, login):
    client = english(login(world.users["pm_a"]))
    response = client.get(DASHBOARD, {"month": "2026-11"})
    assert response.status_code == 200
    html = response.content.decode()
    a = str(world.project_a.pk)
    assert "翠湖花园" in re.search(r'id="dashboard-title">(.*?)</h1>', html, re.S).group(1)
    assert 'id="project-picker"' not in html  # a project manager has one project
    received = card(html, "card-received")
    assert (received["value"], received["previous"]) == ("5", "before: 2 ▲ +3")
    on_time = card(html, "card-on_time")
    assert (on_time["value"], on_time["detail"], on_time["previous"]) == ("75.0%", "3 / 4", "before: 100.0% ▼ -25.0")
    assert 'class="change worse">▼ -25.0' in html
    assert query(on_time["url"]) == ("/reports/registers/orders/", {
        "measure": "completed", "on_time": "1", "month": "2026-11", "project": a})
    accept = card(html, "card-accept")
    assert (accept["value"], accept["previous"]) == ("17.0 min", "before: 17.5 min ▼ -0.5 min")
    assert 'id="card-accept"' in html and re.search(r'id="card-accept".*?class="change better"', html, re.S)
    # Requests per week by kind: one linked segment per kind and week.
    segments = {(label, query(url)[1].get("kind")): (query(url), value)
                for url, label, value in bars(html, "chart-requests")}
    (path, params), value = segments[("11-02", "repair")]
    assert (path, params, value) == ("/reports/registers/requests/",
                                     {"week": "2026-11-02", "project": a, "kind": "repair"}, "1")
    assert segments[("11-02", "complaint")][1] == "1" and segments[("11-16", "inquiry")][1] == "1"
    on_time_bars = {label: (query(url), value) for url, label, value in bars(html, "chart-on-time")}
    assert on_time_bars["11-09"] == (("/reports/registers/orders/", {
        "measure": "completed", "on_time": "1", "week": "2026-11-09", "project": a}), "100")
    # Right now: W7 is past its deadline, R7 in progress.
    overdue = card(html, "live-overdue")
    assert (overdue["value"], overdue["url"]) == ("1", reverse("servicedesk:overdue"))
    assert query(card(html, "live-in-progress")["url"]) == ("/desk/requests/", {"project": a,
                                                                                 "status": "in_progress"})
    assert card(html, "live-visits")["url"] == "/visits/?all=1"


def test_project_manager_cannot_open_another_project(world, data, login):
    response = english(login(world.users["pm_a"])).get(DASHBOARD, {"project": world.project_b.pk})
    assert response.status_code == 400 and "No such project in your scope." in response.content.decode()


# --- projects side by side --------------------------------------------------------------------------------

def test_branch_leader_sees_their_projects_side_by_side(world, data, login):
    client = english(login(world.users["leader_east"]))
    html = client.get(DASHBOARD, {"month": "2026-11"}).content.decode()
    a, b = str(world.project_a.pk), str(world.project_b.pk)
    assert re.findall(r'<tr data-project="(\d+)">', html) == [a, b]  # not C, of the west branch
    assert "锦江城" not in re.search(r'id="projects-table">(.*?)</table>', html, re.S).group(1)
    assert cell(html, a, "received")[0] == "5" and cell(html, b, "received")[0] == "1"
    assert cell(html, a, "on_time")[0] == "75.0% 3 / 4" and cell(html, b, "on_time")[0] == "0.0% 0 / 1"
    assert cell(html, a, "reopened")[0] == "25.0% 1 / 4" and cell(html, b, "satisfaction")[0] == "100.0% 1 / 1"
    assert cell(html, a, "overdue")[0] == "1" and cell(html, b, "overdue")[0] == "0"
    assert query(re.search(rf'<tr data-project="{a}"><td><a href="([^"]*)"', html).group(1)) == (
        "/reports/", {"month": "2026-11", "project": a})
    received = {label: (query(url), value) for url, label, value in bars(html, "chart-projects-received")}
    assert received["金桂苑"] == (("/reports/registers/requests/", {"month": "2026-11", "project": b}), "1")
    shares = [(query(url)[0], label, value) for url, label, value in bars(html, "chart-projects-shares")]
    assert ("/reports/registers/orders/", "翠湖花园", "75") in shares
    assert ("/reports/registers/visits/", "翠湖花园", "60") in shares
    assert 'id="project-picker"' in html and "锦江城" not in re.search(
        r'id="project-picker">(.*?)</form>', html, re.S).group(1)


def test_branch_leader_opens_a_project_but_not_another_branchs(world, data, login):
    client = english(login(world.users["leader_east"]))
    one = client.get(DASHBOARD, {"month": "2026-11", "project": world.project_b.pk}).content.decode()
    assert "金桂苑" in re.search(r'id="dashboard-title">(.*?)</h1>', one, re.S).group(1)
    assert card(one, "card-received")["value"] == "1" and 'id="all-projects"' in one
    refused = client.get(DASHBOARD, {"project": world.project_c.pk})
    assert refused.status_code == 400
    assert '<span data-field="project">No such project in your scope.</span>' in refused.content.decode()


def test_quality_sees_every_project_of_the_company(world, data, login):
    html = english(login(world.users["quality"])).get(DASHBOARD, {"month": "2026-11"}).content.decode()
    assert len(re.findall(r'<tr data-project="\d+">', html)) == 3
    empty = english(login(world.users["quality"])).get(DASHBOARD, {"month": "2026-06"}).content.decode()
    assert 'id="dashboard-empty"' in empty


@pytest.mark.parametrize(("key", "value", "previous", "expected"), [
    ("arrive", 834.0, 870.4, "-0.6 h"),  # both read in hours ("13.9 h", "14.5 h"): so does the change
    ("arrive", 834.0, 836.0, "-2.0 min"),  # too small to read in tenths of an hour
    ("arrive", 61.4, 40.4, "+21.0 min"),
    ("complete", 13.7, 13.3, "+0.4 h"),
    ("on_time", 84.7, 88.8, "-4.1"),
    ("received", 5, 2, "+3"),
])
def test_a_cards_change_reads_in_the_unit_of_its_values(key, value, previous, expected):
    with translation.override("en"):
        assert shown_change(KPI_BY_KEY[key], round(value - previous, 1), value, previous) == expected


# --- the agent's queue ------------------------------------------------------------------------------------

def test_agent_sees_todays_queue_as_the_queue_pages_count_it(world, data, login):
    now = timezone.now()
    agent = world.users["agent_a"]
    # Received a few minutes ago, but never before today's local midnight (the suite may run at 00:02).
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    fresh = new_request(world, world.project_a, "TODAY-1", max(now - timedelta(minutes=5), midnight),
                        status="open")
    new_order(fresh, "WT1", data.eng_a, None, status="pending")
    reopened = new_request(world, world.project_a, "TODAY-2", now - timedelta(days=3), status="in_progress")
    new_order(reopened, "WT2", data.eng_a, data.staff["liu"], status="dispatched", dispatched_at=now, reopen_count=1,
              resolve_by=now + timedelta(hours=6))
    new_visit(data.requests["R2"], now + timedelta(days=2), status="pending", visitor=agent)
    new_visit(data.requests["R4"], now - timedelta(hours=1), status="pending", visitor=agent)
    new_visit(data.requests["R3"], now + timedelta(days=2), status="pending", visitor=world.users["pm_a"])
    client = english(login(agent))
    html = client.get(DASHBOARD).content.decode()
    assert "翠湖花园" in re.search(r'id="dashboard-title">(.*?)</h1>', html, re.S).group(1)
    assert card(html, "live-received-today")["value"] == "1"
    dispatch = card(html, "live-dispatch")
    assert (dispatch["value"], dispatch["detail"], dispatch["url"]) == ("2", "requests: 1 · orders: 1", "/desk/")
    assert card(html, "live-in-progress")["value"] == "2"  # R7 and TODAY-2
    assert card(html, "live-overdue")["value"] == "1"  # W7
    reopened_card = card(html, "live-reopened")
    assert (reopened_card["value"], reopened_card["url"]) == ("1", "/desk/#reopened")
    visits = card(html, "live-visits")
    assert (visits["value"], visits["detail"], visits["url"]) == ("1", "and 1 overdue", "/visits/")
    # The queue pages the cards open count the same.
    queue = client.get("/visits/").content.decode()
    assert re.search(r'id="today-title">.*?<span class="tag[^"]*">(\d+)</span>', queue, re.S).group(1) == "1"
    assert re.search(r'id="overdue-title">.*?<span class="tag[^"]*">(\d+)</span>', queue, re.S).group(1) == "1"
    assert 'id="project-picker"' not in html and 'id="kpi-cards"' not in html


def test_agent_cannot_look_at_another_project(world, data, login):
    assert login(world.users["agent_a"]).get(DASHBOARD, {"project": world.project_b.pk}).status_code == 400


def test_roles_without_a_dashboard(world, client, login):
    assert client.get(DASHBOARD).status_code == 302
    assert login(world.users["technician_a"]).get(DASHBOARD).status_code == 403


# --- queries do not grow with rows ------------------------------------------------------------------------

def add_rows(world, data, count: int, start: int = 0):
    for number in range(start, start + count):
        day = 2 + number % 19
        request = new_request(world, world.project_a, f"Q{number:03d}", sh(2026, 11, day, 9), status="open")
        new_order(request, f"WQ{number}", data.eng_a, data.staff["ma"], status="completed",
                  dispatched_at=sh(2026, 11, day, 10), accepted_at=sh(2026, 11, day, 10, 10),
                  completed_at=sh(2026, 11, day, 12), resolve_by=sh(2026, 11, day, 18))
        new_visit(request, sh(2026, 11, day + 1, 18), satisfaction=4, department=data.eng_a)
        new_visit(request, timezone.now() + timedelta(days=1), status="pending", visitor=world.users["agent_a"])


@pytest.mark.parametrize("username,url", [
    ("pm_a", DASHBOARD), ("leader_east", DASHBOARD), ("agent_a", DASHBOARD), ("pm_a", KPIS),
    ("leader_east", KPIS + "?group=staff"), ("pm_a", "/api/reports/kpis?group=department"),
    ("pm_a", "/api/reports/dashboard"), ("leader_east", "/api/reports/dashboard")])
def test_queries_do_not_grow_with_rows(world, data, login, username, url):
    client = login(world.users[username])
    add_rows(world, data, 1)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.get(url)  # warm the session and the caches
    one = count()
    add_rows(world, data, 29, start=1)
    assert count() == one
    # a project's dashboard also reads the renovation, move-in and violation figures (issue 14): 7 queries more
    assert one <= (28 if username == "pm_a" and url == DASHBOARD else 20)


# --- the API ----------------------------------------------------------------------------------------------

def test_api_kpis_gives_the_pages_figures(world, data, login):
    client = login(world.users["leader_east"])
    body = client.get("/api/reports/kpis", {"month": "2026-11", "group": "project"}).json()
    assert body["period"] == {"start": "2026-11-01", "end": "2026-11-30", "grain": "month", "key": "2026-11",
                              "label": body["period"]["label"], "running": False}
    assert body["total"]["accept"] == {"minutes": 19.6, "hours": 0.3, "denominator": 5}
    assert body["total"]["on_time"] == {"numerator": 3, "denominator": 5, "percent": 60.0}
    assert [g["name"] for g in body["groups"]] == ["翠湖花园", "金桂苑"]
    a = body["groups"][0]
    assert (a["figures"]["complete"]["hours"], a["figures"]["first_fix"]["percent"]) == (9.0, 50.0)
    assert query(a["list_urls"]["reopened"])[1] == {"measure": "completed", "reopened": "1", "month": "2026-11",
                                                     "project": str(world.project_a.pk)}
    weeks = {b["period"]["key"]: b for b in body["buckets"]}
    assert body["grain"] == "week" and len(weeks) == 12
    assert weeks["2026-11-02"]["figures"]["complete"]["minutes"] == 660.0  # W2 240, W3 1560, W8 180
    assert query(weeks["2026-11-02"]["list_urls"]["received"])[1] == {"week": "2026-11-02"}


def test_api_kpis_refuses_bad_input_and_other_roles(world, data, login):
    client = login(world.users["leader_east"])
    response = client.get("/api/reports/kpis", {"project": world.project_c.pk, "group": "room", "to": "2026-13-01"})
    assert response.status_code == 400
    fields = response.json()["extra"]["fields"]
    assert set(fields) == {"project", "group", "from", "to"}
    assert login(world.users["agent_a"]).get("/api/reports/kpis").status_code == 403


def test_api_dashboard_per_role(world, data, login):
    pm = login(world.users["pm_a"]).get("/api/reports/dashboard", {"month": "2026-11"}).json()
    assert (pm["kind"], pm["role"], pm["project_id"]) == ("project", "project_manager", world.project_a.pk)
    cards = {c["key"]: c for c in pm["cards"]}
    assert (cards["on_time"]["value"], cards["on_time"]["previous"], cards["on_time"]["better"]) == (75.0, 100.0,
                                                                                                     False)
    weeks = {w["period"]["key"]: w for w in pm["weeks"]}
    assert weeks["2026-11-02"]["requests_by_kind"] == {"repair": 1, "complaint": 1, "inquiry": 0}
    assert weeks["2026-11-02"]["on_time"] == {"numerator": 1, "denominator": 2, "percent": 50.0}
    assert pm["live"]["overdue"] == 1
    leader = login(world.users["leader_east"]).get("/api/reports/dashboard", {"month": "2026-11"}).json()
    assert leader["kind"] == "projects" and [p["name"] for p in leader["projects"]] == ["翠湖花园", "金桂苑"]
    assert [p["overdue"] for p in leader["projects"]] == [1, 0]
    refused = login(world.users["leader_east"]).get("/api/reports/dashboard", {"project": world.project_c.pk})
    assert refused.status_code == 400 and refused.json()["extra"]["fields"]["project"]
    agent = login(world.users["agent_a"]).get("/api/reports/dashboard").json()
    assert (agent["kind"], agent["cards"], agent["live"]["in_progress"]) == ("agent", None, 1)
    assert login(world.users["technician_a"]).get("/api/reports/dashboard").status_code == 403


def test_long_waits_read_in_hours():
    """An average arrival of 703 minutes reads "11.7 h"; under two hours it stays in minutes."""
    from propdesk.reports.selectors.kpis import KPIS
    from propdesk.reports.views.dashboards import shown

    arrive = next(kpi for kpi in KPIS if kpi.key == "arrive")
    assert shown(arrive, 703.0) == "11.7 小时"
    assert shown(arrive, 119.5) == "119.5 分钟"
