"""The staff's notice pages (who may publish, the form's field errors in Chinese with nothing written, the detail
with audience and read count, withdraw) and the resident's (their home's notices only, opening marks read)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from propdesk.core.testing import TEST_NOW
from propdesk.notify.models import OutboxMessage

from ..models import Notice, NoticeRead
from .helpers import building, publish, unit

pytestmark = pytest.mark.django_db


def _form(world, **extra):
    return {"form_token": "tok-1", "project": world.project_a.pk, "kind": "outage", "title": "3号楼明日停水",
            "body": "因管道检修，明日9:00-16:00停水，请提前储水。", "scope": "buildings",
            "buildings": [building(world, world.project_a, "3").pk], **extra}


@pytest.mark.parametrize("role", ["agent_a", "steward_a", "pm_a", "leader_east", "admin"])
def test_customer_service_and_leaders_publish(world, client, role):
    client.force_login(world.users[role])
    page = client.get(reverse("notices:new"))
    assert page.status_code == 200
    assert 'name="buildings"' in page.content.decode()  # the picker shows project A's buildings
    response = client.post(reverse("notices:new"), _form(world, form_token=f"t-{role}"))
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("notices:detail", args=[notice.pk])
    assert list(notice.targets.values_list("building__number", flat=True)) == ["3"]
    assert client.get(reverse("notices:list")).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert reverse("notices:list") in home  # the console's menu


@pytest.mark.parametrize("role", ["technician_a", "resident_a", "quality"])
def test_technicians_and_residents_may_not(world, client, role):
    notice = publish(world, buildings=[building(world, world.project_a)])
    client.force_login(world.users[role])
    for url in (reverse("notices:list"), reverse("notices:new"), reverse("notices:detail", args=[notice.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("notices:new"), _form(world)).status_code == 403
    assert client.post(reverse("notices:withdraw", args=[notice.pk])).status_code == 403
    assert Notice.objects.count() == 1 and Notice.objects.get().withdrawn_at is None
    assert reverse("notices:list") not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("change, field, message", [
    ({"scope": ""}, "scope", "请选择通知对象"),
    ({"scope": "buildings", "buildings": []}, "buildings", "请至少选择一栋楼"),
    ({"scope": "units", "buildings": []}, "units", "请至少选择一个单元"),
    ({"valid_from": "2026-11-25T10:00", "valid_until": "2026-11-24T10:00"}, "valid_until", "结束时间必须晚于开始时间"),
    ({"title": ""}, "title", "这个字段是必填项"),
    ({"body": "停" * 2001}, "body", "2000"),
])
def test_bad_input_is_a_field_error_in_chinese_and_nothing_is_written(world, client, change, field, message):
    client.force_login(world.users["agent_a"])
    response = client.post(reverse("notices:new"), _form(world, **change))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert message in response.content.decode()
    assert not Notice.objects.exists()


def test_another_projects_buildings_and_units_are_refused(world, client):
    b = world.project_b
    client.force_login(world.users["pm_a"])
    response = client.post(reverse("notices:new"), _form(world, buildings=[building(world, b, "3").pk]))
    assert "所选楼栋不属于该项目" in response.content.decode()
    response = client.post(reverse("notices:new"), _form(world, scope="units", units=[unit(world, b).pk]))
    assert "所选单元不属于该项目" in response.content.decode()
    response = client.post(reverse("notices:new"), _form(world, buildings=["abc"]))
    assert "所选楼栋不属于该项目" in response.content.decode()
    # another project altogether: not a choice
    response = client.post(reverse("notices:new"), _form(world, project=b.pk))
    assert "project" in response.context["form"].errors
    assert not Notice.objects.exists()


def test_the_picker_follows_the_project_and_refuses_another_scope(world, client):
    client.force_login(world.users["leader_east"])
    page = client.get(reverse("notices:picker"), {"project": world.project_b.pk})
    assert page.status_code == 200
    assert f'value="{building(world, world.project_b, "5").pk}"' in page.content.decode()
    client.force_login(world.users["agent_a"])
    assert client.get(reverse("notices:picker"), {"project": world.project_b.pk}).status_code == 404


def test_a_double_submit_publishes_once(world, client):
    client.force_login(world.users["agent_a"])
    client.post(reverse("notices:new"), _form(world, urgent="on"))
    client.post(reverse("notices:new"), _form(world, urgent="on"))
    assert Notice.objects.count() == 1
    assert OutboxMessage.objects.filter(template="notice_urgent").count() == 2


def test_detail_shows_audience_and_read_count_and_withdraws(world, client):
    notice = publish(world, buildings=[building(world, world.project_a)])
    NoticeRead.objects.create(notice=notice, user=world.users["resident_a"], read_at=TEST_NOW)
    client.force_login(world.users["steward_a"])
    page = client.get(reverse("notices:detail", args=[notice.pk]))
    assert page.context["notice"].audience == 2 and page.context["notice"].read_count == 1
    html = page.content.decode()
    assert 'id="audience">2<' in html and 'id="read-count">1<' in html
    response = client.post(reverse("notices:withdraw", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.withdrawn_at is not None and notice.withdrawn_by == world.users["steward_a"]
    # withdrawn, not deleted: still in the list under 已撤回
    listing = client.get(reverse("notices:list"), {"state": "withdrawn"}).content.decode()
    assert notice.title in listing
    client.post(reverse("notices:withdraw", args=[notice.pk]))  # twice: a message, no error page
    assert Notice.objects.count() == 1


def test_another_projects_notice_is_a_404_for_staff(world, client):
    notice = publish(world, project=world.project_b, actor=world.users["agent_b"],
                     buildings=[building(world, world.project_b)])
    client.force_login(world.users["agent_a"])
    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notices:withdraw", args=[notice.pk])).status_code == 404
    assert notice.title not in client.get(reverse("notices:list"), {"state": "all"}).content.decode()
    client.force_login(world.users["leader_east"])  # the branch sees both projects
    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 200


def test_list_queries_do_not_grow(world, client, django_assert_max_num_queries):
    client.force_login(world.users["admin"])
    publish(world, buildings=[building(world, world.project_a)])
    client.get(reverse("notices:list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("notices:list"))
    for i in range(8):
        publish(world, title=f"温馨提示{i}", kind="tip", scope="units", units=[unit(world, world.project_a)])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notices:list")).status_code == 200


# --- residents ---------------------------------------------------------------------------------------------------

def test_the_resident_reads_their_homes_notices_on_a_phone(world, client):
    mine = publish(world, buildings=[building(world, world.project_a, "3")], title="3号楼停水")
    publish(world, buildings=[building(world, world.project_a, "5")], title="5号楼停电")
    other = publish(world, project=world.project_b, actor=world.users["agent_b"],
                    buildings=[building(world, world.project_b)], title="金桂苑停水")
    client.force_login(world.users["resident_a"])
    page = client.get(reverse("notices:my_list")).content.decode()
    assert "3号楼停水" in page and "5号楼停电" not in page and "金桂苑停水" not in page
    assert 'name="viewport"' in page and "is-unread" in page
    detail = client.get(reverse("notices:my_detail", args=[mine.pk]))
    assert detail.status_code == 200 and "提前储水" in detail.content.decode()
    assert NoticeRead.objects.filter(notice=mine, user=world.users["resident_a"]).exists()
    assert "is-unread" not in client.get(reverse("notices:my_list")).content.decode()
    assert client.get(reverse("notices:my_detail", args=[other.pk])).status_code == 404
    assert not NoticeRead.objects.filter(notice=other).exists()


def test_staff_have_no_resident_notice_pages(world, client):
    notice = publish(world, buildings=[building(world, world.project_a)])
    client.force_login(world.users["agent_a"])
    assert client.get(reverse("notices:my_list")).status_code == 404
    assert client.get(reverse("notices:my_detail", args=[notice.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("notices:my_list")).status_code == 302


def test_an_expired_notice_is_gone_for_the_resident(world, client):
    notice = publish(world, buildings=[building(world, world.project_a)], valid_from=TEST_NOW - timedelta(days=2),
                     valid_until=TEST_NOW - timedelta(days=1))
    client.force_login(world.users["resident_a"])
    assert client.get(reverse("notices:my_detail", args=[notice.pk])).status_code == 404
