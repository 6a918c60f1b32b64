"""The public service report 物业服务报告 of project A (翠湖花园) for October 2026, figures computed by hand.

Requests received in October (cancelled left out), all from 周美玲 of 3-2-1802:
    Q1 inquiry 10-10 resolved; R1 repair 10-03 resolved; R2 repair 10-31 23:50 (October's) open;
    K1 complaint 10-05 resolved; K2 complaint 10-20 open; R3 repair 10-15 CANCELLED; R4 repair 11-01 00:10 (November)
    → inquiry 1/1, repair 2/1, complaint 2/1: received 5, completed 3; complaints received 2, resolved 1.
Repair work orders completed in October (cancelled left out):
    W1 (R1) dispatched 10-03 10:00, completed 14:00, due 18:00                  → 4 h, on time
    W2 (R1, reopened) dispatched 10-04 09:00, completed 10-05 11:00, held 2 h, due 10-05 10:00 → 24 h, late
    W3 (R0, a September repair) dispatched 09-29 09:00, completed 10-01 09:00, due 10-02 → 48 h, on time
    W4 cancelled (completed_at 10-06) · W5 (R2) not completed · W6 completed 11-01 01:00 · W7 a complaint's order
    → 3 completed, 2 on time (66.7 %), average (4 + 24 + 48) / 3 = 25.3 h.
Visits due in October: 5, 4, 2, pending, cancelled(1) → rated 3, satisfied 2 (66.7 %).
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.followups.models import FollowUpVisit
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.reports.models import PublicReport, PublicReportStatus
from propdesk.reports.selectors.public import public_report_figures
from propdesk.reports.services import AlreadyPublished, public_report_publish, public_report_save
from propdesk.servicedesk.models import ServiceRequest, WorkOrder
from propdesk.servicedesk.tests.services.helpers import sh

pytestmark = pytest.mark.django_db

OCTOBER = sh(2026, 10, 1).date()
SEPTEMBER = sh(2026, 9, 1).date()
LIST = "/reports/service-reports/"
PERSONAL = ("周美玲", "13812345678", "3-2-1802", "刘师傅")


def detail_url(project, month: str) -> str:
    return f"{LIST}{project.pk}/{month}/"


class Maker:
    def __init__(self, world, project=None):
        self.world, self.project, self.count = world, project or world.project_a, 0
        self.eng = Department.objects.get(project=self.project, kind=DepartmentKind.ENGINEERING)

    def request(self, kind, received, *, resolved=None, status=None) -> ServiceRequest:
        self.count += 1
        return ServiceRequest.objects.create(
            project=self.project, number=f"PR{self.count:04d}", channel="phone", kind=kind,
            status=status or ("closed" if resolved else "open"), contact_name="周美玲", contact_phone="13812345678",
            room=self.world.room(self.project, "3-2-1802"), description="卫生间漏水到楼下", received_at=received,
            resolved_at=resolved, complaint_category="property" if kind == "complaint" else "",
            created_by=self.world.users["agent_a"])

    def order(self, request, *, dispatched, completed=None, resolve_by=None, held=0, status="completed"):
        self.count += 1
        return WorkOrder.objects.create(
            request=request, project=self.project, number=f"WO{self.count:04d}", department=self.eng, status=status,
            assignee=self.world.users["technician_a"], dispatched_at=dispatched, completed_at=completed,
            resolve_by=resolve_by, held_seconds=held)

    def visit(self, request, due_by, satisfaction=None, status="done"):
        return FollowUpVisit.objects.create(
            request=request, project=self.project, kind="repair", rule="repair", handled_at=due_by - timedelta(days=7),
            due_from=due_by - timedelta(days=7), due_by=due_by, visitor_role="customer_service", status=status,
            done_at=due_by - timedelta(days=1) if status == "done" else None, satisfaction=satisfaction)


def build(world) -> Maker:
    m = Maker(world)
    m.request("inquiry", sh(2026, 10, 10, 9), resolved=sh(2026, 10, 10, 11))
    r1 = m.request("repair", sh(2026, 10, 3, 9), resolved=sh(2026, 10, 5, 11))
    r2 = m.request("repair", sh(2026, 10, 31, 23, 50))
    k1 = m.request("complaint", sh(2026, 10, 5, 9), resolved=sh(2026, 10, 6, 9))
    m.request("complaint", sh(2026, 10, 20, 9))
    m.request("repair", sh(2026, 10, 15, 9), status="cancelled")
    r4 = m.request("repair", sh(2026, 11, 1, 0, 10))
    r0 = m.request("repair", sh(2026, 9, 28, 9), resolved=sh(2026, 10, 1, 9))
    m.order(r1, dispatched=sh(2026, 10, 3, 10), completed=sh(2026, 10, 3, 14), resolve_by=sh(2026, 10, 3, 18))
    m.order(r1, dispatched=sh(2026, 10, 4, 9), completed=sh(2026, 10, 5, 11), resolve_by=sh(2026, 10, 5, 10),
            held=7200)
    m.order(r0, dispatched=sh(2026, 9, 29, 9), completed=sh(2026, 10, 1, 9), resolve_by=sh(2026, 10, 2, 9))
    m.order(r1, dispatched=sh(2026, 10, 5, 9), completed=sh(2026, 10, 6, 9), status="cancelled")
    m.order(r2, dispatched=sh(2026, 10, 31, 23, 55), status="dispatched")
    m.order(r4, dispatched=sh(2026, 11, 1, 0, 20), completed=sh(2026, 11, 1, 1), resolve_by=sh(2026, 11, 2))
    m.order(k1, dispatched=sh(2026, 10, 5, 10), completed=sh(2026, 10, 5, 12), resolve_by=sh(2026, 10, 5, 11))
    for satisfaction in (5, 4, 2):
        m.visit(r1, sh(2026, 10, 12, 18), satisfaction)
    m.visit(r1, sh(2026, 10, 20, 18), status="pending")
    m.visit(r1, sh(2026, 10, 21, 18), 1, status="cancelled")
    return m


EXPECTED = {
    "version": 1, "month": "2026-10",
    "requests": [{"kind": "inquiry", "received": 1, "completed": 1}, {"kind": "repair", "received": 2, "completed": 1},
                 {"kind": "complaint", "received": 2, "completed": 1}],
    "requests_total": 5, "completed_total": 3,
    "repairs": {"completed": 3, "on_time": 2, "on_time_share": 66.7, "average_hours": 25.3},
    "visits": {"rated": 3, "satisfied": 2, "satisfaction_rate": 66.7},
    "complaints": {"received": 2, "resolved": 1},
}


@pytest.fixture
def maker(world):
    return build(world)


def publish_october(world, **texts):
    pm, a = world.users["pm_a"], world.project_a
    public_report_save(actor=pm, project=a, month=OCTOBER, plans=texts.get("plans", "十二月前完成地下车库照明改造"),
                       improvements=texts.get("improvements", "更换了3号楼电梯钢丝绳"))
    return public_report_publish(actor=pm, project=a, month=OCTOBER)


# --- the figures and the services -------------------------------------------------------------------------

def test_figures_of_the_month(world, maker):
    assert public_report_figures(project=world.project_a, month=OCTOBER) == EXPECTED
    empty = public_report_figures(project=world.project_b, month=OCTOBER)
    assert empty["requests"] == [] and empty["repairs"] == {"completed": 0, "on_time": 0, "on_time_share": None,
                                                            "average_hours": None}


def test_figures_are_frozen_at_publication(world, maker):
    report = publish_october(world)
    assert (report.status, report.published_by, report.figures) == (PublicReportStatus.PUBLISHED,
                                                                    world.users["pm_a"], EXPECTED)
    # Later data: another October repair, the open complaint resolved — the published figures stay.
    maker.request("repair", sh(2026, 10, 18, 9), resolved=sh(2026, 10, 19, 9))
    ServiceRequest.objects.filter(kind="complaint", resolved_at__isnull=True).update(resolved_at=timezone.now())
    report.refresh_from_db()
    assert report.figures == EXPECTED
    assert public_report_figures(project=world.project_a, month=OCTOBER)["requests_total"] == 6


def test_publishing_twice_is_refused_and_creates_nothing(world, maker):
    publish_october(world)
    with pytest.raises(AlreadyPublished):
        public_report_publish(actor=world.users["pm_a"], project=world.project_a, month=OCTOBER)
    with pytest.raises(AlreadyPublished):
        public_report_save(actor=world.users["pm_a"], project=world.project_a, month=OCTOBER, improvements="改",
                           plans="")
    assert PublicReport.objects.count() == 1
    assert PublicReport.objects.get().improvements == "更换了3号楼电梯钢丝绳"


def test_months_that_cannot_be_published(world, maker):
    pm, a = world.users["pm_a"], world.project_a
    this_month = timezone.localdate().replace(day=1)
    public_report_save(actor=pm, project=a, month=this_month, improvements="进行中", plans="")  # a draft is fine
    with pytest.raises(ApplicationError) as caught:
        public_report_publish(actor=pm, project=a, month=this_month)
    assert "month" in caught.value.field_errors
    future = (this_month + timedelta(days=40)).replace(day=1)
    for call in (lambda: public_report_save(actor=pm, project=a, month=future, improvements="", plans=""),
                 lambda: public_report_publish(actor=pm, project=a, month=future)):
        with pytest.raises(ApplicationError) as caught:
            call()
        assert "month" in caught.value.field_errors
    with pytest.raises(ApplicationError) as caught:  # no draft yet
        public_report_publish(actor=pm, project=a, month=SEPTEMBER)
    assert caught.value.status_code == 409
    assert not PublicReport.objects.filter(status=PublicReportStatus.PUBLISHED).exists()


def test_who_may_write(world, maker):
    with pytest.raises(PermissionDenied):
        public_report_save(actor=world.users["agent_a"], project=world.project_a, month=OCTOBER, improvements="",
                           plans="")
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        public_report_save(actor=world.users["pm_a"], project=world.project_b, month=OCTOBER, improvements="",
                           plans="")
    assert caught.value.field_errors == {"project": ["No such project in your scope."]}
    with pytest.raises(ApplicationError) as caught:
        public_report_save(actor=world.users["pm_a"], project=world.project_a, month=OCTOBER,
                           improvements="字" * 4001, plans="")
    assert "improvements" in caught.value.field_errors


# --- the pages: staff -------------------------------------------------------------------------------------

def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_project_manager_writes_and_publishes_from_the_page(world, maker, login):
    client = english(login(world.users["pm_a"]))
    response = client.get(LIST, {"project": world.project_a.pk, "month": "2026-10"})
    assert response.status_code == 302 and response["Location"] == detail_url(world.project_a, "2026-10")
    html = client.get(detail_url(world.project_a, "2026-10")).content.decode()
    assert 'id="live-figures"' in html and 'id="report-form"' in html and 'id="publish-form"' not in html
    assert re.search(r'id="figure-repairs".*?66\.7%', html, re.S)
    response = client.post(detail_url(world.project_a, "2026-10") + "save/",
                           {"improvements": "更换了3号楼电梯钢丝绳", "plans": "十二月前完成地下车库照明改造"})
    assert response.status_code == 302
    html = client.get(detail_url(world.project_a, "2026-10")).content.decode()
    assert 'id="publish-form"' in html
    assert client.post(detail_url(world.project_a, "2026-10") + "publish/").status_code == 302
    report = PublicReport.objects.get()
    assert report.status == PublicReportStatus.PUBLISHED and report.figures == EXPECTED
    response = client.post(detail_url(world.project_a, "2026-10") + "publish/")
    assert response.status_code == 409 and "published already" in response.content.decode()
    assert PublicReport.objects.count() == 1


def test_staff_list_and_bad_input(world, maker, login):
    publish_october(world)
    PublicReport.objects.create(project=world.project_b, month=SEPTEMBER, created_by=world.users["admin"])
    client = english(login(world.users["leader_east"]))
    html = client.get(LIST).content.decode()
    assert html.count("data-report=") == 2 and "draft" in html
    assert 'id="report-form"' not in client.get(detail_url(world.project_a, "2026-09")).content.decode()
    pm = english(login(world.users["pm_a"]))
    assert pm.get(LIST).content.decode().count("data-report=") == 1
    for sent, words in (({"month": "2030-01"}, "The period is in the future"),
                        ({"project": world.project_c.pk, "month": "2026-10"}, "No such project in your scope.")):
        response = pm.get(LIST, sent)
        assert response.status_code == 400 and words in response.content.decode()
    assert pm.get(detail_url(world.project_c, "2026-10")).status_code == 404
    assert pm.get(detail_url(world.project_a, "2030-01")).status_code == 400
    assert pm.get(f"{LIST}{world.project_a.pk}/2026-13/").status_code == 404
    assert login(world.users["technician_a"]).get(LIST).status_code == 403


def test_only_a_project_manager_may_save(world, maker, login):
    client = login(world.users["leader_east"])
    assert client.post(detail_url(world.project_a, "2026-10") + "save/", {"improvements": "x"}).status_code == 403
    assert not PublicReport.objects.exists()


# --- the pages: residents ---------------------------------------------------------------------------------

def test_resident_reads_only_the_published_report_of_their_project(world, maker, login):
    publish_october(world)
    public_report_save(actor=world.users["pm_a"], project=world.project_a, month=SEPTEMBER,
                       improvements="草稿", plans="")
    PublicReport.objects.create(project=world.project_b, month=OCTOBER, status=PublicReportStatus.PUBLISHED,
                                figures=EXPECTED, created_by=world.users["admin"], published_at=timezone.now())
    client = english(login(world.users["resident_a"]))
    listing = client.get(LIST)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert html.count("data-report=") == 1 and detail_url(world.project_a, "2026-10") in html
    response = client.get(detail_url(world.project_a, "2026-10"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "更换了3号楼电梯钢丝绳" in html and "十二月前完成地下车库照明改造" in html
    assert re.search(r'id="figure-satisfaction".*?66\.7%', html, re.S)
    assert re.search(r'id="figure-repair-time".*?25\.3 h', html, re.S)
    report = html.split("</header>", 1)[1]  # the header names the signed-in reader (周美玲 herself); the report no one
    for personal in PERSONAL:
        assert personal not in report, personal
    assert 'id="report-form"' not in html and 'id="publish-form"' not in html
    assert client.get(detail_url(world.project_a, "2026-09")).status_code == 404  # a draft
    assert client.get(detail_url(world.project_b, "2026-10")).status_code == 404  # another project
    assert client.get(detail_url(world.project_a, "2026-08")).status_code == 404  # never written
    assert client.post(detail_url(world.project_a, "2026-09") + "publish/").status_code == 403


def test_resident_page_query_count_is_bounded(world, maker, login):
    publish_october(world)
    client = login(world.users["resident_a"])
    client.get(detail_url(world.project_a, "2026-10"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail_url(world.project_a, "2026-10")).status_code == 200
    assert len(queries) <= 10
    for month in range(1, 10):
        PublicReport.objects.create(project=world.project_a, month=OCTOBER.replace(month=month),
                                    status=PublicReportStatus.PUBLISHED, figures=EXPECTED,
                                    created_by=world.users["pm_a"])
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    assert len(few) <= 10


def test_staff_detail_query_count_does_not_grow(world, maker, login):
    client = login(world.users["pm_a"])
    url = detail_url(world.project_a, "2026-10")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    r = maker.request("repair", sh(2026, 10, 9, 9), resolved=sh(2026, 10, 9, 12))
    for hour in range(10):
        maker.order(r, dispatched=sh(2026, 10, 9, 9), completed=sh(2026, 10, 9, 10 + hour),
                    resolve_by=sh(2026, 10, 9, 15))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --- the API ----------------------------------------------------------------------------------------------

def test_api_gives_frozen_figures_to_staff(world, maker, login):
    client = english(login(world.users["pm_a"]))
    api = f"/api/reports/public/{world.project_a.pk}/2026-10"
    live = client.get(api).json()
    assert (live["status"], live["frozen"], live["figures"]) == ("none", False, EXPECTED)
    publish_october(world)
    maker.request("repair", sh(2026, 10, 18, 9))
    body = client.get(api).json()
    assert (body["status"], body["frozen"], body["figures"]) == ("published", True, EXPECTED)
    response = client.get(f"/api/reports/public/{world.project_c.pk}/2026-10")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["project"] == ["No such project in your scope."]
    response = client.get(f"/api/reports/public/{world.project_a.pk}/2030-01")
    assert response.status_code == 400 and "month" in response.json()["extra"]["fields"]
    assert login(world.users["resident_a"]).get(api).status_code == 403
