"""The steward's pages: the list, a round, the inspection form (with its refusals), the record, the checklist."""

import pytest
from django.urls import reverse

from propdesk.org.choices import RoomStatus
from propdesk.org.models import Room
from propdesk.servicedesk.models import ServiceRequest
from propdesk.stewardship.models import VacantChecklist, VacantInspection
from propdesk.stewardship.tests.vacant.conftest import all_fine_post, jpeg

pytestmark = pytest.mark.django_db


def test_steward_sees_their_zone_with_owner_and_never_inspected(vacant, login):
    client = login(vacant.users["steward_a"])
    room = vacant.room(vacant.project_a, "5-1-101")
    response = client.get(reverse("stewardship:vacant_list"), {"building": room.building_id})
    body = response.content.decode()
    assert response.status_code == 200
    assert "5-1-101" in body and "5-1-301" not in body  # 5-1-301 is let: not vacant
    assert "never inspected" in body or "从未巡查" in body


def test_list_filters_overdue_only(vacant, login):
    steward = vacant.users["steward_a"]
    room = vacant.room(vacant.project_a, "5-1-101")
    client = login(steward)
    post = client.post(reverse("stewardship:vacant_inspect", args=[room.pk]), all_fine_post())
    assert post.status_code == 302
    response = client.get(reverse("stewardship:vacant_list"), {"building": room.building_id, "overdue": "1"})
    codes = {room.code for room in response.context["homes"]}
    assert "5-1-101" not in codes and "5-1-102" in codes and all(r.overdue for r in response.context["homes"])


def test_inspection_with_a_finding_becomes_a_dispatched_request_with_the_photo(vacant, login):
    room = vacant.room(vacant.project_a, "5-1-602")
    client = login(vacant.users["steward_a"])
    response = client.post(reverse("stewardship:vacant_inspect", args=[room.pk]), all_fine_post(
        item_2="not_fine", note_2="卫生间天花板渗水，有水渍", photo_2=jpeg(), water_reading="123.5"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"?building={room.building_id}")
    inspection = VacantInspection.objects.get(room=room)
    assert inspection.findings == 1 and inspection.water_reading == 123.5
    item = inspection.items.get(position=2)
    request = item.request
    assert request.channel == "patrol" and request.room_id == room.pk
    assert "卫生间天花板渗水" in request.description
    assert request.attachments.count() == 1
    record = client.get(reverse("stewardship:vacant_home", args=[room.pk])).content.decode()
    assert request.number in record and "卫生间天花板渗水" in record


def test_not_fine_without_note_is_refused_by_the_field(vacant, login):
    room = vacant.room(vacant.project_a, "5-1-102")
    client = login(vacant.users["steward_a"])
    response = client.post(reverse("stewardship:vacant_inspect", args=[room.pk]), all_fine_post(item_0="not_fine"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["item_0"]
    assert not VacantInspection.objects.exists() and not ServiceRequest.objects.exists()


def test_unanswered_item_and_bad_reading_are_refused(vacant, login):
    room = vacant.room(vacant.project_a, "5-1-102")
    client = login(vacant.users["steward_a"])
    data = all_fine_post(power_reading="abc")
    del data["item_4"]
    response = client.post(reverse("stewardship:vacant_inspect", args=[room.pk]), data)
    assert set(response.context["form"].errors) >= {"item_4", "power_reading"}
    assert not VacantInspection.objects.exists()


def test_second_inspection_the_same_day_is_refused(vacant, login):
    room = vacant.room(vacant.project_a, "5-1-102")
    client = login(vacant.users["steward_a"])
    url = reverse("stewardship:vacant_inspect", args=[room.pk])
    assert client.post(url, all_fine_post()).status_code == 302
    again = client.post(url, all_fine_post())
    assert again.status_code == 200
    assert "already" in str(again.context["form"].errors) or "已巡查" in str(again.context["form"].errors)
    assert VacantInspection.objects.filter(room=room).count() == 1


def test_a_home_that_is_not_vacant_is_refused(vacant, login):
    room = vacant.room(vacant.project_a, "5-1-301")
    client = login(vacant.users["steward_a"])
    url = reverse("stewardship:vacant_inspect", args=[room.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, all_fine_post())
    assert response.status_code == 200 and response.context["form"].errors
    assert not VacantInspection.objects.exists()


def test_round_goes_home_by_home(vacant, login):
    room = vacant.room(vacant.project_a, "5-1-101")
    client = login(vacant.users["steward_a"])
    url = reverse("stewardship:vacant_round")
    assert client.get(url).status_code == 200
    page = client.get(url, {"building": room.building_id})
    first = page.context["next_home"]
    client.post(reverse("stewardship:vacant_inspect", args=[first.pk]), all_fine_post())
    page = client.get(url, {"building": room.building_id})
    assert page.context["done"] == 1 and page.context["next_home"].pk != first.pk


def test_another_projects_home_is_a_404(vacant, login):
    other = vacant.room(vacant.project_b, "5-1-101")
    client = login(vacant.users["steward_a"])
    for name in ("vacant_home", "vacant_inspect"):
        assert client.get(reverse(f"stewardship:{name}", args=[other.pk])).status_code == 404
    assert client.post(reverse("stewardship:vacant_inspect", args=[other.pk]), all_fine_post()).status_code == 404
    assert client.get(reverse("stewardship:vacant_round"), {"building": other.building_id}).status_code == 404
    assert not VacantInspection.objects.exists()


def test_technician_may_not_inspect(vacant, login):
    client = login(vacant.users["technician_a"])
    assert client.get(reverse("stewardship:vacant_list")).status_code == 403


def test_pm_edits_the_checklist_and_the_form_follows(vacant, login):
    client = login(vacant.users["pm_a"])
    url = reverse("stewardship:vacant_checklist")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"items": "", "interval_days": "0"})
    assert set(bad.context["form"].errors) == {"items", "interval_days"}
    ok = client.post(url, {"items": "门窗关闭\n水电气总阀关闭\n\n门窗关闭\n地漏返味", "interval_days": "14"})
    assert ok.status_code == 302
    checklist = VacantChecklist.objects.get(project=vacant.project_a)
    assert checklist.items == ["门窗关闭", "水电气总阀关闭", "地漏返味"] and checklist.interval_days == 14
    room = vacant.room(vacant.project_a, "5-1-102")
    steward = login(vacant.users["steward_a"])
    form = steward.get(reverse("stewardship:vacant_inspect", args=[room.pk])).content.decode()
    assert "地漏返味" in form and "无虫鼠" not in form
    assert steward.get(url).status_code == 403


def test_list_query_count_does_not_grow(vacant, login, django_assert_max_num_queries):
    client = login(vacant.users["pm_a"])
    building = vacant.room(vacant.project_a, "5-1-101").building
    steward = login(vacant.users["steward_a"])
    for room in Room.objects.filter(building=building, status=RoomStatus.VACANT)[:20]:
        steward.post(reverse("stewardship:vacant_inspect", args=[room.pk]), all_fine_post(
            item_1="not_fine", note_1="总阀未关"))
    client = login(vacant.users["pm_a"])
    Room.objects.filter(building=building).exclude(pk__in=Room.objects.filter(building=building)[:2]).update(
        status=RoomStatus.OCCUPIED)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("stewardship:vacant_list"), {"building": building.pk})
    Room.objects.filter(building=building).update(status=RoomStatus.VACANT)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("stewardship:vacant_list"), {"building": building.pk})
    assert len(response.context["homes"]) == 24


def test_a_stewards_finding_is_dispatched_by_the_projects_rules(vacant, login):
    from propdesk.org.models import Department
    from propdesk.servicedesk.models import DispatchRule

    engineering = Department.objects.get(project=vacant.project_a, kind="engineering")
    DispatchRule.objects.create(project=vacant.project_a, order=1, kind="repair", buildings="5",
                                department=engineering, assignee=vacant.users["technician_a"])
    room = vacant.room(vacant.project_a, "5-1-501")
    client = login(vacant.users["steward_a"])
    client.post(reverse("stewardship:vacant_inspect", args=[room.pk]), all_fine_post(
        item_0="not_fine", note_0="南阳台推拉窗未关"))
    request = VacantInspection.objects.get(room=room).items.get(position=0).request
    assert request.work_orders.get().assignee == vacant.users["technician_a"]
    agent = login(vacant.users["agent_a"])
    assert request.number in agent.get(reverse("servicedesk:request_detail", args=[request.pk])).content.decode()


def test_room_page_shows_the_vacant_section(vacant, login):
    room = vacant.room(vacant.project_a, "5-1-502")
    client = login(vacant.users["steward_a"])
    client.post(reverse("stewardship:vacant_inspect", args=[room.pk]), all_fine_post())
    page = client.get(reverse("org:room_detail", args=[room.pk])).content.decode()
    assert 'id="vacant-panel"' in page and reverse("stewardship:vacant_home", args=[room.pk]) in page
    let = vacant.room(vacant.project_a, "3-2-1802")  # lived in, never inspected: no section
    assert 'id="vacant-panel"' not in client.get(reverse("org:room_detail", args=[let.pk])).content.decode()


def test_inspection_form_fits_a_phone(vacant, login):
    """No fixed widths wider than a phone: the form's inputs take the width they are given."""
    room = vacant.room(vacant.project_a, "5-1-503")
    page = login(vacant.users["steward_a"]).get(reverse("stewardship:vacant_inspect", args=[room.pk]))
    body = page.content.decode()
    assert 'name="viewport"' in body and 'capture="environment"' in body
    assert "width:100%" in body and "px;" not in body.split('id="vacant-inspect-form"')[1]


def test_steward_sees_only_their_zone_until_they_pick_all(vacant, login):
    from propdesk.core.testing import make_user
    from propdesk.stewardship.models import ZoneAssignment

    other = make_user("steward_a2", role="steward", project=vacant.project_a, display_name="李秀英")
    building3 = vacant.room(vacant.project_a, "3-1-101").building
    ZoneAssignment.objects.filter(building=building3).update(steward=other)
    client = login(vacant.users["steward_a"])
    url = reverse("stewardship:vacant_list")
    mine = client.get(url)
    assert mine.context["homes"] and {r.building_id for r in mine.context["homes"]} == {
        vacant.room(vacant.project_a, "5-1-101").building_id}
    assert client.get(url, {"steward": "mine", "page": "1"}).context["page"].paginator.count == \
        mine.context["page"].paginator.count
    everyone = client.get(url, {"steward": "all"})
    assert everyone.context["page"].paginator.count > mine.context["page"].paginator.count
    theirs = client.get(url, {"steward": str(other.pk)}).context["homes"]
    assert {r.building_id for r in theirs} == {building3.pk}
    pm = login(vacant.users["pm_a"]).get(url)
    assert pm.context["page"].paginator.count == everyone.context["page"].paginator.count
