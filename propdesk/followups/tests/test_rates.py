"""Rates against targets on a small known data set, every figure computed by hand.

Project A (east) and B (east); the period is March–April 2026 (Shanghai). Visits (rule, due, status, satisfaction):

    A1 complaint  03-05  done 03-04            5
    A2 complaint  03-20  done 04-02 late       4   ← due in March, done in April: counts for March
    A3 complaint  03-25  unreachable
    A4 repair     03-10  done                  2   reopened, request closed again        (A engineering)
    A5 repair     03-31 23:30                  5   still March in Shanghai (15:30 UTC)   (A engineering)
    A6 repair     04-01 00:30  done            1   complaint created, complaint closed   (A engineering)
    A7 repair     04-15  cancelled                 ← excluded
    A8 repair     04-20  pending                                                         (A engineering)
    A9 repair     02-28  done                  5   ← before the period
    A10 repair    05-02  pending                   ← after the period
    A11 help      04-03  done                  3
    A12 other     04-10  done                  4
    B1 repair     03-15  done                  5                                         (B engineering)
    B2 complaint  04-05  done                  1   no decision yet

Both projects: due 11, done 9 (81.8 %); complaint 3/4 = 75 % (target 100, not met), repair 4/5 = 80 % (90, not
met), help 1/1 (90, met), other 1/1 (no target). Rated 9, satisfied 5 (55.6 %): levels 5→3, 4→2, 3→1, 2→1, 1→2.
March: due 6, done 5 (83.3 %), satisfaction 4/5 (80 %); April: due 5, done 4 (80 %), satisfaction 1/4 (25 %).
"""

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from propdesk.core.charts import bar_chart
from propdesk.core.errors import ApplicationError
from propdesk.followups.choices import Decision, VisitStatus
from propdesk.followups.models import FollowUpPolicy, FollowUpVisit
from propdesk.followups.selectors.rates import rate_filters, rate_report
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.servicedesk.choices import RequestStatus
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.tests.services.helpers import sh

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)
MARCH_APRIL = {"month_from": "2026-03", "month_to": "2026-04"}
SUBMITTED = sh(2026, 2, 20, 10, 0)


def new_request(world, project, *, kind="repair", description="厨房水龙头漏水"):
    """A request in ``project`` from its resident, recorded by the project's agent."""
    if project == world.project_a:
        resident, agent, room = world.residents["a_owner"], world.users["agent_a"], "3-2-1802"
    else:
        resident, agent, room = world.residents["b_owner"], world.users["agent_b"], "3-1-101"
    extra = {"complaint_category": "service", "severity": "minor"} if kind == "complaint" else {}
    return request_submit(actor=agent, project=project, now=SUBMITTED, data=RequestInput(
        channel="phone", kind=kind, description=description, reporter_id=resident.pk,
        room_id=world.room(project, room).pk, **extra))


def visit(request, rule, due_by: datetime, *, status=VisitStatus.DONE, done_at=None, satisfaction=None,
          department=None, **fields) -> FollowUpVisit:
    if status == VisitStatus.DONE and done_at is None:
        done_at = due_by - timedelta(days=1)
    return FollowUpVisit.objects.create(
        request=request, project=request.project, kind=rule, rule=rule, handled_at=due_by - timedelta(days=7),
        due_from=due_by - timedelta(days=7), due_by=due_by, visitor_role="customer_service", status=status,
        done_at=done_at, satisfaction=satisfaction, department=department, method="phone" if satisfaction else "",
        **fields)


def build_dataset(world) -> dict:
    a, b = world.project_a, world.project_b
    eng_a = Department.objects.get(project=a, kind=DepartmentKind.ENGINEERING)
    eng_b = Department.objects.get(project=b, kind=DepartmentKind.ENGINEERING)
    req_a, req_b = new_request(world, a), new_request(world, b)
    reopened = new_request(world, a, description="卫生间地漏堵塞")
    ServiceRequest = type(reopened)
    ServiceRequest.objects.filter(pk=reopened.pk).update(status=RequestStatus.CLOSED)
    follow = new_request(world, a, kind="complaint", description="回访不满意：维修后仍漏水")
    ServiceRequest.objects.filter(pk=follow.pk).update(status=RequestStatus.CLOSED)
    v = {
        "A1": visit(req_a, "complaint", sh(2026, 3, 5, 18), satisfaction=5),
        "A2": visit(req_a, "complaint", sh(2026, 3, 20, 18), done_at=sh(2026, 4, 2, 10), late=True, satisfaction=4),
        "A3": visit(req_a, "complaint", sh(2026, 3, 25, 18), status=VisitStatus.UNREACHABLE,
                    done_at=sh(2026, 3, 24, 10)),
        "A4": visit(reopened, "repair", sh(2026, 3, 10, 18), satisfaction=2, department=eng_a,
                    decision=Decision.REOPENED, shortcomings="地漏仍然返味"),
        "A5": visit(req_a, "repair", sh(2026, 3, 31, 23, 30), satisfaction=5, department=eng_a),
        "A6": visit(req_a, "repair", sh(2026, 4, 1, 0, 30), satisfaction=1, department=eng_a,
                    decision=Decision.COMPLAINT, follow_request=follow, shortcomings="师傅迟到两小时"),
        "A7": visit(req_a, "repair", sh(2026, 4, 15, 18), status=VisitStatus.CANCELLED, department=eng_a),
        "A8": visit(req_a, "repair", sh(2026, 4, 20, 18), status=VisitStatus.PENDING, department=eng_a),
        "A9": visit(req_a, "repair", sh(2026, 2, 28, 18), satisfaction=5),
        "A10": visit(req_a, "repair", sh(2026, 5, 2, 18), status=VisitStatus.PENDING),
        "A11": visit(req_a, "help", sh(2026, 4, 3, 18), satisfaction=3),
        "A12": visit(req_a, "other", sh(2026, 4, 10, 18), satisfaction=4),
        "B1": visit(req_b, "repair", sh(2026, 3, 15, 18), satisfaction=5, department=eng_b),
        "B2": visit(req_b, "complaint", sh(2026, 4, 5, 18), satisfaction=1),
    }
    return {"visits": v, "eng_a": eng_a, "eng_b": eng_b, "reopened": reopened, "follow": follow}


def report_for(user, **filters):
    return rate_report(user=user, filters=rate_filters(user=user, today=TODAY, **{**MARCH_APRIL, **filters}))


def figures(counts) -> tuple:
    return counts.due, counts.done, counts.visit_rate


@pytest.fixture
def data(world):
    return build_dataset(world)


# --- the figures ------------------------------------------------------------------------------------------

def test_rates_per_kind_against_targets(world, data):
    report = report_for(world.users["leader_east"])
    kinds = {k.key: k for k in report.kinds}
    assert list(kinds) == ["complaint", "repair", "help", "other"]
    assert figures(kinds["complaint"].counts) == (4, 3, 75.0)
    assert (kinds["complaint"].target, kinds["complaint"].met) == (100, False)
    assert figures(kinds["repair"].counts) == (5, 4, 80.0)
    assert (kinds["repair"].target, kinds["repair"].met) == (90, False)
    assert figures(kinds["help"].counts) == (1, 1, 100.0)
    assert (kinds["help"].target, kinds["help"].met) == (90, True)
    assert figures(kinds["other"].counts) == (1, 1, 100.0)
    assert (kinds["other"].target, kinds["other"].met) == (None, None)
    total = report.total
    assert figures(total) == (11, 9, 81.8)
    assert (total.late, total.unreachable, total.pending) == (1, 1, 1)


def test_a_visit_counts_in_the_month_it_was_due(world, data):
    report = report_for(world.users["leader_east"])
    march, april = report.months
    assert (march.month, april.month) == (date(2026, 3, 1), date(2026, 4, 1))
    # A2 (due 03-20, done 04-02) and A5 (due 03-31 23:30 Shanghai) are March's; A6 (04-01 00:30) is April's.
    assert figures(march.counts) == (6, 5, 83.3)
    assert figures(april.counts) == (5, 4, 80.0)
    assert figures(march.kinds["complaint"]) == (3, 2, 66.7)
    assert figures(march.kinds["repair"]) == (3, 3, 100.0)
    assert figures(april.kinds["repair"]) == (2, 1, 50.0)
    assert figures(april.kinds["help"]) == (1, 1, 100.0)
    assert (march.counts.rated, march.counts.satisfied, march.counts.satisfaction_rate) == (5, 4, 80.0)
    assert (april.counts.rated, april.counts.satisfied, april.counts.satisfaction_rate) == (4, 1, 25.0)
    only_march = report_for(world.users["leader_east"], month_from="2026-03", month_to="2026-03")
    assert figures(only_march.total) == (6, 5, 83.3)
    assert only_march.total.late == 1


def test_cancelled_and_out_of_period_visits_are_left_out(world, data):
    # A7 (cancelled, April), A9 (February) and A10 (May) are in no figure of March–April …
    report = report_for(world.users["agent_a"])
    assert report.total.due == 9
    # … but the default period (the 12 months up to this month) takes February's A9 in.
    default = rate_report(user=world.users["agent_a"], filters=rate_filters(user=world.users["agent_a"],
                                                                            today=date(2026, 4, 15)))
    assert (default.filters.start, default.filters.end) == (date(2025, 5, 1), date(2026, 4, 1))
    assert len(default.months) == 12
    assert figures(default.total) == (10, 8, 80.0)
    FollowUpVisit.objects.filter(pk=data["visits"]["A7"].pk).update(status=VisitStatus.PENDING)
    assert report_for(world.users["agent_a"]).total.due == 10


def test_satisfaction_distribution_and_dissatisfied_outcomes(world, data):
    report = report_for(world.users["leader_east"])
    assert {level.value: level.count for level in report.levels} == {5: 3, 4: 2, 3: 1, 2: 1, 1: 2}
    assert {level.value: level.percent for level in report.levels} == {5: 33.3, 4: 22.2, 3: 11.1, 2: 11.1, 1: 22.2}
    assert (report.total.rated, report.total.satisfied, report.total.satisfaction_rate) == (9, 5, 55.6)
    outcomes = report.outcomes
    assert (outcomes.total, outcomes.reopened, outcomes.reopened_closed) == (3, 1, 1)
    assert (outcomes.complaint, outcomes.complaint_closed, outcomes.undecided) == (1, 1, 1)
    v = data["visits"]
    assert [case.pk for case in report.cases] == [v["B2"].pk, v["A6"].pk, v["A4"].pk]
    type(data["follow"]).objects.filter(pk=data["follow"].pk).update(status=RequestStatus.IN_PROGRESS)
    assert report_for(world.users["leader_east"]).outcomes.complaint_closed == 0


def test_per_project_and_department(world, data):
    report = report_for(world.users["leader_east"])
    assert [(g.name, *figures(g.counts)) for g in report.projects] == [
        (world.project_a.name, 9, 7, 77.8), (world.project_b.name, 2, 2, 100.0)]
    departments = {g.id: figures(g.counts) for g in report.departments}
    assert departments == {None: (6, 5, 83.3), data["eng_a"].pk: (4, 3, 75.0), data["eng_b"].pk: (1, 1, 100.0)}
    by_department = report_for(world.users["leader_east"], department=data["eng_a"].pk)
    assert figures(by_department.total) == (4, 3, 75.0)
    by_project = report_for(world.users["leader_east"], project=world.project_b.pk)
    assert figures(by_project.total) == (2, 2, 100.0)
    assert [k.counts.due for k in by_project.kinds] == [1, 1, 0, 0]


def test_targets_come_from_the_company_policy(world, data):
    FollowUpPolicy.objects.create(company=world.company, rules={"repair": {"target_rate": 80},
                                                                "other": {"target_rate": 95}})
    kinds = {k.key: k for k in report_for(world.users["agent_a"]).kinds}
    assert (kinds["repair"].target, kinds["repair"].counts.visit_rate, kinds["repair"].met) == (80, 75.0, False)
    kinds = {k.key: k for k in report_for(world.users["leader_east"]).kinds}
    assert (kinds["repair"].target, kinds["repair"].met) == (80, True)
    assert (kinds["other"].target, kinds["other"].met) == (95, True)


# --- scope ------------------------------------------------------------------------------------------------

def test_agent_of_project_b_sees_nothing_of_a(world, data):
    report = report_for(world.users["agent_b"])
    assert figures(report.total) == (2, 2, 100.0)
    assert [g.name for g in report.projects] == [world.project_b.name]
    assert [case.pk for case in report.cases] == [data["visits"]["B2"].pk]
    kinds = {k.key: k.counts for k in report.kinds}
    assert figures(kinds["complaint"]) == (1, 1, 100.0) and figures(kinds["repair"]) == (1, 1, 100.0)
    with pytest.raises(ApplicationError) as caught:
        report_for(world.users["agent_b"], project=world.project_a.pk)
    assert "project" in caught.value.field_errors
    with pytest.raises(ApplicationError) as caught:
        report_for(world.users["agent_b"], department=data["eng_a"].pk)
    assert "department" in caught.value.field_errors


def test_branch_leader_sees_a_and_b_but_not_the_west(world, data):
    c = world.project_c
    west = request_submit(actor=world.users["admin"], project=c, now=SUBMITTED, data=RequestInput(
        channel="phone", kind="repair", description="楼道灯不亮", contact_name="黄先生", contact_phone="13698765432",
        room_id=world.room(c, "3-1-101").pk))
    FollowUpVisit.objects.create(request=west, project=c, kind="repair", rule="repair",
                                 handled_at=sh(2026, 3, 1), due_from=sh(2026, 3, 1), due_by=sh(2026, 3, 8),
                                 visitor_role="customer_service")
    leader = report_for(world.users["leader_east"])
    assert [g.id for g in leader.projects] == [world.project_a.pk, world.project_b.pk]
    assert leader.total.due == 11
    assert report_for(world.users["quality"]).total.due == 12  # company-wide
    with pytest.raises(ApplicationError):
        report_for(world.users["leader_east"], project=world.project_c.pk)


# --- bad input --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("sent", "field", "words"), [
    ({"month_from": "2026-10", "month_to": "2026-12"}, "to", "future"),
    ({"month_from": "2026-12", "month_to": ""}, "from", "future"),
    ({"month_from": "2026-04", "month_to": "2026-03"}, "from", "starts after it ends"),
    ({"month_from": "2026-13", "month_to": "2026-03"}, "from", "YYYY-MM"),
    ({"month_from": "march", "month_to": ""}, "from", "YYYY-MM"),
    ({"month_from": "2022-01", "month_to": "2026-03"}, "from", "at most 36 months"),
    ({"project": "999999"}, "project", "No such project"),
    ({"project": "abc"}, "project", "No such project"),
    ({"project": "9" * 25}, "project", "No such project"),
])
def test_bad_filters_are_a_clear_message(world, sent, field, words):
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        rate_filters(user=world.users["agent_a"], today=TODAY, **sent)
    assert words in " ".join(caught.value.field_errors[field])


# --- the chart --------------------------------------------------------------------------------------------

def test_bar_chart_draws_a_bar_per_month_with_target_and_escaped_labels():
    svg = bar_chart(labels=["3月", "4月", "<b>5月</b>"], sublabels=["2026", "", ""], unit="%", max_value=100,
                    series=[("报修", [83.3, None, 100])], target=90, target_label="目标 90%", title="回访率")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert len(re.findall(r'<rect class="bar[ "]', svg)) == 3
    assert 'class="bar below"' in svg  # 83.3 < 90
    assert 'data-value="83.3"' in svg and 'data-value=""' in svg and "—" in svg
    assert 'class="target"' in svg and "目标 90%" in svg and "3月" in svg
    assert "<b>" not in svg and "&lt;b&gt;5月&lt;/b&gt;" in svg
    assert 'font-family:inherit' in svg
    no_target = bar_chart(labels=["3月"], series=[("其他", [50.0])])
    assert 'class="target"' not in no_target


# --- the page ---------------------------------------------------------------------------------------------

URL = "/visits/rates/"


def english(client):
    client.cookies["django_language"] = "en"
    return client


def cells(html: str, row_id: str) -> list[str]:
    row = re.search(rf'<tr data-kind="{row_id}">(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_page_shows_the_figures_and_charts(world, data, login):
    assert reverse("followups:rates") == URL
    client = english(login(world.users["leader_east"]))
    response = client.get(URL, {"from": "2026-03", "to": "2026-04", "project": "", "department": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert cells(html, "complaint") == ["complaint", "4", "3", "1", "1", "0", "75.0%", "100%", "not met"]
    assert cells(html, "repair") == ["repair", "5", "4", "0", "0", "1", "80.0%", "90%", "not met"]
    assert cells(html, "help") == ["help", "1", "1", "0", "0", "0", "100.0%", "90%", "met"]
    assert cells(html, "other") == ["other work", "1", "1", "0", "0", "0", "100.0%", "set by supervisor", "—"]
    assert "9 done of 11 due" in html and "5 satisfied or very satisfied of 9 rated" in html
    for key in ("complaint", "repair", "help", "other", "satisfaction"):
        chart = re.search(rf'<svg[^>]*id="chart-{key}".*?</svg>', html, re.S).group(0)
        assert len(re.findall(r'<rect class="bar[ "]', chart)) == 2  # March and April
    assert 'class="target"' in re.search(r'id="chart-repair".*?</svg>', html, re.S).group(0)
    assert 'class="target"' not in re.search(r'id="chart-other".*?</svg>', html, re.S).group(0)
    cases = re.search(r'<table id="dissatisfied-cases">.*?</table>', html, re.S).group(0)
    for key in ("A4", "A6", "B2"):
        assert reverse("servicedesk:request_detail", args=[data["visits"][key].request_id]) in cases
    assert reverse("servicedesk:request_detail", args=[data["follow"].pk]) in cases
    assert 'id="rates-empty"' not in html


def test_page_in_chinese_labels_the_chart_months(world, data, login):
    html = login(world.users["agent_a"]).get(URL, {"from": "2026-03", "to": "2026-04"}).content.decode()
    chart = re.search(r'<svg[^>]*id="chart-repair".*?</svg>', html, re.S).group(0)
    labels = re.findall(r'<text class="label"[^>]*>(.*?)</text>', chart)
    assert len(labels) == 2 and all(re.search(r"[\u4e00-\u9fff]", label) for label in labels), labels


def test_empty_period_shows_zeros_and_says_so(world, data, login):
    client = english(login(world.users["agent_a"]))
    html = client.get(URL, {"from": "2025-06", "to": "2025-07"}).content.decode()
    assert 'id="rates-empty"' in html and "No visits were due in this period" in html
    repair = re.search(r'<tr data-kind="repair">(.*?)</tr>', html, re.S).group(1)
    assert [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", repair, re.S)][1:4] == ["0", "0", "0"]


def test_page_bad_period_and_foreign_project(world, data, login):
    client = english(login(world.users["agent_b"]))
    response = client.get(URL, {"from": "2026-04", "to": "2026-03"})
    assert response.status_code == 400
    assert "The period starts after it ends." in response.content.decode()
    response = client.get(URL, {"project": world.project_a.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "No such project in your scope." in html and world.project_a.name not in html


def test_page_needs_view_rates(world, login):
    assert login(world.users["technician_a"]).get(URL).status_code == 403


def _visits(world, count: int):
    request = new_request(world, world.project_a)
    due = sh(2026, 3, 1, 18)
    FollowUpVisit.objects.bulk_create([
        FollowUpVisit(request=request, project=world.project_a, kind=rule, rule=rule, handled_at=due,
                      due_from=due, due_by=due + timedelta(days=i % 58), visitor_role="customer_service",
                      status=VisitStatus.DONE, done_at=due, satisfaction=1 + i % 5,
                      decision=Decision.COMPLAINT if i % 5 == 0 else "")
        for i, rule in zip(range(count), ["repair", "complaint", "help", "other"] * count, strict=False)])


def test_page_query_count_does_not_grow_with_visits(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = english(login(world.users["leader_east"]))
    params = {"from": "2026-03", "to": "2026-04"}
    _visits(world, 5)
    client.get(URL, params)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, params).status_code == 200
    _visits(world, 45)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, params)
    assert "50 done of 50 due" in response.content.decode()
    assert len(many) == len(few)


def test_a_month_still_running_gets_no_verdict_against_its_target(world, data, login):
    """On 20 April the April visits due later that month are not done yet: April is 'running', not 'not met' in red;
    once April is over the verdict is given."""
    with time_machine.travel(sh(2026, 4, 20, 10, 0), tick=True):
        client = english(login(world.users["leader_east"]))
        html = client.get(URL, {"from": "2026-03", "to": "2026-04"}).content.decode()
        body = client.get("/api/followups/rates", {"from": "2026-03", "to": "2026-04"}).json()
    assert cells(html, "complaint")[-1] == "running" and cells(html, "repair")[-1] == "running"
    assert "not met" not in html
    assert body["running"] is True
    assert {k["key"]: k["met"] for k in body["kinds"]}["repair"] is None

    with time_machine.travel(sh(2026, 5, 4, 10, 0), tick=True):
        client = english(login(world.users["leader_east"]))
        html = client.get(URL, {"from": "2026-03", "to": "2026-04"}).content.decode()
        body = client.get("/api/followups/rates", {"from": "2026-03", "to": "2026-04"}).json()
    assert cells(html, "repair")[-1] == "not met" and body["running"] is False
    assert {k["key"]: k["met"] for k in body["kinds"]}["repair"] is False
