"""The technician's pages as a technician uses them on the phone: a completion that fails keeps what was typed, the
order page shows what matters for the visit (a complaint, its severity, the resident's mood and request, 返工, the
materials), the flash says what was done, and the technician lands on 我的工单."""

import io
import re
from html import unescape

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from propdesk.servicedesk.models import WorkOrder

from .services.helpers import SIGNATURE, act, complaint, dispatched, sh, submit

NOW = sh(2026, 12, 2, 10, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def jpeg(name="完工照片.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def not_a_photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("维修记录.pdf", b"%PDF-1.4 this is no photo", "application/pdf")


def accepted(world, **fields) -> WorkOrder:
    request = submit(world, now=NOW, description="厨房水龙头漏水，滴个不停", **fields)
    work_order = dispatched(world, request, now=NOW)
    return act(work_order, world.users["technician_a"], "accept", now=NOW)


def row(html: str, name: str, work_order: WorkOrder) -> str:
    """The form row of one field of the completion form (what is shown next to that field)."""
    start = rf'<div class="form-row[^"]*" id="row-{name}-{work_order.pk}">'
    match = re.search(start + r'(.*?)</div>\s*(?=<div class="form-row|<button)', html, re.S)
    assert match, name
    return unescape(match.group(1))


def complete_url(work_order):
    return reverse("servicedesk:workorder_action", args=[work_order.pk, "complete"])


def test_a_bad_photo_brings_the_completion_back_with_everything_typed(world, login, frozen):
    work_order = accepted(world)
    tech = login(world.users["technician_a"])
    response = tech.post(complete_url(work_order), {
        "result": "更换厨房龙头阀芯，试水十分钟不再滴漏", "materials": "陶瓷阀芯 1 个，生料带 1 卷",
        "signature": SIGNATURE, "photos": [not_a_photo()]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "更换厨房龙头阀芯，试水十分钟不再滴漏</textarea>" in html
    assert 'value="陶瓷阀芯 1 个，生料带 1 卷"' in html
    assert f'name="signature" id="sig-{work_order.pk}" value="{SIGNATURE}"' in html
    assert re.search(r'<details class="card complete-panel"[^>]* open>', html)  # the panel is open
    assert "不是照片" in row(html, "photos", work_order) or "维修记录.pdf" in row(html, "photos", work_order)
    assert "请修改标出的字段" in html
    work_order.refresh_from_db()
    assert work_order.status == "accepted" and work_order.result == "" and work_order.attachments.count() == 0


def test_every_problem_of_a_completion_is_shown_at_its_field_at_once(world, login, frozen):
    work_order = accepted(world)
    tech = login(world.users["technician_a"])
    response = tech.post(complete_url(work_order), {
        "result": "更换阀芯", "materials": "阀芯 1 个", "photos": [not_a_photo()]})  # and no confirmation
    html = response.content.decode()
    assert response.status_code == 400
    assert "维修记录.pdf" in row(html, "photos", work_order)
    assert "签名" in row(html, "signature", work_order)
    assert "更换阀芯</textarea>" in html and 'value="阀芯 1 个"' in html


def test_good_photos_of_a_refused_completion_are_asked_for_again(world, login, frozen):
    work_order = accepted(world)
    tech = login(world.users["technician_a"])
    response = tech.post(complete_url(work_order), {"result": "更换阀芯", "photos": [jpeg()]})
    html = response.content.decode()
    assert response.status_code == 400 and "重新选择" in row(html, "photos", work_order)
    assert work_order.attachments.count() == 0


def test_a_completion_that_failed_on_the_request_page_returns_there_when_it_succeeds(world, login, frozen):
    work_order = accepted(world)
    tech = login(world.users["technician_a"])
    back = reverse("servicedesk:request_detail", args=[work_order.request_id])
    failed = tech.post(complete_url(work_order), {"result": "更换阀芯", "next": back})
    assert failed.status_code == 400 and f'name="next" value="{back}"' in failed.content.decode()
    done = tech.post(complete_url(work_order), {"result": "更换阀芯", "signature": SIGNATURE, "photos": [jpeg()],
                                                "next": back})
    assert done.status_code == 302 and done.url == back
    work_order.refresh_from_db()
    assert work_order.status == "completed" and work_order.attachments.count() == 1


def test_a_reason_missing_on_reject_is_shown_at_the_reason(world, login, frozen):
    request = submit(world, now=NOW)
    work_order = dispatched(world, request, now=NOW)
    tech = login(world.users["technician_a"])
    response = tech.post(reverse("servicedesk:workorder_action", args=[work_order.pk, "reject"]), {"reason": " "})
    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index(f'action="{reverse("servicedesk:workorder_action", args=[work_order.pk, "reject"])}"'):]
    assert '<ul class="errorlist"><li>请填写原因' in form[:form.index("</form>")]


@pytest.mark.parametrize(("action", "text"), [("accept", "已接单：工单"), ("arrive", "已到场：工单")])
def test_the_flash_says_what_was_done(world, login, frozen, action, text):
    request = submit(world, now=NOW)
    work_order = dispatched(world, request, now=NOW)
    if action == "arrive":
        work_order = act(work_order, world.users["technician_a"], "accept", now=NOW)
    tech = login(world.users["technician_a"])
    response = tech.post(reverse("servicedesk:workorder_action", args=[work_order.pk, action]), follow=True)
    shown = [str(m) for m in get_messages(response.wsgi_request)] or [
        str(m) for m in response.context["messages"]]
    assert shown == [f"{text} {work_order.number}。"]
    assert "完成" not in response.content.decode().split('<ul class="messages">')[1].split("</ul>")[0]


def test_the_order_page_shows_a_complaint_its_severity_the_mood_and_the_request(world, login, frozen):
    request = complaint(world, now=NOW, severity="important", emotion="angry",
                        description="维修后卫生间又漏水，楼下邻居投诉",
                        resident_request="今天必须派人上门，并赔偿楼下吊顶",
                        resident_deadline=sh(2026, 12, 2, 18, 0))
    work_order = dispatched(world, request, now=NOW)
    html = login(world.users["technician_a"]).get(
        reverse("servicedesk:workorder_detail", args=[work_order.pk])).content.decode()
    title = html[html.index('id="wo-title"'):html.index("</h1>")]
    assert "投诉" in title and "重要" in title
    assert "愤怒" in html[html.index('id="wo-emotion"'):][:200]
    assert "今天必须派人上门，并赔偿楼下吊顶" in html
    assert "2026-12-02 18:00" in html[html.index('id="wo-resident-deadline"'):][:200]


def test_reopened_work_is_marked_rework_on_the_page_and_in_my_orders(world, login, frozen):
    work_order = accepted(world)
    tech = world.users["technician_a"]
    work_order = act(work_order, tech, "complete", now=NOW, result="更换阀芯", materials="陶瓷阀芯 1 个",
                     signature=SIGNATURE)
    act(work_order, world.users["agent_a"], "reopen", now=NOW, reason="住户回访说又开始滴水")
    client = login(tech)
    mine = client.get(reverse("servicedesk:my_orders")).content.decode()
    card = mine[mine.index('class="card hit my-order"'):]
    assert "返工" in card[:card.index("</a>")]
    page = client.get(reverse("servicedesk:workorder_detail", args=[work_order.pk])).content.decode()
    assert "返工" in page[page.index('id="wo-title"'):page.index("</h1>")]
    assert "住户回访说又开始滴水" in page[page.index('id="wo-rework"'):][:300]


def test_materials_used_are_shown_on_the_order_and_the_request_page(world, login, frozen):
    work_order = accepted(world)
    act(work_order, world.users["technician_a"], "complete", now=NOW, result="更换阀芯",
        materials="陶瓷阀芯 1 个，生料带 1 卷", signature=SIGNATURE)
    client = login(world.users["agent_a"])
    order_page = client.get(reverse("servicedesk:workorder_detail", args=[work_order.pk])).content.decode()
    assert "陶瓷阀芯 1 个，生料带 1 卷" in order_page[order_page.index('id="wo-materials"'):][:200]
    request_page = client.get(reverse("servicedesk:request_detail", args=[work_order.request_id])).content.decode()
    assert "陶瓷阀芯 1 个，生料带 1 卷" in request_page[request_page.index('class="muted wo-materials"'):][:200]


@pytest.mark.parametrize("user", ["technician_a", "dept_staff"])
def test_people_in_the_field_land_on_their_work_orders(world, login, user):
    from propdesk.core.testing import make_user
    from propdesk.org.models import Department

    if user == "dept_staff":
        security = Department.objects.get(project=world.project_a, kind="security")
        world.users[user] = make_user("guard_a", role="dept_staff", department=security, project=world.project_a,
                                      display_name="保安 马强")
    response = login(world.users[user]).get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("servicedesk:my_orders")


def test_the_agent_still_lands_on_the_workbench(world, login):
    assert login(world.users["agent_a"]).get(reverse("home")).status_code == 200


def test_the_api_gives_the_technician_the_complaint_and_the_resident_s_request(world, login, frozen):
    request = complaint(world, now=NOW, severity="major", emotion="anxious", resident_request="尽快恢复供水",
                        resident_deadline=sh(2026, 12, 2, 20, 0))
    work_order = dispatched(world, request, now=NOW)
    body = login(world.users["technician_a"]).get(f"/api/desk/work-orders/{work_order.pk}").json()
    assert body["kind"] == "complaint" and body["severity"] == "major" and body["emotion"] == "anxious"
    assert body["resident_request"] == "尽快恢复供水" and body["resident_deadline"].startswith("2026-12-02T12:00")
