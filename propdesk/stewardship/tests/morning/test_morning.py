from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.core.testing import TEST_NOW, assert_json_error
from propdesk.duty.services import logs as services
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.servicedesk.models import ServiceRequest, WorkOrder

pytestmark = pytest.mark.django_db


def _log_of_yesterday(world, author, body, items=(), comment=None, sign=False):
    now = TEST_NOW  # the tests' clock (conftest), not the machine's
    log = services.work_log_start(actor=author, day=timezone.localdate(now) - timedelta(days=1), now=now)
    services.log_update(log=log, actor=author, body=body, items=list(items), now=now)
    services.log_submit(log=log, actor=author, now=now)
    if comment:
        services.log_comment(log=log, actor=world.users["pm_a"], body=comment, now=now)
    if sign:
        services.log_sign(log=log, actor=world.users["pm_a"], now=now)
    return log


def _overdue_work(world, count: int, project=None):
    project = project or world.project_a
    eng = Department.objects.get(project=project, kind=DepartmentKind.ENGINEERING)
    now = TEST_NOW  # the tests' clock (conftest), not the machine's
    for index in range(count):
        request = ServiceRequest.objects.create(
            project=project, number=f"{project.code.upper()}-MORNING-{index:03d}", channel="phone", kind="repair",
            contact_name="周美玲", description="厨房水管漏水", received_at=now - timedelta(days=3),
            resolve_by=now - timedelta(hours=index + 1), created_by=world.users["agent_a"], status="in_progress")
        WorkOrder.objects.create(request=request, project=project, number=f"{request.number}-1", department=eng,
                                 status="dispatched", resolve_by=now - timedelta(hours=index + 1))


def test_the_morning_page_shows_yesterdays_logs_comments_and_overdue_work(world, login):
    _log_of_yesterday(world, world.users["steward_a"], "巡查3栋消防器材，2楼灭火器压力不足",
                      items=[{"text": "更换2楼灭火器"}], comment="本周内更换完毕", sign=True)
    _log_of_yesterday(world, world.users["agent_a"], "接待来访5起，投诉1起")
    _overdue_work(world, 3)
    _overdue_work(world, 2, project=world.project_b)
    page = login(world.users["agent_a"]).get(reverse("stewardship:morning")).content.decode()
    assert "巡查3栋消防器材" in page and "本周内更换完毕" in page and "更换2楼灭火器" in page
    assert "已签阅" in page and "未签阅" in page
    assert 'id="requests-overdue" class="overdue">3<' in page and 'id="orders-overdue" class="overdue">3<' in page
    assert "A-MORNING-000" in page and "B-MORNING" not in page
    assert "今天没有到期的拜访" in page and "今天没有巡检" in page


def test_the_morning_page_does_not_grow_in_queries(world, login, django_assert_max_num_queries):
    _log_of_yesterday(world, world.users["steward_a"], "一", items=[{"text": "待办"}], comment="阅")
    _overdue_work(world, 2)
    client = login(world.users["pm_a"])
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("stewardship:morning"))
    for index in range(1, 20):  # 2 rows (a log, 2 overdue) → 20 logs and 20 overdue of each kind
        _log_of_yesterday(world, _steward(world, index), f"日志{index}", items=[{"text": "待办"}], comment="阅")
    _more_overdue(world, 18)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("stewardship:morning"))
    assert page.content.decode().count('class="morning-log"') == 20
    assert page.content.decode().count('class="overdue-item"') == 20  # 10 requests, 10 work orders


def _steward(world, index):
    from propdesk.core.testing import make_user
    return make_user(f"steward{index}_a", role="steward", project=world.project_a, display_name=f"管家{index}")


def _more_overdue(world, count):
    eng = Department.objects.get(project=world.project_a, kind=DepartmentKind.ENGINEERING)
    now = TEST_NOW  # the tests' clock (conftest), not the machine's
    for index in range(count):
        request = ServiceRequest.objects.create(
            project=world.project_a, number=f"A-MORE-{index:03d}", channel="phone", kind="repair",
            contact_name="吴强", description="门禁失灵", received_at=now - timedelta(days=2),
            resolve_by=now - timedelta(minutes=index + 1), created_by=world.users["agent_a"], status="open")
        WorkOrder.objects.create(request=request, project=world.project_a, number=f"{request.number}-1",
                                 department=eng, status="dispatched", resolve_by=now - timedelta(minutes=index + 1))


def test_the_morning_api(world, login):
    _log_of_yesterday(world, world.users["steward_a"], "走访5-1-301吴先生", items=[{"text": "门禁卡补办"}],
                      comment="跟进门禁卡", sign=True)
    _overdue_work(world, 1)
    client = login(world.users["steward_a"])
    body = client.get("/api/steward/morning").json()
    assert body["project"] == "翠湖花园" and body["yesterday"] == (timezone.localdate() - timedelta(days=1)).isoformat()
    assert [(log["signed"], log["open_items"], log["comments"][0]["body"]) for log in body["logs"]] == [
        (True, ["门禁卡补办"], "跟进门禁卡")]
    assert body["requests_overdue"] == 1 and body["orders_overdue"] == 1 and len(body["overdue"]) == 2
    assert body["visits"] == [] and body["rounds"] == []
    assert_json_error(client.get("/api/steward/morning", {"project": world.project_b.pk}), 404)
    leader = login(world.users["leader_east"])
    assert leader.get("/api/steward/morning", {"project": world.project_b.pk}).json()["project"] == "金桂苑"
    assert_json_error(login(world.users["finance_east"]).get("/api/steward/morning"), 403)
    assert date.fromisoformat(body["day"]) == timezone.localdate()
