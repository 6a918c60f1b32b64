"""The quarterly visit statistics on a small known data set, every figure computed by hand.

Projects A and B (east branch), C (west). The quarter is 2026-Q3 (July–September), Shanghai time. Visits (rule,
due, status, satisfaction):

    V1  complaint  07-05        done              5
    V2  complaint  07-20        done 08-02 late   4   ← due in July, done in August: July's
    V3  complaint  08-10        unreachable
    V4  repair     08-15        done              2   request reopened, closed again          (A engineering)
    V5  repair     09-30 23:30  done              5   still September in Shanghai             (A engineering)
    V6  repair     10-01 00:30  done              1   ← October: not in the quarter           (A engineering)
    V7  repair     09-10        cancelled             ← left out                              (A engineering)
    V8  repair     09-20        pending                                                       (A engineering)
    V9  help       06-30 23:59  done              5   ← June: not in the quarter
    V10 help       07-03        done              3
    V11 other      08-08        done              4
    V12 repair     09-12        done              1   complaint created, still in progress    (A engineering)
    B1  repair     07-15        done              5                                           (B engineering)
    B2  complaint  09-05        done              1   no decision yet
    W1  repair     08-01        done              5   project C (west)

East branch, Q3: due 11, done 9 (81.8 %), late 1, unreachable 1, pending 1; complaint 3/4 = 75 % (target 100, not
met), repair 4/5 = 80 % (90, not met), help 1/1 (90, met), other 1/1 (no target). Rated 9, satisfied 5 (55.6 %):
levels 5→3, 4→2, 3→1, 2→1, 1→2. Dissatisfied 3: reopened 1 (closed again 1), complaint 1 (closed 0), undecided 1.
July: due 4, done 4 (100 %), satisfaction 3/4 (75 %); August: 3, 2 (66.7 %), 1/2 (50 %); September: 4, 3 (75 %),
1/3 (33.3 %). A: 9 due, 7 done (77.8 %); B: 2/2. No department 6/5 (83.3 %), A engineering 4/3 (75 %), B eng 1/1.
"""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from propdesk.core.models import AuditAction, AuditLog
from propdesk.followups.choices import Decision, VisitStatus
from propdesk.followups.models import FollowUpPolicy, FollowUpVisit
from propdesk.followups.tests.test_rates import visit
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.reports.filters import report_filters
from propdesk.reports.periods import Period, add_months, quarter_period
from propdesk.reports.selectors.visits import month_periods, visit_statistics
from propdesk.servicedesk.models import ServiceRequest
from propdesk.servicedesk.tests.services.helpers import sh

pytestmark = pytest.mark.django_db

URL = "/reports/visits/"
API = "/api/reports/visits/statistics"
Q3 = {"quarter": "2026-Q3"}


def new_request(world, project, number: str, *, kind="repair", status="closed") -> ServiceRequest:
    return ServiceRequest.objects.create(
        project=project, number=number, channel="phone", kind=kind, status=status, contact_name="周美玲",
        contact_phone="13812345678", description="厨房水龙头漏水", room=world.room(project, "3-1-101"),
        received_at=sh(2026, 6, 20, 9), created_by=world.users["agent_a"])


def build(world) -> dict:
    a, b, c = world.project_a, world.project_b, world.project_c
    eng_a = Department.objects.get(project=a, kind=DepartmentKind.ENGINEERING)
    eng_b = Department.objects.get(project=b, kind=DepartmentKind.ENGINEERING)
    req_a, req_b, req_c = new_request(world, a, "RA1"), new_request(world, b, "RB1"), new_request(world, c, "RC1")
    reopened = new_request(world, a, "RA2")
    follow = new_request(world, a, "RA3", kind="complaint", status="in_progress")
    v = {
        "V1": visit(req_a, "complaint", sh(2026, 7, 5, 18), satisfaction=5),
        "V2": visit(req_a, "complaint", sh(2026, 7, 20, 18), done_at=sh(2026, 8, 2, 10), late=True, satisfaction=4),
        "V3": visit(req_a, "complaint", sh(2026, 8, 10, 18), status=VisitStatus.UNREACHABLE,
                    done_at=sh(2026, 8, 9, 10)),
        "V4": visit(reopened, "repair", sh(2026, 8, 15, 18), satisfaction=2, department=eng_a,
                    decision=Decision.REOPENED, shortcomings="地漏仍然返味"),
        "V5": visit(req_a, "repair", sh(2026, 9, 30, 23, 30), satisfaction=5, department=eng_a),
        "V6": visit(req_a, "repair", sh(2026, 10, 1, 0, 30), satisfaction=1, department=eng_a),
        "V7": visit(req_a, "repair", sh(2026, 9, 10, 18), status=VisitStatus.CANCELLED, department=eng_a),
        "V8": visit(req_a, "repair", sh(2026, 9, 20, 18), status=VisitStatus.PENDING, department=eng_a),
        "V9": visit(req_a, "help", sh(2026, 6, 30, 23, 59), satisfaction=5),
        "V10": visit(req_a, "help", sh(2026, 7, 3, 18), satisfaction=3),
        "V11": visit(req_a, "other", sh(2026, 8, 8, 18), satisfaction=4),
        "V12": visit(req_a, "repair", sh(2026, 9, 12, 18), satisfaction=1, department=eng_a,
                     decision=Decision.COMPLAINT, follow_request=follow, shortcomings="师傅迟到两小时"),
        "B1": visit(req_b, "repair", sh(2026, 7, 15, 18), satisfaction=5, department=eng_b),
        "B2": visit(req_b, "complaint", sh(2026, 9, 5, 18), satisfaction=1),
        "W1": visit(req_c, "repair", sh(2026, 8, 1, 18), satisfaction=5),
    }
    return {"v": v, "eng_a": eng_a, "eng_b": eng_b, "follow": follow}


@pytest.fixture
def data(world):
    return build(world)


def stats_for(user, **sent):
    return visit_statistics(user=user, filters=report_filters(user, {**Q3, **sent}))


def figures(counts) -> tuple:
    return counts.due, counts.done, counts.visit_rate


# --- the figures ------------------------------------------------------------------------------------------

def test_rates_per_kind_against_targets(world, data):
    s = stats_for(world.users["leader_east"])
    kinds = {k.key: k for k in s.kinds}
    assert list(kinds) == ["complaint", "repair", "help", "other"]
    assert (figures(kinds["complaint"].counts), kinds["complaint"].target, kinds["complaint"].met) == \
        ((4, 3, 75.0), 100, False)
    assert (figures(kinds["repair"].counts), kinds["repair"].target, kinds["repair"].met) == ((5, 4, 80.0), 90, False)
    assert (figures(kinds["help"].counts), kinds["help"].target, kinds["help"].met) == ((1, 1, 100.0), 90, True)
    assert (figures(kinds["other"].counts), kinds["other"].target, kinds["other"].met) == ((1, 1, 100.0), None, None)
    assert figures(s.total) == (11, 9, 81.8)
    assert (s.total.late, s.total.unreachable, s.total.pending) == (1, 1, 1)


def test_targets_follow_the_company_policy(world, data):
    FollowUpPolicy.objects.create(company=world.company, rules={"repair": {"target_rate": 80}})
    kinds = {k.key: k for k in stats_for(world.users["leader_east"], project=str(world.project_a.pk)).kinds}
    assert (kinds["repair"].target, kinds["repair"].counts.visit_rate, kinds["repair"].met) == (80, 75.0, False)
    kinds = {k.key: k for k in stats_for(world.users["quality"], branch=str(world.branch_east.pk)).kinds}
    assert (kinds["repair"].target, kinds["repair"].met) == (80, True)


def test_levels_and_what_was_done_for_the_dissatisfied(world, data):
    s = stats_for(world.users["leader_east"])
    assert {level.value: level.count for level in s.levels} == {5: 3, 4: 2, 3: 1, 2: 1, 1: 2}
    assert {level.value: level.percent for level in s.levels} == {5: 33.3, 4: 22.2, 3: 11.1, 2: 11.1, 1: 22.2}
    assert (s.total.rated, s.total.satisfied, s.total.satisfaction_rate) == (9, 5, 55.6)
    o = s.outcomes
    assert (o.total, o.reopened, o.reopened_closed, o.complaint, o.complaint_closed, o.undecided) == (3, 1, 1, 1, 0, 1)
    v = data["v"]
    assert [case.pk for case in s.cases] == [v["V12"].pk, v["B2"].pk, v["V4"].pk]
    ServiceRequest.objects.filter(pk=data["follow"].pk).update(status="closed")  # the complaint is closed since
    assert stats_for(world.users["leader_east"]).outcomes.complaint_closed == 1


def test_month_by_month_within_the_quarter(world, data):
    s = stats_for(world.users["leader_east"])
    assert [m.month for m in s.months] == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    july, august, september = s.months
    assert figures(july.counts) + (july.counts.satisfaction_rate,) == (4, 4, 100.0, 75.0)
    assert figures(august.counts) + (august.counts.satisfaction_rate,) == (3, 2, 66.7, 50.0)
    # V5 (09-30 23:30 Shanghai) is September's; V6 (10-01 00:30) and cancelled V7 are nobody's.
    assert figures(september.counts) + (september.counts.satisfaction_rate,) == (4, 3, 75.0, 33.3)
    assert figures(september.kinds["repair"]) == (3, 2, 66.7)


def test_per_project_and_department(world, data):
    s = stats_for(world.users["leader_east"])
    assert [(g.name, *figures(g.counts)) for g in s.projects] == [("翠湖花园", 9, 7, 77.8), ("金桂苑", 2, 2, 100.0)]
    assert {g.id: figures(g.counts) for g in s.departments} == {
        None: (6, 5, 83.3), data["eng_a"].pk: (4, 3, 75.0), data["eng_b"].pk: (1, 1, 100.0)}
    assert figures(stats_for(world.users["leader_east"], department=str(data["eng_a"].pk)).total) == (4, 3, 75.0)


def test_scope_and_place(world, data):
    assert stats_for(world.users["quality"]).total.due == 12  # W1 in the west too
    assert stats_for(world.users["quality"], branch=str(world.branch_west.pk)).total.due == 1
    assert stats_for(world.users["quality"], branch=str(world.branch_east.pk)).total.due == 11
    assert figures(stats_for(world.users["pm_a"]).total) == (9, 7, 77.8)


def test_any_period_counts_only_its_days(world, data):
    s = stats_for(world.users["leader_east"], quarter="", **{"from": "2026-08-10", "to": "2026-09-15"})
    # V3 (08-10), V4 (08-15), B2 (09-05), V12 (09-12); not V11 (08-08) nor V8 (09-20).
    assert figures(s.total) == (4, 3, 75.0)
    assert [(m.month, m.counts.due) for m in s.months] == [(date(2026, 8, 1), 2), (date(2026, 9, 1), 2)]
    parts = month_periods(s.period)
    assert [p.query() for _first, p in parts] == [{"from": "2026-08-10", "to": "2026-08-31"},
                                                  {"from": "2026-09-01", "to": "2026-09-15"}]
    assert [p.query() for _first, p in month_periods(quarter_period(date(2026, 7, 1)))] == [
        {"month": "2026-07"}, {"month": "2026-08"}, {"month": "2026-09"}]


# --- the page ---------------------------------------------------------------------------------------------

def english(client):
    client.cookies["django_language"] = "en"
    return client


def cells(html: str, table: str, key: str) -> list[str]:
    body = re.search(rf'<table id="{table}">(.*?)</table>', html, re.S).group(1)
    row = re.search(rf'<tr data-row="{key}">(.*?)</tr>', body, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_page_shows_the_figures_with_drill_down_links(world, data, login):
    client = english(login(world.users["leader_east"]))
    response = client.get(URL, Q3)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Visit statistics · all projects in your scope · 2026 Q3" in html
    assert cells(html, "visits-by-kind", "complaint") == ["4", "3", "1", "1", "0", "75.0%", "100%", "not met", "3",
                                                          "66.7%", "1"]
    assert cells(html, "visits-by-kind", "repair") == ["5", "4", "0", "0", "1", "80.0%", "90%", "not met", "4",
                                                       "50.0%", "2"]
    assert cells(html, "visits-by-kind", "other")[6:8] == ["set by supervisor", "—"]
    assert cells(html, "visits-by-month", "2026-08") == ["3", "2", "0", "1", "0", "66.7%", "2", "50.0%", "1"]
    register = reverse("reports:register_visits")
    kind_row = re.search(r'<tr data-row="repair">(.*?)</tr>', html, re.S).group(1).replace("&amp;", "&")
    assert f'href="{register}?quarter=2026-Q3&rule=repair"' in kind_row
    assert f'href="{register}?quarter=2026-Q3&rule=repair&status=done"' in kind_row
    assert f'href="{register}?quarter=2026-Q3&rule=repair&status=pending"' in kind_row
    assert f'href="{register}?quarter=2026-Q3&rule=repair&dissatisfied=1"' in kind_row
    month_row = re.search(r'<tr data-row="2026-08">(.*?)</tr>', html, re.S).group(1).replace("&amp;", "&")
    assert f'href="{register}?month=2026-08"' in month_row
    levels = re.search(r'<table id="satisfaction-levels">.*?</table>', html, re.S).group(0).replace("&amp;", "&")
    assert f'href="{register}?quarter=2026-Q3&satisfaction=1">2</a>' in levels
    projects = re.search(r'<table id="visits-by-project">.*?</table>', html, re.S).group(0).replace("&amp;", "&")
    assert f'href="{register}?quarter=2026-Q3&project={world.project_b.pk}&status=done">2</a>' in projects
    departments = re.search(r'<table id="visits-by-department">.*?</table>', html, re.S).group(0)
    assert f"department={data['eng_a'].pk}" in departments
    assert departments.count("href=") == 10  # two departments × five links; "no department" has none
    cases = re.search(r'<table id="dissatisfied-cases">.*?</table>', html, re.S).group(0)
    assert data["follow"].number in cases and "师傅迟到两小时" in cases
    for key in ("complaint", "repair", "help", "other", "levels"):
        assert re.search(rf'<svg[^>]*id="chart-{key}"', html)
    assert re.search(r'<button[^>]*data-print[^>]*id="print-button"', html) and 'id="visits-empty"' not in html


def test_default_period_is_last_quarter(world, data, login):
    html = english(login(world.users["pm_a"])).get(URL).content.decode()
    last = quarter_period(add_months(quarter_period(timezone.localdate()).start, -3))
    assert f'name="quarter" value="{last.key}"' in html
    assert re.search(r'<option value="quarter" selected>', html)  # the filter bar shows the quarter input


def test_empty_period_says_so(world, data, login):
    html = english(login(world.users["pm_a"])).get(URL, {"quarter": "2025-Q1"}).content.decode()
    assert 'id="visits-empty"' in html
    assert cells(html, "visits-by-kind", "repair")[:3] == ["0", "0", "0"]


@pytest.mark.parametrize(("sent", "field", "words"), [
    ({"quarter": "2027-Q1"}, "quarter", "The period is in the future"),
    ({"from": "2026-09-10", "to": "2026-09-01"}, "to", "The period ends before it starts."),
    ({"quarter": "2026-Q5"}, "quarter", "YYYY-Qn"),
    ({"project": "__C__"}, "project", "No such project in your scope."),
])
def test_bad_input_is_400_with_the_field_message(world, data, login, sent, field, words):
    sent = {k: str(world.project_c.pk) if v == "__C__" else v for k, v in sent.items()}
    client = english(login(world.users["leader_east"]))
    response = client.get(URL, sent)
    assert response.status_code == 400 and words in response.content.decode()
    api = client.get(API, sent)
    assert api.status_code == 400 and words in " ".join(api.json()["extra"]["fields"][field])


def test_permissions(world, login):
    assert login(world.users["agent_a"]).get(URL).status_code == 403
    assert login(world.users["steward_a"]).get(API).status_code == 403


def _many(world, count: int):
    request = new_request(world, world.project_a, f"RM{FollowUpVisit.objects.count()}")
    due = sh(2026, 7, 1, 18)
    FollowUpVisit.objects.bulk_create([
        FollowUpVisit(request=request, project=world.project_a, kind=rule, rule=rule, handled_at=due, due_from=due,
                      due_by=due + timedelta(days=i % 90), visitor_role="customer_service",
                      status=VisitStatus.DONE, done_at=due, satisfaction=1 + i % 5,
                      decision=Decision.COMPLAINT if i % 5 == 0 else "")
        for i, rule in zip(range(count), ["repair", "complaint", "help", "other"] * count, strict=False)])


def test_query_count_does_not_grow_with_visits(world, login):
    client = english(login(world.users["leader_east"]))
    _many(world, 5)
    client.get(URL, Q3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, Q3).status_code == 200
    _many(world, 60)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, Q3)
    assert "65 done of 65 due" in response.content.decode()
    assert len(many) == len(few) <= 25


# --- Excel and API ----------------------------------------------------------------------------------------

def test_excel_export(world, data, login):
    from openpyxl import load_workbook

    client = english(login(world.users["leader_east"]))
    response = client.get(URL, {**Q3, "format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Visit statistics · all projects in your scope · 2026 Q3"
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "Kind")
    assert list(header) == ["Kind", "Due", "Done", "of which late", "Unreachable", "Still to visit", "Visit rate",
                            "Rated", "Satisfaction rate", "Dissatisfied", "Target"]
    repair = next(row for row in rows if row[0] == "repair")
    assert list(repair) == ["repair", 5, 4, 0, 0, 1, 80.0, 4, 50.0, 2, 90]
    cases = book["Dissatisfied"]
    assert cases.max_row == 4 and [c.value for c in cases[1]][:2] == ["Request", "Project"]
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert (log.target_type, log.detail["filters"], log.detail["personal"]) == (
        "report:visit_statistics", {"quarter": "2026-Q3"}, False)
    assert login(world.users["agent_a"]).get(URL, {**Q3, "format": "xlsx"}).status_code == 403
    assert AuditLog.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_api_gives_the_same_figures(world, data, login):
    body = login(world.users["leader_east"]).get(API, Q3).json()
    assert body["period"] == {"key": "2026-Q3", "grain": "quarter", "start": "2026-07-01", "end": "2026-09-30",
                              "label": "2026年第3季度", "running": False}
    assert (body["total"]["due"], body["total"]["done"], body["total"]["visit_rate"]) == (11, 9, 81.8)
    kinds = {k["key"]: (k["due"], k["done"], k["target"], k["met"]) for k in body["kinds"]}
    assert kinds == {"complaint": (4, 3, 100, False), "repair": (5, 4, 90, False), "help": (1, 1, 90, True),
                     "other": (1, 1, None, None)}
    assert [m["month"] for m in body["months"]] == ["2026-07", "2026-08", "2026-09"]
    assert body["outcomes"]["reopened_closed"] == 1 and len(body["cases"]) == 3
    assert "contact" not in str(body) and "13812345678" not in str(body)


def test_period_helper_keeps_full_months_as_months():
    assert month_periods(Period(date(2026, 7, 1), date(2026, 8, 1), "range"))[0][1].query() == {"month": "2026-07"}
