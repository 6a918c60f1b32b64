"""Following a request through the resident's pages and /api/portal/…: who is coming, comment with photos, cancel,
hurry, quote, receipts, confirm and rate — each allowed and refused — and what staff see of it."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from propdesk.core.testing import TEST_NOW, assert_json_error, make_user
from propdesk.followups.models import FollowUpVisit
from propdesk.followups.services.visits import VisitRecord, visit_record
from propdesk.notify.models import Notification
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.servicedesk.models import Attachment, ServiceRequest, TimelineEvent, WorkOrder
from propdesk.servicedesk.services.attachments import attachments_add
from propdesk.servicedesk.services.payments import QuoteLineInput, payment_record, payment_void, quote_create
from propdesk.servicedesk.services.prices import price_item_save
from propdesk.servicedesk.services.requests import request_comment
from propdesk.servicedesk.services.resident_actions import request_hurry
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create
from propdesk.staff.models import StaffProfile

from .helpers import INTERNAL_NOTE, report
from .test_views import assert_no_staff_text, text_of

pytestmark = pytest.mark.django_db
NOW = TEST_NOW - timedelta(hours=2)


def bearer(user) -> Client:
    from propdesk.staff.models import ApiToken

    _token, raw = ApiToken.issue(user=user, name="住这儿")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def jpeg(name="漏水.jpg", color="navy") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), color).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def dispatched(world, *, accept=True, **fields):
    request = report(world, now=NOW, **fields)
    engineering = Department.objects.get(project=world.project_a, kind=DepartmentKind.ENGINEERING)
    wo = workorder_create(request=request, department=engineering, actor=world.users["agent_a"], now=NOW)
    workorder_act(work_order=wo, actor=world.users["agent_a"], action="dispatch",
                  assignee_id=world.users["technician_a"].pk, now=NOW)
    if accept:
        workorder_act(work_order=wo, actor=world.users["technician_a"], action="accept", now=NOW)
    return ServiceRequest.objects.get(pk=request.pk), WorkOrder.objects.get(pk=wo.pk)


def page(client, request):
    return client.get(reverse("portal:request_detail", args=[request.pk]))


def post(client, name, request, data=None, *args):
    return client.post(reverse(f"portal:{name}", args=[request.pk, *args]), data or {}, follow=True)


def neighbour(world):
    user = make_user("resident_tenant")
    world.residents["a_tenant"].user = user
    world.residents["a_tenant"].save(update_fields=["user"])
    return user


def test_the_resident_sees_who_is_coming_and_when_but_nothing_internal(world, login):
    StaffProfile.objects.filter(user=world.users["technician_a"]).update(mobile="13987654321")
    request, wo = dispatched(world)
    ServiceRequest.objects.filter(pk=request.pk).update(appointment_at=TEST_NOW + timedelta(hours=4))
    request_comment(request=request, actor=world.users["agent_a"], text=INTERNAL_NOTE, internal=True)
    request_hurry(request=request, actor=world.users["resident_a"], now=NOW)
    request_hurry(request=request, actor=world.users["resident_a"], now=NOW + timedelta(hours=1))  # escalates
    assert TimelineEvent.objects.filter(request=request, kind="escalation").exists()
    client = login(world.users["resident_a"])
    response = page(client, request)
    html = text_of(response)
    assert "上门人员" in html and "刘师傅" in html and "139****4321" in html and "13987654321" not in html
    assert "约定时间" in html and "11-23 14:00" in html  # the appointment, in Shanghai time
    assert "您已催单（第2次）" in html and "催单2次" in html
    assert_no_staff_text(response, world.residents["a_owner"])  # no escalation, note, deadline
    api = client.get(f"/api/portal/requests/{request.pk}").json()
    assert api["coming"][0]["phone"] == "139****4321" and api["hurry_count"] == 2
    # accepted: no cancelling; the last hurry was an hour ago: another one is possible
    assert api["can_cancel"] is False and api["can_hurry"] is True and api["next_hurry_at"] is None
    assert "escalat" not in str(api).lower() and INTERNAL_NOTE not in str(api)


def test_a_comment_with_photos_reaches_the_agent_and_stays_on_the_residents_page(world, login):
    request, wo = dispatched(world)
    client = login(world.users["resident_a"])
    response = post(client, "request_comment", request,
                    {"text": "下午三点后家里有人", "photos": [jpeg(), jpeg("b.jpg")]})
    assert response.status_code == 200 and "留言已提交" in response.content.decode()
    photos = list(Attachment.objects.filter(request=request))
    assert len(photos) == 2 and all(p.uploaded_by == world.users["resident_a"] for p in photos)
    html = page(client, request).content.decode()
    assert "下午三点后家里有人" in html
    for photo in photos:
        assert reverse("portal:attachment", args=[photo.pk]) in html
        assert client.get(reverse("portal:attachment", args=[photo.pk])).status_code == 200
    assert Notification.objects.filter(recipient=world.users["agent_a"], kind="resident_comment").exists()
    assert Notification.objects.filter(recipient=world.users["technician_a"], kind="resident_comment").exists()
    agent = login(world.users["agent_a"])
    desk = agent.get(reverse("servicedesk:request_detail", args=[request.pk])).content.decode()
    assert "下午三点后家里有人" in desk and reverse("servicedesk:attachment", args=[photos[0].pk]) in desk


def test_a_bad_photo_or_too_many_write_nothing(world, login):
    request, wo = dispatched(world)
    client = login(world.users["resident_a"])
    fake = SimpleUploadedFile("漏水.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    response = post(client, "request_comment", request, {"text": "看照片", "photos": [jpeg(), fake]})
    assert "不是照片" in response.content.decode()
    too_many = client.post(f"/api/portal/requests/{request.pk}/comments",
                           {"text": "七张", "files": [jpeg(f"{n}.jpg") for n in range(7)]})
    assert_json_error(too_many, 400)
    assert not Attachment.objects.filter(request=request).exists()
    assert not TimelineEvent.objects.filter(request=request, action="resident").exists()
    empty = client.post(f"/api/portal/requests/{request.pk}/comments", {"text": " "})
    assert_json_error(empty, 400)


def test_cancel_before_anyone_is_on_the_way_and_not_after(world, login):
    waiting, waiting_order = dispatched(world, accept=False)
    under_way, _wo = dispatched(world, description="客厅插座没电")
    client = login(world.users["resident_a"])
    assert 'id="cancel-button"' in page(client, waiting).content.decode()
    assert 'id="cancel-button"' not in page(client, under_way).content.decode()
    refused = client.post(f"/api/portal/requests/{under_way.pk}/cancel", {"reason": "不修了"},
                          content_type="application/json")
    assert "客服中心" in assert_json_error(refused, 409)["message"]
    response = post(client, "request_cancel", waiting, {"reason": "已自行修好"})
    assert "您的报事已撤销" in response.content.decode() and "您已撤销该报事" in text_of(response)
    waiting_order.refresh_from_db()
    assert ServiceRequest.objects.get(pk=waiting.pk).status == "cancelled" and waiting_order.status == "cancelled"
    assert Notification.objects.filter(recipient=world.users["agent_a"], kind="resident_cancel").exists()
    assert ServiceRequest.objects.get(pk=under_way.pk).status == "in_progress"


def test_hurry_through_the_api_counted_spaced_and_shown_to_staff(world, login):
    request, wo = dispatched(world)
    client = login(world.users["resident_a"])
    first = client.post(f"/api/portal/requests/{request.pk}/hurry")
    assert first.status_code == 200 and first.json()["hurry_count"] == 1 and first.json()["can_hurry"] is False
    assert "10:30" in assert_json_error(client.post(f"/api/portal/requests/{request.pk}/hurry"), 429)["message"]
    assert ServiceRequest.objects.get(pk=request.pk).hurry_count == 1
    agent = login(world.users["agent_a"])
    desk_page = agent.get(reverse("servicedesk:request_detail", args=[request.pk])).content.decode()
    assert 'id="hurry-badge"' in desk_page
    # the timeline names who hurried as the archive knows them, not by their login
    assert re.search(r"<strong>周美玲</strong>", desk_page) and "<strong>resident_a</strong>" not in desk_page
    assert "hurry-badge" in agent.get(reverse("servicedesk:request_list")).content.decode()
    desk_api = bearer(world.users["agent_a"]).get(f"/api/desk/requests/{request.pk}").json()
    assert desk_api["hurry_count"] == 1 and desk_api["last_hurried_at"]
    tech = login(world.users["technician_a"])
    assert "wo-hurry" in tech.get(reverse("servicedesk:my_orders")).content.decode()
    assert "wo-hurry" in tech.get(reverse("servicedesk:workorder_detail", args=[wo.pk])).content.decode()
    assert Notification.objects.filter(recipient=world.users["technician_a"], url__contains=f"/{wo.pk}/").exists()


def test_another_households_request_is_404_and_staff_get_403_on_the_portal_api(world, login):
    request, wo = dispatched(world)
    other = login(neighbour(world))
    for path in ("hurry", "cancel", "comments", f"work-orders/{wo.pk}/confirm", f"work-orders/{wo.pk}/quote/agree"):
        body = {"reason": "越权"} if path == "cancel" else None
        response = other.post(f"/api/portal/requests/{request.pk}/{path}", body,
                              content_type="application/json") if body else other.post(
            f"/api/portal/requests/{request.pk}/{path}")
        assert_json_error(response, 404)
    for name, args in (("request_hurry", []), ("request_cancel", []), ("request_comment", []),
                       ("workorder_confirm", [wo.pk]), ("quote_answer", [wo.pk])):
        assert other.post(reverse(f"portal:{name}", args=[request.pk, *args]), {"reason": "x"}).status_code == 404
    assert_json_error(bearer(world.users["agent_a"]).post(f"/api/portal/requests/{request.pk}/hurry"), 403)
    assert ServiceRequest.objects.get(pk=request.pk).hurry_count == 0


def quoted(world):
    item = price_item_save(project=world.project_a, actor=world.users["admin"], name="更换水龙头阀芯", unit="个",
                           price="30")
    request, wo = dispatched(world)
    quote_create(work_order=wo, lines=[QuoteLineInput(item_id=item.pk, quantity=2)], actor=world.users["technician_a"])
    return request, wo


def test_a_pending_quote_is_agreed_in_the_app_and_the_work_may_start(world, login):
    request, wo = quoted(world)
    client = login(world.users["resident_a"])
    html = page(client, request).content.decode()
    assert "更换水龙头阀芯" in html and "¥60.00" in html and f'id="quote-agree-{wo.pk}"' in html
    response = post(client, "quote_answer", request, {"answer": "agree"}, wo.pk)
    assert "您已同意报价" in response.content.decode() and "报价 ¥60.00 已同意" in text_of(response)
    wo.quote.refresh_from_db()
    assert wo.quote.agreement_method == "app" and wo.quote.agreed_at is not None
    assert Notification.objects.filter(recipient=world.users["technician_a"], kind="resident_quote").exists()
    workorder_act(work_order=wo, actor=world.users["technician_a"], action="arrive")  # no longer refused
    again = client.post(f"/api/portal/requests/{request.pk}/work-orders/{wo.pk}/quote/agree")
    assert_json_error(again, 409)


def test_a_quote_is_declined_with_a_reason(world, login):
    request, wo = quoted(world)
    client = login(world.users["resident_a"])
    url = f"/api/portal/requests/{request.pk}/work-orders/{wo.pk}/quote/decline"
    assert "reason" in assert_json_error(client.post(url, {"reason": " "}, content_type="application/json"),
                                         400)["extra"]["fields"]
    response = client.post(url, {"reason": "太贵了，自己买配件"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["quotes"] == []
    wo.quote.refresh_from_db()
    assert wo.quote.declined_at is not None and wo.quote.decline_reason == "太贵了，自己买配件"
    assert any(s["code"] == "quote_declined" and s["detail"] == "太贵了，自己买配件" for s in response.json()["steps"])


def test_receipts_are_listed_voided_ones_as_voided_and_only_the_residents_own(world, login):
    request, wo = quoted(world)
    from propdesk.servicedesk.services.payments import quote_agree

    quote_agree(work_order=wo, actor=world.users["technician_a"], method="in_person")
    first = payment_record(work_order=wo, amount=Decimal("60"), method="cash", actor=world.users["technician_a"])
    payment_void(payment=first, actor=world.users["pm_a"], reason="金额录错")
    second = payment_record(work_order=wo, amount=Decimal("60"), method="wechat", actor=world.users["technician_a"])
    client = login(world.users["resident_a"])
    rows = client.get("/api/portal/receipts").json()
    assert [(r["receipt_number"], r["voided"]) for r in rows] == [(second.receipt_number, False),
                                                                  (first.receipt_number, True)]
    html = client.get(reverse("portal:receipt", args=[first.pk])).content.decode()
    assert first.receipt_number in html and 'id="void-stamp"' in html and "金额录错" not in html
    detail = page(client, request).content.decode()
    assert second.receipt_number in detail and "已作废" in detail
    other = login(neighbour(world))
    assert other.get(reverse("portal:receipt", args=[second.pk])).status_code == 404
    assert other.get("/api/portal/receipts").json() == []
    assert_json_error(other.get(f"/api/portal/receipts/{second.pk}"), 404)


def completed_for_the_app(world, photos=True):
    request, wo = dispatched(world)
    workorder_act(work_order=wo, actor=world.users["technician_a"], action="complete", result="更换地漏芯",
                  confirm_in_app=True, now=NOW + timedelta(minutes=30))
    if photos:
        attachments_add(request=request, work_order=wo, actor=world.users["technician_a"], files=[jpeg("完工.jpg")],
                        for_resident=True)
        attachments_add(request=request, work_order=wo, actor=world.users["technician_a"], files=[jpeg("拆开.jpg")])
    return ServiceRequest.objects.get(pk=request.pk), WorkOrder.objects.get(pk=wo.pk)


def test_done_shows_the_after_photos_only_and_the_resident_confirms_then_rates(world, login):
    request, wo = completed_for_the_app(world)
    after, during = Attachment.objects.filter(request=request).order_by("id")
    client = login(world.users["resident_a"])
    html = page(client, request).content.decode()
    assert reverse("portal:attachment", args=[after.pk]) in html
    assert reverse("portal:attachment", args=[during.pk]) not in html
    assert client.get(reverse("portal:attachment", args=[during.pk])).status_code == 404
    assert client.get(reverse("servicedesk:attachment", args=[during.pk])).status_code == 404  # the desk URL too
    assert client.get(reverse("servicedesk:attachment", args=[after.pk])).status_code == 200
    assert login(world.users["agent_a"]).get(reverse("servicedesk:attachment", args=[during.pk])).status_code == 200
    client = login(world.users["resident_a"])
    assert f'id="confirm-button-{wo.pk}"' in html
    response = post(client, "workorder_confirm", request, {}, wo.pk)
    assert "感谢您确认完工" in response.content.decode() and "您已确认完工" in text_of(response)
    wo.refresh_from_db()
    assert wo.confirmation_method == "app"
    assert_json_error(client.post(f"/api/portal/requests/{request.pk}/work-orders/{wo.pk}/confirm"), 409)
    rated = client.post(f"/api/portal/requests/{request.pk}/rate", {"satisfaction": 5, "comment": "师傅很细心"},
                        content_type="application/json")
    assert rated.status_code == 200 and rated.json()["satisfaction_label"] == "非常满意"
    visit = FollowUpVisit.objects.get(request=request)
    assert (visit.status, visit.method, visit.satisfaction) == ("done", "online", 5)
    assert "您的评价：非常满意" in text_of(page(client, request))
    assert_json_error(client.post(f"/api/portal/requests/{request.pk}/rate", {"satisfaction": 1},
                                  content_type="application/json"), 409)


def test_a_dissatisfied_rating_takes_the_path_of_a_dissatisfied_visit(world, login):
    request, wo = completed_for_the_app(world, photos=False)
    client = login(world.users["resident_a"])
    response = client.post(f"/api/portal/requests/{request.pk}/rate", {"satisfaction": 1, "comment": "还在漏"},
                           content_type="application/json")
    assert response.status_code == 200
    visit = FollowUpVisit.objects.get(request=request)
    wo.refresh_from_db()
    assert visit.decision == "reopened" and wo.status == "dispatched" and wo.reopen_count == 1
    assert Notification.objects.filter(recipient=world.users["leader_east"], kind="dissatisfied").exists()
    assert_json_error(client.post(f"/api/portal/requests/{request.pk}/rate", {"satisfaction": 9},
                                  content_type="application/json"), 422)


def test_a_complaints_visit_shows_as_the_centers_follow_up_with_its_date(world, login):
    request = report(world, now=NOW, description="楼上装修噪音")
    ServiceRequest.objects.filter(pk=request.pk).update(kind="complaint", severity="minor",
                                                        complaint_category="property")
    visit = FollowUpVisit.objects.create(request=request, project=world.project_a, kind="complaint", rule="complaint",
                                         handled_at=NOW, due_from=NOW, due_by=TEST_NOW + timedelta(days=3),
                                         visitor_role="customer_service")
    visit_record(visit=visit, actor=world.users["agent_a"], now=TEST_NOW,
                 record=VisitRecord(method="phone", satisfaction=4))
    html = text_of(page(login(world.users["resident_a"]), request))
    assert "客服中心已回访（2026-11-23）" in html


def test_the_request_page_runs_as_many_queries_for_a_long_story_as_for_a_short_one(world, login):
    request, wo = completed_for_the_app(world)
    client = login(world.users["resident_a"])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert page(client, request).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(6):
        post(client, "request_comment", request, {"text": f"补充说明{n}", "photos": [jpeg(f"{n}.jpg")]})
        request_comment(request=request, actor=world.users["agent_a"], text=f"内部{n}", internal=True)
    assert TimelineEvent.objects.filter(request=request).count() > 15
    assert queries() == few
