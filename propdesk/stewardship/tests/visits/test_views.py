"""The steward's and the manager's pages: the due list, recording a visit with needs that become requests, the
customer 360 panel, the plans, the report; bad input and scope; query counts that do not grow with rows."""

import pytest
from django.urls import reverse

from propdesk.core.testing import make_resident
from propdesk.servicedesk.models import ServiceRequest
from propdesk.stewardship.models import HomeVisit, HomeVisitNeed, HomeVisitPlan

from .helpers import covered, many_elderly

pytestmark = pytest.mark.django_db
VISITS = reverse("stewardship:visits")


def visit_form(**extra):
    return {"way": "in_person", "visited_at": "2026-11-23T09:30", "met": "周美玲本人", "impression": "satisfied",
            "discussed": "询问冬季供暖和独居安全，老人身体尚可", **extra}


def test_steward_sees_their_zone_due_and_records_a_visit_with_a_need_that_becomes_a_request(world, login):
    covered(world)
    client = login(world.users["steward_a"])
    page = client.get(VISITS).content.decode()
    assert "周美玲" in page and "3-2-1802" in page and "吴强" not in page  # 吴强 lives in building 5: 李梅's
    owner = world.residents["a_owner"]
    url = reverse("stewardship:visit_new", args=[owner.pk])
    response = client.post(url, visit_form(**{
        "need-0-kind": "repair", "need-0-description": "卫生间水龙头滴水", "need-0-request": "1",
        "need-1-kind": "help", "need-1-description": "希望社区帮忙联系上门理发"}))
    visit = HomeVisit.objects.get()
    assert response.status_code == 302 and response.url == reverse("stewardship:visit_detail", args=[visit.pk])
    needs = list(HomeVisitNeed.objects.order_by("id"))
    assert [n.description for n in needs] == ["卫生间水龙头滴水", "希望社区帮忙联系上门理发"]
    request = needs[0].request
    assert request.channel == "staff" and request.reporter_id == owner.pk and request.room.code == "3-2-1802"
    assert needs[1].request is None and ServiceRequest.objects.count() == 1
    detail = client.get(response.url).content.decode()
    assert request.number in detail and ("noted only" in detail or "仅记录" in detail)
    page = client.get(VISITS).content.decode()
    assert f'id="due-{owner.pk}"' not in page and "卫生间水龙头滴水" not in page  # visited: next due next month
    assert "询问冬季供暖" in page  # done this month


def test_bad_input_shows_by_the_field_and_writes_nothing(world, login):
    covered(world)
    client = login(world.users["steward_a"])
    url = reverse("stewardship:visit_new", args=[world.residents["a_owner"].pk])
    response = client.post(url, visit_form(**{"visited_at": "2026-11-22T22:30", "need-0-request": "1",
                                              "need-0-description": "门铃坏了", "need-0-kind": "praise"}))
    page = response.content.decode()
    assert response.status_code == 200 and HomeVisit.objects.count() == 0 and ServiceRequest.objects.count() == 0
    assert "row-visited_at" in page and ("rest hours" in page or "休息时间" in page)
    assert "Choose the kind of each need" in page or "请为每条需求选择类型" in page
    phone = client.post(url, visit_form(way="phone", visited_at="2026-11-22T21:30"))
    assert phone.status_code == 302  # a late phone call is allowed


def test_another_projects_resident_visit_and_plan_are_404(world, login):
    covered(world)
    client = login(world.users["steward_a"])
    b_owner = world.residents["b_owner"]
    assert client.get(reverse("stewardship:visit_new", args=[b_owner.pk])).status_code == 404
    assert client.post(reverse("stewardship:visit_new", args=[b_owner.pk]), visit_form()).status_code == 404
    assert HomeVisit.objects.count() == 0
    pm_b = login(world.users["agent_b"])
    assert pm_b.get(VISITS).status_code == 403  # agents do not make home visits


def test_manager_sees_every_steward_with_counts_and_the_report(world, login):
    covered(world)
    client = login(world.users["pm_a"])
    page = client.get(VISITS).content.decode()
    assert "王建国" in page and "李梅" in page and "周美玲" in page and "吴强" in page
    report = login(world.users["leader_east"]).get(reverse("stewardship:visits_report")).content.decode()
    assert "王建国" in report and "李梅" in report
    assert login(world.users["steward_a"]).get(reverse("stewardship:visits_report")).status_code == 403


def test_customer_360_panel_shows_next_due_and_last_visits(world, login):
    covered(world)
    owner = world.residents["a_owner"]
    client = login(world.users["steward_a"])
    client.post(reverse("stewardship:visit_new", args=[owner.pk]), visit_form())
    page = client.get(reverse("customers:resident_detail", args=[owner.pk])).content.decode()
    assert 'id="home-visits-panel"' in page and "2026-12-23" in page and "询问冬季供暖" in page
    assert reverse("stewardship:visit_new", args=[owner.pk]) in page
    agent_page = login(world.users["agent_a"]).get(reverse("customers:resident_detail", args=[owner.pk]))
    assert "询问冬季供暖" in agent_page.content.decode()


def test_pm_edits_plans_and_bad_plan_input(world, login):
    client = login(world.users["pm_a"])
    url = reverse("stewardship:visit_plans")
    assert client.get(url).status_code == 200 and HomeVisitPlan.objects.filter(project=world.project_a).count() == 4
    response = client.post(url, {"project": world.project_a.pk, "target": "vip", "frequency": "monthly",
                                 "after_complaint_days": "3", "active": "on"})
    assert response.status_code == 200 and "row-target" in response.content.decode()  # VIP already has a plan
    response = client.post(url, {"project": world.project_a.pk, "target": "segment:retirees",
                                 "frequency": "half_yearly", "after_complaint_days": "3", "active": "on"})
    assert response.status_code == 302
    plan = HomeVisitPlan.objects.get(target="segment:retirees")
    edit = reverse("stewardship:visit_plan_edit", args=[plan.pk])
    client.post(edit, {"target": "segment:retirees", "frequency": "yearly", "after_complaint_days": "3"})
    plan.refresh_from_db()
    assert plan.frequency == "yearly" and not plan.active
    client.post(edit, {"action": "delete"})
    assert not HomeVisitPlan.objects.filter(pk=plan.pk).exists()
    assert login(world.users["steward_a"]).get(url).status_code == 403


@pytest.mark.parametrize("who", ["steward_a", "pm_a"])
def test_due_page_queries_do_not_grow_with_rows(world, login, django_assert_max_num_queries, who):
    covered(world)
    client = login(world.users[who])
    many_elderly(world, 2)
    with django_assert_max_num_queries(40) as small:
        client.get(VISITS)
    many_elderly(world, 18, start=3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(VISITS).content.decode()
    assert "老人20" in page


def test_a_resident_with_no_home_or_no_plan_is_not_due(world, login):
    covered(world)
    homeless = make_resident(world.project_a, "无房客户", "13811112222")
    homeless.__class__.objects.filter(pk=homeless.pk).update(is_vip=True)
    page = login(world.users["pm_a"]).get(VISITS).content.decode()
    assert "无房客户" not in page
