"""The renovation application through the pages a resident and the staff touch."""

from datetime import timedelta

import pytest
from django.urls import reverse

from propdesk.core.testing import TEST_NOW
from propdesk.fees.choices import FeeKind
from propdesk.fees.models import Bill
from propdesk.notify.models import Notification
from propdesk.org.choices import RoomStatus
from propdesk.renovation.models import Renovation, RenovationPhoto, RenovationSettings, RenovationStatus
from propdesk.renovation.services.applications import (
    ApplicationInput,
    WorkerInput,
    renovation_apply,
    renovation_decide,
)

from .conftest import END, START, WORKER_ID, form_data, jpeg

pytestmark = pytest.mark.django_db


def _apply_as_resident(world, login, **extra):
    client = login(world.users["resident_a"])
    room = world.room(world.project_a, "3-2-1802")
    data = form_data(home=str(room.pk), **extra)
    return client, client.post(reverse("renovation:my_apply"), data)


def test_resident_applies_on_the_phone_with_photos(reno, login):
    client = login(reno.users["resident_a"])
    room = reno.room(reno.project_a, "3-2-1802")
    page = client.get(reverse("renovation:my_apply"))
    assert page.status_code == 200 and "拆改承重墙" in page.content.decode()
    response = client.post(reverse("renovation:my_apply"), form_data(
        home=str(room.pk), photos=[jpeg()], worker_photo_0=jpeg("李大勇.jpg")))
    renovation = Renovation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("renovation:my_detail",
                                                                             args=[renovation.pk])
    assert renovation.number.startswith("ZX") and renovation.number.endswith("261123001")
    assert renovation.channel == "app" and renovation.applicant == reno.residents["a_owner"]
    assert renovation.status == RenovationStatus.SUBMITTED
    assert sorted(i.code for i in renovation.items.all()) == ["electrics", "floor_finish", "wall_finish"]
    assert [w.name for w in renovation.workers.all()] == ["李大勇", "黄小平"]
    assert RenovationPhoto.objects.filter(renovation=renovation).count() == 2
    assert RenovationPhoto.objects.filter(worker__name="李大勇").count() == 1
    detail = client.get(reverse("renovation:my_detail", args=[renovation.pk])).content.decode()
    assert "110105********2010" in detail and WORKER_ID not in detail
    photo = RenovationPhoto.objects.filter(worker__isnull=True).get()
    served = client.get(reverse("renovation:photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"


def test_worker_without_id_is_refused_and_nothing_is_written(reno, login):
    _client, response = _apply_as_resident(reno, login, worker_id_1="")
    assert response.status_code == 200
    assert "an ID number is required for every worker" in response.content.decode() or "身份证" in \
        response.content.decode()
    assert not Renovation.objects.exists()


def test_forbidden_item_is_refused_naming_the_rule(reno, login):
    _client, response = _apply_as_resident(reno, login, items=["wall_finish", "bearing_wall"])
    assert response.status_code == 200 and not Renovation.objects.exists()
    assert "第五条" in response.content.decode()


def test_balcony_banned_by_the_project_and_flagged_items(reno, login):
    RenovationSettings.objects.create(project=reno.project_a, balcony_closing_banned=True, flagged_items=["plumbing"],
                                      updated_at=TEST_NOW)
    _client, response = _apply_as_resident(reno, login, items=["balcony_closing"])
    assert response.status_code == 200 and not Renovation.objects.exists()
    _client, response = _apply_as_resident(reno, login, items=["plumbing", "wall_finish"])
    assert response.status_code == 302
    renovation = Renovation.objects.get()
    assert [f["code"] for f in renovation.flags] == ["plumbing"]


@pytest.mark.parametrize("start,end,field", [
    (START - timedelta(days=14), END, "past"),
    (START, START + timedelta(days=120), "too long"),
    (START + timedelta(days=5), START + timedelta(days=6), "weekend only"),
])
def test_bad_periods_are_refused(reno, login, start, end, field):
    _client, response = _apply_as_resident(reno, login, planned_start=start.isoformat(),
                                           planned_end=end.isoformat())
    assert response.status_code == 200 and not Renovation.objects.exists(), field


def test_quiet_days_leave_no_permitted_day(reno, login):
    RenovationSettings.objects.create(project=reno.project_a, quiet_days=["2026-11-30", "2026-12-01"],
                                      updated_at=TEST_NOW)
    _client, response = _apply_as_resident(reno, login, planned_start="2026-11-30", planned_end="2026-12-01")
    assert response.status_code == 200 and not Renovation.objects.exists()


def test_another_households_home_is_a_404(reno, login):
    client = login(reno.users["resident_a"])
    other = reno.room(reno.project_a, "5-1-301")
    data = ApplicationInput(room_id=other.pk, contractor_name="x", contractor_contact="y", contractor_phone="1",
                            planned_start=START, planned_end=END, items=["wall_finish"],
                            workers=[WorkerInput(name="李大勇", id_number=WORKER_ID)])
    with pytest.raises(Exception) as caught:
        renovation_apply(actor=reno.users["resident_a"], data=data, now=TEST_NOW)
    assert "DoesNotExist" in type(caught.value).__name__
    # Through the page: a home not in the choice list is a form error, never an application.
    response = client.post(reverse("renovation:my_apply"), form_data(home=str(other.pk)))
    assert response.status_code == 200 and not Renovation.objects.exists()


def _submitted(world, **extra):
    data = ApplicationInput(room_id=world.room(world.project_a, "3-2-1802").pk, contractor_name="美家装饰",
                            contractor_contact="孙立新", contractor_phone="13611112222", planned_start=START,
                            planned_end=END, items=extra.pop("items", ["wall_finish", "electrics"]),
                            workers=[WorkerInput(name="李大勇", id_number=WORKER_ID, trade="木工")])
    return renovation_apply(actor=world.users["resident_a"], data=data, now=TEST_NOW)


def test_one_open_application_per_home(reno):
    _submitted(reno)
    with pytest.raises(Exception) as caught:
        _submitted(reno)
    assert getattr(caught.value, "status_code", None) == 409


def test_pm_approves_deposit_and_fee_are_charged_room_under_renovation(reno, login,
                                                                     django_capture_on_commit_callbacks):
    renovation = _submitted(reno)
    client = login(reno.users["pm_a"])
    page = client.get(reverse("renovation:detail", args=[renovation.pk]))
    assert page.status_code == 200 and "renovation-decide-form" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("renovation:decide", args=[renovation.pk]), {
            "decision": "conditions", "conditions": "电路改造须由持证电工施工，完工后报物业检查"})
    assert response.status_code == 302
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.APPROVED and renovation.permit_number.startswith("XK")
    assert renovation.deposit_bill.item.kind == FeeKind.DEPOSIT and renovation.deposit_bill.amount_fen == 300000
    assert renovation.fee_bill.item.name == "装修垃圾清运费" and renovation.fee_bill.amount_fen == 50000
    assert Bill.objects.filter(room=renovation.room).count() == 2
    renovation.room.refresh_from_db()
    assert renovation.room.status == RoomStatus.RENOVATING and renovation.room_status_before == RoomStatus.OCCUPIED
    assert renovation.workers.get().pass_number == f"{renovation.permit_number}-01"
    assert Notification.objects.filter(recipient=reno.users["resident_a"], kind="renovation_decided").exists()
    assert Notification.objects.filter(recipient=reno.users["steward_a"], kind="renovation_approved").exists()
    permit = client.get(reverse("renovation:permit", args=[renovation.pk])).content.decode()
    assert "装修许可证" in permit and "持证电工" in permit and "装修出入证" in permit and "08:00–12:00" in permit
    account = client.get(reverse("fees:home", args=[renovation.room_id])).content.decode()
    assert "装修押金" in account
    # The resident sees what to pay and the permit.
    mine = login(reno.users["resident_a"]).get(reverse("renovation:my_detail", args=[renovation.pk]))
    assert renovation.permit_number in mine.content.decode()


def test_flagged_needs_conditions_refusal_needs_reasons(reno):
    from propdesk.core.errors import ApplicationError

    RenovationSettings.objects.create(project=reno.project_a, flagged_items=["plumbing"], updated_at=TEST_NOW)
    renovation = _submitted(reno, items=["plumbing"])
    with pytest.raises(ApplicationError):
        renovation_decide(actor=reno.users["pm_a"], renovation_id=renovation.pk, decision="approved", now=TEST_NOW)
    with pytest.raises(ApplicationError):
        renovation_decide(actor=reno.users["pm_a"], renovation_id=renovation.pk, decision="refused", now=TEST_NOW)
    assert not Bill.objects.exists()
    renovation_decide(actor=reno.users["pm_a"], renovation_id=renovation.pk, decision="refused",
                      note="卫生间移位影响楼下，请修改方案后重新申请", now=TEST_NOW)
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.REFUSED and not Bill.objects.exists()


def test_steward_may_not_decide(reno, login):
    renovation = _submitted(reno)
    client = login(reno.users["steward_a"])
    response = client.post(reverse("renovation:decide", args=[renovation.pk]), {"decision": "approved"})
    assert response.status_code in (403, 404)
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.SUBMITTED


def test_desk_application_and_other_scope_404(reno, login):
    client = login(reno.users["agent_a"])
    room = reno.room(reno.project_a, "3-2-1802")
    page = client.get(reverse("renovation:new") + "?code=3-2-1802")
    assert page.status_code == 200 and "周美玲" in page.content.decode()
    response = client.post(reverse("renovation:new") + f"?room={room.pk}", form_data(
        room=str(room.pk), applicant=str(reno.residents["a_family"].pk)))
    renovation = Renovation.objects.get()
    assert response.status_code == 302 and renovation.channel == "desk"
    assert renovation.applicant == reno.residents["a_family"]
    other = login(reno.users["agent_b"])
    assert other.get(reverse("renovation:detail", args=[renovation.pk])).status_code == 404
    assert other.get(reverse("renovation:new") + f"?room={room.pk}").status_code == 404


def test_resident_withdraws(reno, login):
    renovation = _submitted(reno)
    client = login(reno.users["resident_a"])
    client.post(reverse("renovation:my_withdraw", args=[renovation.pk]))
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.WITHDRAWN


def test_list_query_count_is_flat(reno, login, django_assert_max_num_queries):
    client = login(reno.users["pm_a"])
    _submitted(reno)
    with django_assert_max_num_queries(20) as counted:
        client.get(reverse("renovation:list"))
    few = len(counted.captured_queries)
    for code in ("3-1-101", "3-1-102", "3-2-101", "5-1-101"):
        room = reno.room(reno.project_a, code)
        Renovation.objects.create(project=reno.project_a, building_id=room.building_id, room=room,
                                  number=f"ZXA{code}", channel="desk", applicant_name="某", applicant_phone="1",
                                  contractor_name="c", contractor_contact="c", contractor_phone="1",
                                  planned_start=START, planned_end=END, created_at=TEST_NOW,
                                  created_by=reno.users["pm_a"])
    with django_assert_max_num_queries(few):
        page = client.get(reverse("renovation:list"))
    assert page.content.decode().count("renovation-row") == 5


def test_settings_page_saves(reno, login):
    client = login(reno.users["pm_a"])
    assert client.get(reverse("renovation:settings")).status_code == 200
    response = client.post(reverse("renovation:settings") + f"?project={reno.project_a.pk}", {
        "forbidden_items": ["air_conditioner"], "flagged_items": ["plumbing"], "balcony_closing_banned": "on",
        "work_start": "08:30", "work_end": "17:30", "noon_quiet_start": "12:00", "noon_quiet_end": "14:00",
        "quiet_days": "2027-06-07\n2027-06-08", "max_days": "60", "deposit_yuan": "2000", "fee_yuan": "300",
        "inspect_every_days": "2", "checklist": "消防器材\n垃圾清运"})
    assert response.status_code == 302
    rules = RenovationSettings.objects.get(project=reno.project_a)
    assert rules.deposit_fen == 200000 and rules.quiet_days == ["2027-06-07", "2027-06-08"]
    assert rules.balcony_closing_banned and rules.max_days == 60
    assert login(reno.users["steward_a"]).get(reverse("renovation:settings")).status_code in (403, 404)


def test_demo_builds_on_a_tiny_world(reno):
    from propdesk.console.demo.renovations import build_renovations
    from propdesk.core.testing import make_resident, make_user
    from propdesk.org.models import Room

    a = reno.project_a
    make_user("agent_a_demo", role="agent", project=a)
    make_user("pm_a_demo", role="project_manager", project=a)
    a.code = "a_demo"  # the demo's user names follow the project code: agent_<code>, pm_<code>
    a.save(update_fields=["code"])
    for n, code in enumerate(("3-1-101", "3-1-102", "3-1-201", "3-1-202", "3-2-101", "3-2-102", "5-1-101",
                              "5-1-102", "5-1-201", "5-1-202", "5-1-401")):
        room = Room.objects.get(project=a, code=code)
        Room.objects.filter(pk=room.pk).update(status=RoomStatus.OCCUPIED)
        make_resident(a, f"业主{n}", f"1380000{n:04d}", room)
    counts = build_renovations(today=TEST_NOW.date())
    assert counts == {"approved": 5, "waiting": 4, "refused": 1, "withdrawn": 1}
    approved = Renovation.objects.filter(status=RenovationStatus.APPROVED)
    assert sum(1 for r in approved if r.deposit_bill.open_fen == 0) == 4
    assert Renovation.objects.filter(status=RenovationStatus.SUBMITTED).exclude(flags=[]).count() == 1


def test_dashboard_figures_alert_after_three_days(reno, django_assert_num_queries):
    from propdesk.renovation.selectors.applications import dashboard_figures

    renovation = _submitted(reno)
    with django_assert_num_queries(1):
        [figure] = dashboard_figures(project_ids=[reno.project_a.pk], now=TEST_NOW)
    assert figure["key"] == "renovations_waiting" and figure["value"] == 1 and not figure["alert"]
    [later] = dashboard_figures(project_ids=[reno.project_a.pk], now=TEST_NOW + timedelta(days=4))
    assert later["alert"] and later["url"].endswith("?status=submitted")
    assert dashboard_figures(project_ids=[reno.project_b.pk], now=TEST_NOW)[0]["value"] == 0
    assert renovation.pk


def test_worker_id_masked_revealed_only_to_roles_that_may_and_logged(reno, login):
    from propdesk.core.models import AuditLog
    from propdesk.staff.permissions import user_can
    from propdesk.staff.rules.roles import Capability

    renovation = _submitted(reno)
    worker = renovation.workers.get()
    url = reverse("renovation:worker_id_reveal", args=[worker.pk])
    revealer = next(u for u in (reno.users["agent_a"], reno.users["pm_a"], reno.users["admin"])
                    if user_can(u, Capability.REVEAL_ID))
    client = login(revealer)
    detail = client.get(reverse("renovation:detail", args=[renovation.pk])).content.decode()
    assert WORKER_ID not in detail and "110105********2010" in detail
    response = client.post(url)
    assert response.status_code == 200 and WORKER_ID in response.content.decode()
    assert AuditLog.objects.filter(target_type="renovation.renovationworker", target_id=str(worker.pk)).exists()
    client.logout()
    steward = login(reno.users["steward_a"])
    if not user_can(reno.users["steward_a"], Capability.REVEAL_ID):
        assert steward.post(url).status_code in (403, 404)


def test_steward_sees_their_zone_by_default_and_filters(reno, login):
    renovation = _submitted(reno)
    client = login(reno.users["steward_a"])
    page = client.get(reverse("renovation:list")).content.decode()
    assert renovation.number in page
    assert renovation.number not in client.get(reverse("renovation:list") + "?status=refused").content.decode()
    # Another building of the project, not in this steward's zone.
    from propdesk.stewardship.models import ZoneAssignment

    ZoneAssignment.objects.filter(building_id=renovation.building_id).delete()
    assert renovation.number not in client.get(reverse("renovation:list")).content.decode()
    assert renovation.number in client.get(reverse("renovation:list") + "?zone=").content.decode()


def test_withdrawn_after_approval_before_start_gives_the_home_back(reno):
    from propdesk.renovation.services.applications import renovation_withdraw

    renovation = _submitted(reno)
    renovation_decide(actor=reno.users["pm_a"], renovation_id=renovation.pk, decision="approved", now=TEST_NOW)
    renovation_withdraw(actor=reno.users["resident_a"], renovation_id=renovation.pk, reason="推迟装修",
                        now=TEST_NOW)
    renovation.refresh_from_db()
    renovation.room.refresh_from_db()
    assert renovation.status == RenovationStatus.WITHDRAWN and renovation.room.status == RoomStatus.OCCUPIED
    # Once work has started (the planned start has come), it can no longer be withdrawn.
    again = _submitted(reno)
    renovation_decide(actor=reno.users["pm_a"], renovation_id=again.pk, decision="approved", now=TEST_NOW)
    with pytest.raises(Exception) as caught:
        renovation_withdraw(actor=reno.users["resident_a"], renovation_id=again.pk,
                            now=TEST_NOW + timedelta(days=8))
    assert getattr(caught.value, "status_code", None) == 409
