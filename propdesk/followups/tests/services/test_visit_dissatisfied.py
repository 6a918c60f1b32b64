"""A dissatisfied resident at the visit: the branch is told, and by the company's policy the completed work is
reopened or a new complaint is created and linked; the decision is written on the visit, and the new handling gets
its own deadlines and its own visit."""

from datetime import timedelta

import pytest
from django.urls import reverse

from propdesk.followups.models import FollowUpPolicy
from propdesk.followups.services.rating import rating_link_issue, visit_rate_online
from propdesk.followups.services.visits import VisitRecord, visit_record
from propdesk.notify.models import Notification
from propdesk.servicedesk.models import ServiceRequest
from propdesk.servicedesk.services.requests import request_reply

from .helpers import complete, completed_repair, only_visit, visits_of

pytestmark = pytest.mark.django_db

UNHAPPY = VisitRecord(method="phone", satisfaction=2, quality="poor", shortcomings="灯用了三天又不亮了")


def branch_notices(world):
    return Notification.objects.filter(recipient=world.users["leader_east"], kind="dissatisfied")


def test_by_default_the_completed_work_is_reopened_and_the_branch_told(world):
    agent = world.users["agent_a"]
    request, work_order = completed_repair(world)
    assert request.status == "closed"
    visit = only_visit(request)
    at = visit.due_from + timedelta(days=1)
    visit_record(visit=visit, actor=agent, now=at, record=UNHAPPY)

    work_order.refresh_from_db()
    request.refresh_from_db()
    assert work_order.status == "dispatched" and work_order.reopen_count == 1
    assert work_order.assignee == world.users["technician_a"]  # back to the one who did the work
    assert request.status not in ("closed", "resolved") and request.closed_at is None
    notice = branch_notices(world).get()
    assert request.number in notice.title and "灯用了三天又不亮了" in notice.body
    visit.refresh_from_db()
    assert visit.status == "done" and visit.satisfaction == 2
    assert visit.decision == "reopened" and visit.decision_note and visit.follow_request is None
    assert ServiceRequest.objects.filter(kind="complaint").count() == 0
    # The new handling has a fresh clock on the order and, once done again, a visit of its own.
    assert work_order.resolve_by > at
    again = at + timedelta(hours=5)
    complete(world, work_order, now=again)
    first, second = visits_of(request)
    assert first.pk == visit.pk and first.status == "done"
    assert second.status == "pending" and second.handled_at == again
    assert second.due_by == again + timedelta(days=30)
    assert branch_notices(world).count() == 1


def test_very_dissatisfied_counts_too_and_a_satisfied_or_neutral_resident_changes_nothing(world):
    neutral_request, neutral_order = completed_repair(world)
    visit_record(visit=only_visit(neutral_request), actor=world.users["agent_a"],
                 now=neutral_request.closed_at + timedelta(days=8), record=VisitRecord(method="phone", satisfaction=3))
    neutral_order.refresh_from_db()
    assert neutral_order.status == "completed" and not branch_notices(world).exists()

    request, work_order = completed_repair(world)
    visit_record(visit=only_visit(request), actor=world.users["agent_a"], now=request.closed_at + timedelta(days=8),
                 record=VisitRecord(method="phone", satisfaction=1, shortcomings="根本没修"))
    work_order.refresh_from_db()
    assert work_order.status == "dispatched" and branch_notices(world).count() == 1


def test_with_the_complaint_policy_a_linked_complaint_is_created_with_its_own_deadlines_and_visit(world):
    FollowUpPolicy.objects.create(company=world.company, on_dissatisfied="complaint")
    agent, pm = world.users["agent_a"], world.users["pm_a"]
    request, work_order = completed_repair(world)
    visit = only_visit(request)
    at = visit.due_from + timedelta(days=1)
    visit_record(visit=visit, actor=agent, now=at, record=UNHAPPY)

    visit.refresh_from_db()
    complaint = visit.follow_request
    assert visit.decision == "complaint" and complaint is not None
    assert complaint.number in visit.decision_note
    assert complaint.kind == "complaint" and complaint.status == "open" and complaint.received_at == at
    assert complaint.reporter_id == request.reporter_id and complaint.room_id == request.room_id
    assert request.number in complaint.description and "灯用了三天又不亮了" in complaint.description
    assert complaint.complained_department_id == work_order.department_id
    assert complaint.severity == "minor" and complaint.resolve_by == at + timedelta(hours=48)  # the handbook's 2 days
    work_order.refresh_from_db()
    request.refresh_from_db()
    assert work_order.status == "completed" and request.status == "closed"  # the old request stays as it was
    assert branch_notices(world).count() == 1

    assert visits_of(complaint) == []  # not handled yet
    handled = at + timedelta(hours=3)
    request_reply(request=complaint, actor=agent, text="已安排工程部主管上门复查并致歉", complaint_valid=True,
                  root_cause="维修时未检查线路老化", now=handled)
    complaint_visit = only_visit(complaint)
    assert complaint_visit.rule == "complaint" and complaint_visit.visitor == pm
    assert complaint_visit.handled_at == handled and complaint_visit.due_by == handled + timedelta(days=3)


def test_a_dissatisfied_online_rating_reopens_the_work_too(world):
    request, work_order = completed_repair(world)
    visit = only_visit(request)
    visit_rate_online(token=rating_link_issue(visit=visit), satisfaction=1, comment="还是漏水", now=visit.due_from)
    work_order.refresh_from_db()
    visit.refresh_from_db()
    assert visit.method == "online" and visit.decision == "reopened"
    assert work_order.status == "dispatched"
    assert branch_notices(world).count() == 1


def test_a_long_account_of_what_went_wrong_still_becomes_a_complaint(world, login):
    """Intake descriptions stop at 2,000 characters; the visit form has no such limit, so the complaint made from a
    long record is cut to fit while the visit keeps every word."""
    FollowUpPolicy.objects.create(company=world.company, on_dissatisfied="complaint")
    request, _ = completed_repair(world)
    visit = only_visit(request)
    account = "师傅上门迟到两个小时，修完以后厨房水龙头还在滴水，地板也被弄湿了。" * 80  # 2,640 characters
    response = login(world.users["agent_a"]).post(reverse("followups:visit_record", args=[visit.pk]), {
        "method": "phone", "satisfaction": "2", "quality": "poor", "shortcomings": account,
        "confirmation": "phone"})

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.shortcomings == account and visit.decision == "complaint"
    complaint = visit.follow_request
    assert complaint.kind == "complaint" and len(complaint.description) == 2000
    assert complaint.description.endswith("…") and request.number in complaint.description
