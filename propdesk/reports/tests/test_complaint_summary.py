"""The monthly complaint summary on a small known data set, every figure computed by hand.

Project A (翠湖花园), Shanghai time. The month is October 2026, compared with September 2026 and October 2025.
Complaints (category, severity, department complained about, valid, place, deadline → resolved):

    October 2026
    C1  10-31 23:50  property     minor      security  valid   3-2-1802  by 11-02 23:50, resolved 11-01 → on time
                     (received late on the 31st: October's; resolved in November yet on time)  repeat of C10
    C2  10-05 09:00  engineering  important  eng       valid   5-1-301   by 10-06 01:00, resolved 10-07 → late
    C3  10-10 09:00  engineering  major      eng       invalid 5-1-301   by 10-20, still open → late  repeat of C2
    C4  10-15 09:00  property     minor      cleaning  –       garage    by 12-31, still open → open, not yet due
    C5  10-20 09:00  service      minor      cs        valid   3-2-1802  by 10-22, resolved 10-21 → on time
    C6  10-12 09:00  property  CANCELLED                       3-2-1802  ← left out (and not an earlier complaint)
    C8  10-13 10:00  sales        minor      –         –       3-1-101   on time; E1 07-16 10:00 same room: 89 days
                                                                          before → repeat
    C9  10-14 10:00  sales        minor      –         –       3-1-102   on time; E2 07-15 10:00 same room: 91 days
                                                                          before → not a repeat
    C10 10-25 09:00  property     minor      security  valid   3-2-1802  by 10-27, resolved 10-28 → late; the only
                                                                          earlier one (C6) is cancelled → no repeat
    N1  11-01 00:10  property (November: not October's)          R1 10-08 a repair: not a complaint
    September 2026:  S1 09-30 23:50 property/security valid on time (5-1-301); S2 09-10 engineering/eng invalid late
                     (3-1-101); S3 09-20 cancelled
    October 2025:    L1 10-08 engineering/eng valid on time; L2 10-18 engineering/eng valid late, repeat of L1
                     (3-2-1802); L3 10-28 property/cleaning undecided on time (garage)
    Elsewhere:       B1 10-09 in project B (east branch); W1 10-09 in project C (west branch)

October, project A: total 8; valid 4 (C1 C2 C5 C10), not valid 1 (C3), undecided 3 (C4 C8 C9); on time 4 (C1 C5
C8 C9), late 3 (C2 C3 C10), open not yet due 1 (C4): share 4/7 = 57.1 %; repeat 3 (C1 C3 C8).
September: total 2, valid 1, invalid 1, on time 1, late 1, share 50.0, repeat 0.
October 2025: total 3, valid 2, undecided 1, on time 2, late 1, share 66.7, repeat 1.

The drill-down tests add C11 (``with_unclassified``) so that every count the summary shows is non-zero in October:

    C11 10-18 09:00  –  –  –  –  5-1-301 and the garage  by 10-20, resolved 10-19 → on time
                     (no category, no severity, no department, validity not decided; names a room: building 5)

October with C11: total 9; undecided 4; on time 5, late 3, open not yet due 1 (C4); repeat 3. Not classified 1,
not graded 1, no department named 3 (C8 C9 C11). Places: building 3 → 5, building 5 → 3 (C2 C3 C11), the garage
→ 1 (C4 alone: C11 counts for its room's building). Top issues: engineering · eng 2, property · security 2,
sales · none 2, not classified · none 1, property · cleaning 1 (service · customer service 1 drops out: ties go
by category, "" first).
"""

import re
from datetime import datetime, timedelta
from html import unescape
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from propdesk.browser_testing import browser_page, requires_chromium
from propdesk.core.models import AuditAction, AuditLog
from propdesk.core.testing import PASSWORD
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import CommonArea, Department
from propdesk.reports.filters import Place, ReportFilters, report_filters
from propdesk.reports.periods import add_months, month_period
from propdesk.reports.selectors import complaints as complaints_module
from propdesk.reports.selectors.complaints import complaint_summary
from propdesk.servicedesk.models import ServiceRequest
from propdesk.servicedesk.tests.services.helpers import sh

pytestmark = pytest.mark.django_db

NOW = sh(2026, 11, 22, 10, 0)
URL = "/reports/complaints/"
API = "/api/reports/complaints/summary"
OCTOBER = {"month": "2026-10"}


class Maker:
    """Complaints created straight in the database with explicit times (numbers unique per project)."""

    def __init__(self, world):
        self.world = world
        self.count = 0
        a = world.project_a
        self.dept = {kind: Department.objects.get(project=a, kind=kind) for kind in DepartmentKind.values
                     if Department.objects.filter(project=a, kind=kind).exists()}
        self.garage = CommonArea.objects.create(project=a, kind="garage", name="地下车库B1")

    def complaint(self, received: datetime, category: str, *, project=None, severity="minor", department=None,
                  valid=None, room=None, area=None, resolve_by=None, resolved=None, status=None, kind="complaint",
                  root_cause="") -> ServiceRequest:
        project = project or self.world.project_a
        self.count += 1
        status = status or ("closed" if resolved else "in_progress")
        return ServiceRequest.objects.create(
            project=project, number=f"TS{self.count:05d}", channel="phone", kind=kind, status=status,
            contact_name="周美玲", contact_phone="13812345678", description="楼上装修噪音扰民，多次沟通无果",
            room=self.world.room(project, room) if room else None, common_area=area,
            complaint_category=category if kind == "complaint" else "",
            severity=severity if kind == "complaint" else "", complained_department=department,
            complaint_valid=valid, root_cause=root_cause, received_at=received,
            resolve_by=resolve_by or received + timedelta(days=2), resolved_at=resolved,
            created_by=self.world.users["agent_a"])


def build(world) -> dict:
    m = Maker(world)
    d = m.dept
    sec, eng = d[DepartmentKind.SECURITY], d[DepartmentKind.ENGINEERING]
    clean, cs = d[DepartmentKind.CLEANING], d[DepartmentKind.CUSTOMER_SERVICE]
    c = {
        "C6": m.complaint(sh(2026, 10, 12, 9), "property", room="3-2-1802", status="cancelled"),
        "C10": m.complaint(sh(2026, 10, 25, 9), "property", department=sec, valid=True, room="3-2-1802",
                           resolve_by=sh(2026, 10, 27, 9), resolved=sh(2026, 10, 28, 9), root_cause="保安人员态度问题"),
        "C1": m.complaint(sh(2026, 10, 31, 23, 50), "property", department=sec, valid=True, room="3-2-1802",
                          resolve_by=sh(2026, 11, 2, 23, 50), resolved=sh(2026, 11, 1, 10),
                          root_cause="夜间巡逻不到位"),
        "C2": m.complaint(sh(2026, 10, 5, 9), "engineering", severity="important", department=eng, valid=True,
                          room="5-1-301", resolve_by=sh(2026, 10, 6, 1), resolved=sh(2026, 10, 7, 10),
                          root_cause="外墙防水施工质量问题"),
        "C3": m.complaint(sh(2026, 10, 10, 9), "engineering", severity="major", department=eng, valid=False,
                          room="5-1-301", resolve_by=sh(2026, 10, 20, 9)),
        "C4": m.complaint(sh(2026, 10, 15, 9), "property", department=clean, area=m.garage,
                          resolve_by=sh(2026, 12, 31, 9), root_cause="保洁频次不足"),
        "C5": m.complaint(sh(2026, 10, 20, 9), "service", department=cs, valid=True, room="3-2-1802",
                          resolve_by=sh(2026, 10, 22, 9), resolved=sh(2026, 10, 21, 9), root_cause="客服回复不及时"),
        "E1": m.complaint(sh(2026, 7, 16, 10), "sales", room="3-1-101", resolved=sh(2026, 7, 17, 10)),
        "E2": m.complaint(sh(2026, 7, 15, 10), "sales", room="3-1-102", resolved=sh(2026, 7, 16, 10)),
        "C8": m.complaint(sh(2026, 10, 13, 10), "sales", room="3-1-101", resolved=sh(2026, 10, 14, 10)),
        "C9": m.complaint(sh(2026, 10, 14, 10), "sales", room="3-1-102", resolved=sh(2026, 10, 15, 10)),
        "N1": m.complaint(sh(2026, 11, 1, 0, 10), "property", department=sec, room="3-2-1802"),
        "R1": m.complaint(sh(2026, 10, 8, 9), "", kind="repair", room="3-2-1802"),
        "S1": m.complaint(sh(2026, 9, 30, 23, 50), "property", department=sec, valid=True, room="5-1-301",
                          resolve_by=sh(2026, 10, 2, 9), resolved=sh(2026, 10, 1, 9)),
        "S2": m.complaint(sh(2026, 9, 10, 9), "engineering", severity="important", department=eng, valid=False,
                          room="3-1-101", resolve_by=sh(2026, 9, 12, 9), resolved=sh(2026, 9, 15, 9)),
        "S3": m.complaint(sh(2026, 9, 20, 9), "engineering", room="3-1-101", status="cancelled"),
        "L1": m.complaint(sh(2025, 10, 8, 9), "engineering", severity="major", department=eng, valid=True,
                          room="3-2-1802", resolve_by=sh(2025, 10, 10, 9), resolved=sh(2025, 10, 9, 9)),
        "L2": m.complaint(sh(2025, 10, 18, 9), "engineering", department=eng, valid=True, room="3-2-1802",
                          resolve_by=sh(2025, 10, 20, 9), resolved=sh(2025, 10, 25, 9)),
        "L3": m.complaint(sh(2025, 10, 28, 9), "property", department=clean, area=m.garage,
                          resolve_by=sh(2025, 10, 30, 9), resolved=sh(2025, 10, 29, 9)),
        "B1": m.complaint(sh(2026, 10, 9, 9), "property", project=world.project_b, room="3-1-101",
                          resolved=sh(2026, 10, 10, 9)),
        "W1": m.complaint(sh(2026, 10, 9, 9), "property", project=world.project_c, room="3-1-101",
                          resolved=sh(2026, 10, 10, 9)),
    }
    return {"c": c, "maker": m, "sec": sec, "eng": eng, "clean": clean, "cs": cs}


@pytest.fixture
def data(world):
    return build(world)


def with_unclassified(data) -> dict:
    m = data["maker"]
    c11 = m.complaint(sh(2026, 10, 18, 9), "", severity="", room="5-1-301", area=m.garage,
                      resolve_by=sh(2026, 10, 20, 9), resolved=sh(2026, 10, 19, 9))
    return {**data, "c": {**data["c"], "C11": c11}}


def summary_for(user, now=NOW, **sent):
    return complaint_summary(user=user, filters=report_filters(user, {**OCTOBER, **sent}), now=now)


def totals(t) -> tuple:
    return t.total, t.valid, t.invalid, t.undecided, t.on_time, t.late, t.open_not_due, t.on_time_share, t.repeat


# --- the figures ------------------------------------------------------------------------------------------

def test_totals_validity_on_time_and_repeats_with_comparisons(world, data):
    s = summary_for(world.users["pm_a"])
    assert totals(s) == (8, 4, 1, 3, 4, 3, 1, 57.1, 3)
    assert totals(s.previous) == (2, 1, 1, 0, 1, 1, 0, 50.0, 0)
    assert totals(s.last_year) == (3, 2, 0, 1, 2, 1, 0, 66.7, 1)
    assert (s.period.key, s.previous_period.key, s.last_year_period.key) == ("2026-10", "2026-09", "2025-10")
    assert [(r.key, r.count, r.previous, r.last_year) for r in s.by_validity] == [
        ("1", 4, 1, 2), ("0", 1, 1, 0), ("", 3, 0, 1)]
    assert s.by_validity[0].change_previous.diff == 3 and s.by_validity[0].change_previous.arrow == "▲"
    assert s.by_validity[1].change_previous.diff == 0 and s.by_validity[1].change_previous.arrow == ""


def test_breakdowns_by_category_severity_and_department(world, data):
    s = summary_for(world.users["pm_a"])
    assert [(r.key, r.count, r.previous, r.last_year) for r in s.by_category] == [
        ("engineering", 2, 1, 2), ("design", 0, 0, 0), ("sales", 2, 0, 0), ("property", 3, 1, 1),
        ("service", 1, 0, 0), ("other", 0, 0, 0)]
    assert [(r.key, r.count, r.previous, r.last_year) for r in s.by_severity] == [
        ("major", 1, 0, 1), ("important", 1, 1, 0), ("minor", 6, 1, 2)]
    departments = {r.key: (r.count, r.previous, r.last_year) for r in s.by_department}
    assert departments == {str(data["sec"].pk): (2, 1, 0), str(data["eng"].pk): (2, 1, 2),
                           str(data["clean"].pk): (1, 0, 1), str(data["cs"].pk): (1, 0, 0), "": (2, 0, 0)}
    engineering = s.by_category[0]
    assert (engineering.change_previous.diff, engineering.change_last_year.diff) == (1, 0)


def test_month_boundary_and_cancelled_complaints(world, data):
    c = data["c"]
    # C1 (10-31 23:50 Shanghai = 15:50 UTC) is October's; N1 (11-01 00:10) November's; S1 (09-30 23:50) September's.
    assert timezone.localtime(c["C1"].received_at).month == 10
    november = complaint_summary(user=world.users["pm_a"], now=NOW, filters=ReportFilters(
        period=month_period(sh(2026, 11, 1).date()), place=Place(project=world.project_a)))
    assert november.total == 1 and november.previous.total == 8
    # Cancelling C5 takes it out of every figure; cancelled C6 never made C10 a repeat.
    ServiceRequest.objects.filter(pk=c["C5"].pk).update(status="cancelled")
    s = summary_for(world.users["pm_a"])
    assert (s.total, s.valid, s.on_time, s.repeat) == (7, 3, 3, 3)
    ServiceRequest.objects.filter(pk=c["C6"].pk).update(status="closed")
    assert summary_for(world.users["pm_a"]).repeat == 4  # now C10 repeats C6


def test_repeats_at_89_and_91_days(world, data):
    c = data["c"]
    s = summary_for(world.users["pm_a"])
    assert [(r.number, r.room, r.earlier_number) for r in s.repeats] == [
        (c["C1"].number, "3-2-1802", c["C10"].number), (c["C8"].number, "3-1-101", c["E1"].number),
        (c["C3"].number, "5-1-301", c["C2"].number)]
    assert c["C9"].number not in [r.number for r in s.repeats]  # 91 days after E2
    assert s.repeats[1].earlier_received_at == c["E1"].received_at


def test_late_is_judged_at_the_moment_of_the_report(world, data):
    # Seen on 10-16, C3 (open, due 10-20) was not late yet: it was open and not yet due, like C4.
    s = summary_for(world.users["pm_a"], now=sh(2026, 10, 16, 12))
    assert (s.on_time, s.late, s.open_not_due) == (4, 2, 2)


def test_top_issues_and_places(world, data):
    s = summary_for(world.users["pm_a"])
    eng, sec, clean, cs = (data[k].pk for k in ("eng", "sec", "clean", "cs"))
    assert [(i.category, i.department_id, i.count, i.previous, i.last_year) for i in s.top_issues] == [
        ("engineering", eng, 2, 1, 2), ("property", sec, 2, 1, 0), ("sales", None, 2, 0, 0),
        ("property", clean, 1, 0, 1), ("service", cs, 1, 0, 0)]
    with translation.override("en"):
        s = summary_for(world.users["pm_a"])
    assert [(p.kind, p.label, p.count, p.previous, p.last_year) for p in s.top_places] == [
        ("building", "Building 3", 5, 1, 2), ("building", "Building 5", 2, 1, 0), ("area", "地下车库B1", 1, 0, 1)]


def test_root_causes_grouped_latest_first_and_bounded(world, data, monkeypatch):
    s = summary_for(world.users["pm_a"])
    assert [(g.category, g.with_cause, [cause.text for cause in g.causes]) for g in s.root_causes] == [
        ("engineering", 1, ["外墙防水施工质量问题"]),
        ("property", 3, ["夜间巡逻不到位", "保安人员态度问题", "保洁频次不足"]),
        ("service", 1, ["客服回复不及时"])]
    monkeypatch.setattr(complaints_module, "ROOT_CAUSES_PER_CATEGORY", 2)
    property_causes = summary_for(world.users["pm_a"]).root_causes[1]
    assert (property_causes.with_cause, len(property_causes.causes)) == (3, 2)


def test_place_and_scope(world, data):
    assert summary_for(world.users["leader_east"]).total == 9  # A's 8 and B1
    assert summary_for(world.users["quality"]).total == 10  # the whole company
    assert summary_for(world.users["quality"], branch=str(world.branch_east.pk)).total == 9
    assert summary_for(world.users["leader_east"], project=str(world.project_b.pk)).total == 1
    by_department = summary_for(world.users["pm_a"], department=str(data["eng"].pk))
    assert totals(by_department) == (2, 1, 1, 0, 0, 2, 0, 0.0, 1)
    assert [r.count for r in by_department.by_category] == [2, 0, 0, 0, 0, 0]


def test_empty_fields_and_places_with_an_unclassified_complaint(world, data):
    data = with_unclassified(data)
    s = summary_for(world.users["pm_a"])
    assert totals(s) == (9, 4, 1, 4, 5, 3, 1, 62.5, 3)
    assert [(r.key, r.count) for r in s.by_category][-1] == ("", 1)
    assert [(r.key, r.count) for r in s.by_severity] == [("major", 1), ("important", 1), ("minor", 6), ("", 1)]
    assert {r.key: r.count for r in s.by_department}[""] == 3
    assert [(i.category, i.department_id, i.count) for i in s.top_issues] == [
        ("engineering", data["eng"].pk, 2), ("property", data["sec"].pk, 2), ("sales", None, 2), ("", None, 1),
        ("property", data["clean"].pk, 1)]
    assert [(p.kind, p.id, p.count) for p in s.top_places] == [
        ("building", world.room(world.project_a, "3-2-1802").building_id, 5),
        ("building", world.room(world.project_a, "5-1-301").building_id, 3), ("area", data["maker"].garage.pk, 1)]


def test_empty_period_is_zeros(world, data):
    s = summary_for(world.users["pm_a"], month="2024-02")
    assert s.empty and totals(s) == (0, 0, 0, 0, 0, 0, 0, None, 0)
    assert [r.count for r in s.by_category] == [0] * 6 and s.repeats == [] and s.root_causes == []


# --- the page ---------------------------------------------------------------------------------------------

def english(client):
    client.cookies["django_language"] = "en"
    return client


def row_cells(html: str, table: str, label: str) -> list[str]:
    body = re.search(rf'<table class="compare" id="compare-{table}">(.*?)</table>', html, re.S).group(1)
    row = re.search(rf'<tr><th scope="row">{re.escape(label)}</th>(.*?)</tr>', body, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def link_of(html: str, table: str, label: str, index: int = 0) -> str:
    body = re.search(rf'<table class="compare" id="compare-{table}">(.*?)</table>', html, re.S).group(1)
    row = re.search(rf'<tr><th scope="row">{re.escape(label)}</th>(.*?)</tr>', body, re.S).group(1)
    return re.findall(r'href="([^"]+)"', row)[index].replace("&amp;", "&")


def test_page_shows_figures_comparisons_and_drill_down_links(world, data, login):
    client = english(login(world.users["pm_a"]))
    a = world.project_a.pk
    response = client.get(URL, {**OCTOBER, "project": a})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Complaint summary · 翠湖花园 · October 2026" in html
    assert row_cells(html, "overview", "Complaints received") == ["8", "2", "▲6", "3", "▲5"]
    assert row_cells(html, "overview", "Share solved on time") == ["57.1%", "50.0%", "▲7.1 pp", "66.7%", "▼9.6 pp"]
    assert row_cells(html, "overview", "Repeat complaints") == ["3", "0", "▲3", "1", "▲2"]
    assert row_cells(html, "overview", "Open, not yet due") == ["1", "0", "▲1", "0", "▲1"]
    assert row_cells(html, "category", "engineering quality") == ["2", "1", "▲1", "2", "0"]
    assert row_cells(html, "validity", "not valid") == ["1", "1", "0", "0", "▲1"]
    register = reverse("reports:register_complaints")
    assert link_of(html, "category", "engineering quality") == \
        f"{register}?month=2026-10&project={a}&category=engineering"
    assert link_of(html, "category", "engineering quality", 1) == \
        f"{register}?month=2026-09&project={a}&category=engineering"
    assert link_of(html, "category", "engineering quality", 2) == \
        f"{register}?month=2025-10&project={a}&category=engineering"
    assert link_of(html, "overview", "Solved on time") == f"{register}?month=2026-10&project={a}&on_time=1"
    assert link_of(html, "overview", "Late") == f"{register}?month=2026-10&project={a}&on_time=0"
    assert link_of(html, "overview", "Repeat complaints") == f"{register}?month=2026-10&project={a}&repeat=1"
    assert link_of(html, "validity", "valid") == f"{register}?month=2026-10&project={a}&valid=1"
    assert link_of(html, "severity", "major") == f"{register}?month=2026-10&project={a}&severity=major"
    assert link_of(html, "department", "翠湖花园工程部") == \
        f"{register}?month=2026-10&project={a}&department={data['eng'].pk}"
    assert link_of(html, "issues", "engineering quality · 翠湖花园工程部") == \
        f"{register}?month=2026-10&project={a}&category=engineering&department={data['eng'].pk}"
    chart = re.search(r'<svg[^>]*id="chart-categories".*?</svg>', html, re.S).group(0)
    assert len(re.findall(r'<rect class="bar[ "]', chart)) == 18  # 6 categories × 3 periods
    # Each bar links to the register rows behind it: this month's "sales" bar to the sales complaints of October.
    assert f'href="{register}?month=2026-10&amp;project={a}&amp;category=sales"' in chart
    assert re.search(r'<button[^>]*data-print[^>]*id="print-button"', html)
    assert "夜间巡逻不到位" in html and data["c"]["C8"].number in html
    assert 'id="summary-empty"' not in html


def compared_rows(html: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(table, row label, [(count shown, link or "")] for this period, the previous and a year earlier) of every row
    of the compared tables."""
    out = []
    for table, body in re.findall(r'<table class="compare" id="compare-(\w+)">(.*?)</table>', html, re.S):
        for label, row in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', body, re.S):
            cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)  # the change cells are "num change"
            values = [(re.sub(r"<[^>]+>", "", cell), unescape(href.group(1)) if (href := re.search(
                r'href="([^"]+)"', cell)) else "") for cell in cells]
            out.append((table, unescape(label), values))
    return out


def register_count(client, href: str) -> int:
    """The number of rows the register lists at ``href`` ("N rows" above the table; all on one page here)."""
    response = client.get(href)
    assert response.status_code == 200, href
    html = response.content.decode()
    shown = int(re.search(r'id="register-period">[^<]*?(\d+) rows?</p>', html).group(1))
    assert len(re.findall(r"<tr data-id=", html)) == shown, href
    return shown


@pytest.mark.parametrize(("user", "place"), [("pm_a", "project"), ("quality", None)])
def test_every_count_links_to_exactly_its_rows_in_the_register(world, data, login, user, place):
    """Every count of the tables and of the key-figure cards, in every period column, opens the complaint register
    listing exactly that many complaints. For quality (no place chosen) the top places include building 3 of A, of B
    and of C: three places of the same name, told apart by id."""
    data = with_unclassified(data)
    client = english(login(world.users[user]))
    sent = {**OCTOBER, **({"project": world.project_a.pk} if place else {})}
    html = client.get(URL, sent).content.decode()
    rows = compared_rows(html)
    assert {table for table, _label, _values in rows} == {
        "overview", "category", "severity", "department", "validity", "issues", "places"}
    followed = 0
    for table, label, values in rows:
        if label == "Share solved on time":
            assert all(not href for _count, href in values)
            continue
        assert len(values) == 3 and all(href for _count, href in values), (table, label)
        for count, href in values:
            assert register_count(client, href) == int(count), (table, label, href)
            followed += 1
    cards = re.search(r'<div class="grid key-figures">(.*?)</div>\s*\n\s*\n', html, re.S).group(1)
    card_links = re.findall(r'<a href="([^"]+)">(\d+)</a>', cards)
    assert len(card_links) == 8  # total, on time, late, open, repeat, valid, not valid, undecided
    for href, count in card_links:
        assert register_count(client, unescape(href)) == int(count), href
    # Every row of the seven tables but the share: 3 links each (the number of rows is the data set's).
    places = 3 if place else 5
    assert followed == 3 * (5 + 7 + 4 + 5 + 3 + 5 + places)


def test_drill_down_links_of_empty_fields_and_places(world, data, login):
    data = with_unclassified(data)
    client = english(login(world.users["pm_a"]))
    a = world.project_a.pk
    html = client.get(URL, {**OCTOBER, "project": a}).content.decode()
    register = f"{reverse('reports:register_complaints')}?month=2026-10&project={a}"
    assert row_cells(html, "category", "not classified") == ["1", "0", "▲1", "0", "▲1"]
    assert link_of(html, "overview", "Open, not yet due") == f"{register}&on_time=open"
    assert link_of(html, "validity", "not yet decided") == f"{register}&valid=none"
    assert link_of(html, "category", "not classified") == f"{register}&category=none"
    assert link_of(html, "severity", "not graded") == f"{register}&severity=none"
    assert link_of(html, "department", "no department named") == f"{register}&complained=none"
    assert link_of(html, "issues", "not classified · no department named") == \
        f"{register}&category=none&complained=none"
    assert link_of(html, "issues", "sales · no department named") == \
        f"{register}&category=sales&complained=none"
    building = world.room(world.project_a, "5-1-301").building_id
    assert link_of(html, "places", "Building 5") == f"{register}&building={building}"
    assert link_of(html, "places", "地下车库B1") == f"{register}&area={data['maker'].garage.pk}"
    # The chart's "not classified" bars open the unclassified complaints, not every complaint.
    chart = re.search(r'<svg[^>]*id="chart-categories".*?</svg>', html, re.S).group(0)
    assert f'href="{register.replace("&", "&amp;")}&amp;category=none"' in chart
    assert re.search(r'id="on-time-share".*?open, not yet due <a href="([^"]+)">1</a>', html, re.S).group(1) == \
        f"{register}&on_time=open".replace("&", "&amp;")


def test_default_period_is_last_month(world, data, login):
    client = english(login(world.users["pm_a"]))
    html = client.get(URL).content.decode()
    last_month = month_period(add_months(timezone.localdate().replace(day=1), -1))
    assert f'name="month" value="{last_month.key}"' in html
    with translation.override("en"):  # the page was asked for in English
        assert f"· {last_month.label}</h1>" in html


def test_empty_period_says_so(world, data, login):
    html = english(login(world.users["pm_a"])).get(URL, {"month": "2024-02"}).content.decode()
    assert 'id="summary-empty"' in html and "No complaints were received in this period" in html
    assert row_cells(html, "overview", "Complaints received") == ["0", "0", "0", "0", "0"]


@pytest.mark.parametrize(("sent", "field", "words"), [
    ({"month": "2030-01"}, "month", "The period is in the future"),
    ({"from": "2026-10-10", "to": "2026-10-01"}, "to", "The period ends before it starts."),
    ({"month": "2026-13"}, "month", "YYYY-MM"),
    ({"project": "__C__"}, "project", "No such project in your scope."),
    ({"project": "999999"}, "project", "No such project in your scope."),
])
def test_bad_input_is_400_with_the_field_message(world, data, login, sent, field, words):
    sent = {k: str(world.project_c.pk) if v == "__C__" else v for k, v in sent.items()}
    client = english(login(world.users["pm_a"]))
    response = client.get(URL, sent)
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html and world.project_c.name not in html
    api = client.get(API, sent)
    assert api.status_code == 400
    assert words in " ".join(api.json()["extra"]["fields"][field])


def test_permissions(world, data, login):
    assert login(world.users["agent_a"]).get(URL).status_code == 403
    assert login(world.users["agent_a"]).get(API).status_code == 403


def _many(world, count: int):
    maker = Maker(world)
    maker.count = 1000 + ServiceRequest.objects.count()
    for i in range(count):
        maker.complaint(sh(2026, 10, 1 + i % 28, 9), ["property", "engineering", "service"][i % 3],
                        room=["3-2-1802", "3-1-101", "5-1-301"][i % 3], root_cause=f"原因{i}",
                        resolved=sh(2026, 10, 1 + i % 28, 12) if i % 2 else None)


def test_query_count_does_not_grow_with_complaints(world, login):
    client = english(login(world.users["leader_east"]))
    _many(world, 3)
    client.get(URL, OCTOBER)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, OCTOBER).status_code == 200
    _many(world, 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, OCTOBER)
    assert row_cells(response.content.decode(), "overview", "Complaints received")[0] == "43"
    assert len(many) == len(few) <= 20


# --- Excel and API ----------------------------------------------------------------------------------------

def test_excel_export_matches_the_page_and_is_logged(world, data, login):
    from openpyxl import load_workbook

    client = english(login(world.users["pm_a"]))
    response = client.get(URL, {**OCTOBER, "project": world.project_a.pk, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Complaint summary · 翠湖花园 · October 2026"
    assert [c.value for c in sheet[3]] == ["Figure", "This month", "Previous month", "Change",
                                           "Same month last year", "Change"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=4, values_only=True) if row[1] is not None}
    assert rows["Complaints received"] == (8, 2, 6, 3, 5)
    assert rows["Share solved on time"] == (57.1, 50.0, 7.1, 66.7, -9.6)
    assert rows["engineering quality"] == (2, 1, 1, 2, 0)
    repeats = book["Repeat complaints"]
    assert [c.value for c in repeats[1]][:3] == ["Number", "Received", "Room"]
    assert repeats.max_row == 4 and repeats["C2"].value == "3-2-1802"
    assert book["Root causes"].max_row == 6
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert (log.actor, log.target_type, log.detail["personal"]) == (world.users["pm_a"], "report:complaint_summary",
                                                                    True)
    assert log.detail["filters"] == {"month": "2026-10", "project": str(world.project_a.pk)}
    # Quality may export; an agent may not even read the page.
    assert login(world.users["quality"]).get(URL, {**OCTOBER, "format": "xlsx"}).status_code == 200


def test_api_gives_the_same_figures(world, data, login):
    client = login(world.users["leader_east"])
    body = client.get(API, {**OCTOBER, "project": world.project_a.pk}).json()
    assert body["period"] == {"key": "2026-10", "grain": "month", "start": "2026-10-01", "end": "2026-10-31",
                              "label": "2026年10月", "running": False}
    assert body["current"]["total"] == 8 and body["current"]["on_time_share"] == 57.1
    assert body["previous"]["total"] == 2 and body["last_year"]["repeat"] == 1
    assert body["by_category"][0] == {"key": "engineering", "label": body["by_category"][0]["label"], "count": 2,
                                      "previous": 1, "last_year": 2}
    assert [r["number"] for r in body["repeats"]] == [data["c"][k].number for k in ("C1", "C8", "C3")]
    assert client.get(API, OCTOBER).json()["current"]["total"] == 9
    default = client.get(API).json()
    assert default["period"]["key"] == month_period(add_months(timezone.localdate().replace(day=1), -1)).key


# --- in a browser -----------------------------------------------------------------------------------------

@pytest.mark.browser
@requires_chromium
@pytest.mark.django_db(transaction=True)
def test_chart_bar_drills_down_and_print_hides_the_controls(live_server, world):
    build(world)
    with browser_page() as page:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "pm_a")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}{URL}?month=2026-10")
        page.emulate_media(media="print")
        for hidden in (".topbar", "#summary-filters", ".report-actions", ".report-tabs"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.locator("h1.report-title").is_visible()
        assert len(page.pdf(format="A4")) > 1000
        page.emulate_media(media="screen")
        # Bars are drawn category by category, three periods each: the 7th bar is "sales" (the 3rd category), this
        # month.
        page.locator("#chart-categories rect.bar").nth(6).click()
        page.wait_for_url("**/reports/registers/complaints/**")
        assert page.url.endswith(f"{reverse('reports:register_complaints')}?month=2026-10&category=sales")
