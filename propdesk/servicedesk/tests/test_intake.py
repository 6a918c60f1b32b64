"""The intake screen as an agent uses it on the phone: photos, the dispatch pools it offers, text limits, every
mistake reported in one go, and picking the caller without losing what was typed."""

import io
import json
import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from propdesk.browser_testing import browser_page, requires_chromium
from propdesk.org.models import Department
from propdesk.servicedesk.models import Attachment, ServiceRequest, WorkOrder
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=SH)
INTAKE = "servicedesk:intake"


def jpeg(name="leak.jpg", *, size=(200, 150), seed=1) -> SimpleUploadedFile:
    """A real photo's bytes: noise compresses badly, so this is a JPEG of some 25–40 KB, as a phone would send."""
    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def form_data(client, world, **extra):
    owner = world.residents["a_owner"]
    page = client.get(reverse(INTAKE), {"resident": owner.pk})
    token = page.context["form"].initial["form_token"]
    return {"form_token": token, "reporter_id": owner.pk, "kind": "repair", "channel": "phone",
            "contact_name": owner.name, "contact_phone": "138****5678", "room_code": "3-2-1802",
            "description": "卫生间天花板渗水，滴到洗手台上", "emotion": "calm", **extra}


def departments(world):
    return {d.kind: d for d in Department.objects.filter(project=world.project_a)}


# --- photos -----------------------------------------------------------------------------------------------

def test_intake_attaches_several_real_photos(world, login, media):
    agent = login(world.users["agent_a"])
    photos = [jpeg("厨房.jpg", seed=1), jpeg("天花板.jpg", seed=2), jpeg("IMG_0412.jpg", size=(240, 180), seed=3)]
    assert all(20_000 < p.size < 60_000 for p in photos)
    response = agent.post(reverse(INTAKE), form_data(agent, world, photos=photos))
    assert response.status_code == 302, response.context["form"].errors
    sr = ServiceRequest.objects.get()
    attachments = list(sr.attachments.order_by("id"))
    assert [a.content_type for a in attachments] == ["image/jpeg"] * 3
    # Re-encoded from their pixels (no EXIF, nothing appended): the stored size is what is kept, not what came.
    assert [a.size for a in attachments] == [(media / a.file.name).stat().st_size for a in attachments]
    assert [a.original_name for a in attachments] == ["厨房.jpg", "天花板.jpg", "IMG_0412.jpg"]
    assert len(stored_files(media)) == 3
    page = agent.get(reverse("servicedesk:request_detail", args=[sr.pk])).content.decode()
    assert all(reverse("servicedesk:attachment", args=[a.pk]) in page for a in attachments)


def test_a_non_image_among_photos_is_named_and_nothing_is_written(world, login, media):
    agent = login(world.users["agent_a"])
    bad = SimpleUploadedFile("报价单.pdf", b"%PDF-1.4 not a photo at all", "image/jpeg")
    response = agent.post(reverse(INTAKE), form_data(agent, world, photos=[jpeg(), bad]))
    assert response.status_code == 200
    errors = response.context["form"].errors["photos"]
    assert errors == ["“报价单.pdf”不是照片（JPEG、PNG 等）。"]
    assert "“报价单.pdf”不是照片" in response.content.decode()
    assert not ServiceRequest.objects.exists() and not Attachment.objects.exists()
    assert stored_files(media) == []


def test_too_many_or_too_large_photos_are_refused_at_the_field(world, login, media, settings):
    agent = login(world.users["agent_a"])
    response = agent.post(reverse(INTAKE), form_data(agent, world, photos=[jpeg(seed=i) for i in range(7)]))
    assert response.context["form"].errors["photos"] == ["最多 6 张照片。"]
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024), "image/jpeg")
    response = agent.post(reverse(INTAKE), form_data(agent, world, photos=[big]))
    assert response.context["form"].errors["photos"] == ["“big.jpg”超过 5 MB。"]
    assert not ServiceRequest.objects.exists() and stored_files(media) == []


def test_photos_must_be_chosen_again_after_another_field_was_refused(world, login, media):
    agent = login(world.users["agent_a"])
    response = agent.post(reverse(INTAKE), form_data(agent, world, description="", photos=[jpeg()]))
    assert "description" in response.context["form"].errors
    assert 'id="photos-again"' in response.content.decode()


def test_the_api_takes_several_real_photos_and_refuses_a_non_image(world, login, media):
    sr = request_submit(actor=world.users["agent_a"], project=world.project_a, data=RequestInput(
        channel="phone", kind="repair", description="阳台地漏堵塞", contact_name="周美玲",
        room_id=world.room(world.project_a, "3-2-1802").pk))
    client = login(world.users["agent_a"])
    url = f"/api/desk/requests/{sr.pk}/photos"
    added = client.post(url, {"files": [jpeg("a.jpg", seed=4), jpeg("b.jpg", seed=5)]})
    assert added.status_code == 201, added.content
    assert [p["content_type"] for p in added.json()] == ["image/jpeg", "image/jpeg"]
    not_a_photo = SimpleUploadedFile("x.jpg", b"GIF? no", "image/jpeg")
    refused = client.post(url, {"files": [jpeg("c.jpg", seed=6), not_a_photo]})
    assert refused.status_code == 400
    assert refused.json()["extra"]["fields"] == {"files": ["“x.jpg”不是照片（JPEG、PNG 等）。"]}
    assert Attachment.objects.count() == 2 and len(stored_files(media)) == 2


# --- dispatch pools ---------------------------------------------------------------------------------------

def test_intake_offers_only_pools_someone_can_grab_from(world, login):
    dept = departments(world)
    agent = login(world.users["agent_a"])
    choices = str(agent.get(reverse(INTAKE)).context["form"].fields["dispatch"].choices)
    assert f"pool:{dept['engineering'].pk}" in choices  # 刘师傅 (technician) can grab
    for kind in ("customer_service", "security", "cleaning"):
        assert f"pool:{dept[kind].pk}" not in choices
    page = agent.get(reverse(INTAKE)).content.decode()
    assert "翠湖花园工程部 抢单池" in page and "翠湖花园客服中心 抢单池" not in page

    world.users["technician_a"].is_active = False  # the only technician leaves
    world.users["technician_a"].save()
    choices = str(agent.get(reverse(INTAKE)).context["form"].fields["dispatch"].choices)
    assert f"pool:{dept['engineering'].pk}" not in choices


def test_sending_to_a_pool_nobody_can_grab_from_is_refused_at_the_field(world, login):
    dept = departments(world)
    agent = login(world.users["agent_a"])
    response = agent.post(reverse(INTAKE), form_data(agent, world, dispatch=f"pool:{dept['customer_service'].pk}"))
    assert response.status_code == 200
    assert response.context["form"].errors["dispatch"] == ["现在没有人能接这张单：请选择具体人员或其他抢单池。"]
    assert not ServiceRequest.objects.exists()


def test_the_api_refuses_a_pool_nobody_can_grab_from(world, login):
    dept = departments(world)
    client = login(world.users["agent_a"])
    payload = {"project_id": world.project_a.pk, "channel": "phone", "kind": "repair", "description": "楼道灯不亮",
               "contact_name": "周美玲", "room_code": "3-2-1802",
               "dispatch": {"department_id": dept["security"].pk}}
    response = client.post("/api/desk/requests", payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == ["dispatch.department_id"]
    assert "抢单" in response.json()["extra"]["fields"]["dispatch.department_id"][0]
    assert not ServiceRequest.objects.exists() and not WorkOrder.objects.exists()
    payload["dispatch"] = {"department_id": dept["engineering"].pk}
    created = client.post("/api/desk/requests", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["work_orders"][0]["status"] == "pooled"


def _order(world, department, description="消防通道堆放杂物"):
    sr = request_submit(actor=world.users["agent_a"], project=world.project_a, data=RequestInput(
        channel="phone", kind="repair", description=description, contact_name="周美玲",
        room_id=world.room(world.project_a, "3-2-1802").pk))
    return workorder_create(request=sr, department=department, actor=world.users["agent_a"])


def test_putting_an_order_in_an_empty_pool_changes_nothing(world, login):
    wo = _order(world, departments(world)["cleaning"])
    client = login(world.users["agent_a"])
    response = client.post(f"/api/desk/work-orders/{wo.pk}/actions/pool", content_type="application/json")
    assert response.status_code == 409
    assert "环境部" in response.json()["message"]
    wo.refresh_from_db()
    assert wo.status == "pending"


def test_the_dispatch_queue_warns_of_an_order_nobody_can_grab(world, login):
    engineering = departments(world)["engineering"]
    stranded = workorder_act(work_order=_order(world, engineering), actor=world.users["agent_a"], action="pool")
    agent = login(world.users["agent_a"])
    assert 'id="stranded"' not in agent.get(reverse("servicedesk:dispatch_queue")).content.decode()
    assert agent.get("/api/desk/work-orders", {"nobody_can_grab": "true"}).json()["count"] == 0

    world.users["technician_a"].staff_profile.is_active = False  # the department's only technician leaves
    world.users["technician_a"].staff_profile.save()
    page = agent.get(reverse("servicedesk:dispatch_queue")).content.decode()
    assert 'id="stranded"' in page and "无人可抢" in page and stranded.number in page
    listed = agent.get("/api/desk/work-orders", {"nobody_can_grab": "true"}).json()
    assert [o["id"] for o in listed["items"]] == [stranded.pk] and listed["items"][0]["nobody_can_grab"] is True
    assert agent.get(f"/api/desk/work-orders/{stranded.pk}").json()["nobody_can_grab"] is True


def test_a_dispatch_rule_to_an_empty_pool_leaves_the_request_in_the_queue(world, login):
    from propdesk.servicedesk.models import DispatchRule

    DispatchRule.objects.create(project=world.project_a, order=1, kind="", department=departments(world)["security"])
    agent = login(world.users["agent_a"])
    response = agent.post(reverse(INTAKE), form_data(agent, world, dispatch="auto"), follow=True)
    assert ServiceRequest.objects.get().work_orders.count() == 0
    assert any("没有人能抢单" in str(m) for m in response.context["messages"])


# --- text limits and all errors at once -------------------------------------------------------------------

def test_a_description_has_a_limit_with_a_field_message(world, login):
    agent = login(world.users["agent_a"])
    response = agent.post(reverse(INTAKE), form_data(agent, world, description="漏水" * 60_000))
    assert response.context["form"].errors["description"] == ["最多 2000 个字（现有 120000 个）。"]
    assert 'maxlength="2000"' in response.content.decode()
    assert not ServiceRequest.objects.exists()
    text = ("卫生间天花板渗水。\r\n" * 200)[:2000 + 199]  # 2,000 characters once each line break counts as one
    assert agent.post(reverse(INTAKE), form_data(agent, world, description=text)).status_code == 302
    assert len(ServiceRequest.objects.get().description) <= 2000


def test_the_service_and_the_api_hold_the_same_limits(world, login):
    from propdesk.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        request_submit(actor=world.users["agent_a"], project=world.project_a, data=RequestInput(
            channel="phone", kind="repair", description="漏" * 2001, contact_name="周美玲", location_note="3号楼大堂",
            resident_request="请" * 1001))
    assert set(refused.value.field_errors) == {"description", "resident_request"}
    client = login(world.users["agent_a"])
    response = client.post("/api/desk/requests", {
        "project_id": world.project_a.pk, "channel": "phone", "kind": "repair", "description": "漏" * 2001,
        "contact_name": "周美玲", "room_code": "3-2-1802"}, content_type="application/json")
    assert response.status_code == 422 and list(response.json()["extra"]["fields"]) == ["description"]
    assert not ServiceRequest.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_every_mistake_is_reported_in_one_submission(world, login):
    agent = login(world.users["agent_a"])
    response = agent.post(reverse(INTAKE), form_data(
        agent, world, kind="complaint", description="吵" * 2500, room_code="9-9-9999",
        resident_deadline="2026-12-01T18:00", complained_person="张" * 101))
    errors = response.context["form"].errors
    # the form's own (length), the room look-up, and the service's (complaint fields, a time in the past)
    assert set(errors) == {"description", "complained_person", "room_code", "complaint_category", "severity",
                           "resident_deadline"}
    assert errors["room_code"] == ["翠湖花园 没有房号 9-9-9999。"]
    assert errors["resident_deadline"] == ["该时间已过去。"]
    page = response.content.decode()
    assert 'id="form-errors"' in page and page.count('class="form-row field-error"') >= 6
    assert not ServiceRequest.objects.exists()


# --- picking the caller -----------------------------------------------------------------------------------

def test_the_picked_caller_comes_as_a_fragment_with_their_details(world, login):
    agent = login(world.users["agent_a"])
    owner = world.residents["a_owner"]
    url = reverse("servicedesk:intake_caller", args=[owner.pk])
    response = agent.get(url, {"project": world.project_a.pk}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="caller-card"' in page and "<html" not in page
    caller = json.loads(page.split('id="caller-data" type="application/json">')[1].split("</script>")[0])
    assert caller == {"reporter_id": owner.pk, "contact_name": "周美玲", "contact_phone": "138****5678",
                      "room_code": "3-2-1802"}
    assert "hx-swap-oob" not in page  # same project: the form's choices stay as they are
    other = login(world.users["agent_b"])
    assert other.get(url).status_code == 404


def test_a_caller_of_another_project_brings_that_projects_choices(world, login):
    admin = login(world.users["admin"])
    resident = world.residents["b_owner"]
    page = admin.get(reverse("servicedesk:intake_caller", args=[resident.pk]),
                     {"project": world.project_a.pk}).content.decode()
    assert 'id="intake-project" hx-swap-oob="true"' in page and f'value="{world.project_b.pk}"' in page
    assert 'id="row-dispatch" hx-swap-oob="true"' in page and "金桂苑" in page


# --- in the browser ---------------------------------------------------------------------------------------

def _sign_in(page, live_server, username):
    from propdesk.core.testing import PASSWORD

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
@requires_chromium
@pytest.mark.django_db(transaction=True)
def test_picking_the_caller_keeps_what_the_agent_typed(live_server, world):
    with browser_page(viewport={"width": 1366, "height": 900}) as page:
        _sign_in(page, live_server, "agent_a")
        page.goto(f"{live_server.url}/desk/intake/")
        page.evaluate("window.samePage = true")  # gone if the page reloads
        page.check("input[name=kind][value=complaint]")
        page.fill("#id_description", "楼上装修每天早上七点就开始电钻，已经持续一周")
        page.fill("#id_resident_request", "请物业出面协调，九点前不要施工")
        page.select_option("#id_emotion", "angry")
        page.fill("#caller-search", "5678")
        page.locator("a.resident-hit", has_text="周美玲").click()
        page.wait_for_selector("#caller-card")
        # A locator, not wait_for_function("…"): evaluating a string is eval, which the page's CSP refuses.
        from playwright.sync_api import expect

        expect(page.locator("#id_contact_name")).to_have_value("周美玲")
        assert page.evaluate("window.samePage") is True
        assert page.input_value("#id_description") == "楼上装修每天早上七点就开始电钻，已经持续一周"
        assert page.input_value("#id_resident_request") == "请物业出面协调，九点前不要施工"
        assert page.input_value("#id_emotion") == "angry"
        assert page.is_checked("input[name=kind][value=complaint]")
        assert page.input_value("#id_contact_phone") == "138****5678"
        assert page.input_value("#id_room_code") == "3-2-1802"
        assert page.input_value("#id_reporter_id") == str(world.residents["a_owner"].pk)
        page.select_option("#id_complaint_category", "property")
        page.select_option("#id_severity", "minor")
        page.click("#record-button")
        page.wait_for_selector("#request-title")
    sr = ServiceRequest.objects.get()
    assert sr.reporter == world.residents["a_owner"] and sr.room.code == "3-2-1802"
    assert sr.description == "楼上装修每天早上七点就开始电钻，已经持续一周" and sr.emotion == "angry"


@pytest.mark.browser
@requires_chromium
@pytest.mark.django_db(transaction=True)
def test_a_caller_of_another_project_switches_the_form_without_a_reload(live_server, world):
    with browser_page(viewport={"width": 1366, "height": 900}) as page:
        _sign_in(page, live_server, "admin")
        page.goto(f"{live_server.url}/desk/intake/")
        page.evaluate("window.samePage = true")
        page.fill("#id_description", "地库B2出口的道闸坏了，抬不起来")
        page.fill("#caller-search", "郑海燕")
        page.locator("a.resident-hit", has_text="郑海燕").click()
        # A locator, not wait_for_function("…"): evaluating a string is eval, which the page's CSP refuses.
        from playwright.sync_api import expect

        expect(page.locator("#id_contact_name")).to_have_value("郑海燕")
        assert page.evaluate("window.samePage") is True
        assert page.inner_text("#intake-project-name") == "金桂苑"
        assert page.input_value("#intake-project") == str(world.project_b.pk)
        departments_offered = page.inner_text("#id_complained_department_id")
        assert "金桂苑工程部" in departments_offered and "翠湖花园" not in departments_offered
        assert "翠湖花园" not in page.inner_text("#id_dispatch")  # 金桂苑 has no field staff: record only
        assert page.input_value("#id_description") == "地库B2出口的道闸坏了，抬不起来"


def test_when_it_happened_cannot_be_tomorrow(world, login):
    """The 5W1H 'when' is in the past; the page opens that section with the message on the field (pinned day
    2026-11-23 10:00 Beijing)."""
    agent = login(world.users["agent_a"])
    response = agent.post(reverse(INTAKE), form_data(agent, world, occurred_at="2026-11-24 08:00"))
    assert response.context["form"].errors["occurred_at"] == ["发生时间不能晚于现在。"]
    assert not ServiceRequest.objects.exists()
    assert agent.post(reverse(INTAKE), form_data(agent, world, occurred_at="2026-11-23 07:30")).status_code == 302


def test_an_appointment_in_year_9999_is_a_field_error(world, login):
    agent = login(world.users["agent_a"])
    response = agent.post(reverse(INTAKE), form_data(agent, world, appointment_at="9999-12-31 10:00"))
    assert response.status_code == 200
    assert "一年" in response.context["form"].errors["appointment_at"][0]
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("project", ["-1", "abc", "99999999999999999999"])
def test_a_project_that_is_not_one_of_the_agents_is_a_404_not_their_first_project(world, login, project):
    agent = login(world.users["agent_a"])
    data = {k: v for k, v in form_data(agent, world).items() if k != "reporter_id"}
    response = agent.post(reverse(INTAKE), {**data, "project": project})
    assert response.status_code == 404
    assert not ServiceRequest.objects.exists()
