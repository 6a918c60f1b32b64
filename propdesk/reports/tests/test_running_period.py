"""A running period (today falls in it) is compared like with like and gets no verdict against a target: on
2 December at 10:00 Beijing time, December so far (2 days) is compared with 1–2 November, not the whole of November
("18 vs 397 ▼-379" was the defect), and the running quarter's visit rates are not painted "not met"."""

import re
from datetime import timedelta

import pytest
import time_machine

from propdesk.servicedesk.tests.services.helpers import sh

from .test_dashboards import card, english, query
from .test_kpis import new_request, new_visit

pytestmark = pytest.mark.django_db

NOW = sh(2026, 12, 2, 10, 0)


@pytest.fixture
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def requests(world):
    """Project A: 2 requests on 1–2 November, 8 more later in November; 3 so far in December."""
    project = world.project_a
    made = [new_request(world, project, "261101-001", sh(2026, 11, 1, 9)),
            new_request(world, project, "261102-001", sh(2026, 11, 2, 16))]
    made += [new_request(world, project, f"2611{day:02d}-001", sh(2026, 11, day, 11)) for day in range(10, 18)]
    made += [new_request(world, project, "261201-001", sh(2026, 12, 1, 8)),
             new_request(world, project, "261201-002", sh(2026, 12, 1, 15)),
             new_request(world, project, "261202-001", sh(2026, 12, 2, 9, 30), status="open")]
    return made


def test_dashboard_compares_month_to_date_with_the_same_days_of_last_month(world, requests, pinned, login):
    html = english(login(world.users["pm_a"])).get("/reports/").content.decode()
    received = card(html, "card-received")
    assert (received["value"], received["previous"]) == ("3", "before: 2 ▲ +1")  # not "before: 10 ▼ -7"
    period = re.sub(r"<[^>]+>|\s+", " ", re.search(r'id="dashboard-period">(.*?)</p>', html, re.S).group(1))
    assert "running" in period and "to date, as of" in period and "the same days of the period before" in period
    assert query(received["url"])[1]["month"] == "2026-12"


def test_dashboard_in_chinese_says_the_month_is_running(world, requests, pinned, login):
    html = login(world.users["pm_a"]).get("/reports/").content.decode()
    period = re.sub(r"<[^>]+>", "", re.search(r'id="dashboard-period">(.*?)</p>', html, re.S).group(1))
    assert "进行中" in period and "2026年12月 · 截至12月2日" in period and "同样天数" in period


def test_api_dashboard_gives_the_like_for_like_previous_period(world, requests, pinned, login):
    board = login(world.users["pm_a"]).get("/api/reports/dashboard").json()
    assert board["period"]["running"] is True and board["period"]["key"] == "2026-12"
    assert (board["previous"]["start"], board["previous"]["end"], board["previous"]["running"]) == (
        "2026-11-01", "2026-11-02", False)
    cards = {c["key"]: c for c in board["cards"]}
    assert (cards["received"]["value"], cards["received"]["previous"]) == (3, 2)


def test_a_finished_month_is_still_compared_with_the_whole_month_before(world, requests, pinned, login):
    board = login(world.users["pm_a"]).get("/api/reports/dashboard", {"month": "2026-11"}).json()
    assert board["period"]["running"] is False and board["previous"]["key"] == "2026-10"


def test_complaint_summary_of_a_running_month_compares_the_same_days(world, pinned, login):
    project = world.project_a
    for number, at in (("261101-101", sh(2026, 11, 1, 10)), ("261120-101", sh(2026, 11, 20, 10)),
                       ("261125-101", sh(2026, 11, 25, 10)), ("261201-101", sh(2026, 12, 1, 10))):
        new_request(world, project, number, at, kind="complaint")
    summary = login(world.users["pm_a"]).get("/api/reports/complaints/summary", {"month": "2026-12"}).json()
    assert (summary["current"]["total"], summary["previous"]["total"]) == (1, 1)  # not 1 against 3
    assert (summary["previous_period"]["start"], summary["previous_period"]["end"]) == ("2026-11-01", "2026-11-02")


def test_running_quarter_has_no_verdict_against_the_targets(world, pinned, login):
    request = new_request(world, world.project_a, "261120-201", sh(2026, 11, 20, 10))
    new_visit(request, sh(2026, 11, 28, 18), satisfaction=5)
    new_visit(request, NOW + timedelta(days=20), status="pending")  # due later this quarter: not done yet
    client = english(login(world.users["pm_a"]))
    html = client.get("/reports/visits/", {"quarter": "2026-Q4"}).content.decode()
    row = re.search(r'<tr data-row="repair">(.*?)</tr>', html, re.S).group(1)
    assert "50.0%" in row and "not met" not in row and 'class="tag running"' in row
    stats = client.get("/api/reports/visits/statistics", {"quarter": "2026-Q4"}).json()
    repair = {k["key"]: k for k in stats["kinds"]}["repair"]
    assert (repair["visit_rate"], repair["target"], repair["met"], stats["period"]["running"]) == (50.0, 90, None, True)
    finished = client.get("/reports/visits/", {"quarter": "2026-Q3"}).content.decode()
    assert 'class="tag running"' not in finished
