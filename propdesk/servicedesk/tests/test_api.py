"""The service-desk API from the outside: record-and-dispatch, the work-order flow, idempotency, scope, masking,
JSON errors and query counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from propdesk.core.testing import assert_json_error
from propdesk.notify.models import OutboxMessage
from propdesk.org.models import Department
from propdesk.servicedesk.models import Attachment, IdempotencyKey, ServiceRequest, TimelineEvent, WorkOrder
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create
from propdesk.staff.models import ApiToken

JSON = "application/json"
FULL = "13812345678"
MASKED = "138****5678"
REQUESTS = "/api/desk/requests"
ORDERS = "/api/desk/work-orders"
SIGNATURE = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
             "awAAAABJRU5ErkJggg==")


def fields_of(response, status=400) -> set[str]:
    return set(assert_json_error(response, status)["extra"]["fields"])


def engineering(project) -> Department:
    return Department.objects.get(project=project, kind="engineering")


def repair(world, **overrides) -> dict:
    """What a call-center integration sends for 周美玲's leaking tap."""
    return {"project_id": world.project_a.pk, "channel": "phone", "kind": "repair",
            "reporter_id": world.residents["a_owner"].pk, "room_code": "3-2-1802",
            "description": "厨房水龙头漏水，滴个不停", "resident_request": "今天下午来修", **overrides}


def to_technician(world) -> dict:
    return {"department_id": engineering(world.project_a).pk, "assignee_id": world.users["technician_a"].pk}


def bearer(user) -> Client:
    _token, raw = ApiToken.issue(user=user, name="移动端")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, url, data=None, **kwargs):
    return client.post(url, data if data is not None else {}, content_type=JSON, **kwargs)


def act(client, work_order_id, action, **data):
    return post(client, f"{ORDERS}/{work_order_id}/actions/{action}", data)


def recorded(world, actor="agent_a", *, dispatch: bool = True, **overrides) -> ServiceRequest:
    """A request recorded through the services (the arrangement, not what is under test)."""
    values = {"channel": "phone", "kind": "repair", "description": "卫生间地漏堵塞",
              "reporter_id": world.residents["a_owner"].pk,
              "room_id": world.room(world.project_a, "3-2-1802").pk, **overrides}
    sr = request_submit(actor=world.users[actor], project=world.project_a, data=RequestInput(**values))
    if dispatch:
        wo = workorder_create(request=sr, department=engineering(world.project_a), actor=world.users["agent_a"])
        workorder_act(work_order=wo, actor=world.users["agent_a"], action="dispatch",
                      assignee_id=world.users["technician_a"].pk)
    return sr


# --- record and dispatch ----------------------------------------------------------------------------------

def test_submit_records_a_request_and_answers_its_detail(world, login):
    response = post(login(world.users["agent_a"]), REQUESTS, repair(world))
    assert response.status_code == 201, response.content
    body = response.json()
    sr = ServiceRequest.objects.get()
    assert body["id"] == sr.pk and body["number"] == sr.number and body["status"] == "open"
    assert (sr.room.code, sr.reporter, sr.contact_phone) == ("3-2-1802", world.residents["a_owner"], FULL)
    assert body["contact_phone"] == MASKED and body["contact_name"] == "周美玲" and body["location"] == "3-2-1802"
    assert body["resolve_by"] is not None and body["work_orders"] == []
    assert [e["kind"] for e in body["timeline"]] == ["created"]
    assert OutboxMessage.objects.filter(channel="sms", to=FULL).exists()  # "recorded" texted to the resident


def test_the_same_idempotency_key_records_one_request(world, login):
    client = login(world.users["agent_a"])
    payload = repair(world, dispatch=to_technician(world))
    first = post(client, REQUESTS, payload, headers={"Idempotency-Key": "call-20260301-0001"})
    again = post(client, REQUESTS, payload, headers={"Idempotency-Key": "call-20260301-0001"})
    assert (first.status_code, again.status_code) == (201, 200), again.content
    assert first.json()["id"] == again.json()["id"]
    assert ServiceRequest.objects.count() == 1 and WorkOrder.objects.count() == 1
    assert TimelineEvent.objects.filter(kind="created").count() == 1
    other = post(client, REQUESTS, payload, headers={"Idempotency-Key": "call-20260301-0002"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert ServiceRequest.objects.count() == 2


def test_without_a_key_every_submission_is_a_request(world, login):
    client = login(world.users["agent_a"])
    assert post(client, REQUESTS, repair(world)).status_code == 201
    assert post(client, REQUESTS, repair(world)).status_code == 201
    assert ServiceRequest.objects.count() == 2 and not IdempotencyKey.objects.exists()


def test_full_repair_through_the_api(world, login):
    agent = bearer(world.users["agent_a"])
    body = post(agent, REQUESTS, repair(world, dispatch=to_technician(world))).json()
    (order,) = body["work_orders"]
    assert order["status"] == "dispatched" and order["assignee_name"] == "刘师傅"
    assert "accept" not in {a["action"] for a in order["actions"]}  # the agent may reassign or cancel, not accept
    assert {"reassign", "cancel"} <= {a["action"] for a in order["actions"]}

    tech = bearer(world.users["technician_a"])
    detail = tech.get(f"{ORDERS}/{order['id']}").json()
    assert [a["action"] for a in detail["actions"]][:1] == ["accept"]
    assert detail["contact_phone"] == MASKED
    for action in ("accept", "arrive"):
        response = act(tech, order["id"], action)
        assert response.status_code == 200, response.content
    done = act(tech, order["id"], "complete", result="更换阀芯，测试不再漏水", materials="阀芯×1", signature=SIGNATURE)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed" and done.json()["confirmation_method"] == "signature"
    assert agent.get(f"{REQUESTS}/{body['id']}").json()["status"] == "resolved"

    replied = post(agent, f"{REQUESTS}/{body['id']}/reply", {"text": "已维修完毕，欢迎回访"})
    assert replied.status_code == 200, replied.content
    closed = replied.json()
    assert closed["status"] == "closed" and closed["reply"] == "已维修完毕，欢迎回访"
    actions = [e["action"] for e in closed["timeline"]]
    for expected in ("create", "dispatch", "accept", "arrive", "complete", "closed"):
        assert expected in actions
    assert ServiceRequest.objects.get().closed_at is not None


def test_pooled_order_is_grabbed_by_a_department_member(world, login):
    agent = login(world.users["agent_a"])
    dispatch = {"department_id": engineering(world.project_a).pk, "assignee_id": None}
    order = post(agent, REQUESTS, repair(world, dispatch=dispatch)).json()["work_orders"][0]
    assert order["status"] == "pooled" and order["assignee_id"] is None
    tech = bearer(world.users["technician_a"])
    pool = tech.get(ORDERS, {"pool": "true"}).json()
    assert [o["id"] for o in pool["items"]] == [order["id"]]
    assert [a["action"] for a in pool["items"][0]["actions"]] == ["grab"]
    grabbed = act(tech, order["id"], "grab").json()
    assert grabbed["status"] == "accepted" and grabbed["assignee_id"] == world.users["technician_a"].pk
    assert tech.get(ORDERS, {"pool": "true"}).json()["count"] == 0
    assert [o["id"] for o in tech.get(ORDERS, {"assignee": "me"}).json()["items"]] == [order["id"]]


def test_confirmation_by_one_time_code(world, monkeypatch):
    monkeypatch.setattr("propdesk.servicedesk.services.codes.secrets.randbelow", lambda _n: 246810)
    order = recorded(world).work_orders.get()
    tech = bearer(world.users["technician_a"])
    act(tech, order.pk, "accept")
    sent = post(tech, f"{ORDERS}/{order.pk}/send-code")
    assert sent.status_code == 200, sent.content
    assert OutboxMessage.objects.filter(channel="sms", to=FULL, body__contains="246810").exists()
    assert "246810" not in sent.content.decode()
    wrong = act(tech, order.pk, "complete", result="疏通完毕", confirmation_code="000000")
    assert fields_of(wrong) == {"confirmation_code"}
    right = act(tech, order.pk, "complete", result="疏通完毕", confirmation_code="246810")
    assert right.json()["status"] == "completed" and right.json()["confirmation_method"] == "code"


def test_add_a_work_order_needs_dispatch_and_a_department_of_the_project(world, login):
    sr = recorded(world, dispatch=False)
    url = f"{REQUESTS}/{sr.pk}/work-orders"
    assert_json_error(post(bearer(world.users["technician_a"]), url, {"department_id": 1}), 403)
    agent = login(world.users["agent_a"])
    foreign = engineering(world.project_b).pk
    assert fields_of(post(agent, url, {"department_id": foreign})) == {"department_id"}
    created = post(agent, url, {"department_id": engineering(world.project_a).pk, "instructions": "带疏通机"})
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending" and created.json()["instructions"] == "带疏通机"
    assert "dispatch" in {a["action"] for a in created.json()["actions"]}


def test_dispatch_to_someone_outside_the_department_writes_nothing(world, login):
    client = login(world.users["agent_a"])
    wrong_person = {**to_technician(world), "assignee_id": world.users["agent_a"].pk}
    assert fields_of(post(client, REQUESTS, repair(world, dispatch=wrong_person))) == {"dispatch.assignee_id"}
    wrong_department = {"department_id": engineering(world.project_b).pk, "assignee_id": None}
    assert fields_of(post(client, REQUESTS, repair(world, dispatch=wrong_department))) == {"dispatch.department_id"}
    assert not ServiceRequest.objects.exists() and not WorkOrder.objects.exists()


def test_record_and_dispatch_needs_the_dispatch_capability(world):
    tech = bearer(world.users["technician_a"])
    assert_json_error(post(tech, REQUESTS, repair(world, channel="patrol", dispatch=to_technician(world))), 403)
    assert not ServiceRequest.objects.exists()


def test_technician_records_a_patrol_finding_and_sees_it(world):
    tech = bearer(world.users["technician_a"])
    response = post(tech, REQUESTS, repair(world, channel="patrol", reporter_id=None, room_code="",
                                           location_note="3号楼地下车库B区", description="消防管道滴水"))
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "patrol"


# --- refused actions --------------------------------------------------------------------------------------

def test_an_action_the_table_refuses_is_409_and_changes_nothing(world, login):
    order = recorded(world).work_orders.get()
    events = TimelineEvent.objects.count()
    agent = login(world.users["agent_a"])
    out_of_state = act(agent, order.pk, "complete", result="修好了", signature=SIGNATURE)
    assert assert_json_error(out_of_state, 409)["extra"]["code"] == "not_allowed_in_state"
    not_the_assignee = act(agent, order.pk, "accept")
    assert assert_json_error(not_the_assignee, 403)["extra"]["code"] == "not_permitted"
    not_yet = act(bearer(world.users["technician_a"]), order.pk, "arrive")  # must accept first
    assert assert_json_error(not_yet, 409)["extra"]["code"] == "not_allowed_in_state"
    no_reason = act(agent, order.pk, "cancel")
    no_reason_body = assert_json_error(no_reason, 400)
    assert no_reason_body["extra"]["code"] == "reason_required" and "reason" in no_reason_body["extra"]["fields"]
    order.refresh_from_db()
    assert (order.status, order.completed_at, order.result) == ("dispatched", None, "")
    assert TimelineEvent.objects.count() == events


def test_an_action_without_a_body_is_fine(world):
    order = recorded(world).work_orders.get()
    response = bearer(world.users["technician_a"]).post(f"{ORDERS}/{order.pk}/actions/accept", "", content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"


def test_unknown_action_and_bad_fields_are_4xx(world, login):
    order = recorded(world).work_orders.get()
    tech = login(world.users["technician_a"])
    assert_json_error(act(tech, order.pk, "teleport"), 422)
    act(tech, order.pk, "accept")
    assert fields_of(act(tech, order.pk, "hold", reason="等配件", hold_reason="weather"), 422) == {"hold_reason"}
    assert fields_of(act(tech, order.pk, "complete", result="", signature=SIGNATURE)) == {"result"}
    assert fields_of(act(tech, order.pk, "complete", result="好了", signature="data:text/plain,hi")) == {"signature"}
    order.refresh_from_db()
    assert order.status == "accepted"


# --- scope ------------------------------------------------------------------------------------------------

def test_project_b_agent_gets_404_for_project_a(world):
    sr = recorded(world)
    order = sr.work_orders.get()
    other = bearer(world.users["agent_b"])
    for url in (f"{REQUESTS}/{sr.pk}", f"{ORDERS}/{order.pk}"):
        assert_json_error(other.get(url), 404)
    for url, data in ((f"{REQUESTS}/{sr.pk}/reply", {"text": "好"}), (f"{REQUESTS}/{sr.pk}/comment", {"text": "好"}),
                      (f"{REQUESTS}/{sr.pk}/work-orders", {"department_id": engineering(world.project_b).pk}),
                      (f"{ORDERS}/{order.pk}/actions/cancel", {"reason": "重复"}),
                      (f"{ORDERS}/{order.pk}/send-code", {})):
        assert_json_error(post(other, url, data), 404)
    assert other.get(REQUESTS).json()["count"] == 0 and other.get(ORDERS).json()["count"] == 0
    order.refresh_from_db()
    assert order.status == "dispatched" and sr.events.filter(kind="comment").count() == 0


@pytest.mark.parametrize("project", ["missing", "b"])
def test_project_outside_scope_is_a_field_error(world, login, project):
    project_id = world.project_b.pk if project == "b" else 987654
    response = post(login(world.users["agent_a"]), REQUESTS, repair(world, project_id=project_id))
    assert fields_of(response) == {"project_id"}
    assert not ServiceRequest.objects.exists()


def test_the_desk_api_is_the_staffs_a_resident_is_sent_to_the_portal(world, login):
    """Deadlines, escalations, internal notes and the mood judged at intake are the staff's: a resident reading
    their own request through the desk API gets a 403 pointing to /api/portal/, which tells them in plain words."""
    own = recorded(world, emotion="angry")
    agent = bearer(world.users["agent_a"])
    post(agent, f"{REQUESTS}/{own.pk}/comment", {"text": "业主脾气急，注意沟通", "internal": True})
    resident = login(world.users["resident_a"])
    for url in (REQUESTS, f"{REQUESTS}/{own.pk}"):
        body = assert_json_error(resident.get(url), 403)
        assert "/api/portal/" in body["message"] and "业主脾气急" not in str(body)
    portal = resident.get(f"/api/portal/requests/{own.pk}")
    assert portal.status_code == 200 and "业主脾气急" not in portal.content.decode()
    assert agent.get(f"{REQUESTS}/{own.pk}").json()["emotion"] == "angry"


def test_resident_may_not_write_or_read_the_queues(world, login):
    sr = recorded(world)
    order = sr.work_orders.get()
    resident = login(world.users["resident_a"])
    assert_json_error(post(resident, REQUESTS, repair(world)), 403)
    assert_json_error(post(resident, f"{REQUESTS}/{sr.pk}/comment", {"text": "快点"}), 403)
    assert_json_error(post(resident, f"{REQUESTS}/{sr.pk}/reply", {"text": "好"}), 403)
    assert_json_error(act(resident, order.pk, "accept"), 403)
    assert_json_error(resident.get(ORDERS), 403)
    assert_json_error(resident.get(f"{ORDERS}/{order.pk}"), 403)


def test_unauthenticated_is_401(world):
    client = Client()
    assert_json_error(client.get(REQUESTS), 401)
    assert_json_error(post(client, REQUESTS, repair(world)), 401)
    assert not ServiceRequest.objects.exists()


# --- the full number never leaves ---------------------------------------------------------------------------

def test_full_phone_never_appears_in_a_response(world, login):
    agent = login(world.users["agent_a"])
    created = post(agent, REQUESTS, repair(world, contact_phone=FULL, dispatch=to_technician(world)))
    sr_id, wo_id = created.json()["id"], created.json()["work_orders"][0]["id"]
    responses = [created, post(agent, REQUESTS, repair(world, contact_phone=MASKED))]  # masked → archive number
    for url in (REQUESTS, f"{REQUESTS}?q=3-2-1802", f"{REQUESTS}/{sr_id}", ORDERS, f"{ORDERS}/{wo_id}"):
        responses.append(agent.get(url))
    tech = login(world.users["technician_a"])
    responses += [act(tech, wo_id, "accept"), post(tech, f"{ORDERS}/{wo_id}/send-code"), tech.get("/api/inbox")]
    resident = login(world.users["resident_a"])
    responses += [resident.get("/api/portal/requests"), resident.get(f"/api/portal/requests/{sr_id}"),
                  resident.get("/api/inbox")]
    for response in responses:
        assert response.status_code in (200, 201), response.content
        assert FULL.encode() not in response.content
    assert MASKED.encode() in responses[0].content
    assert set(ServiceRequest.objects.values_list("contact_phone", flat=True)) == {FULL}


# --- bad input --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", ["{channel: phone", "", "[1, 2]", "null", "周美玲", '{"project_id": 1'])
def test_malformed_bodies_are_4xx_json(world, login, payload):
    client = login(world.users["agent_a"])
    for url in (REQUESTS, f"{REQUESTS}/{recorded(world).pk}/reply"):
        response = client.post(url, payload, content_type=JSON)
        assert 400 <= response.status_code < 500, (url, response.content)
        assert_json_error(response, response.status_code)
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize("overrides", [
    {"project_id": "A栋"},
    {"channel": "fax"},
    {"kind": ["repair"]},
    {"urgent": "maybe"},
    {"resident_deadline": "下周一"},
    {"reporter_id": {"id": 1}},
    {"dispatch": "工程部"},
    {"dispatch": {"assignee_id": 3}},
    {"severity": "deadly"},
    {"description": None},
])
def test_wrong_types_are_422_with_fields(world, login, overrides):
    response = post(login(world.users["agent_a"]), REQUESTS, repair(world, **overrides))
    fields = assert_json_error(response, 422)["extra"]["fields"]
    assert {name.split(".")[0] for name in fields} == set(overrides), fields
    assert not ServiceRequest.objects.exists()


def test_form_encoded_and_wrongly_typed_action_bodies_are_4xx(world, login):
    order = recorded(world).work_orders.get()
    client = login(world.users["technician_a"])
    form_encoded = client.post(REQUESTS, {"description": "漏水"})
    assert_json_error(form_encoded, form_encoded.status_code)
    assert 400 <= form_encoded.status_code < 500
    assert_json_error(act(client, order.pk, "accept", reason=["a"]), 422)
    assert_json_error(client.get(ORDERS, {"assignee": "someone"}), 422)
    assert_json_error(client.get(REQUESTS, {"status": "lost"}), 422)


def test_unknown_room_is_a_field_error(world, login):
    client = login(world.users["agent_a"])
    assert fields_of(post(client, REQUESTS, repair(world, room_code="9-9-909"))) == {"room_code"}
    assert fields_of(post(client, REQUESTS, repair(world, room_code="", room_id=987654))) == {"room_id"}
    room_b = world.room(world.project_b, "3-1-101").pk
    assert fields_of(post(client, REQUESTS, repair(world, room_code="", room_id=room_b))) == {"room_id"}
    assert not ServiceRequest.objects.exists()


def test_deadline_in_the_past_is_a_field_error(world, login):
    client = login(world.users["agent_a"])
    past = timezone.now() - timezone.timedelta(hours=2)
    assert fields_of(post(client, REQUESTS, repair(world, resident_deadline=past.isoformat()))) == {
        "resident_deadline"}
    naive = timezone.localtime(past).replace(tzinfo=None).isoformat()  # no offset: local time, as in the form
    assert fields_of(post(client, REQUESTS, repair(world, appointment_at=naive))) == {"appointment_at"}
    assert not ServiceRequest.objects.exists()
    future = (timezone.now() + timezone.timedelta(days=1)).replace(tzinfo=None).isoformat()
    response = post(client, REQUESTS, repair(world, resident_deadline=future))
    assert response.status_code == 201, response.content


def test_complaint_needs_category_severity_and_then_validity(world, login):
    client = login(world.users["agent_a"])
    complaint = repair(world, kind="complaint", description="保安态度恶劣", room_code="",
                       location_note="东门岗亭")
    assert fields_of(post(client, REQUESTS, complaint)) == {"complaint_category", "severity"}
    created = post(client, REQUESTS, {**complaint, "complaint_category": "property", "severity": "minor"}).json()
    reply_url = f"{REQUESTS}/{created['id']}/reply"
    assert fields_of(post(client, reply_url, {"text": "已批评教育"})) == {"complaint_valid"}
    closed = post(client, reply_url, {"text": "已批评教育", "complaint_valid": True, "root_cause": "培训不到位"})
    assert closed.json()["status"] == "closed" and closed.json()["complaint_valid"] is True


def test_important_complaint_is_acknowledged_by_the_project_manager(world, login):
    sr = recorded(world, dispatch=False, kind="complaint", complaint_category="service", severity="important",
                  description="客服电话无人接听")
    url = f"{REQUESTS}/{sr.pk}/acknowledge"
    assert_json_error(post(bearer(world.users["agent_a"]), url), 403)
    acknowledged = post(bearer(world.users["pm_a"]), url)
    assert acknowledged.status_code == 200, acknowledged.content
    assert acknowledged.json()["acknowledged_at"] is not None
    sr.refresh_from_db()
    # The acknowledgement clock stops; the request is still watched at its deadline until something is dispatched.
    assert sr.acknowledged_at is not None and sr.next_escalation_at == sr.resolve_by
    plain = recorded(world, dispatch=False)
    assert_json_error(post(bearer(world.users["pm_a"]), f"{REQUESTS}/{plain.pk}/acknowledge"), 409)


def test_photos_must_be_images(world, login, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    sr = recorded(world)
    client = login(world.users["technician_a"])
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(png, "PNG")
    url = f"{REQUESTS}/{sr.pk}/photos"
    order_id = sr.work_orders.get().pk
    added = client.post(url, {"files": [SimpleUploadedFile("leak.png", png.getvalue(), "image/png")],
                              "work_order_id": order_id})
    assert added.status_code == 201, added.content
    assert [p["work_order_id"] for p in added.json()] == [order_id]
    refused = client.post(url, {"files": [SimpleUploadedFile("leak.jpg", b"not an image", "image/jpeg")]})
    assert fields_of(refused) == {"files"}
    assert Attachment.objects.count() == 1
    assert [a["content_type"] for a in client.get(f"{REQUESTS}/{sr.pk}").json()["attachments"]] == ["image/png"]


# --- lists ------------------------------------------------------------------------------------------------

def test_request_filters(world, login):
    repair_ = recorded(world)
    inquiry = recorded(world, dispatch=False, kind="inquiry", channel="wechat", description="物业费怎么交")
    client = login(world.users["agent_a"])

    def ids(**params):
        return {r["id"] for r in client.get(REQUESTS, params).json()["items"]}

    assert ids() == {repair_.pk, inquiry.pk}
    assert ids(kind="inquiry") == ids(channel="wechat") == ids(q="物业费") == {inquiry.pk}
    assert ids(status="in_progress") == {repair_.pk}
    assert ids(project=world.project_b.pk) == set()
    post(client, f"{REQUESTS}/{inquiry.pk}/reply", {"text": "可在APP缴纳"})
    assert ids(open="true") == {repair_.pk}


def test_work_order_filters(world, login):
    mine = recorded(world).work_orders.get()
    pending = workorder_create(request=recorded(world, dispatch=False), department=engineering(world.project_a),
                               actor=world.users["agent_a"])
    WorkOrder.objects.filter(pk=pending.pk).update(resolve_by=timezone.now() - timezone.timedelta(hours=1))
    WorkOrder.objects.filter(pk=mine.pk).update(resolve_by=timezone.now() + timezone.timedelta(hours=1))
    client = login(world.users["agent_a"])

    def ids(**params):
        return {o["id"] for o in client.get(ORDERS, params).json()["items"]}

    assert ids() == {mine.pk, pending.pk}
    assert ids(status="pending") == ids(overdue="true") == {pending.pk}
    assert ids(due_soon="true") == {mine.pk}
    assert ids(assignee=str(world.users["technician_a"].pk)) == {mine.pk}
    assert ids(assignee="me") == set()
    assert ids(department=engineering(world.project_a).pk) == {mine.pk, pending.pk}
    assert ids(pool="true", status="pending") == set()


@pytest.fixture
def sixty(world):
    """60 requests, each with a work order: pooled, dispatched, accepted by turns."""
    tech, agent = world.users["technician_a"], world.users["agent_a"]
    for i in range(60):
        sr = recorded(world, dispatch=False, description=f"报修第{i}号")
        wo = workorder_create(request=sr, department=engineering(world.project_a), actor=agent)
        if i % 3 == 0:
            workorder_act(work_order=wo, actor=agent, action="pool")
        else:
            workorder_act(work_order=wo, actor=agent, action="dispatch", assignee_id=tech.pk)
            if i % 3 == 2:
                workorder_act(work_order=wo, actor=tech, action="accept")


@pytest.mark.parametrize(("url", "user"), [(REQUESTS, "agent_a"), (ORDERS, "agent_a"), (ORDERS, "technician_a"),
                                           (REQUESTS, "technician_a")])
def test_list_query_count_does_not_grow_with_page_size(world, sixty, url, user):
    client = bearer(world.users[user])
    client.get(url)  # the token's last-used stamp is written once, outside the measurement

    def count(limit):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"limit": limit})
        assert response.status_code == 200 and len(response.json()["items"]) == limit
        return len(queries)

    assert count(5) == count(50)


def test_openapi_lists_the_desk_endpoints(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert set(paths[REQUESTS]) == {"get", "post"}
    assert "get" in paths["/api/desk/requests/{request_id}"]
    for tail in ("work-orders", "reply", "comment", "acknowledge", "photos"):
        assert "post" in paths[f"/api/desk/requests/{{request_id}}/{tail}"], tail
    assert "get" in paths[ORDERS] and "get" in paths["/api/desk/work-orders/{work_order_id}"]
    assert "post" in paths["/api/desk/work-orders/{work_order_id}/actions/{action}"]
    assert "post" in paths["/api/desk/work-orders/{work_order_id}/send-code"]
    submit = paths[REQUESTS]["post"]
    assert "Idempotency-Key" in {p["name"] for p in submit["parameters"]}


def test_submission_dispatches_by_the_projects_rules(world, login):
    from propdesk.servicedesk.models import DispatchRule

    DispatchRule.objects.create(project=world.project_a, kind="repair", buildings="1-10",
                                department=engineering(world.project_a), assignee=world.users["technician_a"])
    response = post(login(world.users["agent_a"]), REQUESTS, repair(world, dispatch={"auto": True}))
    assert response.status_code == 201, response.content
    order = ServiceRequest.objects.get().work_orders.get()
    assert order.assignee == world.users["technician_a"] and order.status == "dispatched"


def test_a_request_cannot_have_happened_in_the_future(world, login):
    """Pinned at 2026-11-23 10:00 Beijing: tomorrow is refused on the field; three minutes ahead (a caller's 'just
    now' on a clock that runs fast) is accepted."""
    client = login(world.users["agent_a"])
    refused = post(client, REQUESTS, repair(world, occurred_at="2026-11-24T09:00:00+08:00"))
    assert fields_of(refused) == {"occurred_at"}
    assert refused.json()["extra"]["fields"]["occurred_at"] == ["发生时间不能晚于现在。"]
    assert not ServiceRequest.objects.exists()
    accepted = post(client, REQUESTS, repair(world, occurred_at="2026-11-23T10:03:00+08:00"))
    assert accepted.status_code == 201, accepted.content


def test_api_answers_are_never_cached(world, login):
    client = login(world.users["agent_a"])
    recorded(world)
    assert client.get(REQUESTS)["Cache-Control"] == "no-store"
    assert client.get(f"{REQUESTS}/999999")["Cache-Control"] == "no-store"  # errors too
    assert "no-store" not in client.get("/desk/requests/").get("Cache-Control", "")


def test_the_same_idempotency_key_with_a_different_body_is_422(world, login):
    client = login(world.users["agent_a"])
    key = {"Idempotency-Key": "call-20260301-0007"}
    first = post(client, REQUESTS, repair(world), headers=key)
    assert first.status_code == 201
    changed = post(client, REQUESTS, repair(world, room_code="5-1-301", description="楼道灯不亮"), headers=key)
    body = assert_json_error(changed, 422)
    assert "Idempotency-Key" in body["message"] and "Idempotency-Key" in body["extra"]["fields"]
    assert ServiceRequest.objects.count() == 1
    assert ServiceRequest.objects.get().description == "厨房水龙头漏水，滴个不停"
    # The same request again, with its fields in another order and a default spelled out, is a retry: 200.
    reordered = dict(reversed(list(repair(world, emotion="calm").items())))
    again = post(client, REQUESTS, reordered, headers=key)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    # Keys are the caller's own: another agent may use the same key for her own request.
    other = post(login(world.users["steward_a"]), REQUESTS, repair(world, description="楼道灯不亮"), headers=key)
    assert other.status_code == 201 and ServiceRequest.objects.count() == 2


@pytest.mark.parametrize("name", ["appointment_at", "resident_deadline"])
def test_a_time_agreed_with_the_resident_is_at_most_a_year_ahead(world, login, name):
    """Pinned at 2026-11-23 10:00 Beijing. Year 9999 used to overflow the deadline arithmetic and answer 404."""
    client = login(world.users["agent_a"])
    for far in ("9999-12-31T10:00:00+08:00", "9999-12-31T23:59:59-12:00", "2027-11-24T10:00:00+08:00"):
        refused = post(client, REQUESTS, repair(world, **{name: far}))
        assert fields_of(refused) == {name}, far
        assert "一年" in refused.json()["extra"]["fields"][name][0]
    assert fields_of(post(client, REQUESTS, repair(world, **{name: "0001-01-01T00:00:00+12:00"}))) == {name}
    assert not ServiceRequest.objects.exists()
    accepted = post(client, REQUESTS, repair(world, **{name: "2027-11-22T10:00:00+08:00"}))
    assert accepted.status_code == 201, accepted.content


def test_when_it_happened_is_at_most_a_year_back(world, login):
    client = login(world.users["agent_a"])
    for long_ago in ("0001-01-01T00:00:00+12:00", "2025-11-22T10:00:00+08:00"):
        refused = post(client, REQUESTS, repair(world, occurred_at=long_ago))
        assert fields_of(refused) == {"occurred_at"}, long_ago
    assert not ServiceRequest.objects.exists()
    assert post(client, REQUESTS, repair(world, occurred_at="2025-11-24T10:00:00+08:00")).status_code == 201
