"""The follow-up API from the outside: the rates (same figures and scope as the page), the visit list and detail,
and attempts, rescheduling, the record and the review — with JSON errors that write nothing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from propdesk.core.testing import assert_json_error
from propdesk.followups.choices import VisitStatus
from propdesk.followups.models import FollowUpVisit, VisitAttempt
from propdesk.followups.selectors.rates import rate_filters, rate_report
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent

from .test_rates import build_dataset, new_request

pytestmark = pytest.mark.django_db

JSON = "application/json"
RATES = "/api/followups/rates"
VISITS = "/api/followups/visits"
MARCH_APRIL = {"from": "2026-03", "to": "2026-04"}


def fields_of(response, status=400) -> set[str]:
    return set(assert_json_error(response, status)["extra"]["fields"])


def post(client, url, data=None):
    return client.post(url, data if data is not None else {}, content_type=JSON)


def pending(world, project=None, *, rule="repair", due_in=timedelta(days=2), opens_in=timedelta(days=-5),
            visitor="agent_a") -> FollowUpVisit:
    """A pending visit whose window runs from ``now + opens_in`` to ``now + due_in``."""
    project = project or world.project_a
    now = timezone.now()
    request = new_request(world, project, kind="complaint" if rule == "complaint" else "repair")
    return FollowUpVisit.objects.create(
        request=request, project=project, kind=rule, rule=rule, handled_at=now + opens_in, due_from=now + opens_in,
        due_by=now + due_in, visitor=world.users[visitor] if visitor else None, visitor_role="customer_service")


def snapshot(visit: FollowUpVisit) -> tuple:
    fresh = FollowUpVisit.objects.get(pk=visit.pk)
    rows = (VisitAttempt.objects.filter(visit=visit).count(),
            TimelineEvent.objects.filter(request=visit.request).count(), ServiceRequest.objects.count())
    return (fresh.status, fresh.attempts, fresh.due_by, fresh.done_at, fresh.satisfaction, fresh.method,
            fresh.recorded_by_id, fresh.decision, fresh.review_comment, *rows)


# --- rates ------------------------------------------------------------------------------------------------

def test_rates_are_the_page_figures(world, login):
    build_dataset(world)
    leader = world.users["leader_east"]
    response = login(leader).get(RATES, MARCH_APRIL)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["period_from"], body["period_to"]) == ("2026-03", "2026-04")
    total = body["total"]
    assert (total["due"], total["done"], total["visit_rate"], total["satisfaction_rate"]) == (11, 9, 81.8, 55.6)
    kinds = {k["key"]: k for k in body["kinds"]}
    assert [(k["due"], k["done"], k["visit_rate"], k["target"], k["met"]) for k in kinds.values()] == [
        (4, 3, 75.0, 100, False), (5, 4, 80.0, 90, False), (1, 1, 100.0, 90, True), (1, 1, 100.0, None, None)]
    assert kinds["other"]["target_note"] and kinds["repair"]["target_note"] == ""
    march, april = body["months"]
    assert (march["month"], march["due"], march["done"]) == ("2026-03", 6, 5)  # A2 done in April counts here
    assert (april["month"], april["due"], april["done"], april["kinds"]["repair"]["visit_rate"]) == (
        "2026-04", 5, 4, 50.0)
    assert {level["value"]: level["count"] for level in body["satisfaction_levels"]} == {5: 3, 4: 2, 3: 1, 2: 1, 1: 2}
    assert body["outcomes"] == {"total": 3, "reopened": 1, "reopened_closed": 1, "complaint": 1,
                                "complaint_closed": 1, "undecided": 1}
    assert [c["follow_request_status"] for c in body["cases"]] == [None, "closed", None]
    # The same numbers as the selector the page renders.
    report = rate_report(user=leader, filters=rate_filters(user=leader, month_from="2026-03", month_to="2026-04"))
    assert [(k["key"], k["due"], k["done"]) for k in body["kinds"]] == [
        (k.key, k.counts.due, k.counts.done) for k in report.kinds]
    assert [(p["id"], p["due"]) for p in body["projects"]] == [(world.project_a.pk, 9), (world.project_b.pk, 2)]


def test_rates_scope_and_filters(world, login):
    data = build_dataset(world)
    agent_b = login(world.users["agent_b"])
    body = agent_b.get(RATES, MARCH_APRIL).json()
    assert body["total"]["due"] == 2 and [p["id"] for p in body["projects"]] == [world.project_b.pk]
    assert [c["visit_id"] for c in body["cases"]] == [data["visits"]["B2"].pk]
    assert fields_of(agent_b.get(RATES, {**MARCH_APRIL, "project": world.project_a.pk})) == {"project"}
    assert fields_of(agent_b.get(RATES, {**MARCH_APRIL, "department": data["eng_a"].pk})) == {"department"}
    leader = login(world.users["leader_east"])
    body = leader.get(RATES, {**MARCH_APRIL, "department": data["eng_a"].pk}).json()
    assert (body["department_id"], body["total"]["due"], body["total"]["done"]) == (data["eng_a"].pk, 4, 3)


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2026-03", "to": "2099-01"}, "to"),
    ({"from": "2026-04", "to": "2026-03"}, "from"),
    ({"from": "03/2026"}, "from"),
    ({"project": "999999"}, "project"),
    ({"project": "99999999999999999999999"}, "project"),
])
def test_rates_bad_input_is_400_naming_the_field(world, login, params, field):
    assert fields_of(login(world.users["agent_a"]).get(RATES, params)) == {field}


def test_rates_need_view_rates_and_a_session(world, client, login):
    assert_json_error(client.get(RATES), 401)
    assert_json_error(login(world.users["technician_a"]).get(RATES), 403)


# --- the visit list and detail ----------------------------------------------------------------------------

def test_visit_list_filters_by_due_section_status_project_and_visitor(world, login):
    overdue = pending(world, due_in=timedelta(hours=-2))
    today = pending(world, due_in=timedelta(days=3), opens_in=timedelta(days=-1))
    upcoming = pending(world, due_in=timedelta(days=20), opens_in=timedelta(days=6))
    others = pending(world, due_in=timedelta(days=3), visitor="pm_a")
    done = pending(world, due_in=timedelta(hours=-5))
    FollowUpVisit.objects.filter(pk=done.pk).update(status=VisitStatus.DONE, done_at=timezone.now())
    in_b = pending(world, world.project_b, visitor="agent_b")
    client = login(world.users["agent_a"])

    def ids(**params):
        response = client.get(VISITS, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["items"]]

    assert ids() == [done.pk, overdue.pk, today.pk, others.pk, upcoming.pk]  # by due date; B's is not there
    assert ids(due="overdue") == [overdue.pk]
    assert ids(due="today", visitor="me") == [today.pk]
    assert ids(due="today") == [today.pk, others.pk]
    assert ids(due="upcoming") == [upcoming.pk]
    assert ids(status="done") == [done.pk]
    assert ids(project=world.project_a.pk, visitor="me", status="pending") == [overdue.pk, today.pk, upcoming.pk]
    assert fields_of(client.get(VISITS, {"project": world.project_b.pk})) == {"project"}
    assert fields_of(client.get(VISITS, {"due": "tomorrow"}), 422) == {"due"}
    assert fields_of(client.get(VISITS, {"project": "9" * 25}), 422) == {"project"}
    assert [r["id"] for r in login(world.users["agent_b"]).get(VISITS).json()["items"]] == [in_b.pk]


def test_visit_list_query_count_does_not_grow(world, login):
    client = login(world.users["agent_a"])
    pending(world)
    client.get(VISITS)
    with CaptureQueriesContext(connection) as few:
        assert client.get(VISITS).json()["count"] == 1
    for _ in range(6):
        pending(world)
    with CaptureQueriesContext(connection) as many:
        assert client.get(VISITS).json()["count"] == 7
    assert len(many) == len(few)


def test_visit_detail_masks_the_phone_and_another_projects_visit_is_404(world, login):
    visit = pending(world)
    response = login(world.users["agent_a"]).get(f"{VISITS}/{visit.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["status"], body["request_number"]) == (visit.pk, "pending", visit.request.number)
    assert body["contact_phone"] == "138****5678" and "13812345678" not in response.content.decode()
    assert body["attempt_log"] == []
    assert_json_error(login(world.users["agent_b"]).get(f"{VISITS}/{visit.pk}"), 404)
    assert_json_error(login(world.users["technician_a"]).get(f"{VISITS}/{visit.pk}"), 403)


# --- writes -----------------------------------------------------------------------------------------------

def test_attempts_until_unreachable(world, login):
    visit = pending(world)
    client = login(world.users["agent_a"])
    response = post(client, f"{VISITS}/{visit.pk}/attempts", {"outcome": "no_answer", "note": "无人接听"})
    assert response.status_code == 201, response.content
    assert response.json()["attempts"] == 1 and response.json()["attempt_log"][0]["outcome"] == "no_answer"
    before = snapshot(visit)
    assert fields_of(post(client, f"{VISITS}/{visit.pk}/attempts", {"outcome": "hung_up"})) == {"outcome"}
    assert snapshot(visit) == before
    post(client, f"{VISITS}/{visit.pk}/attempts", {"outcome": "busy"})
    body = post(client, f"{VISITS}/{visit.pk}/attempts", {"outcome": "busy"}).json()
    assert (body["attempts"], body["status"]) == (3, "unreachable")  # the default policy: 3 attempts
    assert_json_error(post(client, f"{VISITS}/{visit.pk}/attempts", {"outcome": "busy"}), 409)


def test_reschedule_with_reason_and_bad_input(world, login):
    visit = pending(world)
    client = login(world.users["agent_a"])
    later = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    response = post(client, f"{VISITS}/{visit.pk}/reschedule", {"due_by": later.isoformat(), "reason": "业主出差"})
    assert response.status_code == 200, response.content
    assert FollowUpVisit.objects.get(pk=visit.pk).due_by == later
    before = snapshot(visit)
    past = (timezone.now() - timedelta(days=1)).isoformat()
    assert fields_of(post(client, f"{VISITS}/{visit.pk}/reschedule", {"due_by": past, "reason": " "})) == {
        "due_by", "reason"}
    assert fields_of(post(client, f"{VISITS}/{visit.pk}/reschedule", {"reason": "x"}), 422) == {"due_by"}
    assert snapshot(visit) == before


RECORD = {"method": "phone", "satisfaction": 5, "quality": "good", "effect": "灯已修好", "confirmation": "phone"}


@pytest.mark.parametrize(("satisfaction", "status"), [(0, 400), (6, 400), (-1, 400), ("很好", 422), (4.5, 422)])
def test_satisfaction_outside_the_scale_names_the_field_and_writes_nothing(world, login, satisfaction, status):
    visit = pending(world)
    before = snapshot(visit)
    response = post(login(world.users["agent_a"]), f"{VISITS}/{visit.pk}/record",
                    {**RECORD, "satisfaction": satisfaction})
    assert "satisfaction" in fields_of(response, status)
    assert snapshot(visit) == before


def test_record_then_a_second_record_is_409_and_writes_nothing(world, login):
    visit = pending(world)
    client = login(world.users["agent_a"])
    response = post(client, f"{VISITS}/{visit.pk}/record", RECORD)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["satisfaction"], body["method"], body["late"]) == ("done", 5, "phone", False)
    before = snapshot(visit)
    again = post(login(world.users["pm_a"]), f"{VISITS}/{visit.pk}/record", {**RECORD, "satisfaction": 1})
    assert_json_error(again, 409)
    assert snapshot(visit) == before


def test_record_for_another_projects_visit_is_404(world, login):
    visit = pending(world)
    before = snapshot(visit)
    assert_json_error(post(login(world.users["agent_b"]), f"{VISITS}/{visit.pk}/record", RECORD), 404)
    assert snapshot(visit) == before


def test_late_record_and_dissatisfied_record_creates_a_complaint(world, login):
    visit = pending(world, due_in=timedelta(hours=-1))
    body = post(login(world.users["agent_a"]), f"{VISITS}/{visit.pk}/record",
                {**RECORD, "satisfaction": 1, "shortcomings": "灯又不亮了"}).json()
    assert (body["late"], body["decision"]) == (True, "complaint")  # no completed work order to reopen
    assert body["follow_request_number"] and body["decision_note"]


def test_online_record_of_a_complaint_is_refused(world, login):
    visit = pending(world, rule="complaint")
    before = snapshot(visit)
    response = post(login(world.users["agent_a"]), f"{VISITS}/{visit.pk}/record",
                    {**RECORD, "method": "online", "confirmation": "online"})
    assert "method" in fields_of(response, 409)
    assert snapshot(visit) == before


def test_review_by_the_project_manager(world, login):
    visit = pending(world)
    pm = login(world.users["pm_a"])
    assert_json_error(post(pm, f"{VISITS}/{visit.pk}/review", {"comment": "好"}), 409)  # not recorded yet
    post(login(world.users["agent_a"]), f"{VISITS}/{visit.pk}/record", RECORD)
    assert_json_error(post(login(world.users["agent_a"]), f"{VISITS}/{visit.pk}/review", {"comment": "好"}), 403)
    pm = login(world.users["pm_a"])
    assert fields_of(post(pm, f"{VISITS}/{visit.pk}/review", {"comment": "  "})) == {"comment"}
    response = post(pm, f"{VISITS}/{visit.pk}/review", {"comment": "回访及时，记录完整"})
    assert response.status_code == 200, response.content
    assert (response.json()["review_comment"], response.json()["reviewed_by_name"]) == ("回访及时，记录完整", "陈志强")
