"""The pages a patroller and a PM touch: my rounds, start, scan (URL and typed code), the checklist with a photo,
finish; plans, the QR sheet, the report; another scope's round is a 404; query counts do not grow with rows."""

import pytest
import time_machine
from django.urls import reverse

from propdesk.servicedesk.models import ServiceRequest
from propdesk.stewardship.models import PatrolRound, PatrolVisit

from .factories import NOW, area_patrol, jpeg, morning_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_940():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_assistant_walks_a_round_on_the_phone(world, login, client, at_940):
    plan = area_patrol(world)
    login(world.users["agent_a"])
    page = client.get(reverse("stewardship:patrol_today"))
    assert "客服助理日常巡查" in page.content.decode()
    round_ = morning_round(plan)
    assert client.post(reverse("stewardship:patrol_round_start", args=[round_.pk])).status_code == 302
    points = list(plan.checkpoints.all())
    scanned = client.get(reverse("stewardship:patrol_scan", args=[points[0].token]))
    assert scanned.status_code == 302 and scanned.url == reverse("stewardship:patrol_checkpoint",
                                                                 args=[round_.pk, points[0].pk])
    form = client.get(scanned.url).content.decode()
    assert 'capture="environment"' in form and "地面清洁" in form
    # not fine without the required note and photo: the field messages, nothing written
    refused = client.post(scanned.url, {"fine_0": "0", "fine_1": "1"})
    assert refused.status_code == 400
    assert "请说明哪里不正常" in refused.content.decode() and "请拍照记录" in refused.content.decode()
    assert not PatrolVisit.objects.exists()
    done = client.post(scanned.url, {"fine_0": "0", "note_0": "大堂地面有积水", "photo_0": jpeg(), "fine_1": "1"})
    assert done.status_code == 302
    # the second checkpoint by a typed code
    typed = client.post(reverse("stewardship:patrol_round_code", args=[round_.pk]), {"code": points[1].token})
    assert typed.url.endswith(f"/checkpoints/{points[1].pk}/")
    client.post(typed.url, {"fine_0": "1", "fine_1": "1"})
    # twice: refused
    again = client.post(typed.url, {"fine_0": "1", "fine_1": "1"}, follow=True)
    assert PatrolVisit.objects.count() == 2 and again.status_code == 200
    client.post(reverse("stewardship:patrol_round_finish", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == "on_time" and round_.checkpoints_done == 2
    assert ServiceRequest.objects.filter(channel="patrol").count() == 1
    detail = client.get(reverse("stewardship:patrol_round", args=[round_.pk])).content.decode()
    assert ServiceRequest.objects.get().number in detail


def test_a_code_of_another_plan_is_refused(world, login, client, at_940):
    plan = area_patrol(world)
    other = area_patrol(world, name="车库巡查", checkpoints=1)
    login(world.users["agent_a"])
    round_ = morning_round(plan)
    client.post(reverse("stewardship:patrol_round_start", args=[round_.pk]))
    answer = client.post(reverse("stewardship:patrol_round_code", args=[round_.pk]),
                         {"code": other.checkpoints.get().token}, follow=True)
    assert "车库巡查" in answer.content.decode()
    scanned = client.get(reverse("stewardship:patrol_scan", args=[other.checkpoints.get().token]))
    assert scanned.url == reverse("stewardship:patrol_round", args=[round_.pk])


def test_another_scope_is_a_404(world, login, client, at_940):
    plan = area_patrol(world)
    login(world.users["agent_b"])
    round_ = morning_round(plan)
    assert client.get(reverse("stewardship:patrol_round", args=[round_.pk])).status_code == 404
    assert client.get(reverse("stewardship:patrol_scan", args=[plan.checkpoints.first().token])).status_code == 404
    assert client.post(reverse("stewardship:patrol_round_start", args=[round_.pk])).status_code == 404


def test_pm_plans_prints_qr_codes_and_reads_the_report(world, login, client, at_940):
    plan = area_patrol(world)
    login(world.users["pm_a"])
    assert "客服助理日常巡查" in client.get(reverse("stewardship:patrol_plans")).content.decode()
    sheet = client.get(reverse("stewardship:patrol_qr", args=[plan.pk])).content.decode()
    assert sheet.count("<svg") == 3 and "3栋大堂" in sheet
    assert f"http://testserver/steward/patrols/scan/{plan.checkpoints.first().token}/" in sheet
    new = client.post(reverse("stewardship:patrol_plan_new"), {
        "project": world.project_a.pk, "name": "消防设施月检", "windows": "09:00-12:00", "frequency": "monthly",
        "day_of_month": "15", "working_days_only": "on", "assignee_role": "steward"})
    assert new.status_code == 302
    bad = client.post(reverse("stewardship:patrol_plan_new"), {
        "project": world.project_a.pk, "name": "车库", "windows": "09:00-10:00, 10:10-11:00", "frequency": "daily",
        "day_of_month": "1", "assignee_role": "steward"})
    assert bad.status_code == 400 and "row-windows" in bad.content.decode()
    report = client.get(reverse("stewardship:patrol_report"), {"month": "2026-11"})
    assert report.status_code == 200 and "客服助理日常巡查" in report.content.decode()


def test_query_counts_do_not_grow(world, login, client, django_assert_max_num_queries, at_940):
    login(world.users["pm_a"])
    area_patrol(world, checkpoints=2)
    with django_assert_max_num_queries(25) as small:
        client.get(reverse("stewardship:patrol_report"))
    for n in range(6):
        area_patrol(world, name=f"巡查{n}", checkpoints=5)
    assert PatrolRound.objects.count() >= 20
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("stewardship:patrol_report"))
    with django_assert_max_num_queries(25) as plans_small:
        client.get(reverse("stewardship:patrol_plans"))
    assert plans_small


def test_my_rounds_and_the_morning_rows_do_not_grow_in_queries(world, login, client, django_assert_max_num_queries,
                                                                at_940):
    from propdesk.stewardship.selectors.patrols import rounds_of_day

    login(world.users["agent_a"])
    area_patrol(world, checkpoints=1)
    with django_assert_max_num_queries(40) as small:
        assert client.get(reverse("stewardship:patrol_today")).content.decode().count('class="card patrol-round"') == 2
    for n in range(9):
        area_patrol(world, name=f"巡查{n}", checkpoints=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("stewardship:patrol_today")).content.decode().count(
            'class="card patrol-round"') == 20
    rows = rounds_of_day(user=world.users["pm_a"], day=NOW.date())
    assert len(rows) == 20 and rows[0]["plan_name"] and rows[0]["assignee_name"] == "客服"
    assert rows[0]["url"].startswith("/steward/patrols/rounds/") and rows[0]["status"] == "due"
    assert rounds_of_day(user=world.users["agent_b"], day=NOW.date()) == []


def test_a_scan_after_the_window_is_refused(world, login, client):
    plan = area_patrol(world)
    round_ = morning_round(plan)
    login(world.users["agent_a"])
    with time_machine.travel(NOW, tick=False):
        client.post(reverse("stewardship:patrol_round_start", args=[round_.pk]))
    with time_machine.travel(NOW.replace(hour=11, minute=20), tick=False):
        answer = client.get(reverse("stewardship:patrol_scan", args=[plan.checkpoints.first().token]), follow=True)
    assert answer.redirect_chain[-1][0] == reverse("stewardship:patrol_round", args=[round_.pk])
    assert "时段已过" in answer.content.decode()
    assert not PatrolVisit.objects.exists()
