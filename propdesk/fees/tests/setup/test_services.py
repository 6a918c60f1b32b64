"""Finance's side through the services: prices from a date, one-off bills, meter readings and metered bills, and the
Excel imports (all or nothing); every balance recomputed from the ledger at the end."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from propdesk.core.errors import ApplicationError
from propdesk.core.imports import ImportFailed
from propdesk.core.testing import sh
from propdesk.fees.models import Account, Bill, FeeRate, LedgerEntry, MeterReading, Subscription
from propdesk.fees.services.billing import bills_generate
from propdesk.fees.services.fee_imports import openings_import, readings_import
from propdesk.fees.services.items import ItemInput, fee_item_create, fee_rate_add, subscription_add, subscription_end
from propdesk.fees.services.oneoff import bill_issue_one_off
from propdesk.fees.services.readings import reading_confirm, reading_record, readings_bill
from propdesk.fees.services.setup import fee_items_standard
from propdesk.fees.tests.ledger_check import assert_ledger_balances

pytestmark = pytest.mark.django_db
NOW = sh(2026, 11, 23, 10, 0)


@pytest.fixture
def fees(world):
    fee_items_standard(project=world.project_a, effective_from=date(2026, 1, 1))
    world.items = {item.code: item for item in world.project_a.fee_items.all()}
    world.home = world.room(world.project_a, "3-2-1802")  # 89 m², occupied
    world.finance = world.users["finance_east"]
    return world


def xlsx(rows, name="抄表.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def test_a_price_change_bills_the_next_period_at_the_new_rate_and_leaves_issued_bills_alone(fees):
    world = fees
    property_item = world.items["property"]
    bills_generate(project=world.project_a, period_key="2026-10", now=NOW)
    october = Bill.objects.get(room=world.home, item=property_item, period_key="2026-10")
    assert october.amount_fen == 89 * 280

    fee_rate_add(item=property_item, effective_from=date(2026, 11, 1), rate="3.05", actor=world.finance)
    bills_generate(project=world.project_a, period_key="2026-11", now=NOW)
    november = Bill.objects.get(room=world.home, item=property_item, period_key="2026-11")
    assert november.amount_fen == 89 * 305 and "3.05 元/m²·月" in november.description
    october.refresh_from_db()
    assert october.amount_fen == 89 * 280 and october.rate.rate_fen == Decimal("280")

    with pytest.raises(ApplicationError) as refused:  # November is issued: December at the earliest
        fee_rate_add(item=property_item, effective_from=date(2026, 11, 15), rate="3.20", actor=world.finance)
    assert "2026-12-01" in refused.value.field_errors["effective_from"][0]
    with pytest.raises(ApplicationError):  # a price is never edited: the same date again is refused
        fee_rate_add(item=property_item, effective_from=date(2026, 11, 1), rate="3.20", actor=world.finance)
    for bad in ("-1", "abc", "1.23456", "NaN"):
        with pytest.raises(ApplicationError) as caught:
            fee_rate_add(item=property_item, effective_from=date(2027, 1, 1), rate=bad, actor=world.finance)
        assert "rate" in caught.value.field_errors
    villa = fee_rate_add(item=property_item, effective_from=date(2026, 12, 1), room_type="villa", rate="4.805",
                         actor=world.finance)
    assert villa.rate_fen == Decimal("480.5")
    assert FeeRate.objects.filter(item=property_item).count() == 6
    assert_ledger_balances()


def test_items_tiers_and_subscriptions_are_checked(fees):
    world = fees
    item = fee_item_create(project=world.project_a, actor=world.finance, data=ItemInput(
        code="storage", name="储藏室管理费", kind="fixed", cycle="monthly", due_day=10, per_subscription=True,
        vacant_discount_percent="0", late_fee_per_mille="0.5", late_cap_percent="100"))
    assert (item.late_daily_bp, item.late_cap_bp, item.due_day) == (5, 10000, 10)
    with pytest.raises(ApplicationError) as caught:
        fee_item_create(project=world.project_a, data=ItemInput(code="storage", name="", kind="nope", due_day=31,
                                                                vacant_discount_percent="120"))
    assert {"code", "name", "kind", "due_day", "vacant_discount_percent"} <= set(caught.value.field_errors)
    with pytest.raises(ApplicationError) as caught:  # limits must rise, the last has none
        fee_rate_add(item=world.items["water"], effective_from=date(2027, 1, 1), actor=world.finance,
                     tiers=[("20", "3.45"), ("10", "4.83"), ("", "5.83")])
    assert "tiers" in caught.value.field_errors
    rate = fee_rate_add(item=world.items["water"], effective_from=date(2027, 1, 1), actor=world.finance,
                        tiers=[("20", "3.5"), ("", "5")])
    assert rate.tiers == [{"up_to": "20", "price_fen": "350"}, {"up_to": None, "price_fen": "500"}]

    parking = world.items["parking"]
    space = subscription_add(room=world.home, item=parking, start_date=date(2026, 11, 1), label="B1-023")
    bills_generate(project=world.project_a, period_key="2026-11", now=NOW)
    assert Bill.objects.get(room=world.home, item=parking).amount_fen == 15000
    subscription_end(subscription=space, end_date=date(2026, 11, 30))
    bills_generate(project=world.project_a, period_key="2026-12", now=NOW)
    assert not Bill.objects.filter(room=world.home, item=parking, period_key="2026-12").exists()
    with pytest.raises(ApplicationError):
        subscription_end(subscription=space, end_date=date(2026, 12, 31))
    with pytest.raises(ApplicationError):  # property fees are not per subscribed unit
        subscription_add(room=world.home, item=world.items["property"], start_date=date(2026, 11, 1))
    assert Subscription.objects.count() == 1
    assert_ledger_balances()


def test_one_off_bill_takes_the_listed_amount_or_the_typed_one_and_draws_prepayment(fees):
    world = fees
    item = world.items["reno_waste"]
    bill = bill_issue_one_off(room=world.home, item=item, amount="", note="装修垃圾清运 3 车", actor=world.finance,
                              now=NOW)
    assert (bill.amount_fen, bill.open_fen, bill.due_date) == (80000, 80000, date(2026, 11, 23))
    second = bill_issue_one_off(room=world.home, item=item, amount="120.50", note="", actor=world.finance, now=NOW)
    assert second.amount_fen == 12050 and second.period_key != bill.period_key
    for amount in ("-5", "0", "1.005", "abc"):
        with pytest.raises(ApplicationError):
            bill_issue_one_off(room=world.home, item=item, amount=amount, note="", actor=world.finance, now=NOW)
    with pytest.raises(ApplicationError):  # not a one-off item
        bill_issue_one_off(room=world.home, item=world.items["property"], amount="10", note="", actor=world.finance,
                           now=NOW)
    assert Account.objects.get(room=world.home).owed_fen == 92050
    assert_ledger_balances()


def _history(world, item, start=100):
    """April's reading is the meter's start; May to October use 10 m³ a month."""
    for month, value in enumerate(range(start, start + 70, 10), start=4):
        reading_record(room=world.home, item=item, period_key=f"2026-{month:02d}", reading=str(value),
                       actor=world.users["steward_a"], now=NOW)


def test_readings_refuse_below_last_alarm_far_above_and_bill_through_the_tiers_once(fees):
    world = fees
    water = world.items["water"]
    steward = world.users["steward_a"]
    _history(world, water)  # last reading 160 in October
    with pytest.raises(ApplicationError) as below:
        reading_record(room=world.home, item=water, period_key="2026-11", reading="155", actor=steward, now=NOW)
    assert "160" in below.value.field_errors["reading"][0]
    with pytest.raises(ApplicationError) as unusual:
        reading_record(room=world.home, item=water, period_key="2026-11", reading="220", actor=steward, now=NOW)
    assert unusual.value.extra["unusual"] is True
    assert not MeterReading.objects.filter(period_key="2026-11").exists()
    reading = reading_record(room=world.home, item=water, period_key="2026-11", reading="220", actor=steward,
                             now=NOW, confirm_unusual=True)
    assert (reading.consumption, reading.alarm, reading.confirmed_by) == (Decimal("60"), True, steward)

    result = readings_bill(project=world.project_a, item=water, period_key="2026-11", actor=world.finance, now=NOW)
    bill = Bill.objects.get(room=world.home, item=water, period_key="2026-11")
    # 18.33 × 3.45 + (25 − 18.33) × 4.83 + (60 − 25) × 5.83 = 63.2385 + 32.2161 + 204.05 = 299.5046 元
    assert bill.amount_fen == 29950 and result.created == 1 and bill.due_date == date(2026, 12, 15)
    assert "160.00 → 220.00 = 60.00" in bill.description
    again = readings_bill(project=world.project_a, item=water, period_key="2026-11", actor=world.finance, now=NOW)
    assert again.created == 0 and Bill.objects.filter(item=water).count() == 1
    with pytest.raises(ApplicationError) as billed:  # a billed reading is not changed any more
        reading_record(room=world.home, item=water, period_key="2026-11", reading="221", actor=steward, now=NOW,
                       confirm_unusual=True)
    assert billed.value.status_code == 409

    replaced = reading_record(room=world.home, item=water, period_key="2026-12", reading="5", actor=steward,
                              now=NOW, replaced=("230", "0"))
    assert replaced.consumption == Decimal("15")  # (230 − 220) on the old meter + 5 on the new one
    for bad in ("-1", "abc", "1.234", ""):
        with pytest.raises(ApplicationError):
            reading_record(room=world.home, item=water, period_key="2027-01", reading=bad, actor=steward, now=NOW)
    with pytest.raises(ApplicationError):
        reading_record(room=world.home, item=water, period_key="2026-13", reading="10", actor=steward, now=NOW)
    assert_ledger_balances()


def test_readings_import_is_all_or_nothing_and_keeps_unusual_ones_for_confirmation(fees):
    world = fees
    water = world.items["water"]
    _history(world, water)
    bad = xlsx([["房号", "本期读数"], ["3-2-1802", "150"], ["9-9-999", "10"], ["3-2-1801", "abc"],
                ["3-2-1701", "12"]])
    with pytest.raises(ImportFailed) as failed:
        readings_import(project=world.project_a, item=water, period_key="2026-11", file=bad, actor=world.finance)
    assert [(e.row, e.column) for e in failed.value.errors] == [(2, "本期读数"), (3, "房号"), (4, "本期读数")]
    assert not MeterReading.objects.filter(period_key="2026-11").exists()

    good = xlsx([["房号", "本期读数"], ["3-2-1802", "400"], ["3-2-1801", "12.5"]])
    result = readings_import(project=world.project_a, item=water, period_key="2026-11", file=good,
                             actor=world.finance, now=NOW)
    assert result.counts == {"readings": 2, "unusual": 1}
    waiting = MeterReading.objects.get(room=world.home, period_key="2026-11")
    assert waiting.alarm and waiting.confirmed_by is None
    billed = readings_bill(project=world.project_a, item=water, period_key="2026-11", actor=world.finance, now=NOW)
    assert (billed.created, billed.waiting) == (0, 1)  # 3-2-1801's first reading is its meter's start
    reading_confirm(reading=waiting, actor=world.finance)
    assert readings_bill(project=world.project_a, item=water, period_key="2026-11", actor=world.finance,
                         now=NOW).created == 1
    assert_ledger_balances()


def test_opening_balances_import_is_all_or_nothing_with_row_errors(fees):
    world = fees
    headers = ["房号", "收费项目", "所属期间", "欠费金额", "预存余额"]
    bad = xlsx([headers, ["3-2-1802", "物业服务费", "2025-12", "249.20", ""],
                ["3-2-1802", "燃气费", "2025-12", "10", ""],
                ["3-2-1801", "物业服务费", "2025-13", "10", ""], ["3-2-1702", "", "", "-5", ""],
                ["3-2-1701", "", "", "", ""]])
    with pytest.raises(ImportFailed) as failed:
        openings_import(project=world.project_a, file=bad, actor=world.finance, now=NOW)
    assert [(e.row, e.column) for e in failed.value.errors] == [
        (3, "收费项目"), (4, "所属期间"), (5, "欠费金额"), (6, "欠费金额")]
    assert not Bill.objects.exists() and not LedgerEntry.objects.exists()

    good = xlsx([headers, ["3-2-1802", "物业服务费", "2025年12月", "249.20", "0"],
                 ["3-2-1802", "garbage", "2025-Q4", "30", ""], ["3-2-1801", "", "", "", "500"]])
    result = openings_import(project=world.project_a, file=good, actor=world.finance, now=NOW)
    assert result.counts == {"homes": 2, "bills": 2, "owed_fen": 27920, "prepaid_fen": 50000}
    december = Bill.objects.get(room=world.home, period_key="2025-12:property")
    assert (december.item.code, december.amount_fen, december.due_date) == ("opening", 24920, date(2025, 12, 15))
    assert Account.objects.get(room=world.home).owed_fen == 27920
    prepaid = Account.objects.get(room=world.room(world.project_a, "3-2-1801"))
    assert prepaid.prepaid_fen == 50000
    assert LedgerEntry.objects.get(kind="opening").cash_fen == 0
    with pytest.raises(ImportFailed) as twice:  # the same file again: every row was imported before
        openings_import(project=world.project_a, file=xlsx([headers,
                                                               ["3-2-1802", "物业服务费", "2025-12", "249.20", ""],
                                                              ["3-2-1801", "", "", "", "500"]]),
                        actor=world.finance, now=NOW)
    assert [e.row for e in twice.value.errors] == [2, 3]
    assert_ledger_balances()
