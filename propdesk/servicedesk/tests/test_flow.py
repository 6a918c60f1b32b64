"""A repair from the phone call to the closed request, through the pages, as the agent and the technician do it."""

from django.urls import reverse

from propdesk.notify.models import Notification, OutboxMessage
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent

SIGNATURE = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
             "awAAAABJRU5ErkJggg==")


def record(client, world, **extra):
    owner = world.residents["a_owner"]
    page = client.get(reverse("servicedesk:intake"), {"resident": owner.pk})
    assert page.status_code == 200
    token = page.context["form"].initial["form_token"]
    data = {"form_token": token, "reporter_id": owner.pk, "kind": "repair", "channel": "phone",
            "contact_name": owner.name, "contact_phone": "138****5678", "room_code": "3-2-1802",
            "description": "厨房水龙头漏水，滴个不停", "emotion": "calm", "resident_request": "今天下午来修",
            **extra}
    return client.post(reverse("servicedesk:intake"), data), data


def test_repair_from_call_to_closed(world, login):
    agent = login(world.users["agent_a"])
    response, _data = record(agent, world, dispatch=f"user:{world.users['technician_a'].pk}")
    sr = ServiceRequest.objects.get()
    assert response.url == reverse("servicedesk:request_detail", args=[sr.pk])
    assert sr.contact_phone == "13812345678" and sr.room.code == "3-2-1802" and sr.resolve_by is not None
    wo = sr.work_orders.get()
    assert wo.status == "dispatched" and wo.assignee == world.users["technician_a"]
    assert Notification.objects.filter(recipient=world.users["technician_a"]).exists()
    assert OutboxMessage.objects.filter(channel="sms", to="13812345678").exists()  # "recorded" to the resident

    tech = login(world.users["technician_a"])
    detail = tech.get(reverse("servicedesk:workorder_detail", args=[wo.pk])).content.decode()
    assert 'data-action="accept"' in detail and 'data-action="dispatch"' not in detail
    for action in ("accept", "arrive"):
        tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, action]))
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "complete"]),
              {"result": "更换阀芯，测试不再漏水", "signature": SIGNATURE})
    wo.refresh_from_db()
    assert wo.status == "completed" and wo.confirmation_method == "signature"
    sr.refresh_from_db()
    assert sr.status == "resolved"

    agent = login(world.users["agent_a"])
    agent.post(reverse("servicedesk:reply", args=[sr.pk]), {"text": "已维修完毕，欢迎回访"})
    sr.refresh_from_db()
    assert sr.status == "closed" and sr.closed_at is not None
    actions = list(TimelineEvent.objects.filter(request=sr).values_list("action", flat=True))
    for expected in ("create", "dispatch", "accept", "arrive", "complete", "closed"):
        assert expected in actions


def test_double_submitted_form_records_one_request(world, login):
    agent = login(world.users["agent_a"])
    _response, data = record(agent, world)
    agent.post(reverse("servicedesk:intake"), data)
    assert ServiceRequest.objects.count() == 1


def test_an_action_the_table_refuses_changes_nothing(world, login):
    agent = login(world.users["agent_a"])
    record(agent, world, dispatch=f"user:{world.users['technician_a'].pk}")
    wo = ServiceRequest.objects.get().work_orders.get()
    response = agent.post(reverse("servicedesk:workorder_action", args=[wo.pk, "complete"]), {"result": "x"},
                          follow=True)
    wo.refresh_from_db()
    assert wo.status == "dispatched"
    assert any("不能" in str(m) or "not" in str(m) for m in response.context["messages"])


def test_technician_cannot_complete_without_the_residents_confirmation(world, login):
    agent = login(world.users["agent_a"])
    record(agent, world, dispatch=f"user:{world.users['technician_a'].pk}")
    wo = ServiceRequest.objects.get().work_orders.get()
    tech = login(world.users["technician_a"])
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "accept"]))
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "complete"]), {"result": "修好了"})
    wo.refresh_from_db()
    assert wo.status == "accepted"


def test_complaint_needs_category_and_severity_at_the_field(world, login):
    agent = login(world.users["agent_a"])
    response, _ = record(agent, world, kind="complaint")
    form = response.context["form"]
    assert "complaint_category" in form.errors and "severity" in form.errors
    assert not ServiceRequest.objects.exists()


def test_intake_refuses_a_photo_that_is_not_an_image(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    agent = login(world.users["agent_a"])
    response, _ = record(agent, world, photos=SimpleUploadedFile("leak.jpg", b"not an image", "image/jpeg"))
    assert "photos" in response.context["form"].errors
    assert not ServiceRequest.objects.exists()


def test_important_complaint_reaches_the_project_manager_at_intake(world, login):
    agent = login(world.users["agent_a"])
    record(agent, world, kind="complaint", complaint_category="property", severity="important",
           description="保安态度恶劣")
    sr = ServiceRequest.objects.get()
    assert Notification.objects.filter(recipient=world.users["pm_a"], kind="complaint_intake").exists()
    assert sr.next_escalation_at is not None


def test_other_project_cannot_see_the_request(world, login):
    agent = login(world.users["agent_a"])
    record(agent, world)
    sr = ServiceRequest.objects.get()
    other = login(world.users["agent_b"])
    assert other.get(reverse("servicedesk:request_detail", args=[sr.pk])).status_code == 404


def test_request_page_shows_system_entries_of_the_timeline(world, login):
    agent = login(world.users["agent_a"])
    record(agent, world, kind="complaint", complaint_category="property", severity="major", description="小区停水一天")
    sr = ServiceRequest.objects.get()
    assert TimelineEvent.objects.filter(request=sr, actor__isnull=True).exists()  # intake escalation by the system
    page = agent.get(reverse("servicedesk:request_detail", args=[sr.pk]))
    assert page.status_code == 200 and "小区停水一天" in page.content.decode()


def test_a_signature_that_is_not_a_picture_is_refused(world, login):
    agent = login(world.users["agent_a"])
    record(agent, world, dispatch=f"user:{world.users['technician_a'].pk}")
    wo = ServiceRequest.objects.get().work_orders.get()
    tech = login(world.users["technician_a"])
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "accept"]))
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "complete"]),
              {"result": "修好了", "signature": "data:image/png;base64,Z2FyYmFnZQ=="})
    wo.refresh_from_db()
    assert wo.status == "accepted" and wo.signature == ""


def test_only_the_assignee_or_a_dispatcher_sends_a_code_and_only_while_working(world, login):
    agent = login(world.users["agent_a"])
    record(agent, world, dispatch=f"user:{world.users['technician_a'].pk}")
    wo = ServiceRequest.objects.get().work_orders.get()
    agent.post(reverse("servicedesk:send_code", args=[wo.pk]))  # dispatched, not accepted: nothing to confirm yet
    assert not OutboxMessage.objects.filter(dedupe_key__startswith=f"code:{wo.pk}:").exists()
    tech = login(world.users["technician_a"])
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "accept"]))
    steward = login(world.users["steward_a"])
    steward.post(reverse("servicedesk:send_code", args=[wo.pk]))
    assert not OutboxMessage.objects.filter(dedupe_key__startswith=f"code:{wo.pk}:").exists()
    tech = login(world.users["technician_a"])
    tech.post(reverse("servicedesk:send_code", args=[wo.pk]))
    assert OutboxMessage.objects.filter(dedupe_key__startswith=f"code:{wo.pk}:", to="13812345678").count() == 1


def test_a_resident_cannot_open_the_work_order_page(world, login):
    agent = login(world.users["agent_a"])
    record(agent, world, dispatch=f"user:{world.users['technician_a'].pk}")
    sr = ServiceRequest.objects.get()
    resident = login(world.users["resident_a"])
    own = resident.get(reverse("servicedesk:request_detail", args=[sr.pk]))  # followed in the portal
    assert own.url == reverse("portal:request_detail", args=[sr.pk]) and resident.get(own.url).status_code == 200
    assert resident.get(reverse("servicedesk:workorder_detail", args=[sr.work_orders.get().pk])).status_code == 404


def test_dispatch_rules_send_repairs_by_building(world, login):
    from propdesk.org.models import Department
    from propdesk.servicedesk.models import DispatchRule

    engineering = Department.objects.get(project=world.project_a, kind="engineering")
    DispatchRule.objects.create(project=world.project_a, order=1, kind="repair", buildings="1-4",
                                department=engineering, assignee=world.users["technician_a"])
    DispatchRule.objects.create(project=world.project_a, order=2, kind="repair", buildings="",
                                department=engineering)
    agent = login(world.users["agent_a"])
    page = agent.get(reverse("servicedesk:intake"))
    assert page.context["form"].fields["dispatch"].initial == "auto"
    record(agent, world, dispatch="auto")  # room 3-2-1802: building 3 → the technician
    record(agent, world, dispatch="auto", room_code="5-1-301", description="楼道灯不亮")  # building 5 → the pool
    first, second = ServiceRequest.objects.order_by("id")
    assert first.work_orders.get().assignee == world.users["technician_a"]
    assert second.work_orders.get().status == "pooled"


def test_the_urgent_box_is_the_agents_word(world, login):
    agent = login(world.users["agent_a"])
    record(agent, world, description="厨房水管爆裂，水漫到客厅", urgent="on")
    record(agent, world, description="楼上漏水的痕迹已经干了，想请师傅看看")  # the word, but not an emergency
    urgent, calm = ServiceRequest.objects.order_by("id")
    assert urgent.urgent and not calm.urgent
    assert urgent.work_orders.count() == 0 and (urgent.resolve_by - urgent.received_at).total_seconds() == 24 * 3600


def _png(name="done.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def test_technician_completes_with_photos_of_the_work(world, login):
    agent = login(world.users["agent_a"])
    record(agent, world, dispatch=f"user:{world.users['technician_a'].pk}")
    wo = ServiceRequest.objects.get().work_orders.get()
    tech = login(world.users["technician_a"])
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "accept"]))
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "complete"]),
              {"result": "更换阀芯", "signature": SIGNATURE, "photos": [_png("a.png"), _png("b.png")]})
    wo.refresh_from_db()
    assert wo.status == "completed" and wo.attachments.count() == 2
    page = tech.get(reverse("servicedesk:workorder_detail", args=[wo.pk])).content.decode()
    assert page.count('class="wo-photo"') == 2


def test_a_refused_completion_keeps_no_photos(world, login):
    agent = login(world.users["agent_a"])
    record(agent, world, dispatch=f"user:{world.users['technician_a'].pk}")
    wo = ServiceRequest.objects.get().work_orders.get()
    tech = login(world.users["technician_a"])
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "accept"]))
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "complete"]),
              {"result": "更换阀芯", "photos": [_png()]})  # no confirmation: refused
    wo.refresh_from_db()
    assert wo.status == "accepted" and wo.attachments.count() == 0
