"""The roster pages as a project manager, an agent and another project's manager use them: shifts, the week grid
(assign, refusals shown by the field, copy, remove, gaps in red), on duty now and the box on the dispatch queue;
query counts that do not grow with the rows."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from propdesk.core.testing import make_user, sh
from propdesk.duty.models import RosterEntry, ShiftKind
from propdesk.duty.services.rosters import roster_assign

from .helpers import engineer, engineering, shifts

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def roster_url(world, week=TODAY, department=None):
    department = department or engineering(world).pk
    return reverse("duty:roster") + f"?project={world.project_a.pk}&department={department}&week={week}"


def test_a_project_manager_adds_shifts_and_schedules_the_week(world, client, login):
    login(world.users["pm_a"])
    eng = engineering(world)
    page = client.get(reverse("duty:shifts"))
    assert page.status_code == 200 and "工程部" in page.content.decode()
    form = {"project": world.project_a.pk, "department": eng.pk, "name": "夜班", "starts": "20:00", "ends": "08:00",
            "min_people": "1", "is_active": "on"}
    assert client.post(reverse("duty:shifts"), form).status_code == 302
    again = client.post(reverse("duty:shifts"), form)
    assert again.status_code == 200 and "already has a shift of that name" in again.content.decode() \
        or "已有同名班次" in again.content.decode()
    night = ShiftKind.objects.get(name="夜班")
    assert night.overnight and ShiftKind.objects.count() == 1

    grid = client.get(roster_url(world))
    body = grid.content.decode()
    assert grid.status_code == 200 and body.count("无人值班") == 7 and 'id="roster-assign"' in body
    tech = world.users["technician_a"]
    post = {"project": world.project_a.pk, "department": eng.pk, "week": TODAY, "shift": night.pk, "day": TODAY,
            "user": tech.pk, "note": ""}
    assert client.post(reverse("duty:roster_assign"), post).status_code == 302
    entry = RosterEntry.objects.get()
    assert entry.starts_at == sh(2026, 11, 23, 20, 0)
    assert client.get(roster_url(world)).content.decode().count("无人值班") == 6

    # the same person on an overlapping shift: refused by the field, nothing written
    late = ShiftKind.objects.create(project=world.project_a, department=eng, name="加班", starts="19:00", ends="23:00")
    bad = client.post(reverse("duty:roster_assign"), {**post, "shift": late.pk})
    assert bad.status_code == 400 and RosterEntry.objects.count() == 1
    html = bad.content.decode()
    assert 'id="row-user"' in html and "夜班" in html and ("may not overlap" in html or "不能重叠" in html)

    # copy into next week, then remove one
    assert client.post(reverse("duty:roster_copy"), {"project": world.project_a.pk, "department": eng.pk,
                                                     "week": TODAY + timedelta(days=7)}).status_code == 302
    copied = RosterEntry.objects.get(day=TODAY + timedelta(days=7))
    assert client.post(reverse("duty:roster_remove", args=[copied.pk])).status_code == 302
    assert RosterEntry.objects.count() == 1

    edit = client.post(reverse("duty:shift_edit", args=[night.pk]), {"name": "夜班", "starts": "20:00",
                                                                     "ends": "08:00", "min_people": "0"})
    assert edit.status_code == 200 and 'id="row-min_people"' in edit.content.decode()


def test_agents_read_and_another_projects_manager_finds_nothing(world, client, login):
    s = shifts(world)
    entry = roster_assign(actor=None, shift=s["night"], day=TODAY, user_id=world.users["technician_a"].pk,
                          now=sh(2026, 11, 23, 10))
    login(world.users["agent_a"])
    page = client.get(roster_url(world))
    assert page.status_code == 200 and "刘师傅" in page.content.decode()
    assert 'id="roster-assign"' not in page.content.decode()
    assert client.post(reverse("duty:roster_remove", args=[entry.pk])).status_code == 403
    assert client.get(reverse("duty:shift_edit", args=[s["night"].pk])).status_code == 403

    pm_b = make_user("pm_b", role="project_manager", project=world.project_b)
    login(pm_b)
    assert client.get(reverse("duty:shift_edit", args=[s["night"].pk])).status_code == 404
    assert client.post(reverse("duty:roster_remove", args=[entry.pk])).status_code == 404
    assert client.get(roster_url(world)).status_code == 404
    assert client.post(reverse("duty:roster_assign"), {
        "project": world.project_a.pk, "department": engineering(world).pk, "shift": s["night"].pk, "day": TODAY,
        "user": world.users["technician_a"].pk}).status_code == 404
    assert RosterEntry.objects.count() == 1
    assert "刘师傅" not in client.get(reverse("duty:now")).content.decode()


def _people(world, n):
    eng = engineering(world)
    s = shifts(world)
    s["day"].min_people = n
    s["day"].save()
    for i in range(n):
        person = engineer(world, f"tech_q{i}", f"师傅{i}", f"1390000{i:04d}")
        for offset in range(7):
            roster_assign(actor=None, shift=s["day"], day=TODAY + timedelta(days=offset), user_id=person.pk,
                          now=sh(2026, 11, 23, 9))
    return eng


@pytest.mark.parametrize("n", [2, 20])
def test_query_counts_do_not_grow_with_the_people_shown(world, client, login, django_assert_max_num_queries, n):
    _people(world, n)
    login(world.users["pm_a"])
    client.get(reverse("duty:now"))  # warm the session
    with django_assert_max_num_queries(18):
        grid = client.get(roster_url(world))
    assert grid.content.decode().count('class="roster-person"') == 7 * n
    with django_assert_max_num_queries(12):
        now = client.get(reverse("duty:now"))
    assert now.content.decode().count("on-duty-person") == n
    login(world.users["agent_a"])
    with django_assert_max_num_queries(40):
        queue = client.get(reverse("servicedesk:dispatch_queue"))
    html = queue.content.decode()
    assert 'id="on-duty-now"' in html and "13900000001" in html and html.count("on-duty-person") == n
