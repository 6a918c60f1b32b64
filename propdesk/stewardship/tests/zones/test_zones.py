"""Zones 责任区: the PM's page and API (load per steward, one-step reassignment), first-contact tasks (the occupancy
hook, reassignment, the steward's worklist, the late sweep), the steward on the customer page and in the app."""

from datetime import timedelta

import pytest
from django.utils import timezone

from propdesk.core.testing import assert_json_error, make_user, sh
from propdesk.customers.models import Occupancy
from propdesk.customers.services.residents import occupancy_add
from propdesk.notify.models import Notification
from propdesk.org.models import Building
from propdesk.stewardship.models import ContactTask, ZoneAssignment
from propdesk.stewardship.models.contacts import ContactStatus
from propdesk.stewardship.services.zones import contacts_escalate_late, zone_assign

NOW = sh(2026, 11, 23, 10, 0)


def _b(world, project, number):
    return Building.objects.get(project=project, number=number)


@pytest.fixture
def zoned(world):
    """Project A: building 3 to 王建国 (steward_a), building 5 to a second steward 李梅; 李梅 has a mobile."""
    a = world.project_a
    world.users["steward2_a"] = make_user("steward2_a", role="steward", project=a, display_name="李梅")
    world.users["steward2_a"].staff_profile.mobile = "13800000000"
    world.users["steward2_a"].staff_profile.save()
    world.users["steward_a"].staff_profile.mobile = "13911112222"
    world.users["steward_a"].staff_profile.save()
    zone_assign(project=a, buildings=[_b(world, a, "3").pk], steward=world.users["steward_a"],
                actor=world.users["pm_a"], now=NOW)
    zone_assign(project=a, buildings=[_b(world, a, "5").pk], steward=world.users["steward2_a"],
                actor=world.users["pm_a"], now=NOW)
    return world


def test_assign_creates_a_task_for_each_current_resident(zoned):
    w = zoned
    tasks = ContactTask.objects.filter(steward=w.users["steward_a"], status=ContactStatus.OPEN)
    # 3-2-1802: the owner and her family member
    assert sorted(t.resident.name for t in tasks) == ["周子轩", "周美玲"]
    assert all(t.due_at == NOW + timedelta(days=7) and t.reason == "reassigned" for t in tasks)
    assert ContactTask.objects.filter(steward=w.users["steward2_a"]).get().resident == w.residents["a_tenant"]


def test_reassign_hands_over_open_tasks_and_skips_unchanged(zoned):
    w, a = zoned, zoned.project_a
    later = NOW + timedelta(days=1)
    result = zone_assign(project=a, buildings=[_b(w, a, "3").pk, _b(w, a, "5").pk], steward=w.users["steward2_a"],
                         actor=w.users["pm_a"], now=later)
    assert result["changed"] == [_b(w, a, "3").pk] and result["tasks_created"] == 2
    assert ZoneAssignment.objects.get(building=_b(w, a, "3")).steward == w.users["steward2_a"]
    assert not ContactTask.objects.filter(steward=w.users["steward_a"], status=ContactStatus.OPEN).exists()
    assert ContactTask.objects.filter(steward=w.users["steward_a"], status=ContactStatus.SUPERSEDED).count() == 2
    # no duplicate open task: the tenant of building 5 still has one
    assert ContactTask.objects.filter(steward=w.users["steward2_a"], status=ContactStatus.OPEN).count() == 3


def test_new_tenant_creates_a_task_due_in_7_days(zoned):
    w = zoned
    resident = w.residents["b_owner"].__class__.objects.create(
        project=w.project_a, archive_no="X1", registered_on=NOW.date(), name="孙丽")
    occupancy_add(resident=resident, room=w.room(w.project_a, "3-1-101"), relation="tenant")
    task = ContactTask.objects.get(resident=resident)
    assert task.steward == w.users["steward_a"] and task.reason == "moved_in"
    assert abs(task.due_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=5)
    # a second home in the same zone: still one open task
    occupancy_add(resident=resident, room=w.room(w.project_a, "3-1-102"), relation="family")
    assert ContactTask.objects.filter(resident=resident).count() == 1


def test_no_task_without_a_steward(world):
    owner = world.residents["a_owner"]
    occupancy_add(resident=owner, room=world.room(world.project_a, "5-1-302"), relation="owner")
    assert not ContactTask.objects.exists()


def test_assign_refuses_other_project_and_non_stewards(zoned):
    w, a = zoned, zoned.project_a
    from propdesk.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as error:
        zone_assign(project=a, buildings=[_b(w, w.project_b, "3").pk], steward=w.users["steward_a"],
                    actor=w.users["pm_a"], now=NOW)
    assert "buildings" in error.value.field_errors
    with pytest.raises(ApplicationError) as error:
        zone_assign(project=a, buildings=[_b(w, a, "3").pk], steward=w.users["agent_a"], actor=w.users["pm_a"],
                    now=NOW)
    assert "steward" in error.value.field_errors
    with pytest.raises(ApplicationError):
        zone_assign(project=a, buildings=[_b(w, a, "3").pk], steward=w.users["steward2_a"],
                    actor=w.users["steward_a"], now=NOW)
    assert ZoneAssignment.objects.get(building=_b(w, a, "3")).steward == w.users["steward_a"]


def test_zones_page_shows_load_and_reassigns(zoned, login):
    from propdesk.fees.models import Account

    w, a = zoned, zoned.project_a
    for code, owed in (("3-2-1802", 35980), ("3-1-101", 12000), ("5-1-301", 0)):
        Account.objects.create(room=w.room(a, code), project=a, owed_fen=owed)
    client = login(w.users["pm_a"])
    page = client.get("/steward/zones/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "王建国" in html and "李梅" in html and 'id="steward-load"' in html
    load = page.context["load"]
    wang = next(s for s in load.stewards if s.name == "王建国")
    assert wang.homes == 80 and wang.residents == 2 and wang.open_tasks == 2 and wang.balance == "heavy"
    assert wang.owed_fen == 47980 and wang.homes_in_arrears == 2 and "¥479.80" in html
    li = next(s for s in load.stewards if s.name == "李梅")
    assert li.homes == 24 and li.balance == "light"
    # bad input: no steward chosen → the message by the field, nothing written
    bad = client.post("/steward/zones/", {"project": a.pk, "buildings": [_b(w, a, "3").pk], "steward": ""})
    assert bad.status_code == 200 and bad.context["form"].errors["steward"]
    # another project's building → the field message
    bad = client.post("/steward/zones/", {"project": a.pk, "buildings": [_b(w, w.project_b, "3").pk],
                                          "steward": w.users["steward2_a"].pk})
    assert bad.status_code == 200 and bad.context["form"].errors["buildings"]
    ok = client.post("/steward/zones/", {"project": a.pk, "buildings": [_b(w, a, "3").pk],
                                         "steward": w.users["steward2_a"].pk})
    assert ok.status_code == 302
    assert ZoneAssignment.objects.get(building=_b(w, a, "3")).steward == w.users["steward2_a"]


def test_zones_page_other_project_is_404_and_steward_403(zoned, login):
    w = zoned
    assert login(w.users["pm_a"]).get(f"/steward/zones/?project={w.project_b.pk}").status_code == 404
    assert login(w.users["steward_a"]).get("/steward/zones/").status_code == 403


def test_zones_api_and_assign(zoned, login):
    w, a = zoned, zoned.project_a
    client = login(w.users["pm_a"])
    data = client.get("/api/steward/zones").json()
    assert data["project"] == "翠湖花园" and {s["name"] for s in data["stewards"]} == {"王建国", "李梅"}
    bad = client.post("/api/steward/zones/assign", {"building_ids": [_b(w, w.project_b, "3").pk],
                                                    "steward_id": w.users["steward_a"].pk},
                      content_type="application/json")
    assert "building_ids" in assert_json_error(bad, 422)["extra"]["fields"]
    assert_json_error(client.post("/api/steward/zones/assign", {"project_id": w.project_b.pk, "building_ids": [1],
                                                                "steward_id": 1}, content_type="application/json"),
                      404)
    ok = client.post("/api/steward/zones/assign", {"building_ids": [_b(w, a, "5").pk],
                                                   "steward_id": w.users["steward_a"].pk},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json() == {"changed_building_ids": [_b(w, a, "5").pk], "contacts_created": 1}
    assert "project_id" in assert_json_error(client.get(f"/api/steward/zones?project_id={w.project_b.pk}"),
                                             400)["extra"]["fields"]
    assert_json_error(login(w.users["steward_a"]).get("/api/steward/zones"), 403)


def test_steward_worklist_and_record(zoned, login):
    w = zoned
    client = login(w.users["steward_a"])
    page = client.get("/steward/contacts/")
    assert page.status_code == 200 and "周美玲" in page.content.decode() and "吴强" not in page.content.decode()
    task = ContactTask.objects.get(resident=w.residents["a_owner"])
    bad = client.post(f"/steward/contacts/{task.pk}/", {"method": "phone", "note": " "})
    assert bad.status_code == 200 and bad.context["form"].errors["note"]
    ok = client.post(f"/steward/contacts/{task.pk}/", {"method": "in_person", "note": "上门认识，留了微信"})
    assert ok.status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.method == "in_person" and task.done_by == w.users["steward_a"]
    # another steward's task is not there
    other = ContactTask.objects.get(resident=w.residents["a_tenant"])
    assert client.get(f"/steward/contacts/{other.pk}/").status_code == 404
    # API: list and complete, a second time refused
    api = client.get("/api/steward/contacts").json()
    assert [t["resident"] for t in api] == ["周子轩"]
    url = f"/api/steward/contacts/{api[0]['id']}/complete"
    done = client.post(url, {"method": "wechat", "note": "加了微信"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert_json_error(client.post(url, {"method": "wechat", "note": "再来"}, content_type="application/json"), 409)
    assert_json_error(client.post(url, {"method": "fax", "note": "x"}, content_type="application/json"), 422)
    assert_json_error(client.post(f"/api/steward/contacts/{other.pk}/complete", {"method": "phone", "note": "x"},
                                  content_type="application/json"), 404)


def test_late_sweep_tells_the_pm_once(zoned):
    w = zoned
    assert contacts_escalate_late(now=NOW + timedelta(days=6)) == 0
    later = NOW + timedelta(days=8)
    assert contacts_escalate_late(now=later) == 3
    notes = Notification.objects.filter(recipient=w.users["pm_a"], kind="contact_late")
    assert notes.count() == 1 and "周美玲" in notes.get().body
    assert contacts_escalate_late(now=later + timedelta(hours=1)) == 0
    assert notes.count() == 1
    assert ContactTask.objects.filter(escalated_at=later).count() == 3


def test_customer_page_panel_and_portal(zoned, login):
    w = zoned
    html = login(w.users["agent_a"]).get(f"/customers/{w.residents['a_owner'].pk}/").content.decode()
    assert 'id="resident-steward"' in html
    assert "王建国" in html and "13911112222" in html  # agents may see phones
    html = login(w.users["technician_a"]).get(f"/customers/{w.residents['a_owner'].pk}/").content.decode()
    assert "王建国" in html and "139****2222" in html and "13911112222" not in html
    client = login(w.users["resident_a"])
    home = client.get("/my/").content.decode()
    assert "王建国" in home and 'href="tel:13911112222"' in home and "李梅" not in home
    me = client.get("/api/portal/me").json()
    assert me["homes"][0]["steward"] == {"name": "王建国", "mobile": "13911112222"}


def test_zones_page_queries_do_not_grow_with_buildings(zoned, login, django_assert_max_num_queries):
    from propdesk.org.services.buildings import building_create

    w, a = zoned, zoned.project_a
    client = login(w.users["pm_a"])
    client.get("/steward/zones/")
    with django_assert_max_num_queries(30) as small:
        client.get("/steward/zones/")
    for number in range(10, 28):
        building = building_create(project=a, number=str(number), floors=2, units=1, rooms_per_floor=2)
        ZoneAssignment.objects.create(project=a, building=building, steward=w.users["steward2_a"], assigned_at=NOW)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/steward/zones/").status_code == 200


def test_worklist_queries_do_not_grow(zoned, login, django_assert_max_num_queries):
    w = zoned
    client = login(w.users["steward2_a"])
    client.get("/steward/contacts/")
    with django_assert_max_num_queries(30) as small:
        client.get("/steward/contacts/")
    resident_model = Occupancy._meta.get_field("resident").related_model
    for index in range(20):
        r = resident_model.objects.create(project=w.project_a, archive_no=f"Q{index}", registered_on=NOW.date(),
                                          name=f"住户{index}")
        occupancy_add(resident=r, room=w.room(w.project_a, "5-1-302"), relation="family")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/steward/contacts/").status_code == 200


def test_balance_buildings_by_homes():
    from propdesk.console.demo.zones import balance_buildings

    result = balance_buildings([(1, 80), (2, 24), (3, 24), (4, 40)], [10, 11])
    load = {10: 0, 11: 0}
    for building, steward in result.items():
        load[steward] += dict([(1, 80), (2, 24), (3, 24), (4, 40)])[building]
    assert load == {10: 80, 11: 88}


def test_demo_builder_at_small_scale(world):
    """The builder on the test world, standing in for the demo plan: both stewards get buildings, recent movers a
    task, the old ones late."""
    from types import SimpleNamespace

    from propdesk.console.demo.zones import build_zones

    a = world.project_a
    a.code = "cuihu"
    a.save(update_fields=["code"])
    make_user("steward_cuihu", role="steward", project=a, display_name="王建国")
    make_user("steward_cuihu2", role="steward", project=a, display_name="李梅")
    Occupancy.objects.filter(project=a).update(start_date=NOW.date() - timedelta(days=10))
    plan = SimpleNamespace(seed=1, projects=[SimpleNamespace(spec=SimpleNamespace(code="cuihu"))])
    counts = build_zones(plan, today=NOW.date())
    assert counts["zones"] == 2 and counts["contact_tasks"] == 3
    assert ZoneAssignment.objects.values("steward").distinct().count() == 2


def test_the_staff_page_of_a_steward_shows_their_zone(zoned, client):
    """The project manager opens a steward on the project's staff page and reads which buildings are theirs."""
    client.force_login(zoned.users["pm_a"])
    page = client.get(f"/staff/{zoned.users['steward2_a'].staff_profile.pk}/")
    assert page.status_code == 200
    zone = page.content.decode().split('id="member-zone"')[1].split("</p>")[0]
    assert "5 栋" in zone and "3 栋" not in zone
