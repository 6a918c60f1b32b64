"""The pages a steward, the PM and the resident touch: the phone worklist and inspection form, the acceptance with
deductions, the refund approvals, the printable notice, photos, complaint links, the resident's page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from propdesk.core.testing import TEST_NOW
from propdesk.fees.choices import EntryKind
from propdesk.fees.models import LedgerEntry
from propdesk.renovation.models import (
    RectificationStatus,
    RenovationAcceptance,
    RenovationComplaint,
    RenovationInspection,
    RenovationInspectionPhoto,
    RenovationRectification,
    RenovationStatus,
)
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.stewardship.models import ZoneAssignment

from .factories import all_pass, approved_renovation, jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone(world):
    for building in world.project_a.buildings.all():
        ZoneAssignment.objects.create(project=world.project_a, building=building, steward=world.users["steward_a"],
                                      assigned_at=TEST_NOW - timedelta(days=300))
    return world


def test_steward_fails_then_passes_an_inspection_with_a_photo(world, zone, renovation, login):
    client = login(world.users["steward_a"])
    page = client.get(reverse("renovation:inspection_worklist"))
    assert page.status_code == 200 and renovation.room.code in page.content.decode()
    url = reverse("renovation:inspect", args=[renovation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, all_pass(item_2="fail", note_2="楼道堆放建筑垃圾", photos=[jpeg()]))
    assert response.status_code == 302
    inspection = RenovationInspection.objects.get()
    assert not inspection.passed and RenovationInspectionPhoto.objects.filter(inspection=inspection).count() == 1
    rect = RenovationRectification.objects.get()
    notice = client.get(reverse("renovation:rectification_notice", args=[rect.pk]))
    assert "整改通知书" in notice.content.decode() and "楼道堆放建筑垃圾" in notice.content.decode()
    photo = client.get(reverse("renovation:inspection_photo", args=[inspection.photos.get().pk]))
    assert photo["Content-Type"] == "image/jpeg" and photo["X-Content-Type-Options"] == "nosniff"
    assert "inline" in photo["Content-Disposition"]
    response = client.post(url, all_pass())
    assert response.status_code == 302
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.FIXED


def test_a_second_inspection_the_same_day_shows_the_message(world, renovation, login):
    client = login(world.users["steward_a"])
    url = reverse("renovation:inspect", args=[renovation.pk])
    client.post(url, all_pass())
    response = client.post(url, all_pass())
    assert response.status_code == 200 and "今天已巡检过" in response.content.decode()
    assert RenovationInspection.objects.count() == 1


def test_a_file_that_is_not_a_photo_is_refused(world, renovation, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.users["steward_a"])
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(reverse("renovation:inspect", args=[renovation.pk]), all_pass(photos=[bad]))
    assert response.status_code == 200 and not RenovationInspection.objects.exists()


def test_acceptance_with_deduction_then_pm_approves(world, renovation, login):
    client = login(world.users["steward_a"])
    url = reverse("renovation:acceptance_record", args=[renovation.pk])
    too_much = client.post(url, {"passed": "yes", "reason_0": "电梯轿厢损坏", "amount_0": "3500"})
    assert too_much.status_code == 200 and "退款不能超过押金" in too_much.content.decode()
    assert not RenovationAcceptance.objects.exists()
    assert client.post(url, {"passed": "yes", "reason_0": "楼道墙面污损", "amount_0": "200"}).status_code == 302
    acceptance = RenovationAcceptance.objects.get()
    assert acceptance.refund_fen == 280000
    pm = login(world.users["pm_a"])
    listing = pm.get(reverse("renovation:acceptance_list"))
    assert "2800.00" in listing.content.decode()
    pm.post(reverse("renovation:acceptance_decide", args=[acceptance.pk]), {"decision": "approve"})
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.CLOSED
    assert LedgerEntry.objects.get(kind=EntryKind.DEPOSIT_REFUND).cash_fen == -280000


def test_pm_who_inspected_cannot_approve(world, renovation, login):
    pm = login(world.users["pm_a"])
    pm.post(reverse("renovation:acceptance_record", args=[renovation.pk]), {"passed": "yes"})
    acceptance = RenovationAcceptance.objects.get()
    response = pm.post(reverse("renovation:acceptance_decide", args=[acceptance.pk]), {"decision": "approve"},
                       follow=True)
    assert "退款须由他人审批" in response.content.decode()
    assert not LedgerEntry.objects.filter(kind=EntryKind.DEPOSIT_REFUND).exists()


def test_resident_asks_for_acceptance_and_not_for_another_home(world, renovation, login):
    other = approved_renovation(world, world.room(world.project_a, "5-1-301"))
    client = login(world.users["resident_a"])
    url = reverse("renovation:my_acceptance", args=[renovation.pk])
    assert client.get(url).status_code == 200
    client.post(url)
    renovation.refresh_from_db()
    assert renovation.status == RenovationStatus.ACCEPTANCE_REQUESTED
    assert client.get(reverse("renovation:my_acceptance", args=[other.pk])).status_code == 404
    assert client.post(reverse("renovation:my_acceptance", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == RenovationStatus.APPROVED


def test_another_scopes_renovation_is_a_404(world, login):
    theirs = approved_renovation(world, world.room(world.project_b, "3-1-101"), actor=world.users["agent_b"])
    client = login(world.users["steward_a"])
    assert client.get(reverse("renovation:inspect", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("renovation:acceptance_record", args=[theirs.pk])).status_code == 404


def test_noise_complaint_is_a_candidate_and_links(world, renovation, login):
    neighbour = world.room(world.project_a, "3-2-1702")
    request = request_submit(actor=world.users["agent_a"], project=world.project_a, now=TEST_NOW, data=RequestInput(
        channel="phone", kind="complaint", description="楼上装修电钻声太吵，中午也在敲打", room_id=neighbour.pk,
        contact_name="王女士", contact_phone="13911112222", complaint_category="property", severity="minor"))
    from propdesk.renovation.selectors.inspections import complaint_candidates

    assert [r.pk for r in complaint_candidates(user=world.users["steward_a"], renovation=renovation)] == [request.pk]
    client = login(world.users["steward_a"])
    client.post(reverse("renovation:complaint_link", args=[renovation.pk]), {"request": request.number})
    assert RenovationComplaint.objects.filter(renovation=renovation, request=request).exists()
    assert complaint_candidates(user=world.users["steward_a"], renovation=renovation) == []


def test_worklist_queries_do_not_grow_with_rows(world, zone, login, django_assert_max_num_queries):
    client = login(world.users["steward_a"])
    approved_renovation(world, world.room(world.project_a, "3-2-1802"))
    client.get(reverse("renovation:inspection_worklist"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("renovation:inspection_worklist"))
    for code in ("3-1-101", "3-1-102", "3-2-101", "3-2-102", "5-1-101"):
        approved_renovation(world, world.room(world.project_a, code))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("renovation:inspection_worklist"))
    assert "5-1-101" in page.content.decode()


def test_acceptance_list_queries_flat(world, login, django_assert_max_num_queries):
    from propdesk.renovation.services.inspections import AcceptanceInput, acceptance_record

    def accepted(code):
        r = approved_renovation(world, world.room(world.project_a, code))
        acceptance_record(actor=world.users["steward_a"], renovation_id=r.pk, now=TEST_NOW,
                          data=AcceptanceInput(passed=True))

    accepted("3-1-101")
    client = login(world.users["pm_a"])
    client.get(reverse("renovation:acceptance_list"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("renovation:acceptance_list"))
    for code in ("3-1-102", "3-2-101", "3-2-102"):
        accepted(code)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("renovation:acceptance_list"))
