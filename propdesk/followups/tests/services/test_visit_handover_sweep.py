"""A visit not made within 3 days after its due time is handed to the project manager, who is told once and visits
in person (DESIGN §4). The sweep runs on a controlled clock here."""

from datetime import timedelta

import pytest

from propdesk.followups.services.sweep import visit_handover_sweep
from propdesk.followups.services.visits import VisitRecord, visit_record
from propdesk.notify.models import Notification
from propdesk.servicedesk.models import TimelineEvent

from .helpers import completed_repair, handled_complaint, only_visit

pytestmark = pytest.mark.django_db
MINUTE = timedelta(minutes=1)
THREE_DAYS = timedelta(days=3)


def handover_notices(user):
    return Notification.objects.filter(recipient=user, kind="visit_overdue")


def handover_events(request):
    return TimelineEvent.objects.filter(request=request, action="visit_handover")


def test_overdue_by_three_days_hands_the_visit_to_the_project_manager_once(world):
    agent, pm = world.users["agent_a"], world.users["pm_a"]
    request, _order = completed_repair(world)
    visit = only_visit(request)
    assert visit.visitor == agent

    assert visit_handover_sweep(now=visit.due_by + THREE_DAYS - MINUTE) == 0
    visit.refresh_from_db()
    assert visit.visitor == agent and visit.handed_over_at is None
    assert not handover_notices(pm).exists() and not handover_events(request).exists()

    handed_at = visit.due_by + THREE_DAYS
    assert visit_handover_sweep(now=handed_at) == 1
    visit.refresh_from_db()
    assert visit.visitor == pm and visit.handed_over_at == handed_at
    assert visit.status == "pending"  # still to be made, now in person by the manager
    notice = handover_notices(pm).get()
    assert request.number in notice.title
    event = handover_events(request).get()
    assert event.at == handed_at and event.kind == "escalation"

    assert visit_handover_sweep(now=handed_at + timedelta(hours=2)) == 0  # the next sweep: nothing more
    visit.refresh_from_db()
    assert visit.handed_over_at == handed_at
    assert handover_notices(pm).count() == 1 and handover_events(request).count() == 1


def test_a_visit_made_in_time_is_not_handed_over(world):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    visit_record(visit=visit, actor=world.users["agent_a"], now=visit.due_by + timedelta(days=1),
                 record=VisitRecord(method="phone", satisfaction=5))
    assert visit_handover_sweep(now=visit.due_by + THREE_DAYS + timedelta(days=10)) == 0
    visit.refresh_from_db()
    assert visit.visitor == world.users["agent_a"] and visit.handed_over_at is None
    assert not handover_notices(world.users["pm_a"]).exists()


def test_only_the_visits_overdue_by_three_days_are_taken(world):
    repair, _order = completed_repair(world)
    complaint = handled_complaint(world, severity="major")  # due 3 days after handling, visited by leader_east
    repair_visit, complaint_visit = only_visit(repair), only_visit(complaint)
    now = complaint_visit.due_by + THREE_DAYS
    assert now < repair_visit.due_by  # the repair's window is still open
    assert visit_handover_sweep(now=now) == 1
    complaint_visit.refresh_from_db()
    repair_visit.refresh_from_db()
    assert complaint_visit.visitor == world.users["pm_a"] and complaint_visit.handed_over_at == now
    assert repair_visit.visitor == world.users["agent_a"] and repair_visit.handed_over_at is None
