"""The project staff page /staff/ through the browser's client: list, filters, add, edit, certificates,
deactivate; another project's staff member is a 404; the query count does not grow with the people shown."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from propdesk.core.testing import make_user, password_login
from propdesk.staff.models import StaffCertificate, StaffProfile

from .team_helpers import engineering, on_duty, open_orders, technician

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def team(world):
    liu = world.users["technician_a"]
    wang = technician(world, "tech_wang", "王师傅", skills=["plumbing_electrical"],
                      certificates=[("electrician", "T310101198801011234", date(2029, 6, 30)),
                                    ("high_voltage", "G2020-0087", date(2026, 11, 1))])
    zhao = technician(world, "tech_zhao", "赵师傅", skills=["lift"],
                      certificates=[("lift", "TS-DT-5566", date(2026, 12, 10))])
    on_duty(world, wang)
    return {"liu": liu, "wang": wang, "zhao": zhao}


def test_pm_sees_the_project_staff_with_duty_skills_certificates(world, login, team):
    open_orders(world, team["wang"], 2)
    client = login(world.users["pm_a"])
    page = client.get(reverse("team:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "王师傅" in html and "赵师傅" in html and "张晓燕" in html  # agent too
    assert "金桂苑" not in html  # no other project's
    row = next(r for _d, rows in page.context["groups"] for r in rows if r.profile.user_id == team["wang"].pk)
    assert row.on_duty and row.open_orders == 2
    assert [c.state for c in row.certificates] == ["valid", "expired"]
    assert page.context["expired"] == 1 and page.context["expiring"] == 1  # the lift certificate: 2026-12-10


def test_mobile_is_masked_without_reveal(world, login, team):
    StaffProfile.objects.filter(user=team["wang"]).update(mobile="13912345678")
    admin_page = login(world.users["pm_a"]).get(reverse("team:list"))
    assert "13912345678" in admin_page.content.decode()  # PMs may reveal numbers
    from propdesk.staff.rules import roles
    assert roles.can("project_manager", roles.Capability.REVEAL_PHONE)


def test_filters_by_department_and_skill(world, login, team):
    client = login(world.users["pm_a"])
    page = client.get(reverse("team:list"), {"skill": "lift"})
    names = [r.profile.display_name for _d, rows in page.context["groups"] for r in rows]
    assert names == ["赵师傅"]
    page = client.get(reverse("team:list"), {"department": engineering(world.project_a).pk})
    names = {r.profile.display_name for _d, rows in page.context["groups"] for r in rows}
    assert names == {"刘师傅", "王师傅", "赵师傅"}


def test_others_may_not_manage_staff(world, login):
    assert login(world.users["agent_a"]).get(reverse("team:list")).status_code == 403
    assert login(world.users["technician_a"]).get(reverse("team:list")).status_code == 403


def test_pm_of_another_project_gets_404(world, login, team):
    pm_b = make_user("pm_b", role="project_manager", project=world.project_b, display_name="何经理")
    client = login(pm_b)
    profile = team["wang"].staff_profile
    assert client.get(reverse("team:member", args=[profile.pk])).status_code == 404
    assert client.post(reverse("team:deactivate", args=[profile.pk])).status_code == 404
    assert client.get(reverse("team:list"), {"project": world.project_a.pk}).status_code == 404
    assert "王师傅" not in client.get(reverse("team:list")).content.decode()
    assert StaffProfile.objects.get(pk=profile.pk).is_active


def test_add_with_temporary_password_shown_once(world, login, client):
    pm = login(world.users["pm_a"])
    page = pm.post(reverse("team:add") + f"?project={world.project_a.pk}", {
        "display_name": "孙师傅", "role": "technician", "department_id": engineering(world.project_a).pk,
        "mobile": "139 0000 2222", "skills": ["plumbing_electrical", "air_conditioning"], "sign_in": "password"})
    assert page.status_code == 201
    password = page.context["temporary_password"]
    assert password and password in page.content.decode()
    profile = StaffProfile.objects.get(display_name="孙师傅")
    assert profile.project_id == world.project_a.pk and profile.mobile == "13900002222"
    assert profile.user.username == "m13900002222"
    assert sorted(profile.skills.values_list("skill", flat=True)) == ["air_conditioning", "plumbing_electrical"]
    assert password_login(client, "m13900002222", password)
    again = pm.get(reverse("team:member", args=[profile.pk]))
    assert password not in again.content.decode()


def test_add_with_mobile_sign_in_has_no_password(world, login):
    pm = login(world.users["pm_a"])
    page = pm.post(reverse("team:add"), {"display_name": "郑管家", "role": "steward", "mobile": "13900003333",
                                        "sign_in": "mobile"})
    assert page.status_code == 201 and not page.context["temporary_password"]
    assert not StaffProfile.objects.get(display_name="郑管家").user.has_usable_password()


@pytest.mark.parametrize(("data", "field"), [
    ({"display_name": "", "role": "agent"}, "display_name"),
    ({"display_name": "钱经理", "role": "project_manager"}, "role"),  # a PM may not make managers
    ({"display_name": "孙师傅", "role": "technician"}, "department_id"),
    ({"display_name": "孙师傅", "role": "agent", "mobile": "12345"}, "mobile"),
    ({"display_name": "孙师傅", "role": "agent", "sign_in": "mobile"}, "mobile"),
])
def test_add_bad_input_shows_by_the_field(world, login, data, field):
    pm = login(world.users["pm_a"])
    before = StaffProfile.objects.count()
    page = pm.post(reverse("team:add"), {"sign_in": "password", **data})
    assert page.status_code == 200
    assert page.context["form"].errors.get(field), page.context["form"].errors
    assert f'id="row-{field}"' in page.content.decode()
    assert StaffProfile.objects.count() == before and not User.objects.filter(username="m12345").exists()


def test_duplicate_mobile_and_department_of_another_project(world, login, team):
    StaffProfile.objects.filter(user=team["wang"]).update(mobile="13900004444")
    pm = login(world.users["pm_a"])
    page = pm.post(reverse("team:add"), {"display_name": "孙师傅", "role": "technician", "mobile": "13900004444",
                                        "department_id": engineering(world.project_a).pk, "sign_in": "password"})
    assert page.context["form"].errors.get("mobile")
    page = pm.post(reverse("team:add"), {"display_name": "孙师傅", "role": "technician", "mobile": "13900006666",
                                        "department_id": engineering(world.project_b).pk, "sign_in": "password"})
    assert page.context["form"].errors.get("department_id")
    assert not StaffProfile.objects.filter(display_name="孙师傅").exists()


def test_edit_role_department_skills(world, login, team):
    pm = login(world.users["pm_a"])
    profile = team["zhao"].staff_profile
    response = pm.post(reverse("team:member", args=[profile.pk]), {
        "display_name": "赵建华", "role": "technician", "department_id": engineering(world.project_a).pk,
        "mobile": "13900005555", "skills": ["lift", "fire"]})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.display_name == "赵建华" and profile.mobile == "13900005555"
    assert set(profile.skills.values_list("skill", flat=True)) == {"lift", "fire"}
    bad = pm.post(reverse("team:member", args=[profile.pk]), {"display_name": "赵建华", "role": "technician",
                                                             "department_id": "", "mobile": ""})
    assert bad.status_code == 400 and bad.context["edit_form"].errors.get("department_id")


def test_pm_cannot_change_a_manager(world, login):
    pm = login(world.users["pm_a"])
    other = make_user("pm_a2", role="project_manager", project=world.project_a, display_name="副经理")
    page = pm.get(reverse("team:member", args=[other.staff_profile.pk]))
    assert page.status_code == 200 and not page.context["editable"]
    assert pm.post(reverse("team:deactivate", args=[other.staff_profile.pk])).status_code == 403
    assert StaffProfile.objects.get(pk=other.staff_profile.pk).is_active


def test_certificates_add_and_expired_shows(world, login, team):
    pm = login(world.users["pm_a"])
    profile = team["liu"].staff_profile
    url = reverse("team:certificate_add", args=[profile.pk])
    assert pm.post(url, {"kind": "electrician", "number": "T3101", "valid_until": "2028-06-30"}).status_code == 302
    assert pm.post(url, {"kind": "welder", "number": "H-77", "valid_until": "2025-01-31"}).status_code == 302
    page = pm.get(reverse("team:member", args=[profile.pk]))
    states = {c.certificate.kind: c.state for c in page.context["row"].certificates}
    assert states == {"electrician": "valid", "welder": "expired"}
    bad = pm.post(url, {"kind": "electrician", "number": "T3101", "valid_until": "2028-06-30"})
    assert bad.status_code == 400 and bad.context["certificate_form"].errors.get("number")
    bad = pm.post(url, {"kind": "x", "number": "", "valid_until": "明年"})
    assert bad.status_code == 400 and set(bad.context["certificate_form"].errors) == {"kind", "number", "valid_until"}
    welder = StaffCertificate.objects.get(kind="welder")
    assert pm.post(reverse("team:certificate_remove", args=[profile.pk, welder.pk])).status_code == 302
    assert not StaffCertificate.objects.filter(pk=welder.pk).exists()


def test_deactivate_refused_while_holding_open_orders(world, login, team):
    open_orders(world, team["wang"], 1)
    pm = login(world.users["pm_a"])
    profile = team["wang"].staff_profile
    page = pm.post(reverse("team:deactivate", args=[profile.pk]), follow=True)
    assert "1" in str(list(page.context["messages"])[0])
    assert StaffProfile.objects.get(pk=profile.pk).is_active
    zhao = team["zhao"].staff_profile
    pm.post(reverse("team:deactivate", args=[zhao.pk]))
    zhao.refresh_from_db()
    assert not zhao.is_active and not User.objects.get(pk=zhao.user_id).is_active
    assert StaffProfile.objects.filter(pk=zhao.pk).exists()  # never deleted
    assert f'id="member-{zhao.pk}"' not in pm.get(reverse("team:list")).content.decode()
    assert f'id="member-{zhao.pk}"' in pm.get(reverse("team:list"), {"inactive": "1"}).content.decode()
    pm.post(reverse("team:reactivate", args=[zhao.pk]))
    assert StaffProfile.objects.get(pk=zhao.pk).is_active


def test_admin_manages_every_project(world, login, team):
    admin = login(world.users["admin"])
    assert admin.get(reverse("team:list"), {"project": world.project_c.pk}).status_code == 200
    assert admin.get(reverse("team:member", args=[team["wang"].staff_profile.pk])).status_code == 200


def test_list_queries_do_not_grow_with_people(world, login, django_assert_max_num_queries):
    pm = login(world.users["pm_a"])
    for i in range(2):
        technician(world, f"few{i}", f"甲{i}", skills=["lift"], certificates=[("lift", f"L{i}", date(2027, 1, 1))])
    with django_assert_max_num_queries(12) as few:
        assert pm.get(reverse("team:list")).status_code == 200
    for i in range(20):
        user = technician(world, f"many{i}", f"乙{i}", skills=["fire", "lift"],
                          certificates=[("lift", f"M{i}", date(2027, 1, 1)), ("welder", f"W{i}", date(2025, 1, 1))])
        on_duty(world, user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = pm.get(reverse("team:list"))
    assert page.context["count"] >= 22
