"""POST /api/portal/requests: a resident reports from the app (multipart, photos made with Pillow). Recorded as the
console records (channel app, numbered, the same deadlines), dispatched by the project's rules, honouring the
Idempotency-Key; bad input writes nothing."""

import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propdesk.core.testing import assert_json_error
from propdesk.notify.models import Notification
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import CommonArea, Department
from propdesk.servicedesk import selectors as desk_selectors
from propdesk.servicedesk.models import Attachment, DispatchRule, ServiceRequest, TimelineEvent
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.services.workorders import workorder_act

from .helpers import sh

pytestmark = pytest.mark.django_db
URL = "/api/portal/requests"
WINDOW = sh(2026, 11, 24, 8, 30)  # offered on the pinned Monday 10:00: Tuesday's first window


def photo(name="leak.jpg", fmt="JPEG", size=(1200, 900), color=(40, 90, 160)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def post(client, key="", photos=(), **fields):
    body = {"kind": "repair", "description": "卫生间天花板漏水，一直往下滴", **fields}
    if photos:
        body["photos"] = list(photos)
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, body, **headers)


@pytest.fixture
def engineering(world):
    return Department.objects.get(project=world.project_a, kind=DepartmentKind.ENGINEERING)


@pytest.fixture
def rule(world, engineering):
    return DispatchRule.objects.create(project=world.project_a, kind="repair", department=engineering,
                                       assignee=world.users["technician_a"])


def test_a_repair_with_two_photos_and_a_window_is_recorded_like_the_console_and_dispatched_by_rule(world, login,
                                                                                                  rule):
    client = login(world.users["resident_a"])
    response = post(client, key="draft-1", photos=[photo(), photo("wall.png", "PNG")],
                    visit_at=WINDOW.isoformat(), urgent="true")
    assert response.status_code == 201, response.content
    body = response.json()
    sr = ServiceRequest.objects.get(pk=body["id"])
    assert body["url"] == f"/my/requests/{sr.pk}/" and body["number"] == sr.number and sr.number
    owner = world.residents["a_owner"]
    assert (sr.channel, sr.kind, sr.reporter, sr.room.code, sr.common_area) == ("app", "repair", owner, "3-2-1802",
                                                                                  None)
    assert (sr.contact_name, sr.contact_phone, sr.created_by) == ("周美玲", "13812345678", world.users["resident_a"])
    assert sr.urgent is True and sr.appointment_at == WINDOW
    assert sr.resident_request == "期望上门时间：2026-11-24 08:30–10:30"
    assert sorted(a.content_type for a in sr.attachments.all()) == ["image/jpeg", "image/png"]
    # The same deadlines as the same report taken on the phone by an agent at the same moment.
    same = request_submit(actor=world.users["agent_a"], project=world.project_a, now=sr.received_at, data=RequestInput(
        channel="phone", kind="repair", description=sr.description, reporter_id=owner.pk, room_id=sr.room_id,
        urgent=True, appointment_at=WINDOW))
    assert (sr.respond_by, sr.resolve_by) == (same.respond_by, same.resolve_by)
    # Dispatched by the project's rule, by no person the resident could name; the agent sees it at once.
    order = sr.work_orders.get()
    assert order.status == "dispatched" and order.assignee == world.users["technician_a"]
    dispatched = TimelineEvent.objects.get(work_order=order, action="dispatch")
    assert dispatched.actor is None
    agent_sees = desk_selectors.request_list(user=world.users["agent_a"], filters={})
    assert sr.pk in {r.pk for r in agent_sees}


def test_without_a_matching_rule_the_report_waits_in_the_dispatch_queue(world, login):
    client = login(world.users["resident_a"])
    response = post(client, kind="inquiry", description="小区快递柜在哪里？")
    assert response.status_code == 201
    sr = ServiceRequest.objects.get(pk=response.json()["id"])
    assert sr.work_orders.count() == 0 and sr.status == "open" and sr.appointment_at is None


def test_a_rejected_order_of_a_report_tells_the_agents_never_the_resident(world, login, rule):
    client = login(world.users["resident_a"])
    sr = ServiceRequest.objects.get(pk=post(client).json()["id"])
    order = sr.work_orders.get()
    workorder_act(work_order=order, actor=world.users["technician_a"], action="reject", reason="不是我负责的楼栋")
    told = set(Notification.objects.filter(kind="workorder_reject").values_list("recipient__username", flat=True))
    assert told == {"agent_a"}


def test_a_retry_under_the_same_key_records_once_and_another_submission_under_it_is_refused(world, login):
    client = login(world.users["resident_a"])
    first = post(client, key="draft-7f3a", photos=[photo()])
    again = post(client, key="draft-7f3a", photos=[photo()])
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = post(client, key="draft-7f3a", photos=[photo()], description="楼道灯不亮")
    body = assert_json_error(other, 422)
    assert "Idempotency-Key" in body["extra"]["fields"]
    other_photo = post(client, key="draft-7f3a", photos=[photo(color=(200, 10, 10))])
    assert_json_error(other_photo, 422)
    assert ServiceRequest.objects.count() == 1 and Attachment.objects.count() == 1


def test_a_retry_is_answered_even_after_its_visit_window_has_started(world, login, time_machine):
    client = login(world.users["resident_a"])
    first = post(client, key="draft-late", visit_at=WINDOW.isoformat())
    time_machine.move_to(datetime(2026, 11, 24, 9, 0, tzinfo=WINDOW.tzinfo))
    client = login(world.users["resident_a"])  # the phone signs in again the next morning
    again = post(client, key="draft-late", visit_at=WINDOW.isoformat())
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_a_common_area_of_the_home_s_project(world, login):
    lobby = CommonArea.objects.create(project=world.project_a, kind="lobby", name="3号楼1单元大堂",
                                      building=world.room(world.project_a, "3-2-1802").building)
    client = login(world.users["resident_a"])
    response = post(client, common_area_id=lobby.pk, description="大堂玻璃门关不上")
    assert response.status_code == 201
    sr = ServiceRequest.objects.get(pk=response.json()["id"])
    assert sr.common_area == lobby and sr.room is None and sr.reporter == world.residents["a_owner"]


def test_a_complaint_is_recorded_minor_with_the_resident_s_category(world, login):
    client = login(world.users["resident_a"])
    response = post(client, kind="complaint", description="保安夜里在岗亭睡觉", complaint_category="property",
                    visit_at=WINDOW.isoformat())
    sr = ServiceRequest.objects.get(pk=response.json()["id"])
    assert (sr.kind, sr.severity, sr.complaint_category, sr.appointment_at) == ("complaint", "minor", "property",
                                                                                None)


@pytest.mark.parametrize("case", ["not_an_image", "seven_photos", "empty_description", "too_long", "bad_window",
                                  "bad_kind"])
def test_bad_input_is_a_field_error_and_writes_nothing(world, login, case):
    client = login(world.users["resident_a"])
    fake = SimpleUploadedFile("leak.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    response, field = {
        "not_an_image": lambda: (post(client, photos=[photo(), fake]), "photos"),
        "seven_photos": lambda: (post(client, photos=[photo(f"p{i}.jpg") for i in range(7)]), "photos"),
        "empty_description": lambda: (post(client, description="   "), "description"),
        "too_long": lambda: (post(client, description="漏" * 2001), "description"),
        "bad_window": lambda: (post(client, visit_at=sh(2026, 11, 23, 8, 30).isoformat()), "visit_at"),
        "bad_kind": lambda: (post(client, kind="billing"), "kind"),
    }[case]()
    assert response.status_code in (400, 422)
    body = assert_json_error(response, response.status_code)
    assert field in str(body["extra"]), body
    assert ServiceRequest.objects.count() == 0 and Attachment.objects.count() == 0


def test_another_home_or_another_project_s_common_area_is_refused_and_writes_nothing(world, login):
    client = login(world.users["resident_a"])
    tenant_home = world.residents["a_tenant"].occupancies.get()
    b_home = world.residents["b_owner"].occupancies.get()
    b_area = CommonArea.objects.create(project=world.project_b, kind="square", name="金桂苑中心广场")
    assert_json_error(post(client, home_id=tenant_home.pk), 404)
    assert_json_error(post(client, home_id=b_home.pk), 404)
    body = assert_json_error(post(client, common_area_id=b_area.pk), 422)
    assert "common_area_id" in body["extra"]["fields"]
    assert ServiceRequest.objects.count() == 0


def test_staff_and_strangers_cannot_report_here(world, login, client):
    assert_json_error(post(client), 401)
    login(world.users["agent_a"])
    assert_json_error(post(client), 403)
    assert ServiceRequest.objects.count() == 0

