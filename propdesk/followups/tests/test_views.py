"""The follow-up pages as the visitor, the project manager and the resident use them: the queue's sections and its
query count, the visit page's forms with their errors at the fields, scope, the logged phone reveal, the public
rating page behind its texted single-use link, and a dissatisfied resident sending the work back to the technician."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from propdesk.core.models import AuditAction, AuditLog
from propdesk.followups.choices import VisitStatus
from propdesk.followups.models import FollowUpPolicy, FollowUpVisit, RatingLink, VisitAttempt
from propdesk.followups.services.rating import rating_link_issue
from propdesk.followups.views import calling_status
from propdesk.notify.models import Notification, OutboxMessage
from propdesk.servicedesk.models import TimelineEvent
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.tests.services.helpers import SIGNATURE, act, dispatched, sh, submit

RECORD = {"method": "phone", "satisfaction": "5", "quality": "good", "effect": "灯已修好，很亮",
          "shortcomings": "", "suggestions": "", "confirmation": "phone"}


def completed_repair(world, description="卧室吸顶灯不亮"):
    """A repair of 周美玲 (3-2-1802) done by technician_a just now; its visit was scheduled by the hook."""
    now = timezone.now()
    sr = submit(world, now=now - timedelta(hours=2), description=description)
    wo = dispatched(world, sr, now=now - timedelta(hours=2))
    tech = world.users["technician_a"]
    act(wo, tech, "accept", now=now - timedelta(hours=1))
    wo = act(wo, tech, "complete", now=now, result="更换灯泡", signature=SIGNATURE)
    sr.refresh_from_db()
    return sr, wo, FollowUpVisit.objects.get(request=sr)


def due_now(visit):
    """Open the window now (the handbook's repair window opens a week after the work)."""
    now = timezone.now()
    FollowUpVisit.objects.filter(pk=visit.pk).update(due_from=now - timedelta(hours=1))
    visit.refresh_from_db()
    return visit


def make_visits(world, count, *, start=0):
    """``count`` pending visits of agent_a on plain requests of project A, spread over the three sections."""
    now = timezone.now()
    rooms = list(world.project_a.rooms.order_by("id")[start:start + count])
    for i, room in enumerate(rooms, start=start):
        sr = request_submit(actor=world.users["agent_a"], project=world.project_a, data=RequestInput(
            channel="phone", kind="repair", description=f"第{i}号报修：灯不亮", room_id=room.pk,
            contact_name=f"住户{i}", contact_phone=f"1390000{i:04d}"))
        section = i % 3
        due_from, due_by = {0: (now - timedelta(days=12), now - timedelta(days=2)),
                            1: (now - timedelta(days=1), now + timedelta(days=10)),
                            2: (now + timedelta(days=3), now + timedelta(days=20))}[section]
        FollowUpVisit.objects.create(request=sr, project=world.project_a, kind="repair", rule="repair",
                                     handled_at=due_from - timedelta(days=7), due_from=due_from, due_by=due_by,
                                     visitor=world.users["agent_a"], visitor_role="customer_service")


def url(name, visit, **kwargs):
    return reverse(f"followups:{name}", args=[visit.pk], **kwargs)


# The queue ------------------------------------------------------------------------------------------------------

def test_queue_sorts_visits_into_overdue_due_today_and_upcoming(world, login):
    make_visits(world, 3)
    overdue, today, upcoming = FollowUpVisit.objects.order_by("id")
    page = login(world.users["agent_a"]).get(reverse("followups:visit_queue"))
    rows = page.context["rows"]
    assert [v.pk for v in rows["overdue"]] == [overdue.pk]
    assert [v.pk for v in rows["today"]] == [today.pk]
    assert [v.pk for v in rows["upcoming"]] == [upcoming.pk]
    assert rows["overdue"][0].days_overdue == 2
    html = page.content.decode()
    assert overdue.request.number in html and "139****0000" in html and "13900000000" not in html


def test_queue_shows_only_my_visits_and_the_project_manager_may_see_the_whole_project(world, login):
    make_visits(world, 3)
    FollowUpVisit.objects.filter(pk=FollowUpVisit.objects.order_by("id").first().pk).update(
        visitor=world.users["pm_a"])
    agent = login(world.users["agent_a"]).get(reverse("followups:visit_queue"))
    assert sum(agent.context["counts"].values()) == 2
    assert login(world.users["agent_a"]).get(reverse("followups:visit_queue"), {"all": "1"}).context[
        "everyone"] is False  # agents have no toggle
    pm = login(world.users["pm_a"])
    assert sum(pm.get(reverse("followups:visit_queue")).context["counts"].values()) == 1
    assert sum(pm.get(reverse("followups:visit_queue"), {"all": "1"}).context["counts"].values()) == 3
    other = login(world.users["agent_b"]).get(reverse("followups:visit_queue"))
    assert sum(other.context["counts"].values()) == 0


def test_queue_runs_the_same_number_of_queries_for_5_and_50_visits(world, login):
    client = login(world.users["agent_a"])
    make_visits(world, 5)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("followups:visit_queue"))
        assert response.status_code == 200
        return len(ctx.captured_queries), sum(len(rows) for rows in response.context["rows"].values())

    few, shown = measure()
    assert shown == 5
    make_visits(world, 45, start=5)
    many, shown = measure()
    assert shown == 50
    assert few == many


def test_queue_needs_the_visit_capability(world, login):
    assert login(world.users["technician_a"]).get(reverse("followups:visit_queue")).status_code == 403


def test_calls_are_not_suggested_in_rest_hours(world, login):
    slots = [["09:00", "12:00"], ["14:00", "20:00"]]
    FollowUpPolicy.objects.create(company=world.company, calling_window=slots)
    at_lunch = calling_status(world.company.pk, sh(2026, 3, 2, 12, 30))
    assert at_lunch["inside"] is False and at_lunch["next"] == sh(2026, 3, 2, 14, 0)
    at_night = calling_status(world.company.pk, sh(2026, 3, 2, 21, 0))
    assert at_night["next"] == sh(2026, 3, 3, 9, 0)
    assert calling_status(world.company.pk, sh(2026, 3, 2, 10, 0))["inside"] is True
    # A window that excludes this very minute: the queue says when to call instead.
    local = timezone.localtime()
    start, end = (local + timedelta(hours=1), local + timedelta(hours=2)) if local.hour < 12 else \
        (local - timedelta(hours=2), local - timedelta(hours=1))
    FollowUpPolicy.objects.filter(company=world.company).update(
        calling_window=[[f"{start:%H:%M}", f"{end:%H:%M}"]])
    page = login(world.users["agent_a"]).get(reverse("followups:visit_queue"))
    assert page.context["calling"]["inside"] is False
    assert 'id="next-call"' in page.content.decode()


# The visit page -------------------------------------------------------------------------------------------------

def test_visit_page_shows_the_request_and_masks_the_phone(world, login):
    sr, _wo, visit = completed_repair(world)
    page = login(world.users["agent_a"]).get(url("visit_detail", visit))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("servicedesk:request_detail", args=[sr.pk]) in html
    assert "138****5678" in html and "13812345678" not in html
    assert 'id="record-form"' in html


def test_another_projects_visit_is_not_found_and_nothing_is_written(world, login):
    _sr, _wo, visit = completed_repair(world)
    other = login(world.users["agent_b"])
    assert other.get(url("visit_detail", visit)).status_code == 404
    assert other.post(url("visit_record", visit), RECORD).status_code == 404
    assert other.post(url("visit_attempt", visit), {"outcome": "no_answer"}).status_code == 404
    assert other.post(url("visit_reschedule", visit), {"due_by": "2030-01-01T10:00", "reason": "出差"}
                      ).status_code == 404
    assert other.post(url("visit_phone_reveal", visit)).status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING and visit.attempts == 0 and visit.satisfaction is None
    assert not AuditLog.objects.exclude(action=AuditAction.LOGIN).exists()


def test_a_satisfaction_outside_the_scale_is_refused_at_the_field(world, login):
    _sr, _wo, visit = completed_repair(world)
    response = login(world.users["agent_a"]).post(url("visit_record", visit), {**RECORD, "satisfaction": "7"})
    assert response.status_code == 200
    assert "satisfaction" in response.context["record_form"].errors
    assert 'id="row-satisfaction"' in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING and visit.satisfaction is None
    assert not TimelineEvent.objects.filter(request=visit.request, action="visit").exists()


def test_a_visit_is_recorded_once(world, login):
    visit = due_now(completed_repair(world)[2])
    agent = login(world.users["agent_a"])
    response = agent.post(url("visit_record", visit), RECORD)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.satisfaction == 5 and not visit.late
    assert visit.recorded_by == world.users["agent_a"]
    again = agent.post(url("visit_record", visit), {**RECORD, "satisfaction": "1"}, follow=True)
    assert any("visited" in str(m) or "已" in str(m) for m in again.context["messages"])
    visit.refresh_from_db()
    assert visit.satisfaction == 5 and visit.decision == ""
    assert visit.request.work_orders.get().status == "completed"
    assert 'id="visit-record"' in again.content.decode() and 'id="record-form"' not in again.content.decode()


def test_a_visit_after_its_window_is_accepted_and_flagged_late(world, login):
    _sr, _wo, visit = completed_repair(world)
    FollowUpVisit.objects.filter(pk=visit.pk).update(due_from=timezone.now() - timedelta(days=40),
                                                     due_by=timezone.now() - timedelta(days=10))
    agent = login(world.users["agent_a"])
    assert 'id="late-warning"' in agent.get(url("visit_detail", visit)).content.decode()
    page = agent.post(url("visit_record", visit), RECORD, follow=True)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.late
    assert 'id="visit-late"' in page.content.decode()


def test_unanswered_calls_make_the_resident_unreachable_after_the_policys_number(world, login):
    _sr, _wo, visit = completed_repair(world)
    agent = login(world.users["agent_a"])
    agent.post(url("visit_attempt", visit), {"outcome": "bogus"})
    assert not VisitAttempt.objects.exists()
    for _ in range(3):
        agent.post(url("visit_attempt", visit), {"outcome": "no_answer", "note": "无人接听"})
    visit.refresh_from_db()
    assert visit.attempts == 3 and visit.status == VisitStatus.UNREACHABLE
    assert VisitAttempt.objects.filter(visit=visit).count() == 3


def test_reschedule_needs_a_reason_and_a_future_time(world, login):
    _sr, _wo, visit = completed_repair(world)
    before = visit.due_by
    agent = login(world.users["agent_a"])
    response = agent.post(url("visit_reschedule", visit), {"due_by": "2020-01-01T10:00", "reason": ""})
    assert "reason" in response.context["reschedule_form"].errors
    response = agent.post(url("visit_reschedule", visit), {"due_by": "2020-01-01T10:00", "reason": "业主出差"})
    assert "due_by" in response.context["reschedule_form"].errors
    visit.refresh_from_db()
    assert visit.due_by == before
    later = timezone.localtime() + timedelta(days=40)
    agent.post(url("visit_reschedule", visit), {"due_by": f"{later:%Y-%m-%dT%H:%M}", "reason": "业主出差"})
    visit.refresh_from_db()
    assert visit.reschedule_reason == "业主出差" and timezone.localtime(visit.due_by).date() == later.date()


def test_showing_the_phone_is_logged(world, login):
    sr, _wo, visit = completed_repair(world)
    response = login(world.users["agent_a"]).post(url("visit_phone_reveal", visit))
    assert response.status_code == 200 and "13812345678" in response.content.decode()
    log = AuditLog.objects.exclude(action=AuditAction.LOGIN).get()
    assert log.action == AuditAction.REVEAL_PHONE and log.actor == world.users["agent_a"]
    assert log.target_id == str(sr.pk) and log.detail == {"visit_id": visit.pk}


def test_without_a_call_back_number_the_residents_primary_phone_is_shown_and_logged(world, login):
    sr, _wo, visit = completed_repair(world)
    type(sr).objects.filter(pk=sr.pk).update(contact_phone="")
    agent = login(world.users["agent_a"])
    assert "138****5678" in agent.get(url("visit_detail", visit)).content.decode()
    assert "13812345678" in agent.post(url("visit_phone_reveal", visit)).content.decode()
    log = AuditLog.objects.exclude(action=AuditAction.LOGIN).get()
    assert log.target_type == "customers.phone" and log.detail == {"resident_id": world.residents["a_owner"].pk}


def test_the_project_manager_reviews_a_done_visit(world, login):
    _sr, _wo, visit = completed_repair(world)
    login(world.users["agent_a"]).post(url("visit_record", visit), RECORD)
    assert login(world.users["agent_a"]).post(url("visit_review", visit), {"comment": "好"}).status_code == 403
    pm = login(world.users["pm_a"])
    assert 'id="review-form"' in pm.get(url("visit_detail", visit)).content.decode()
    pm.post(url("visit_review", visit), {"comment": "回访及时，记录完整"})
    visit.refresh_from_db()
    assert visit.review_comment == "回访及时，记录完整" and visit.reviewed_by == world.users["pm_a"]


def test_a_dissatisfied_record_sends_the_work_back_to_the_technician(world, login):
    sr, wo, visit = completed_repair(world)
    agent = login(world.users["agent_a"])
    page = agent.post(url("visit_record", visit), {**RECORD, "satisfaction": "2", "quality": "poor",
                                                   "shortcomings": "灯又不亮了"}, follow=True)
    visit.refresh_from_db()
    wo.refresh_from_db()
    sr.refresh_from_db()
    assert visit.decision == "reopened" and visit.satisfaction == 2
    assert wo.status == "dispatched" and wo.assignee == world.users["technician_a"]
    assert sr.status == "in_progress"
    assert Notification.objects.filter(recipient=world.users["leader_east"], kind="dissatisfied").exists()
    assert 'id="visit-decision"' in page.content.decode()
    listed = agent.get(reverse("servicedesk:request_list"), {"status": "in_progress"})
    assert sr.number in listed.content.decode()
    mine = login(world.users["technician_a"]).get(reverse("servicedesk:my_orders"))
    assert wo in list(mine.context["orders"])


# The resident's rating page ------------------------------------------------------------------------------------

def texted_link(visit) -> str:
    """The rating link as the resident received it: the path out of the text message."""
    body = OutboxMessage.objects.get(dedupe_key=f"rating:{visit.pk}").body
    return re.search(r"(/visits/rate/[^/\s]+/)", body).group(1)


def test_a_completed_repair_texts_the_resident_a_single_use_rating_link(world):
    _sr, _wo, visit = completed_repair(world)
    sms = OutboxMessage.objects.get(dedupe_key=f"rating:{visit.pk}")
    assert sms.channel == "sms" and sms.to == "13812345678" and "/visits/rate/" in sms.body
    token = texted_link(visit).split("/")[-2]
    assert len(token) == 43 and token.isascii() and "." not in token and ":" not in token  # 32 random bytes
    link = RatingLink.objects.get(visit=visit)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and link.used_at is None
    assert link.expires_at == visit.due_by  # the end of the visit window, here 30 days after the work
    # The resident's inbox points at the portal's rating page behind their sign-in: no token kept there.
    note = Notification.objects.get(recipient=world.users["resident_a"], kind="visit_rating")
    assert note.url == reverse("portal:request_rate", args=[visit.request_id]) and token not in note.url


def test_the_resident_rates_once_without_logging_in(client, world):
    sr, _wo, visit = completed_repair(world)
    link = texted_link(visit)
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200 and sr.number in html
    assert "13812345678" not in html and "138****5678" not in html
    response = client.post(link, {"satisfaction": "5", "comment": "师傅很专业"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.method == "online" and visit.confirmation == "online"
    assert visit.satisfaction == 5 and visit.shortcomings == "师傅很专业"
    thanks = client.get(response.url)
    assert thanks.status_code == 200 and 'id="rate-thanks"' in thanks.content.decode()
    # Spent: the link, and its thanks page from any other browser, are the invalid-link page; a second rating is
    # refused and records nothing.
    events = TimelineEvent.objects.filter(request=sr).count()
    again = client.post(link, {"satisfaction": "1", "comment": "又坏了"})
    assert again.status_code == 404 and 'id="rate-invalid"' in again.content.decode()
    assert client.get(link).status_code == 404
    assert Client().get(response.url).status_code == 404
    visit.refresh_from_db()
    assert visit.satisfaction == 5 and TimelineEvent.objects.filter(request=sr).count() == events


def test_a_rating_outside_the_scale_is_refused_and_keeps_the_link(client, world):
    _sr, _wo, visit = completed_repair(world)
    link = texted_link(visit)
    response = client.post(link, {"satisfaction": "9"})
    assert response.status_code == 200 and "satisfaction" in response.context["form"].errors
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING
    assert client.get(link).status_code == 200  # not spent by the refused answer


def invalid_page(response, sr):
    html = response.content.decode()
    return (response.status_code == 404 and 'id="rate-invalid"' in html and sr.number not in html
            and sr.description not in html)


def test_a_forged_old_style_or_tampered_link_can_neither_read_nor_rate(client, world):
    sr, _wo, visit = completed_repair(world)
    token = texted_link(visit).split("/")[-2]
    # The links sent before this change were signing.dumps({"v": visit id}); anyone with the key could make one.
    old_style = signing.dumps({"v": visit.pk}, salt="propdesk.followups.rating", compress=True)
    for bad in ("nonsense", token[:-3] + ("xyz" if not token.endswith("xyz") else "abc"), old_style,
                hashlib.sha256(token.encode()).hexdigest()):
        link = reverse("followups:rate", args=[bad])
        assert invalid_page(client.get(link), sr)
        assert invalid_page(client.post(link, {"satisfaction": "5"}), sr)
        assert invalid_page(client.get(reverse("followups:rate_thanks", args=[bad])), sr)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING and not TimelineEvent.objects.filter(request=sr,
                                                                                    action="rating").exists()


def test_an_expired_link_can_neither_read_nor_rate(client, world):
    sr, _wo, visit = completed_repair(world)
    link = texted_link(visit)
    with time_machine.travel(visit.due_by + timedelta(minutes=1), tick=False):
        assert invalid_page(client.get(link), sr)
        assert invalid_page(client.post(link, {"satisfaction": "5"}), sr)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING


def test_a_complaints_online_rating_is_noted_but_the_call_is_still_due(client, world):
    sr = submit(world, now=timezone.now(), kind="complaint", complaint_category="property", severity="minor",
                description="保安态度差")
    now = timezone.now()
    visit = FollowUpVisit.objects.create(request=sr, project=world.project_a, kind="complaint", rule="complaint",
                                         handled_at=now, due_from=now, due_by=now + timedelta(days=3),
                                         visitor=world.users["pm_a"], visitor_role="project_manager")
    link = reverse("followups:rate", args=[rating_link_issue(visit=visit)])
    thanks = client.post(link, {"satisfaction": "1", "comment": "还是不满意"}, follow=True)
    assert 'id="rate-will-call"' in thanks.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PENDING and visit.satisfaction is None
    assert TimelineEvent.objects.filter(request=sr, action="rating").exists()


# Elsewhere in the console ---------------------------------------------------------------------------------------

def test_request_page_and_customer_360_show_the_visits(world, login):
    sr, _wo, visit = completed_repair(world)
    agent = login(world.users["agent_a"])
    agent.post(url("visit_record", visit), RECORD)
    request_page = agent.get(reverse("servicedesk:request_detail", args=[sr.pk])).content.decode()
    assert 'id="request-visits"' in request_page and url("visit_detail", visit) in request_page
    resident_page = agent.get(reverse("customers:resident_detail", args=[world.residents["a_owner"].pk]))
    assert [v.pk for v in resident_page.context["visits"]] == [visit.pk]
    assert resident_page.context["visit_summary"] == {"rated": 1, "satisfied": 1}
    # The resident sees their rating on their own request page in the portal, without the staff's visit record.
    own = login(world.users["resident_a"]).get(reverse("portal:request_detail", args=[sr.pk]))
    assert own.context["visit"] == visit and 'id="rated"' in own.content.decode()
    assert url("visit_detail", visit) not in own.content.decode()


@pytest.mark.parametrize(("user", "shown"), [("agent_a", True), ("technician_a", False)])
def test_navigation_offers_the_queue_to_visitors(world, login, user, shown):
    page = login(world.users[user]).get(reverse("home"), follow=True)  # a technician lands on 我的工单
    names = [item["name"] for item in page.context["nav_items"]]
    assert ("followups:visit_queue" in names) is shown


def test_visits_by_the_calendar_are_the_local_day(world):
    from propdesk.followups.selectors import start_of_tomorrow

    assert start_of_tomorrow(sh(2026, 3, 2, 23, 59)) == sh(2026, 3, 3, 0, 0)
    assert start_of_tomorrow(datetime(2026, 3, 2, 16, 30, tzinfo=UTC)) == sh(2026, 3, 4, 0, 0)
