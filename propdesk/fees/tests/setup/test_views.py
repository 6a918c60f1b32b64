"""Finance's pages end to end: the price list and a new price, a billing run through the page with its progress, the
phone readings page saved row by row with the unusual alarm, imports from real .xlsx files, the home's parking
spaces and one-off bills; scope (another project's ids are 404) and bad input (4xx, never 5xx)."""

from datetime import date

import pytest
from django.urls import reverse

from propdesk.fees.models import Bill, BillingRun, FeeRate, MeterReading, Subscription
from propdesk.fees.services.billing import billing_run_execute
from propdesk.fees.services.readings import reading_record
from propdesk.fees.services.setup import fee_items_standard
from propdesk.fees.tests.ledger_check import assert_ledger_balances
from propdesk.fees.tests.setup.test_services import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def fees(world):
    for project in (world.project_a, world.project_b):
        fee_items_standard(project=project, effective_from=date(2026, 1, 1))
    world.items = {item.code: item for item in world.project_a.fee_items.all()}
    world.home = world.room(world.project_a, "3-2-1802")
    return world


def test_the_price_list_reads_for_agents_and_changes_for_finance_only(fees, login):
    world = fees
    url = f"{reverse('fees:items')}?project={world.project_a.pk}"
    agent = login(world.users["agent_a"])
    body = agent.get(url).content.decode()
    rate_url = reverse("fees:rate_new", args=[world.items["property"].pk])
    assert "物业服务费" in body and "2.80" in body and rate_url not in body
    assert agent.post(reverse("fees:rate_new", args=[world.items["property"].pk]), {}).status_code == 403
    finance = login(world.users["finance_east"])
    assert rate_url in finance.get(url).content.decode()
    response = finance.post(reverse("fees:rate_new", args=[world.items["property"].pk]), {
        "rate-effective_from": "2026-12-01", "rate-room_type": "", "rate-rate": "3.05"})
    assert response.status_code == 302
    assert FeeRate.objects.filter(item=world.items["property"], effective_from=date(2026, 12, 1)).exists()
    bad = finance.post(reverse("fees:rate_new", args=[world.items["property"].pk]), {
        "rate-effective_from": "2026-12-01", "rate-room_type": "", "rate-rate": "-3"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    tiers = finance.post(reverse("fees:rate_new", args=[world.items["water"].pk]), {
        "rate-effective_from": "2027-01-01", "up_to_0": "20", "price_0": "3.5", "up_to_1": "", "price_1": "5"})
    assert tiers.status_code == 302
    new_item = finance.post(reverse("fees:item_new"), {
        "project": world.project_a.pk, "item-code": "storage", "item-name": "储藏室管理费", "item-kind": "fixed",
        "item-cycle": "monthly", "item-due_day": "10", "item-vacant_discount_percent": "0",
        "item-late_fee_per_mille": "0.5", "item-late_cap_percent": "100", "item-late_grace_days": "0",
        "item-per_subscription": "on"})
    assert new_item.status_code == 302 and world.project_a.fee_items.filter(code="storage").exists()
    # Another project's item is not there for finance of another branch; a resident is refused.
    other = world.project_c.fee_items.create(code="property", name="物业服务费", kind="area")
    assert finance.get(reverse("fees:rate_new", args=[other.pk])).status_code == 404
    assert login(world.users["resident_a"]).get(url).status_code == 403


def test_a_run_through_the_page_shows_progress_and_a_second_run_creates_nothing(fees, login):
    world = fees
    client = login(world.users["finance_east"])
    response = client.post(reverse("fees:runs"), {"project": world.project_a.pk, "period": "2026-11"})
    run = BillingRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("fees:run", args=[run.pk])
    waiting = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "排队" in waiting
    billing_run_execute(run_id=run.pk)  # the worker
    fragment = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    run.refresh_from_db()
    assert "<html" not in fragment and "hx-trigger" not in fragment and run.status == "done"
    assert run.created > 0 and f"{run.total} 户中的 {run.done} 户" in fragment or str(run.done) in fragment
    assert f"{run.amount_fen / 100:,.2f}" in fragment
    bills = Bill.objects.count()

    client.post(reverse("fees:runs"), {"project": world.project_a.pk, "period": "2026-11"})
    second = BillingRun.objects.exclude(pk=run.pk).get()
    billing_run_execute(run_id=second.pk)
    second.refresh_from_db()
    assert second.created == 0 and Bill.objects.count() == bills
    listing = client.get(reverse("fees:runs")).content.decode()
    assert listing.count(reverse("fees:run", args=[run.pk])) == 1
    for bad in ({"project": world.project_a.pk, "period": "2026-13"}, {"project": world.project_c.pk,
                                                                          "period": "2026-11"}, {}):
        assert client.post(reverse("fees:runs"), bad).status_code == 200
    assert BillingRun.objects.count() == 2
    other = BillingRun.objects.create(project=world.project_c, period_key="2026-11", requested_at=run.requested_at)
    assert client.get(reverse("fees:run", args=[other.pk])).status_code == 404
    assert login(world.users["agent_a"]).get(reverse("fees:runs")).status_code == 403
    assert_ledger_balances()


def test_the_phone_readings_page_saves_per_row_with_the_alarm_inline(fees, login):
    world = fees
    water = world.items["water"]
    steward = world.users["steward_a"]
    for month, value in enumerate(range(100, 170, 10), start=4):
        reading_record(room=world.home, item=water, period_key=f"2026-{month:02d}", reading=str(value),
                       actor=steward)
    client = login(steward)
    query = {"project": world.project_a.pk, "building": world.home.building_id, "floor": 18, "item": water.pk,
             "period": "2026-11"}
    page = client.get(reverse("fees:readings"), query).content.decode()
    assert "3-2-1802" in page and 'inputmode="decimal"' in page and "160.00 (2026-10)" in page
    post = {**query, "room": world.home.pk}
    below = client.post(reverse("fees:readings"), {**post, "reading": "150"}, headers={"HX-Request": "true"})
    assert below.status_code == 200 and "160.00" in below.content.decode() and "<html" not in below.content.decode()
    unusual = client.post(reverse("fees:readings"), {**post, "reading": "220"},
                          headers={"HX-Request": "true"}).content.decode()
    assert "确认读数无误" in unusual and 'name="confirm" value="1"' in unusual
    assert not MeterReading.objects.filter(period_key="2026-11").exists()
    confirmed = client.post(reverse("fees:readings"), {**post, "reading": "220", "confirm": "1"},
                            headers={"HX-Request": "true"}).content.decode()
    assert "已确认" in confirmed
    saved = MeterReading.objects.get(period_key="2026-11")
    assert saved.alarm and saved.confirmed_by == steward
    # Without JavaScript the page reloads with a message.
    plain = client.post(reverse("fees:readings"), {**post, "room": world.room(world.project_a, "3-2-1801").pk,
                                                   "reading": "12"})
    assert plain.status_code == 302
    # Another project's room is not there; bad input never a 500.
    other = world.room(world.project_c, "3-1-101")
    assert client.post(reverse("fees:readings"), {**post, "room": other.pk, "reading": "1"}).status_code == 404
    assert client.get(reverse("fees:readings"), {"building": "x", "floor": "y", "item": "z",
                                                  "period": "no"}).status_code == 200
    finance = login(world.users["finance_east"])
    billed = finance.post(reverse("fees:readings_bill"), query)
    assert billed.status_code == 302 and Bill.objects.filter(item=water, room=world.home).get().amount_fen == 29950
    assert_ledger_balances()


def test_readings_page_query_count_does_not_grow_with_rows(fees, login, django_assert_max_num_queries):
    world = fees
    client = login(world.users["steward_a"])
    building = world.home.building
    query = {"project": world.project_a.pk, "building": building.pk, "item": world.items["water"].pk,
             "period": "2026-11"}
    for room in building.rooms.filter(floor=18):
        reading_record(room=room, item=world.items["water"], period_key="2026-10", reading="10",
                       actor=world.users["steward_a"])
    with django_assert_max_num_queries(20):
        few = client.get(reverse("fees:readings"), {**query, "floor": 18})
    for room in building.rooms.filter(floor=18):
        reading_record(room=room, item=world.items["water"], period_key="2026-11", reading="12",
                       actor=world.users["steward_a"])
    with django_assert_max_num_queries(20):
        many = client.get(reverse("fees:readings"), {**query, "floor": 18})
    assert few.status_code == many.status_code == 200


def test_imports_through_the_page_are_all_or_nothing(fees, login):
    world = fees
    client = login(world.users["finance_east"])
    assert client.get(reverse("fees:import_template", args=["openings"])).status_code == 200
    assert client.get(reverse("fees:import_template", args=["nope"])).status_code == 404
    headers = ["房号", "收费项目", "所属期间", "欠费金额", "预存余额"]
    failed = client.post(reverse("fees:imports"), {
        "kind": "openings", "openings-project": world.project_a.pk,
        "openings-file": xlsx([headers, ["3-2-1802", "物业服务费", "2025-12", "100", ""], ["9-9-9", "", "", "", "1"]])})
    body = failed.content.decode()
    assert failed.status_code == 200 and "<td>3</td><td>房号</td>" in body and not Bill.objects.exists()
    done = client.post(reverse("fees:imports"), {
        "kind": "openings", "openings-project": world.project_a.pk,
        "openings-file": xlsx([headers, ["3-2-1802", "物业服务费", "2025-12", "100", "20"]])})
    assert done.status_code == 302 and Bill.objects.get().amount_fen == 10000
    readings = client.post(reverse("fees:imports"), {
        "kind": "readings", "readings-project": world.project_a.pk, "readings-item": "water",
        "readings-period": "2026-11", "readings-file": xlsx([["房号", "本期读数"], ["3-2-1802", "88"]])})
    assert readings.status_code == 302 and MeterReading.objects.get().reading == 88
    not_xlsx = client.post(reverse("fees:imports"), {
        "kind": "readings", "readings-project": world.project_a.pk, "readings-item": "water",
        "readings-period": "2026-11", "readings-file": xlsx([])})
    assert not_xlsx.status_code == 200
    other = client.post(reverse("fees:imports"), {
        "kind": "openings", "openings-project": world.project_c.pk,
        "openings-file": xlsx([headers, ["3-1-101", "物业服务费", "2025-12", "100", ""]])})
    assert other.status_code == 200 and Bill.objects.count() == 1
    assert_ledger_balances()


def test_parking_spaces_and_one_off_bills_of_a_home(fees, login):
    world = fees
    client = login(world.users["finance_east"])
    url = reverse("fees:subscriptions", args=[world.home.pk])
    added = client.post(url, {"action": "add", "item": world.items["parking"].pk, "label": "B1-023", "quantity": 1,
                              "start_date": "2026-11-01"})
    assert added.status_code == 302 and "B1-023" in client.get(url).content.decode()
    space = Subscription.objects.get()
    assert client.post(url, {"action": "end", "subscription": space.pk, "end_date": "2026-12-31"}).status_code == 302
    space.refresh_from_db()
    assert space.end_date == date(2026, 12, 31)
    assert client.post(url, {"action": "end", "subscription": 999999, "end_date": "x"}).status_code == 404
    assert login(world.users["agent_a"]).post(url, {"action": "add"}).status_code == 403

    client = login(world.users["finance_east"])
    one_off = reverse("fees:one_off", args=[world.home.pk])
    assert client.post(one_off, {"item": world.items["reno_waste"].pk, "amount": "", "note": "装修垃圾清运"}
                       ).status_code == 302
    assert Bill.objects.get(item__code="reno_waste").amount_fen == 80000
    assert client.post(one_off, {"item": world.items["reno_waste"].pk, "amount": "-1"}).status_code == 200
    assert client.get(reverse("fees:one_off", args=[world.room(world.project_c, "3-1-101").pk])).status_code == 404
    assert_ledger_balances()
