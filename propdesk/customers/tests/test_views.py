"""The customer archive from the outside: scope, masking, reveals, search, forms, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from propdesk.core.models import AuditAction, AuditLog
from propdesk.core.testing import make_resident
from propdesk.customers.models import Resident

FULL = "13812345678"
MASKED = "138****5678"


def detail_url(resident):
    return reverse("customers:resident_detail", args=[resident.pk])


def test_agent_of_project_a_gets_404_for_a_resident_of_project_b(world, login):
    client = login(world.users["agent_a"])
    assert client.get(detail_url(world.residents["b_owner"])).status_code == 404
    assert client.get(detail_url(world.residents["a_owner"])).status_code == 200


def test_branch_leader_sees_both_projects_of_the_branch_but_not_the_other_branch(world, login):
    client = login(world.users["leader_east"])
    assert client.get(detail_url(world.residents["b_owner"])).status_code == 200
    other = make_resident(world.project_c, "冯丽", "13655556666")
    assert client.get(detail_url(other)).status_code == 404


def test_resident_sees_only_their_own_record(world, login):
    client = login(world.users["resident_a"])
    own = world.residents["a_owner"]
    # A resident's own pages are the portal, not the staff archive of themselves.
    assert client.get(reverse("home")).url == reverse("portal:home")
    assert client.get(detail_url(own)).url == reverse("portal:home")
    assert client.get(detail_url(world.residents["a_tenant"])).status_code == 404
    assert client.get(detail_url(world.residents["b_owner"])).status_code == 404
    assert client.get(reverse("customers:resident_list")).status_code == 403


def test_masked_phone_only_for_a_role_without_reveal(world, login):
    owner = world.residents["a_owner"]
    for user in ("agent_a", "technician_a", "pm_a"):
        client = login(world.users[user])
        for url in (detail_url(owner), reverse("customers:resident_list"),
                    reverse("search") + "?q=5678", reverse("org:room_detail", args=[owner.occupancies.get().room_id])):
            body = client.get(url).content.decode()
            assert FULL not in body, (user, url)
            assert MASKED in body, (user, url)
        client.logout()


def test_reveal_shows_the_number_and_is_logged(world, login):
    client = login(world.users["agent_a"])
    phone = world.residents["a_owner"].phones.get()
    response = client.post(reverse("customers:phone_reveal", args=[phone.pk]))
    assert response.status_code == 200 and FULL in response.content.decode()
    entry = AuditLog.objects.exclude(action=AuditAction.LOGIN).get()
    assert entry.actor == world.users["agent_a"] and entry.action == AuditAction.REVEAL_PHONE
    assert entry.target_id == str(phone.pk)


def test_technician_cannot_reveal_and_nothing_is_logged(world, login):
    client = login(world.users["technician_a"])
    phone = world.residents["a_owner"].phones.get()
    page = client.get(detail_url(world.residents["a_owner"])).content.decode()
    assert reverse("customers:phone_reveal", args=[phone.pk]) not in page
    assert client.post(reverse("customers:phone_reveal", args=[phone.pk])).status_code == 403
    assert not AuditLog.objects.exclude(action=AuditAction.LOGIN).exists()


def test_reveal_of_another_projects_phone_is_404(world, login):
    client = login(world.users["agent_a"])
    phone = world.residents["b_owner"].phones.get()
    assert client.post(reverse("customers:phone_reveal", args=[phone.pk])).status_code == 404
    assert not AuditLog.objects.exclude(action=AuditAction.LOGIN).exists()


def test_id_number_reveal_needs_the_role(world, login):
    owner = world.residents["a_owner"]
    agent = login(world.users["agent_a"])
    assert "110101199003071233" not in agent.get(detail_url(owner)).content.decode()
    assert agent.post(reverse("customers:id_reveal", args=[owner.pk])).status_code == 403
    agent.logout()
    steward = login(world.users["steward_a"])
    response = steward.post(reverse("customers:id_reveal", args=[owner.pk]))
    assert "110101199003071233" in response.content.decode()
    assert AuditLog.objects.exclude(action=AuditAction.LOGIN).get().action == AuditAction.REVEAL_ID


def test_opening_the_edit_form_is_a_logged_reveal(world, login):
    client = login(world.users["agent_a"])
    owner = world.residents["a_owner"]
    assert FULL in client.get(reverse("customers:resident_edit", args=[owner.pk])).content.decode()
    assert AuditLog.objects.filter(action=AuditAction.REVEAL_PHONE, actor=world.users["agent_a"]).count() == 1


@pytest.mark.parametrize(("query", "expected"), [
    ("5678", {"周美玲", "吴强"}),  # last four digits: a mobile and a landline
    ("138 1234 5678", {"周美玲"}),
    ("3-2-1802", {"周美玲", "周子轩"}),  # room code: the household
    ("周", {"周美玲", "周子轩"}),
])
def test_one_box_finds_by_phone_room_or_name(world, login, query, expected):
    client = login(world.users["agent_a"])
    response = client.get(reverse("search"), {"q": query}, headers={"HX-Request": "true"})
    names = {r.name for r in response.context["results"].residents}
    assert names == expected


def test_search_stays_in_scope(world, login):
    client = login(world.users["agent_b"])
    response = client.get(reverse("search"), {"q": "5678"}, headers={"HX-Request": "true"})
    assert {r.name for r in response.context["results"].residents} == set()
    response = client.get(reverse("search"), {"q": "8888"}, headers={"HX-Request": "true"})
    assert {r.name for r in response.context["results"].residents} == {"郑海燕"}


def test_enter_on_a_single_hit_opens_it(world, login):
    client = login(world.users["agent_a"])
    response = client.get(reverse("search"), {"q": "13900001111", "go": "1"})
    assert response.status_code == 302 and response.url == detail_url(world.residents["a_family"])


def test_register_resident_with_bad_phone_shows_error_at_the_field_and_writes_nothing(world, login):
    client = login(world.users["agent_a"])
    before = Resident.objects.count()
    response = client.post(reverse("customers:resident_create"), {
        "project": world.project_a.pk, "room_code": "3-2-1801", "relation": "owner", "name": "何静",
        "phone1": "1381234", "phone2": "",
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert "phone1" in form.errors and "1381234" in form.errors["phone1"][0]
    assert Resident.objects.count() == before


def test_register_resident_in_unknown_room_is_refused_at_the_room_field(world, login):
    client = login(world.users["agent_a"])
    response = client.post(reverse("customers:resident_create"), {
        "project": world.project_a.pk, "room_code": "9-9-9999", "relation": "owner", "name": "何静",
        "phone1": "13811112222",
    })
    assert "room_code" in response.context["form"].errors
    assert not Resident.objects.filter(name="何静").exists()


def test_register_resident_gets_the_next_archive_number_and_the_room(world, login):
    client = login(world.users["agent_a"])
    response = client.post(reverse("customers:resident_create"), {
        "project": world.project_a.pk, "room_code": "3-1-0501".replace("-0", "-"), "relation": "tenant",
        "name": "何静", "phone1": "+86 138 1111 2222",
    })
    resident = Resident.objects.get(name="何静")
    assert response.url == detail_url(resident)
    assert resident.phones.get().number == "13811112222"
    assert resident.occupancies.get().room.code == "3-1-501"
    assert len(resident.archive_no) == 11 and resident.archive_no.isdigit()


def test_agent_cannot_register_into_another_project(world, login):
    client = login(world.users["agent_a"])
    response = client.post(reverse("customers:resident_create"), {
        "project": world.project_b.pk, "name": "何静", "phone1": "13811112222", "relation": "owner",
    })
    assert "project" in response.context["form"].errors
    assert not Resident.objects.filter(name="何静").exists()


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_resident_list_query_count_does_not_grow_with_rows(world, login):
    client = login(world.users["pm_a"])
    rooms = list(world.project_a.rooms.order_by("id")[:60])
    for i, room in enumerate(rooms):
        make_resident(world.project_a, f"测试{i:02d}", f"1360000{i:04d}", room)
    list_url = reverse("customers:resident_list") + f"?project={world.project_a.pk}"
    few, page = _count_queries(client, list_url + "&q=测试0")
    assert len(page.context["page"].object_list) == 10
    many, page = _count_queries(client, list_url)
    assert len(page.context["page"].object_list) == 50
    assert few == many


def test_customer_page_query_count_does_not_grow_with_household(world, login):
    client = login(world.users["pm_a"])
    owner = world.residents["a_owner"]
    small, _ = _count_queries(client, detail_url(owner))
    room = owner.occupancies.get().room
    for i in range(8):
        make_resident(world.project_a, f"家属{i}", f"1370000{i:04d}", room, relation="family")
    for extra_room in world.project_a.rooms.exclude(pk=room.pk)[:4]:
        owner.occupancies.create(room=extra_room, project=world.project_a, relation="owner")
    large, page = _count_queries(client, detail_url(owner))
    assert len(page.context["occupancies"]) == 5
    assert small == large


def test_a_bare_room_number_finds_the_rooms_of_that_number(world, login):
    client = login(world.users["agent_a"])
    response = client.get(reverse("search"), {"q": "1802"}, headers={"HX-Request": "true"})
    codes = {room.code for room in response.context["results"].rooms}
    assert codes == {"3-1-1802", "3-2-1802"}  # both units of building 3 in project A, none of project B


def test_moving_out_ends_the_link_and_keeps_the_history(world, login):
    client = login(world.users["agent_a"])
    tenant = world.residents["a_tenant"]
    occupancy = tenant.occupancies.get()
    response = client.post(reverse("customers:occupancy_end", args=[occupancy.pk]), {"end_date": "2026-11-30"})
    assert response.url == detail_url(tenant)
    occupancy.refresh_from_db()
    assert str(occupancy.end_date) == "2026-11-30"
    page = client.get(detail_url(tenant)).content.decode()
    assert "5-1-301" in page and "已结束" in page


def test_moving_out_before_moving_in_is_refused(world, login):
    client = login(world.users["agent_a"])
    occupancy = world.residents["a_tenant"].occupancies.get()
    client.post(reverse("customers:occupancy_end", args=[occupancy.pk]), {"end_date": "2001-01-01"})
    occupancy.refresh_from_db()
    assert occupancy.end_date is None


def test_agent_cannot_end_another_projects_occupancy(world, login):
    client = login(world.users["agent_a"])
    occupancy = world.residents["b_owner"].occupancies.get()
    assert client.post(reverse("customers:occupancy_end", args=[occupancy.pk])).status_code == 404
