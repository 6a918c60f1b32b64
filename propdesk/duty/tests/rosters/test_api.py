"""The roster API: shift kinds CRUD, the week's roster, assign (refusals 4xx with the field, nothing written) and
remove, copy, on duty now, gaps; another project's objects are 404."""

from datetime import date, timedelta

import pytest

from propdesk.core.testing import assert_json_error, make_user, sh
from propdesk.duty.models import RosterEntry, ShiftKind
from propdesk.duty.services.rosters import roster_assign

from .helpers import engineer, engineering, shifts

pytestmark = pytest.mark.django_db
J = "application/json"
TODAY = date(2026, 11, 23)


def test_shifts_and_the_roster_through_the_api(world, client, login):
    login(world.users["pm_a"])
    eng = engineering(world)
    made = client.post("/api/duty/shifts", {"project_id": world.project_a.pk, "department_id": eng.pk,
                                            "name": "夜班", "starts": "20:00", "ends": "08:00"}, content_type=J)
    assert made.status_code == 201 and made.json()["overnight"] is True
    shift_id = made.json()["id"]
    dup = client.post("/api/duty/shifts", {"project_id": world.project_a.pk, "department_id": eng.pk,
                                           "name": "夜班", "starts": "21:00", "ends": "09:00"}, content_type=J)
    assert "name" in assert_json_error(dup, 400)["extra"]["fields"]
    assert client.patch(f"/api/duty/shifts/{shift_id}", {"min_people": 2}, content_type=J).json()["min_people"] == 2
    listed = client.get(f"/api/duty/shifts?project={world.project_a.pk}&department={eng.pk}").json()
    assert [s["name"] for s in listed] == ["夜班"]

    tech = world.users["technician_a"]
    entry = client.post("/api/duty/roster", {"shift_id": shift_id, "day": "2026-11-23", "user_id": tech.pk},
                        content_type=J)
    assert entry.status_code == 201, entry.content
    assert entry.json()["starts_at"].startswith("2026-11-23T12:00") and entry.json()["name"] == "刘师傅"
    late = ShiftKind.objects.create(project=world.project_a, department=eng, name="加班", starts="19:00", ends="23:00")
    clash = client.post("/api/duty/roster", {"shift_id": late.pk, "day": "2026-11-23", "user_id": tech.pk},
                        content_type=J)
    assert "user_id" in assert_json_error(clash, 400)["extra"]["fields"]
    outsider = client.post("/api/duty/roster", {"shift_id": shift_id, "day": "2026-11-24",
                                                "user_id": world.users["agent_a"].pk}, content_type=J)
    assert "user_id" in assert_json_error(outsider, 400)["extra"]["fields"]
    assert_json_error(client.post("/api/duty/roster", {"shift_id": shift_id, "day": "tomorrow",
                                                       "user_id": tech.pk}, content_type=J), 422)
    assert RosterEntry.objects.count() == 1

    week = client.get(f"/api/duty/roster?project={world.project_a.pk}&department={eng.pk}&week=2026-11-25").json()
    assert [e["user_id"] for e in week] == [tech.pk]
    gaps = client.get(f"/api/duty/gaps?project={world.project_a.pk}").json()
    assert {g["shift"] for g in gaps} == {"夜班", "加班"} and len(gaps) == 16  # needs 2 on 8 nights; 加班 8 days
    copied = client.post("/api/duty/roster/copy", {"project_id": world.project_a.pk, "department_id": eng.pk,
                                                   "week": "2026-11-30"}, content_type=J)
    assert copied.json() == {"copied": 1, "skipped": []}
    assert client.delete(f"/api/duty/roster/{entry.json()['id']}").status_code == 204
    assert client.delete(f"/api/duty/shifts/{late.pk}").json() == {"deleted": True}


def test_on_duty_now_and_another_projects_objects(world, client, login):
    s = shifts(world)
    other = engineer(world)
    roster_assign(actor=None, shift=s["day"], day=TODAY, user_id=other.pk, now=sh(2026, 11, 23, 9))
    entry = roster_assign(actor=None, shift=s["manager"], day=TODAY - timedelta(days=1),
                          user_id=world.users["steward_a"].pk, now=sh(2026, 11, 23, 9))
    login(world.users["agent_a"])
    now = client.get(f"/api/duty/on-duty?project={world.project_a.pk}").json()
    assert [(g["department"], [p["mobile"] for p in g["people"]]) for g in now] == [
        (engineering(world).name, ["13900002222"])]  # 10:00: the day shift; the duty manager went home at 08:00
    assert_json_error(client.post("/api/duty/roster", {"shift_id": s["day"].pk, "day": "2026-11-24",
                                                       "user_id": other.pk}, content_type=J), 403)

    pm_b = make_user("pm_b", role="project_manager", project=world.project_b)
    login(pm_b)
    assert "project" in assert_json_error(client.get(f"/api/duty/on-duty?project={world.project_a.pk}"),
                                          400)["extra"]["fields"]
    assert_json_error(client.get(f"/api/duty/shifts/{s['day'].pk}"), 404)
    assert_json_error(client.delete(f"/api/duty/roster/{entry.pk}"), 404)
    assert_json_error(client.post("/api/duty/roster", {"shift_id": s["day"].pk, "day": "2026-11-24",
                                                       "user_id": other.pk}, content_type=J), 400)
    assert client.get("/api/duty/shifts").json() == []
    assert RosterEntry.objects.count() == 2
