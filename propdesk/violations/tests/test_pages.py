"""Violations through the pages a steward, the PM and a resident touch."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from propdesk.core.testing import TEST_NOW
from propdesk.notify.models import Notification
from propdesk.violations.models import Violation, ViolationNotice, ViolationPhoto

from .conftest import jpeg, notify, record, renovation

pytestmark = pytest.mark.django_db


def test_a_steward_records_a_homes_violation_with_a_photo_linked_to_its_renovation(world, login):
    room = world.room(world.project_a, "3-2-1802")
    works = renovation(world, room)
    client = login(world.users["steward_a"])
    page = client.get(reverse("violations:violation_new"))
    assert page.status_code == 200 and b"kind-fire_lane" in page.content
    response = client.post(reverse("violations:violation_new"), {
        "kind": "construction", "room_code": "3-2-1802", "description": "装修中在阳台外扩搭建彩钢棚",
        "photos": [jpeg()]})
    violation = Violation.objects.get()
    assert response.status_code == 302 and response.url == reverse("violations:violation_detail", args=[violation.pk])
    assert violation.renovation == works and violation.building_id == room.building_id
    assert violation.status == "open" and violation.source == "staff"
    photo = ViolationPhoto.objects.get()
    served = client.get(reverse("violations:violation_photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline")
    # The household is told in the app.
    told = Notification.objects.get(recipient=world.users["resident_a"], kind="violation")
    assert "3-2-1802" in told.title
    detail = client.get(response.url)
    assert f"/renovation/{works.pk}/".encode() in detail.content


def test_no_photo_or_a_file_that_is_not_a_photo_records_nothing(world, login):
    client = login(world.users["steward_a"])
    data = {"kind": "fire_lane", "location": "3号楼东侧消防通道", "description": "堆放纸箱"}
    response = client.post(reverse("violations:violation_new"), data)
    assert response.status_code == 200 and response.context["photo_errors"]
    assert not response.context["form"].non_field_errors()
    bad = SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    response = client.post(reverse("violations:violation_new"), {**data, "photos": [bad]})
    assert response.status_code == 200 and response.context["photo_errors"]
    assert not Violation.objects.exists() and not ViolationPhoto.objects.exists()


def test_a_place_is_needed_and_an_unknown_home_is_named(world, login):
    client = login(world.users["steward_a"])
    response = client.post(reverse("violations:violation_new"), {"kind": "noise", "description": "深夜装修噪音",
                                                                 "room_code": "9-9-999", "photos": [jpeg()]})
    assert response.status_code == 200 and response.context["form"].errors["room_code"]
    assert not Violation.objects.exists()


def test_recording_from_a_patrol_finding_is_prefilled(world, login):
    from propdesk.core.tests.security.parts import Context, patrols
    from propdesk.servicedesk.services.requests import RequestInput, request_submit
    from propdesk.stewardship.models import PatrolFinding

    request = request_submit(actor=world.users["agent_a"], project=world.project_a, now=TEST_NOW, data=RequestInput(
        channel="phone", kind="repair", description="消防通道被电动车堵住", location_note="3号楼",
        contact_name="王建国", contact_phone="13800001111"))
    patrols.populate(Context(tag="a", project=world.project_a, room=None, resident=None, marker="",
                             people={"agent": world.users["agent_a"], "project_manager": world.users["pm_a"]},
                             admin=None, now=TEST_NOW, request=request))
    finding = PatrolFinding.objects.get()
    client = login(world.users["pm_a"])
    round_page = client.get(reverse("stewardship:patrol_round", args=[finding.visit.round_id])).content.decode()
    assert f"{reverse('violations:violation_new')}?finding={finding.pk}" in round_page
    client = login(world.users["steward_a"])
    page = client.get(reverse("violations:violation_new"), {"finding": finding.pk})
    assert page.status_code == 200 and page.context["form"].initial["finding_id"] == finding.pk
    response = client.post(reverse("violations:violation_new"), {
        "kind": "fire_lane", "finding_id": finding.pk, "location": "消防栓旁", "description": "电动车堵塞消防通道",
        "photos": [jpeg()]})
    assert response.status_code == 302
    violation = Violation.objects.get()
    assert violation.source == "patrol" and violation.finding == finding
    # Another project's steward: the finding is not there.
    assert login(world.users["agent_b"]).get(reverse("violations:violation_new"), {"finding": finding.pk}
                                             ).status_code == 404


def test_notice_with_a_past_deadline_is_refused_and_a_good_one_reaches_the_household(world, login):
    violation = record(world)
    client = login(world.users["steward_a"])
    url = reverse("violations:violation_notice", args=[violation.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["suggested"] > TEST_NOW.date()
    past = client.post(url, {"text": "请整改", "deadline": (TEST_NOW - timedelta(days=1)).date().isoformat(),
                             "channel": "app"})
    assert past.status_code == 200 and past.context["form"].errors["deadline"]
    assert not ViolationNotice.objects.exists()
    deadline = (TEST_NOW + timedelta(days=7)).date()
    done = client.post(url, {"text": "请于期限内拆除阳台违章搭建。", "deadline": deadline.isoformat(),
                             "channel": "app"})
    assert done.status_code == 302
    violation.refresh_from_db()
    assert violation.status == "notified" and violation.deadline == deadline
    notice = ViolationNotice.objects.get()
    resident = login(world.users["resident_a"])
    mine = resident.get(reverse("violations:my_violations"))
    assert mine.status_code == 200 and reverse("violations:my_notice", args=[notice.pk]).encode() in mine.content
    shown = resident.get(reverse("violations:my_notice", args=[notice.pk])).content.decode()
    assert "请于期限内拆除阳台违章搭建" in shown and "王建国" not in shown and "阳台外扩搭建彩钢棚" not in shown
    assert Notification.objects.filter(recipient=world.users["resident_a"], kind="violation_notice").exists()


def test_a_printed_notice_opens_its_print_page(world, login):
    violation = record(world)
    client = login(world.users["pm_a"])
    response = client.post(reverse("violations:violation_notice", args=[violation.pk]), {
        "text": "请拆除", "deadline": (TEST_NOW + timedelta(days=3)).date().isoformat(), "channel": "paper"})
    notice = ViolationNotice.objects.get()
    assert response.url == reverse("violations:notice_print", args=[notice.pk])
    page = client.get(response.url).content.decode()
    assert "3-2-1802" in page and "data-print" in page


def test_a_resident_sees_no_other_households_notice_and_staff_no_resident_page(world, login):
    other = record(world, room_code="5-1-301")
    notice = notify(world, other)
    resident = login(world.users["resident_a"])
    assert resident.get(reverse("violations:my_notice", args=[notice.pk])).status_code == 404
    assert "5-1-301" not in resident.get(reverse("violations:my_violations")).content.decode()
    assert login(world.users["steward_a"]).get(reverse("violations:my_violations")).status_code == 404


def test_another_projects_violation_is_a_404(world, login):
    theirs = record(world, project=world.project_b, user="agent_b", room_code="3-1-101")
    client = login(world.users["pm_a"])
    for name in ("violation_detail", "violation_notice"):
        assert client.get(reverse(f"violations:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("violations:violation_close", args=[theirs.pk]), {"outcome": "x"}).status_code == 404
    photo = theirs.photos.get()
    assert client.get(reverse("violations:violation_photo", args=[photo.pk])).status_code == 404


def test_follow_up_after_the_deadline_escalates_and_the_pm_refers_and_closes(world, login):
    violation = record(world, now=TEST_NOW - timedelta(days=10))
    notify(world, violation, days=3, now=TEST_NOW - timedelta(days=10))
    steward = login(world.users["steward_a"])
    response = steward.post(reverse("violations:violation_follow_up", args=[violation.pk]), {
        "fixed": "no", "note": "彩钢棚仍未拆除", "photos": [jpeg("复查.jpg")]})
    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.status == "escalated" and violation.escalated_by == world.users["steward_a"]
    assert Notification.objects.filter(recipient=world.users["pm_a"], kind="violation_escalated").count() == 1
    assert steward.post(reverse("violations:violation_refer", args=[violation.pk]), {
        "authority": "chengguan", "note": "x"}).status_code == 403
    pm = login(world.users["pm_a"])
    pm.post(reverse("violations:violation_refer", args=[violation.pk]), {"authority": "chengguan",
                                                                         "note": "请城管执法拆除"})
    violation.refresh_from_db()
    assert violation.status == "referred" and violation.referral_authority == "chengguan"
    pm.post(reverse("violations:violation_close", args=[violation.pk]), {"outcome": "城管已强制拆除"})
    violation.refresh_from_db()
    assert violation.status == "closed"
    page = pm.get(reverse("violations:violation_detail", args=[violation.pk])).content.decode()
    assert "彩钢棚仍未拆除" in page and "请城管执法拆除" in page and "城管已强制拆除" in page
    # A follow-up on a closed violation: refused, nothing written.
    again = steward.post(reverse("violations:violation_follow_up", args=[violation.pk]), {"fixed": "yes"})
    assert again.status_code == 302 and violation.follow_ups.count() == 1


def test_a_fixed_follow_up_rectifies(world, login):
    violation = record(world)
    notify(world, violation)
    login(world.users["steward_a"]).post(reverse("violations:violation_follow_up", args=[violation.pk]),
                                         {"fixed": "yes", "note": "已拆除"})
    violation.refresh_from_db()
    assert violation.status == "rectified"


def test_the_list_filters_and_its_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.users["pm_a"])
    record(world, kind="parking", room_code="", location="南门")
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("violations:violation_list"))
    for number in range(12):
        violation = record(world, kind="noise" if number % 2 else "pets", room_code=f"5-1-{101 + number % 4}")
        if number % 3 == 0:
            notify(world, violation, now=TEST_NOW - timedelta(days=10), days=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("violations:violation_list"))
    assert len(response.context["violations"]) == 13
    overdue = client.get(reverse("violations:violation_list"), {"overdue": "1"})
    assert len(overdue.context["violations"]) == 4
    pets = client.get(reverse("violations:violation_list"), {"kind": "pets", "status": "open"})
    assert len(pets.context["violations"]) == 6


def test_the_report_counts_per_building_and_month(world, login):
    record(world, now=TEST_NOW - timedelta(days=40))
    record(world, kind="noise")
    record(world, kind="noise", room_code="5-1-101")
    record(world, project=world.project_b, user="agent_b", room_code="3-1-101")
    response = login(world.users["pm_a"]).get(reverse("violations:violation_report"))
    report = response.context["report"]
    assert report["total"] == 3 and report["totals"]["noise"] == 2
    three = world.room(world.project_a, "3-2-1802").building_id
    five = world.room(world.project_a, "5-1-101").building_id
    assert sorted((r["building_id"], r["month"].month, r["total"]) for r in report["rows"]) == sorted([
        (three, 10, 1), (three, 11, 1), (five, 11, 1)])
    assert response.content.decode().count("<tr>") >= 4


def test_a_technician_records_but_does_not_read(world, login):
    client = login(world.users["technician_a"])
    response = client.post(reverse("violations:violation_new"), {
        "kind": "littering", "location": "5号楼下草坪", "description": "高空抛下啤酒瓶", "photos": [jpeg()]})
    assert response.status_code == 302 and response.url == reverse("violations:violation_new")
    assert client.get(reverse("violations:violation_list")).status_code == 403


def test_the_linked_renovation_can_be_changed_or_removed(world, login):
    room = world.room(world.project_a, "3-2-1802")
    works = renovation(world, room)
    violation = record(world)
    assert violation.renovation == works
    client = login(world.users["steward_a"])
    client.post(reverse("violations:violation_renovation", args=[violation.pk]), {"renovation": ""})
    violation.refresh_from_db()
    assert violation.renovation is None
    other = renovation(world, world.room(world.project_a, "5-1-101"), number="ZXA2611200002")
    client.post(reverse("violations:violation_renovation", args=[violation.pk]), {"renovation": other.pk})
    violation.refresh_from_db()
    assert violation.renovation is None  # another home's renovation is refused
    client.post(reverse("violations:violation_renovation", args=[violation.pk]), {"renovation": works.pk})
    violation.refresh_from_db()
    assert violation.renovation == works


def test_a_notice_by_app_and_sms_texts_every_mobile_of_the_household_once(world, login):
    from propdesk.notify.models import OutboxMessage
    from propdesk.notify.sms import sms_render

    violation = record(world)
    client = login(world.users["steward_a"])
    deadline = (TEST_NOW + timedelta(days=3)).date()
    response = client.post(reverse("violations:violation_notice", args=[violation.pk]), {
        "text": "请于期限内拆除阳台违章搭建。", "deadline": deadline.isoformat(), "channel": "sms"})
    assert response.status_code == 302
    texts = list(OutboxMessage.objects.filter(channel="sms", template="violation_notice").order_by("to"))
    assert [sms.to for sms in texts] == ["13812345678", "13900001111"]  # the owner and the family member
    sms = texts[0]
    assert sms_render(sms.template, sms.params) == (
        f"【PropDesk物业】您的住房3-2-1802有违章（违章搭建），请于{deadline.isoformat()}前整改。详情请在住这儿App中查看。")
