"""The pages: the buyer's link (book, full, twice, wrong token), the desk, the checklist with a photo, the defects
report for the developer, scope and query counts."""

import pytest
from django.urls import reverse

from propdesk.core.testing import sh
from propdesk.movein.models import BookingStatus, Handover, HandoverBooking, HandoverDefect
from propdesk.movein.services.buyers import buyer_create, buyer_token
from propdesk.movein.services.slots import booking_create, slot_create
from propdesk.servicedesk.models import Attachment

from .conftest import TUESDAY_9, checklist_post, jpeg

pytestmark = pytest.mark.django_db
NOW = sh(2026, 11, 23, 10, 0)


def link(buyer) -> str:
    return reverse("movein:buyer_booking", args=[buyer_token(buyer)])


def test_a_buyer_books_through_their_link_without_signing_in(movein, client):
    buyer, slot = movein.buyers["101"], movein.slots["tue"]
    page = client.get(link(buyer))
    assert page.status_code == 200 and "林晓峰" in page.content.decode() and "5-1-101" in page.content.decode()
    response = client.post(link(buyer), {"slot": slot.pk})
    assert response.status_code == 302
    booking = HandoverBooking.objects.get(room_id=buyer.room_id, status=BookingStatus.BOOKED)
    assert booking.slot == slot and booking.channel == "link"
    again = client.post(link(buyer), {"slot": slot.pk})
    assert again.status_code == 200 and 'id="booking-error"' in again.content.decode()
    assert HandoverBooking.objects.filter(room_id=buyer.room_id).count() == 1
    moved = client.post(link(buyer), {"slot": movein.slots["wed"].pk})  # rebook the day before: allowed
    assert moved.status_code == 302
    assert HandoverBooking.objects.get(room_id=buyer.room_id, status=BookingStatus.BOOKED).slot == movein.slots["wed"]


def test_a_full_slot_and_a_wrong_token(movein, client):
    slot = slot_create(actor=movein.users["pm_a"], project=movein.project_a, starts_at=sh(2026, 11, 26, 14, 0),
                       ends_at=sh(2026, 11, 26, 14, 30), capacity=1, now=NOW)
    booking_create(actor=None, buyer=movein.buyers["102"], slot_id=slot.pk, now=NOW)
    response = client.post(link(movein.buyers["101"]), {"slot": slot.pk})
    assert response.status_code == 200 and 'id="booking-error"' in response.content.decode()
    assert not HandoverBooking.objects.filter(room_id=movein.buyers["101"].room_id).exists()
    token = buyer_token(movein.buyers["101"])
    for bad in (token[:-3] + "xyz", "abc", token.replace(":", "-")):
        assert client.get(reverse("movein:buyer_booking", args=[bad])).status_code == 404


def test_the_desk_books_and_the_steward_completes_the_checklist_with_a_photo(movein, login):
    client = login(movein.users["steward_a"])
    slot, buyer = movein.slots["tue"], movein.buyers["101"]
    response = client.post(reverse("movein:slot_detail", args=[slot.pk]), {"room_code": "5-1-101"})
    assert response.status_code == 302
    twice = client.post(reverse("movein:slot_detail", args=[slot.pk]), {"room_code": "5-1-101"})
    assert twice.status_code == 200 and "errorlist" in twice.content.decode()
    url = reverse("movein:handover_checklist", args=[buyer.room_id])
    assert client.get(url).status_code == 200
    bad = client.post(url, checklist_post(water_reading="十二"))
    assert bad.status_code == 200 and 'id="row-water_reading"' in bad.content.decode()
    assert not Handover.objects.exists()
    response = client.post(url, {**checklist_post({"卫生间": "地漏倒坡，淋浴区积水"}), "photo_5": jpeg()})
    assert response.status_code == 302, response.content.decode()[:2000]
    handover = Handover.objects.get(room_id=buyer.room_id)
    defect = HandoverDefect.objects.get(handover=handover)
    assert Attachment.objects.filter(request=defect.request).count() == 1
    page = client.get(response["Location"])
    assert "地漏倒坡" in page.content.decode() and handover.resident.archive_no in page.content.decode()


def test_the_developer_sees_their_open_defects_and_the_export(movein, login, client):
    from propdesk.movein.services.handover import handover_complete

    from .conftest import checklist_input

    handover_complete(actor=movein.users["steward_a"], room_id=movein.buyers["101"].room_id, now=NOW,
                      data=checklist_input({"阳台": "栏杆松动", "厨房": "橱柜门变形"}))
    login(movein.users["developer_a"])
    page = client.get(reverse("movein:defect_report"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "栏杆松动" in text and "橱柜门变形" in text
    csv = client.get(reverse("movein:defect_report") + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv") and "栏杆松动" in csv.content.decode("utf-8-sig")
    login(movein.users["technician_a"])  # an engineering technician: not the developer, no VIEW_HANDOVERS
    assert client.get(reverse("movein:defect_report")).status_code == 403


def test_another_projects_staff_get_404(movein, login):
    from propdesk.core.testing import make_user

    other = make_user("steward_b", role="steward", project=movein.project_b)
    client = login(other)
    assert client.get(reverse("movein:slot_detail", args=[movein.slots["tue"].pk])).status_code == 404
    assert client.get(reverse("movein:handover_checklist", args=[movein.buyers["101"].room_id])).status_code == 404


def test_list_pages_take_the_same_queries_for_more_rows(movein, login, django_assert_max_num_queries):
    client = login(movein.users["pm_a"])
    urls = [reverse("movein:slot_list"), reverse("movein:buyer_list"), reverse("movein:defect_report"),
            reverse("movein:handover_list") + "?day=2026-11-24"]
    booking_create(actor=None, buyer=movein.buyers["101"], slot_id=movein.slots["tue"].pk, now=NOW)
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(40) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    a, pm = movein.project_a, movein.users["pm_a"]
    for n, code in enumerate(["5-1-201", "5-1-202", "5-1-203", "5-1-204"]):
        buyer = buyer_create(actor=pm, room=movein.room(a, code), name=f"买受人{n}", mobile=f"1360000{n:04d}",
                             now=NOW)
        booking_create(actor=None, buyer=buyer, slot_id=movein.slots["wed"].pk if n < 3 else movein.slots["tue"].pk,
                       now=NOW)
        slot_create(actor=pm, project=a, starts_at=TUESDAY_9.replace(hour=14 + n), ends_at=TUESDAY_9.replace(
            hour=14 + n, minute=30), capacity=2, now=NOW)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_the_pm_pastes_buyers_all_or_nothing(movein, login):
    from propdesk.movein.models import HandoverBuyer

    client = login(movein.users["pm_a"])
    url = reverse("movein:buyer_list")
    bad = client.post(url, {"project": movein.project_a.pk,
                            "lines": "5-1-201,赵磊,13600005555\n5-1-202,钱芳,12345\n9-9-999,孙伟,13600006666"})
    text = bad.content.decode()
    assert bad.status_code == 200 and "12345" in text and "9-9-999" in text
    assert not HandoverBuyer.objects.filter(room__code="5-1-201").exists()
    good = client.post(url, {"project": movein.project_a.pk,
                             "lines": "5-1-201\t赵磊\t13600005555\n5-1-202，钱芳，13600007777，110101199003071233"})
    assert good.status_code == 302
    assert set(HandoverBuyer.objects.filter(room__code__in=["5-1-201", "5-1-202"]).values_list("name", flat=True)) \
        == {"赵磊", "钱芳"}


def test_the_pm_opens_a_days_slots_and_sets_the_defect_deadline(movein, login):
    from propdesk.movein.models import HandoverSettings, HandoverSlot

    client = login(movein.users["pm_a"])
    url = reverse("movein:slot_list")
    response = client.post(url, {"project": movein.project_a.pk, "day": "2026-11-26", "first": "14:00",
                                 "last_end": "16:00", "minutes": "30", "capacity": "3"})
    assert response.status_code == 302
    assert HandoverSlot.objects.filter(starts_at__date="2026-11-26").count() == 4
    sunday = client.post(url, {"project": movein.project_a.pk, "day": "2026-11-29", "first": "14:00",
                               "last_end": "16:00", "minutes": "30", "capacity": "3"})
    assert sunday.status_code == 200 and "errorlist" in sunday.content.decode()
    saved = client.post(url, {"days-project": movein.project_a.pk, "days-defect_days": "10"})
    assert saved.status_code == 302 and HandoverSettings.objects.get(project=movein.project_a).defect_days == 10
    steward = login(movein.users["steward_a"])
    assert steward.post(url, {"days-project": movein.project_a.pk, "days-defect_days": "3"}).status_code == 403


def test_the_booking_link_is_shown_only_to_those_who_may_book(movein, login):
    token = buyer_token(movein.buyers["101"]).split(":")[0]  # the signed payload (a timestamp follows)
    assert token in login(movein.users["agent_a"]).get(reverse("movein:buyer_list")).content.decode()
    reader = login(movein.users["leader_east"])  # VIEW_HANDOVERS, not HANDOVER
    page = reader.get(reverse("movein:buyer_list"))
    assert page.status_code == 200 and "林晓峰" in page.content.decode() and token not in page.content.decode()
