"""The staff API /api/staff/… and the dispatch suggestions /api/desk/requests/{id}/assignee-suggestions, and the
suggestions on the dispatch form of a request."""

from datetime import date

import pytest
from django.urls import reverse

from propdesk.core.testing import assert_json_error, make_user
from propdesk.servicedesk.services.workorders import workorder_create
from propdesk.staff.models import StaffCertificate, StaffProfile

from .team_helpers import engineering, on_duty, open_orders, repair, technician

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def people(world):
    """刘师傅 (the world's) has nothing; 王师傅 an electrician with a valid 电工证 and 3 open orders; 张工 a plumber
    whose 电工证 expired; 赵师傅 lifts. 张工 and 王师傅 are on duty now."""
    wang = technician(world, "tech_wang", "王师傅", skills=["plumbing_electrical"],
                      certificates=[("electrician", "T3101", date(2029, 6, 30))])
    zhang = technician(world, "tech_zhang", "张工", skills=["plumbing_electrical"],
                       certificates=[("electrician", "T3102", date(2025, 6, 30))])
    zhao = technician(world, "tech_zhao", "赵师傅", skills=["lift"], certificates=[("lift", "L1", date(2028, 1, 1))])
    on_duty(world, wang)
    on_duty(world, zhang)
    open_orders(world, wang, 3)
    return {"liu": world.users["technician_a"], "wang": wang, "zhang": zhang, "zhao": zhao}


def test_list_and_one_member(world, login, people):
    client = login(world.users["pm_a"])
    rows = client.get("/api/staff/members", {"department": engineering(world.project_a).pk}).json()
    by_name = {r["display_name"]: r for r in rows}
    assert set(by_name) == {"刘师傅", "王师傅", "张工", "赵师傅"}
    assert by_name["王师傅"]["on_duty"] and by_name["王师傅"]["open_orders"] == 3
    assert [c["state"] for c in by_name["张工"]["certificates"]] == ["expired"]
    one = client.get(f"/api/staff/members/{by_name['赵师傅']['id']}").json()
    assert one["skills"] == ["lift"] and one["role"] == "technician"
    assert client.get("/api/staff/members", {"skill": "lift"}).json()[0]["display_name"] == "赵师傅"
    assert_json_error(client.get("/api/staff/members", {"skill": "juggling"}), 400)
    choices = client.get("/api/staff/choices").json()
    assert {r["code"] for r in choices["roles"]} == {"agent", "steward", "technician", "dept_staff"}


def test_create_update_certificates_deactivate(world, login):
    client = login(world.users["pm_a"])
    created = client.post("/api/staff/members", {
        "display_name": "孙师傅", "role": "technician", "department_id": engineering(world.project_a).pk,
        "mobile": "13900007777", "skills": ["air_conditioning"]}, content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["temporary_password"] and body["username"] == "m13900007777"
    member = f"/api/staff/members/{body['id']}"
    assert "temporary_password" not in client.get(member).json()
    patched = client.patch(member, {"skills": ["air_conditioning", "plumbing_electrical"], "display_name": "孙建军"},
                           content_type=JSON)
    assert patched.status_code == 200 and patched.json()["display_name"] == "孙建军"
    cert = client.post(f"{member}/certificates", {"kind": "refrigeration", "number": "ZL-01",
                                                  "valid_until": "2026-12-01"}, content_type=JSON)
    assert cert.status_code == 201 and cert.json()["state"] == "expiring"
    assert_json_error(client.post(f"{member}/certificates", {"kind": "refrigeration", "number": "",
                                                             "valid_until": "2026-12-01"}, content_type=JSON), 400)
    assert_json_error(client.post(f"{member}/certificates", {"kind": "refrigeration", "number": "x",
                                                             "valid_until": "someday"}, content_type=JSON), 422)
    assert client.delete(f"{member}/certificates/{cert.json()['id']}").status_code == 204
    assert_json_error(client.delete(f"{member}/certificates/{cert.json()['id']}"), 404)
    done = client.post(f"{member}/deactivate", content_type=JSON)
    assert done.status_code == 200 and done.json()["is_active"] is False


def test_create_bad_input_names_the_field(world, login):
    client = login(world.users["pm_a"])
    before = StaffProfile.objects.count()
    body = assert_json_error(client.post("/api/staff/members", {"display_name": "钱", "role": "project_manager",
                                                                "mobile": "999"}, content_type=JSON), 400)
    assert set(body["extra"]["fields"]) >= {"role", "mobile"}
    assert_json_error(client.post("/api/staff/members", {"role": "agent"}, content_type=JSON), 422)
    assert_json_error(client.post("/api/staff/members", [], content_type=JSON), 422)
    assert StaffProfile.objects.count() == before


def test_deactivate_with_open_orders_is_409(world, login, people):
    client = login(world.users["pm_a"])
    profile = people["wang"].staff_profile
    body = assert_json_error(client.post(f"/api/staff/members/{profile.pk}/deactivate", content_type=JSON), 409)
    assert body["extra"]["open_orders"] == 3
    assert StaffProfile.objects.get(pk=profile.pk).is_active


def test_other_scope_is_404_and_others_403(world, login, people):
    pm_b = make_user("pm_b", role="project_manager", project=world.project_b, display_name="何经理")
    client = login(pm_b)
    member = f"/api/staff/members/{people['wang'].staff_profile.pk}"
    assert_json_error(client.get(member), 404)
    assert_json_error(client.patch(member, {"display_name": "越权"}, content_type=JSON), 404)
    assert_json_error(client.post(f"{member}/certificates", {"kind": "welder", "number": "越权",
                                                             "valid_until": "2030-01-01"}, content_type=JSON), 404)
    body = assert_json_error(client.get("/api/staff/members", {"project": world.project_a.pk}), 400)
    assert "project" in body["extra"]["fields"]
    assert all(r["project_id"] == world.project_b.pk for r in client.get("/api/staff/members").json())
    assert StaffProfile.objects.get(user=people["wang"]).display_name == "王师傅"
    assert not StaffCertificate.objects.filter(number="越权").exists()
    assert_json_error(login(world.users["agent_a"]).get("/api/staff/members"), 403)


def test_suggestions_rank_on_duty_skill_certificate_then_load(world, login, people):
    sr = repair(world, "厨房插座跳闸，整屋没电")
    client = login(world.users["agent_a"])
    answer = client.get(f"/api/desk/requests/{sr.pk}/assignee-suggestions",
                        {"department": engineering(world.project_a).pk})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["needed_skills"] == ["plumbing_electrical"] and body["needed_certificates"] == ["electrician"]
    names = [p["display_name"] for p in body["people"]]
    # On duty first: 王师傅 holds a valid 电工证 (3 open), 张工's expired; then the off-duty by skill and load.
    assert names == ["王师傅", "张工", "刘师傅", "赵师傅"]
    first = body["people"][0]
    assert first["recommended"] and first["on_duty"] and first["has_certificate"] and first["open_orders"] == 3
    assert not body["people"][1]["has_certificate"]
    assert "3" in first["reason"]


def test_suggestions_bad_department_and_other_scope(world, login, people):
    sr = repair(world)
    client = login(world.users["agent_a"])
    url = f"/api/desk/requests/{sr.pk}/assignee-suggestions"
    assert_json_error(client.get(url, {"department": engineering(world.project_b).pk}), 400)
    assert_json_error(client.get(url), 422)
    assert_json_error(client.get(url, {"department": "x"}), 422)
    assert_json_error(login(world.users["agent_b"]).get(url, {"department": engineering(world.project_a).pk}), 404)
    assert_json_error(login(world.users["technician_a"]).get(url, {"department": 1}), 403)


def test_suggestion_queries_do_not_grow(world, login, django_assert_max_num_queries):
    sr = repair(world, "电梯困人")
    client = login(world.users["agent_a"])
    url = f"/api/desk/requests/{sr.pk}/assignee-suggestions?department={engineering(world.project_a).pk}"
    technician(world, "t_x", "甲", skills=["lift"], certificates=[("lift", "L", date(2028, 1, 1))])
    with django_assert_max_num_queries(20) as few:
        assert len(client.get(url).json()["people"]) == 2
    for i in range(20):
        user = technician(world, f"t{i}", f"乙{i}", skills=["lift"], certificates=[("lift", f"L{i}", date(2028, 1, 1))])
        on_duty(world, user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).json()["people"]) == 22


def test_dispatch_form_lists_people_best_first_with_reasons(world, login, people):
    sr = repair(world, "卫生间插座跳闸")
    workorder_create(request=sr, department=engineering(world.project_a), actor=world.users["agent_a"])
    page = login(world.users["agent_a"]).get(reverse("servicedesk:request_detail", args=[sr.pk]))
    html = page.content.decode()
    assert html.index("王师傅") < html.index("张工") < html.index("赵师傅")
    wang = next(p for p in page.context["assignable"] if p.user_id == people["wang"].pk)
    assert wang.recommended and wang.on_duty and wang.has_certificate and wang.open_orders == 3
