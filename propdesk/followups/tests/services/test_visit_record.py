"""The visit record 《回访记录表》: made in the window it is done, made after it done and flagged late; bad input and a
second record write nothing. The resident's online rating counts as the visit where the rules allow — not for
complaints, which always get a call — and a bad link finds nothing."""

from datetime import timedelta

import pytest

from propdesk.core.errors import ApplicationError, NotFound
from propdesk.followups.models import FollowUpVisit
from propdesk.followups.services.rating import rating_link_issue, visit_rate_online
from propdesk.followups.services.visits import VisitRecord, visit_record, visit_review
from propdesk.servicedesk.models import TimelineEvent

from .helpers import completed_repair, handled_complaint, only_visit

pytestmark = pytest.mark.django_db


def visit_events(request, action="visit"):
    return TimelineEvent.objects.filter(request=request, action=action)


def snapshot(visit):
    return FollowUpVisit.objects.filter(pk=visit.pk).values().get()


def test_a_satisfied_resident_in_the_window_makes_the_visit_done_and_not_late(world):
    agent = world.users["agent_a"]
    request, _order = completed_repair(world)
    visit = only_visit(request)
    at = visit.due_from + timedelta(days=1)
    visit_record(visit=visit, actor=agent, now=at, record=VisitRecord(
        method="phone", satisfaction=4, quality="good", effect="灯已正常使用", suggestions="希望师傅上门前先电话联系"))
    visit.refresh_from_db()
    assert visit.status == "done" and visit.late is False and visit.done_at == at
    assert (visit.method, visit.satisfaction, visit.quality, visit.confirmation) == ("phone", 4, "good", "phone")
    assert visit.recorded_by == agent and visit.decision == ""
    event = visit_events(request).get()
    assert event.at == at and event.actor == agent and event.kind == "call"


def test_a_visit_recorded_after_its_window_is_done_and_flagged_late(world):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    visit_record(visit=visit, actor=world.users["agent_a"], now=visit.due_by + timedelta(minutes=1),
                 record=VisitRecord(method="face_to_face", satisfaction=5, confirmation="signed"))
    visit.refresh_from_db()
    assert visit.status == "done" and visit.late is True


def test_a_satisfaction_outside_the_scale_is_refused_and_nothing_written(world):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    before = snapshot(visit)
    with pytest.raises(ApplicationError) as refused:
        visit_record(visit=visit, actor=world.users["agent_a"], now=visit.due_from + timedelta(days=1),
                     record=VisitRecord(method="phone", satisfaction=7))
    assert "satisfaction" in refused.value.field_errors and refused.value.status_code == 400
    assert snapshot(visit) == before
    assert not visit_events(request).exists()


def test_a_second_record_on_a_done_visit_is_a_conflict_and_nothing_written(world):
    agent = world.users["agent_a"]
    request, _order = completed_repair(world)
    visit = only_visit(request)
    visit_record(visit=visit, actor=agent, now=visit.due_from + timedelta(days=1),
                 record=VisitRecord(method="phone", satisfaction=5))
    before = snapshot(visit)
    with pytest.raises(ApplicationError) as refused:
        visit_record(visit=visit, actor=world.users["pm_a"], now=visit.due_from + timedelta(days=2),
                     record=VisitRecord(method="phone", satisfaction=1, shortcomings="其实没修好"))
    assert refused.value.status_code == 409
    assert snapshot(visit) == before
    assert visit_events(request).count() == 1
    assert request.work_orders.get().status == "completed"  # the refused "very dissatisfied" reopened nothing


def test_a_complaint_visit_cannot_be_recorded_as_online(world):
    visit = only_visit(handled_complaint(world))
    before = snapshot(visit)
    with pytest.raises(ApplicationError) as refused:
        visit_record(visit=visit, actor=world.users["pm_a"], now=visit.due_from + timedelta(hours=2),
                     record=VisitRecord(method="online", satisfaction=5, confirmation="online"))
    assert refused.value.status_code == 409
    assert snapshot(visit) == before


def test_a_complaint_rated_online_is_noted_but_still_needs_its_call(world):
    request = handled_complaint(world)
    visit = only_visit(request)
    visit_rate_online(token=rating_link_issue(visit=visit), satisfaction=5, comment="处理得很及时",
                      now=visit.due_from + timedelta(hours=1))
    visit.refresh_from_db()
    assert visit.status == "pending" and visit.done_at is None and visit.method == ""
    rating = visit_events(request, "rating").get()
    assert "处理得很及时" in rating.message and rating.internal


def test_a_repair_rated_online_through_the_signed_link_is_the_visit(world):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    at = visit.due_from - timedelta(days=5)  # residents rate when the text arrives, before the window opens
    visit_rate_online(token=rating_link_issue(visit=visit), satisfaction=5, comment="师傅很专业", now=at)
    visit.refresh_from_db()
    assert visit.status == "done" and visit.method == "online" and visit.confirmation == "online"
    assert visit.satisfaction == 5 and visit.shortcomings == "师傅很专业" and visit.done_at == at
    assert visit.late is False


def test_a_rating_link_works_once(world):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    token = rating_link_issue(visit=visit)
    visit_rate_online(token=token, satisfaction=5, now=visit.due_from)
    with pytest.raises(NotFound):
        visit_rate_online(token=token, satisfaction=1, comment="又坏了", now=visit.due_from + timedelta(hours=1))
    visit.refresh_from_db()
    assert visit.satisfaction == 5
    assert request.work_orders.get().status == "completed"
    assert not visit_events(request, "rating").exists()


def test_an_unused_link_to_a_visit_done_by_phone_notes_the_rating_on_the_timeline(world):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    token = rating_link_issue(visit=visit)
    visit_record(visit=visit, actor=world.users["agent_a"], now=visit.due_from,
                 record=VisitRecord(method="phone", satisfaction=5))
    visit_rate_online(token=token, satisfaction=1, comment="又坏了", now=visit.due_from + timedelta(hours=1))
    visit.refresh_from_db()
    assert visit.satisfaction == 5 and visit.method == "phone"
    assert "又坏了" in visit_events(request, "rating").get().message  # kept for the visitor to read


def test_a_rating_link_expires_at_the_end_of_the_visit_window(world):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    token = rating_link_issue(visit=visit, now=visit.handled_at)
    link = visit.rating_links.latest("id")  # besides the one texted when the work was done
    assert link.expires_at == visit.due_by and len(token) == 43 and link.token_hash != token
    with pytest.raises(NotFound):
        visit_rate_online(token=token, satisfaction=5, now=visit.due_by + timedelta(seconds=1))
    visit.refresh_from_db()
    assert visit.status == "pending"


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
                                    lambda t: "not-a-token", lambda t: ""])
def test_a_bad_rating_link_is_not_found(world, mangle):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    with pytest.raises(NotFound):
        visit_rate_online(token=mangle(rating_link_issue(visit=visit)), satisfaction=5, now=visit.due_from)
    visit.refresh_from_db()
    assert visit.status == "pending"


def test_a_link_to_a_deleted_visit_is_not_found(world):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    token = rating_link_issue(visit=visit)
    visit.delete()
    with pytest.raises(NotFound):
        visit_rate_online(token=token, satisfaction=5)


def test_an_online_rating_outside_the_scale_is_refused(world):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    with pytest.raises(ApplicationError) as refused:
        visit_rate_online(token=rating_link_issue(visit=visit), satisfaction=0, now=visit.due_from)
    assert "satisfaction" in refused.value.field_errors
    visit.refresh_from_db()
    assert visit.status == "pending" and not visit_events(request, "rating").exists()


def test_the_project_manager_reviews_a_recorded_visit(world):
    pm = world.users["pm_a"]
    request, _order = completed_repair(world)
    visit = only_visit(request)
    with pytest.raises(ApplicationError) as refused:
        visit_review(visit=visit, actor=pm, comment="好", now=visit.due_from)
    assert refused.value.status_code == 409  # nothing to review yet
    visit_record(visit=visit, actor=world.users["agent_a"], now=visit.due_from + timedelta(days=1),
                 record=VisitRecord(method="phone", satisfaction=5))
    with pytest.raises(ApplicationError):
        visit_review(visit=visit, actor=pm, comment="   ", now=visit.due_from + timedelta(days=2))
    visit_review(visit=visit, actor=pm, comment="回访及时，记录完整", now=visit.due_from + timedelta(days=2))
    visit.refresh_from_db()
    assert visit.review_comment == "回访及时，记录完整" and visit.reviewed_by == pm
