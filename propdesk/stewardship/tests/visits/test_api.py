"""/api/steward/visits… as a program uses them: plans CRUD, the due list, recording a visit with needs → requests,
the visits of a month, the counts per steward; bad input (4xx, nothing written) and scope (404)."""

import pytest

from propdesk.core.testing import assert_json_error, make_user
from propdesk.servicedesk.models import ServiceRequest
from propdesk.stewardship.models import HomeVisit, HomeVisitNeed, HomeVisitPlan

from .helpers import covered

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def visit_body(world, **extra):
    return {"resident_id": world.residents["a_owner"].pk, "way": "in_person",
            "visited_at": "2026-11-23T09:15:00+08:00", "met": "周美玲和女儿", "discussed": "独居老人冬季安全检查",
            "impression": "satisfied", **extra}


def test_plans_crud(world, client):
    client.force_login(world.users["pm_a"])
    created = post(client, "/api/steward/visits/plans", {"project_id": world.project_a.pk, "target": "vip",
                                                         "frequency": "monthly"})
    assert created.status_code == 201 and created.json()["frequency_label"]
    plan_id = created.json()["id"]
    assert_json_error(post(client, "/api/steward/visits/plans", {"project_id": world.project_a.pk, "target": "vip",
                                                                "frequency": "yearly"}), 422)
    assert_json_error(post(client, "/api/steward/visits/plans", {"project_id": world.project_c.pk, "target": "vip",
                                                                "frequency": "yearly"}), 404)
    changed = client.put(f"/api/steward/visits/plans/{plan_id}", {"target": "vip", "frequency": "after_complaint",
                                                                  "after_complaint_days": 0},
                         content_type="application/json")
    body = assert_json_error(changed, 422)
    assert "after_complaint_days" in body["extra"]["fields"]
    listed = client.get("/api/steward/visits/plans", {"project_id": world.project_a.pk}).json()
    assert [p["target"] for p in listed] == ["vip"]
    assert client.delete(f"/api/steward/visits/plans/{plan_id}").status_code == 204
    assert not HomeVisitPlan.objects.exists()
    client.force_login(world.users["steward_a"])
    assert_json_error(post(client, "/api/steward/visits/plans", {"project_id": world.project_a.pk,
                                                                "target": "vip", "frequency": "monthly"}), 403)


def test_due_list_record_a_visit_with_needs_and_counts(world, client):
    covered(world)
    client.force_login(world.users["steward_a"])
    due = client.get("/api/steward/visits/due").json()
    assert [(d["resident_name"], d["status"], d["room_code"]) for d in due] == [("周美玲", "due", "3-2-1802")]
    created = post(client, "/api/steward/visits", visit_body(world, needs=[
        {"description": "楼道声控灯不亮", "kind": "repair"},
        {"description": "想了解老年食堂", "kind": "inquiry", "make_request": False}]))
    assert created.status_code == 201, created.content
    visit = created.json()
    assert visit["needs"][0]["request_number"] and visit["needs"][1]["request_id"] is None
    request = ServiceRequest.objects.get(pk=visit["needs"][0]["request_id"])
    assert request.channel == "staff" and request.reporter_id == world.residents["a_owner"].pk
    assert client.get("/api/steward/visits/due").json() == []
    assert client.get(f"/api/steward/visits/{visit['id']}").json()["discussed"] == "独居老人冬季安全检查"
    assert [v["id"] for v in client.get("/api/steward/visits").json()] == [visit["id"]]
    client.force_login(world.users["pm_a"])
    counts = {c["name"]: c for c in client.get("/api/steward/visits/counts").json()}
    assert (counts["王建国"]["done"], counts["王建国"]["needs"], counts["王建国"]["requests"]) == (1, 2, 1)
    assert counts["李梅"]["due"] == 1  # 吴强, a VIP never visited
    assert client.get("/api/steward/visits/counts", {"month": "2026-10"}).json()[0]["done"] == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"needs": [{"description": "   "}]}, "needs"),
    ({"needs": [{"description": "门锁坏了", "kind": "praise"}]}, "needs"),
    ({"visited_at": "2026-11-22T23:00:00+08:00"}, "visited_at"),
    ({"visited_at": "2026-11-24T09:00:00+08:00"}, "visited_at"),
    ({"discussed": "  "}, "discussed"),
])
def test_bad_visits_are_422_and_write_nothing(world, client, change, field):
    covered(world)
    client.force_login(world.users["steward_a"])
    body = assert_json_error(post(client, "/api/steward/visits", visit_body(world, **change)), 422)
    assert field in body["extra"]["fields"], body
    assert not HomeVisit.objects.exists() and not HomeVisitNeed.objects.exists()
    assert not ServiceRequest.objects.exists()


def test_another_projects_resident_or_visit_is_404(world, client):
    covered(world)
    client.force_login(world.users["steward_a"])
    assert_json_error(post(client, "/api/steward/visits", visit_body(
        world, resident_id=world.residents["b_owner"].pk)), 404)
    visit = post(client, "/api/steward/visits", visit_body(world)).json()
    client.force_login(world.users["agent_b"])
    assert_json_error(client.get(f"/api/steward/visits/{visit['id']}"), 403)
    client.force_login(make_user("pm_b", role="project_manager", project=world.project_b))
    assert_json_error(client.get(f"/api/steward/visits/{visit['id']}"), 404)
    client.force_login(world.users["admin"])
    assert client.get(f"/api/steward/visits/{visit['id']}").status_code == 200
