"""Calls that do not reach the resident: each attempt recorded; after the policy's number of attempts (3 by default)
the visit is unreachable and takes no more calls or records."""

from datetime import timedelta

import pytest

from propdesk.core.errors import ApplicationError
from propdesk.followups.models import FollowUpPolicy, VisitAttempt
from propdesk.followups.services.visits import VisitRecord, visit_attempt, visit_record

from .helpers import completed_repair, only_visit

pytestmark = pytest.mark.django_db


def test_three_unanswered_calls_make_the_visit_unreachable(world):
    agent = world.users["agent_a"]
    request, _order = completed_repair(world)
    visit = only_visit(request)
    start = visit.due_from + timedelta(hours=1)
    outcomes = ["no_answer", "busy", "no_answer"]
    for number, outcome in enumerate(outcomes, start=1):
        visit = visit_attempt(visit=visit, actor=agent, outcome=outcome, note=f"第{number}次未接通",
                              now=start + timedelta(days=number))
        visit.refresh_from_db()
        assert visit.attempts == number
        assert visit.status == ("unreachable" if number == 3 else "pending")
    assert visit.done_at == start + timedelta(days=3)
    rows = list(VisitAttempt.objects.filter(visit=visit).values_list("outcome", "by", "note"))
    assert rows == [(o, agent.pk, f"第{n}次未接通") for n, o in enumerate(outcomes, start=1)]

    with pytest.raises(ApplicationError) as refused:
        visit_attempt(visit=visit, actor=agent, outcome="no_answer", now=start + timedelta(days=4))
    assert refused.value.status_code == 409
    with pytest.raises(ApplicationError):
        visit_record(visit=visit, actor=agent, now=start + timedelta(days=4),
                     record=VisitRecord(method="phone", satisfaction=5))
    assert VisitAttempt.objects.filter(visit=visit).count() == 3


def test_the_company_sets_the_number_of_attempts(world):
    FollowUpPolicy.objects.create(company=world.company, max_attempts=2)
    request, _order = completed_repair(world)
    visit = only_visit(request)
    visit_attempt(visit=visit, actor=world.users["agent_a"], outcome="wrong_number", now=visit.due_from)
    visit = visit_attempt(visit=visit, actor=world.users["agent_a"], outcome="no_answer",
                          now=visit.due_from + timedelta(hours=3))
    assert visit.status == "unreachable" and visit.attempts == 2


def test_an_answered_call_after_a_missed_one_is_recorded_normally(world):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    visit_attempt(visit=visit, actor=world.users["agent_a"], outcome="call_back", now=visit.due_from)
    visit_record(visit=visit, actor=world.users["agent_a"], now=visit.due_from + timedelta(hours=4),
                 record=VisitRecord(method="phone", satisfaction=5))
    visit.refresh_from_db()
    assert visit.status == "done" and visit.attempts == 1


def test_an_unknown_outcome_is_refused_and_nothing_written(world):
    request, _order = completed_repair(world)
    visit = only_visit(request)
    with pytest.raises(ApplicationError) as refused:
        visit_attempt(visit=visit, actor=world.users["agent_a"], outcome="hung_up", now=visit.due_from)
    assert "outcome" in refused.value.field_errors
    visit.refresh_from_db()
    assert visit.attempts == 0 and not VisitAttempt.objects.exists()
