"""/my/ and /my/report/<kind>/ through the test client: the current home, the household (names, relations, masked
phones), open requests in plain words, the notices block and the six report buttons, nothing of the staff's record;
the report form's places and visit windows, and the form posted without script."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from propdesk.customers.models import Occupancy
from propdesk.org.models import CommonArea
from propdesk.servicedesk.models import ServiceRequest, WorkingHours

from .helpers import INTERNAL_NOTE, full_story, report, sh
from .test_report_api import photo
from .test_views import assert_no_staff_text, text_of

pytestmark = pytest.mark.django_db


def test_home_shows_the_current_home_household_open_requests_and_the_report_buttons(world, login):
    story = full_story(world, start=sh(2026, 3, 10, 9, 0))  # escalated, an internal note, closed
    open_one = report(world, now=sh(2026, 11, 20, 9, 0), description="客厅插座没电")
    client = login(world.users["resident_a"])
    page = client.get(reverse("portal:home"))
    assert page.status_code == 200
    html, text = page.content.decode(), text_of(page)
    assert "翠湖花园" in text and "3-2-1802" in text
    household = re.search(r'<ul class="members" id="household".*?</ul>', html, re.S).group(0)
    assert "周子轩" in household and "家属" in household and "139****1111" in household
    assert "13900001111" not in html and "周美玲" not in household  # the resident is not their own household
    assert "吴强" not in html  # lives in another room
    buttons = re.findall(r'<a class="report-btn rk-(\w+)" href="([^"]+)">([^<]+)</a>', html)
    assert [(k, label) for k, _href, label in buttons] == [
        ("repair", "报修"), ("complaint", "投诉"), ("inquiry", "咨询"), ("help", "求助"), ("suggestion", "建议"),
        ("praise", "表扬")]
    assert buttons[0][1] == "/my/report/repair/"
    assert html.index("客厅插座没电") < html.index(story.description[:6]) and "已受理" in text
    assert "切换" not in text  # one home: nothing to switch to
    assert_no_staff_text(page, world.residents["a_owner"])
    assert INTERNAL_NOTE not in html and open_one.number in html


def test_a_resident_with_two_homes_sees_the_chosen_one_and_a_link_to_switch(world, login, client):
    owner = world.residents["a_owner"]
    Occupancy.objects.create(resident=owner, room=world.room(world.project_a, "5-1-302"), project=world.project_a,
                             relation="owner")
    login(world.users["resident_a"])
    second = owner.occupancies.get(room__code="5-1-302")
    session = client.session
    session["portal_home"] = second.pk
    session.save()
    html = client.get(reverse("portal:home")).content.decode()
    current = re.search(r'<div class="pcard home-card" id="current-home">.*?</div>\s*</section>', html, re.S).group(0)
    assert "5-1-302" in current and "3-2-1802" not in current
    assert '<a class="home-switch" href="/my/homes/">切换</a>' in html
    assert "周子轩" not in html  # the household of the chosen home (nobody else lives in 5-1-302)


def test_the_home_shows_unread_notices_of_its_building_and_drops_them_once_read(world, login):
    from propdesk.notices.services import NoticeInput, notice_publish

    agent, room = world.users["agent_a"], world.room(world.project_a, "3-2-1802")
    other_building = world.room(world.project_a, "5-1-302").building
    notice_publish(project=world.project_a, actor=agent, now=sh(2026, 11, 22, 9, 0), data=NoticeInput(
        kind="outage", title="3号楼明日停水通知", body="明日9:00-12:00三号楼停水，请提前储水。", scope="buildings",
        building_ids=[room.building_id], urgent=True, pinned=True))
    notice_publish(project=world.project_a, actor=agent, now=sh(2026, 11, 20, 9, 0), data=NoticeInput(
        kind="tip", title="冬季防冻温馨提示", body="请关好门窗，保护水管。", scope="project"))
    notice_publish(project=world.project_a, actor=agent, now=sh(2026, 11, 21, 9, 0), data=NoticeInput(
        kind="outage", title="5号楼电梯维保", body="5号楼电梯维保半天。", scope="buildings",
        building_ids=[other_building.pk]))
    client = login(world.users["resident_a"])
    html = client.get(reverse("portal:home")).content.decode()
    block = re.search(r'<section class="home-notices".*?</section>', html, re.S).group(0)
    assert "3号楼明日停水通知" in block and "2026-11-22" in block and "紧急" in block and "置顶" in block
    assert "冬季防冻温馨提示" in block and block.count("紧急") == 1
    assert block.index("3号楼明日停水通知") < block.index("冬季防冻温馨提示")  # pinned first
    assert "5号楼电梯维保" not in html  # another building's
    first = re.search(r'href="(/my/notices/\d+/)"', block).group(1)
    assert "请提前储水" in client.get(first).content.decode()  # opening it marks it read
    block = re.search(r'<section class="home-notices".*?</section>', client.get(reverse("portal:home"))
                      .content.decode(), re.S).group(0)
    assert "3号楼明日停水通知" not in block and "冬季防冻温馨提示" in block


def test_home_queries_do_not_grow_with_requests(world, login, django_assert_max_num_queries):
    client = login(world.users["resident_a"])
    report(world, now=sh(2026, 11, 20, 9, 0))
    client.get(reverse("portal:home"))  # warm up the session and caches
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("portal:home"))
    for day in range(1, 15):
        report(world, now=sh(2026, 11, 1 + day, 9, 0), description=f"第{day}次报修：水龙头滴水")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("portal:home"))
    assert len(page.context["page"].object_list) == 15


def test_the_report_form_offers_the_home_nearby_common_areas_and_the_project_s_windows(world, login):
    a = world.project_a
    WorkingHours.objects.create(project=a, slots=[["09:00", "12:00"], ["14:00", "17:00"]])
    building3 = world.room(a, "3-2-1802").building
    building5 = world.room(a, "5-1-301").building
    CommonArea.objects.create(project=a, kind="square", name="中心广场")
    CommonArea.objects.create(project=a, kind="lobby", name="3号楼1单元大堂", building=building3)
    CommonArea.objects.create(project=a, kind="elevator", name="5号楼1单元1号电梯", building=building5)
    CommonArea.objects.create(project=world.project_b, kind="square", name="金桂苑中心广场")
    client = login(world.users["resident_a"])
    page = client.get(reverse("portal:report", args=["repair"]))
    assert page.status_code == 200
    html = page.content.decode()
    where = re.search(r'<select name="where".*?</select>', html, re.S).group(0)
    assert "翠湖花园 3-2-1802" in where and "3号楼1单元大堂" in where and "中心广场" in where
    assert "5号楼1单元1号电梯" not in where and "金桂苑" not in where
    assert where.index("3号楼1单元大堂") < where.index("中心广场")  # the home's own building first
    assert 'accept="image/*" capture="environment" multiple' in html
    days = re.findall(r'<div class="slot-day">([^<]+)</div>', html)
    assert days == ["今天", "明天", "11月25日 星期三"]
    slots = re.findall(r'name="visit_at" value="([^"]*)"', html)
    assert slots[:3] == ["", "2026-11-23T11:00:00+08:00", "2026-11-23T14:00:00+08:00"]  # 09:00 has started
    assert "11:00–12:00" in html and "16:00–17:00" in html
    assert "漏水" in html and 'id="id_urgent"' in html  # the hints for the urgent tick
    assert_no_staff_text(page, world.residents["a_owner"])


def test_only_repairs_ask_for_a_visit_time_and_only_complaints_for_a_category(world, login):
    client = login(world.users["resident_a"])
    praise = client.get(reverse("portal:report", args=["praise"])).content.decode()
    complaint = client.get(reverse("portal:report", args=["complaint"])).content.decode()
    assert 'name="visit_at"' not in praise and 'name="urgent"' not in praise
    assert 'name="complaint_category"' in complaint and 'name="visit_at"' not in complaint


def test_the_form_posted_without_script_records_and_opens_the_request_page(world, login):
    client = login(world.users["resident_a"])
    form = client.get(reverse("portal:report", args=["repair"])).context["form"]
    data = {"where": "home", "description": "阳台地漏堵塞，下雨积水", "visit_at": "2026-11-24T08:30:00+08:00",
            "draft_key": form.initial["draft_key"], "photos": [photo()]}
    response = client.post(reverse("portal:report", args=["repair"]), data)
    sr = ServiceRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("portal:request_detail", args=[sr.pk])
    assert sr.channel == "app" and sr.attachments.count() == 1 and sr.appointment_at == sh(2026, 11, 24, 8, 30)
    again = client.post(reverse("portal:report", args=["repair"]), data)  # a double tap: the same request
    assert again.status_code == 302 and ServiceRequest.objects.count() == 1


def test_the_form_shows_refusals_at_their_fields_and_writes_nothing(world, login):
    client = login(world.users["resident_a"])
    other = CommonArea.objects.create(project=world.project_b, kind="square", name="金桂苑中心广场")
    page = client.post(reverse("portal:report", args=["repair"]), {
        "where": str(other.pk), "description": "", "draft_key": "k1"})
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "where" in errors and "description" in errors
    page = client.post(reverse("portal:report", args=["repair"]), {
        "where": "home", "description": "门禁坏了", "draft_key": "k2",
        "photos": [SimpleUploadedFile("x.jpg", b"GIF89a not really", content_type="image/jpeg")]})
    assert "photos" in page.context["form"].errors and "不是照片" in text_of(page)
    assert ServiceRequest.objects.count() == 0


def test_an_unknown_kind_and_staff_get_a_404(world, login, client):
    login(world.users["resident_a"])
    assert client.get("/my/report/billing/").status_code == 404
    login(world.users["agent_a"])
    assert client.get(reverse("portal:report", args=["repair"])).status_code == 404
    assert client.get(reverse("portal:home")).status_code == 404



def test_the_home_leads_to_the_households_renovations_and_violation_notices(world, login):
    client = login(world.users["resident_a"])
    body = client.get("/my/").content.decode()
    assert 'href="/my/renovation/"' in body and 'href="/my/violations/"' in body
    assert client.get("/my/renovation/").status_code == 200 and client.get("/my/violations/").status_code == 200
