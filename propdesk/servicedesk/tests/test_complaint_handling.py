"""A major complaint as the people on it see it, page and API (issue 9, defects 2, 12 and 15), with "now" pinned:
the agent records it on Tuesday 2026-03-10 at 15:00 Beijing time; the branch leader 赵总 (east branch) has until
17:00 to take it into handling, then comments, reassigns the work and answers the resident like a manager. A
request of the west branch is not there for him (404)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from propdesk.core.testing import make_user
from propdesk.org.models import Department
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

from .test_api import JSON, assert_json_error, bearer, post

SHANGHAI = ZoneInfo("Asia/Shanghai")
REQUESTS = "/api/desk/requests"
ORDERS = "/api/desk/work-orders"


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    """Travel to a Shanghai time: ``clock(15, 20)`` is 2026-03-10 15:20."""
    current = []

    def go(hour, minute=0, day=10):
        if current:
            current.pop().stop()
        traveller = time_machine.travel(sh(2026, 3, day, hour, minute), tick=False)
        traveller.start()
        current.append(traveller)

    yield go
    if current:
        current.pop().stop()


def major(world, project=None, actor="agent_a") -> ServiceRequest:
    project = project or world.project_a
    owner = world.residents["a_owner"] if project == world.project_a else None
    data = RequestInput(channel="walk_in", kind="complaint", complaint_category="property", severity="major",
                        description="3号楼电梯连续三天困人，二十多位业主聚集在物业中心要求说法",
                        reporter_id=owner.pk if owner else None, contact_name=owner.name if owner else "业主代表",
                        location_note="物业中心前台", resident_request="今天给出整改方案")
    return request_submit(actor=world.users[actor], project=project, data=data)


def dispatched_order(world, sr):
    eng = Department.objects.get(project=world.project_a, kind="engineering")
    wo = workorder_create(request=sr, department=eng, actor=world.users["agent_a"])
    return workorder_act(work_order=wo, actor=world.users["agent_a"], action="dispatch",
                         assignee_id=world.users["technician_a"].pk)


def respond_by_cell(html: str) -> str:
    start = html.index('id="respond-by"')
    return html[start:html.index("</dd>", start)]


def test_a_major_complaint_is_not_overdue_when_saved_and_waits_for_the_branch_leadership(world, login, clock):
    clock(15, 0)
    sr = major(world)
    clock(15, 1)
    html = login(world.users["agent_a"]).get(reverse("servicedesk:request_detail", args=[sr.pk])).content.decode()
    cell = respond_by_cell(html)
    assert "03-10 17:00" in cell and "已超时" not in cell and "overdue" not in cell
    assert "等待分公司领导确认受理" in cell
    # The project manager is told and does the work, but the handbook sends a major complaint to the branch leadership:
    # the button to take it is the leader's.
    pm_page = login(world.users["pm_a"]).get(reverse("servicedesk:request_detail", args=[sr.pk])).content.decode()
    assert 'id="acknowledge"' not in pm_page
    assert login(world.users["pm_a"]).post(reverse("servicedesk:acknowledge", args=[sr.pk])).status_code == 302
    sr.refresh_from_db()
    assert sr.acknowledged_at is None
    clock(17, 1)
    html = login(world.users["agent_a"]).get(reverse("servicedesk:request_detail", args=[sr.pk])).content.decode()
    assert "已超时" in respond_by_cell(html)  # not taken in time: red


def test_the_branch_leader_takes_comments_reassigns_and_replies_on_the_page(world, login, clock):
    clock(15, 0)
    sr = major(world)
    wo = dispatched_order(world, sr)
    other = make_user("technician_a2", role="technician", department=wo.department, project=world.project_a,
                      display_name="孙师傅")
    leader = login(world.users["leader_east"])
    url = reverse("servicedesk:request_detail", args=[sr.pk])

    clock(15, 20)
    page = leader.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for control in ('id="acknowledge"', 'id="comment-form"', 'id="reply-form"', 'data-action="reassign"'):
        assert control in html, control

    assert leader.post(reverse("servicedesk:acknowledge", args=[sr.pk])).status_code == 302
    clock(15, 25)
    html = leader.get(url).content.decode()
    cell = respond_by_cell(html)
    assert "已按时" in cell and "已超时" not in cell and "赵总 已于 03-10 15:20 接手处理" in cell
    assert 'id="acknowledge"' not in html
    event = TimelineEvent.objects.get(request=sr, action="acknowledge")
    assert event.kind == "acknowledged" and event.actor == world.users["leader_east"]
    # On the timeline as its own kind of entry, with who, not as a status change.
    entry = html[html.rindex("<li", 0, html.index("分公司领导已接手处理（在受理时限内）")):]
    entry = entry[:entry.index("</li>")]
    assert "<strong>赵总</strong>" in entry and '<span class="tag">已接手处理</span>' in entry
    assert "状态变更" not in entry

    leader.post(reverse("servicedesk:comment", args=[sr.pk]),
                {"text": "今晚召集工程部和电梯维保单位现场会", "internal": "on"})
    assert TimelineEvent.objects.filter(request=sr, kind="comment", actor=world.users["leader_east"]).exists()

    clock(15, 40)
    response = leader.post(reverse("servicedesk:workorder_action", args=[wo.pk, "reassign"]),
                           {"assignee_id": other.pk, "reason": "改派电梯专业维修人员", "next": url})
    assert response.status_code == 302
    wo.refresh_from_db()
    assert (wo.status, wo.assignee) == ("dispatched", other)

    clock(18, 0)
    leader.post(reverse("servicedesk:reply", args=[sr.pk]),
                {"text": "已约电梯维保单位明早九点全面检修，分公司全程督办", "complaint_valid": "yes",
                 "root_cause": "电梯维保不到位"})
    sr.refresh_from_db()
    assert sr.reply.startswith("已约电梯维保单位") and sr.complaint_valid is True


def test_the_branch_leader_may_not_reach_another_branchs_complaint(world, login, clock):
    clock(15, 0)
    sr = major(world, project=world.project_c, actor="admin")
    leader = login(world.users["leader_east"])
    assert leader.get(reverse("servicedesk:request_detail", args=[sr.pk])).status_code == 404
    for name, data in (("acknowledge", {}), ("comment", {"text": "看一下"}), ("reply", {"text": "已处理"})):
        assert leader.post(reverse(f"servicedesk:{name}", args=[sr.pk]), data).status_code == 404, name
    client = bearer(world.users["leader_east"])
    for path, data in (("acknowledge", {}), ("comment", {"text": "看一下"}), ("reply", {"text": "已处理"})):
        assert_json_error(post(client, f"{REQUESTS}/{sr.pk}/{path}", data), 404)
    assert not TimelineEvent.objects.filter(request=sr, actor=world.users["leader_east"]).exists()


def test_the_branch_leader_takes_comments_reassigns_and_replies_through_the_api(world, clock):
    clock(15, 0)
    sr = major(world)
    wo = dispatched_order(world, sr)
    other = make_user("technician_a2", role="technician", department=wo.department, project=world.project_a,
                      display_name="孙师傅")
    assert_json_error(post(bearer(world.users["pm_a"]), f"{REQUESTS}/{sr.pk}/acknowledge"), 403)
    client = bearer(world.users["leader_east"])

    clock(15, 10)
    body = post(client, f"{REQUESTS}/{sr.pk}/acknowledge").json()
    assert body["acknowledged_by_id"] == world.users["leader_east"].pk
    assert body["responded_at"] == body["acknowledged_at"] and body["respond_by"] > body["acknowledged_at"]
    assert body["timeline"][-1]["kind"] == "acknowledged"

    response = post(client, f"{REQUESTS}/{sr.pk}/comment", {"text": "分公司督办，今晚给业主回电"})
    assert response.status_code == 201, response.content
    detail = client.get(f"{ORDERS}/{wo.pk}").json()
    assert "reassign" in {a["action"] for a in detail["actions"]}
    response = post(client, f"{ORDERS}/{wo.pk}/actions/reassign",
                    {"assignee_id": other.pk, "reason": "改派电梯专业人员"})
    assert response.status_code == 200, response.content
    assert response.json()["assignee_id"] == other.pk
    response = post(client, f"{REQUESTS}/{sr.pk}/reply",
                    {"text": "已安排明早全面检修", "complaint_valid": True, "root_cause": "维保不到位"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith(JSON)


def test_deadlines_met_show_as_met(world, login, clock):
    clock(9, 0)
    data = RequestInput(channel="phone", kind="repair", description="卧室吸顶灯不亮", urgent=False,
                        reporter_id=world.residents["a_owner"].pk, room_id=world.room(world.project_a, "3-2-1802").pk)
    sr = request_submit(actor=world.users["agent_a"], project=world.project_a, data=data)
    wo = dispatched_order(world, sr)
    clock(9, 10)
    workorder_act(work_order=wo, actor=world.users["technician_a"], action="accept")
    clock(15, 0, day=11)  # past the 30 working minutes to respond, the order accepted within them
    html = login(world.users["agent_a"]).get(reverse("servicedesk:request_detail", args=[sr.pk])).content.decode()
    cell = respond_by_cell(html)
    assert "已按时" in cell and "已超时" not in cell
