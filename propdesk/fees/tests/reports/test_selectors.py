"""The collection rate, arrears recovery and aging read in SQL, checked against hand figures and against a Python
recomputation over the ledger (the same definitions, entry by entry)."""

from datetime import date, timedelta

import pytest

from propdesk.fees.choices import EntryKind, FeeKind
from propdesk.fees.models import Bill, LedgerEntry
from propdesk.fees.rules.arrears import BUCKETS, bucket_of, months_between
from propdesk.fees.selectors.reports import Month, aging_report, collection_report, months_back
from propdesk.fees.tests.ledger_check import assert_ledger_balances

pytestmark = pytest.mark.django_db
PAID = {EntryKind.PAYMENT, EntryKind.PREPAY_DRAW, EntryKind.REVERSAL}


def recompute(entries, month: Month) -> tuple[int, int, int, int]:
    """billed, collected, arrears at the start, recovered — one entry at a time."""
    billed = collected = arrears = recovered = 0
    for e in entries:
        if e.bill is None or e.bill.item.kind == FeeKind.LATE_FEE:
            continue
        start = e.bill.period_start
        if month.start <= start < month.end:
            if e.kind == EntryKind.CHARGE or (e.kind == EntryKind.ADJUSTMENT and e.at < month.end_at):
                billed += e.receivable_fen
            if e.kind in PAID and e.at < month.end_at:
                collected -= e.receivable_fen
        elif start < month.start:
            if e.kind == EntryKind.CHARGE or e.at < month.start_at:
                arrears += e.receivable_fen
            if e.kind in PAID and month.start_at <= e.at < month.end_at:
                recovered -= e.receivable_fen
    return billed, collected, arrears, recovered


def as_tuple(figures):
    return figures.billed_fen, figures.collected_fen, figures.arrears_start_fen, figures.recovered_fen


def test_the_sql_figures_equal_a_recomputation_over_the_ledger_for_every_month_and_group(history):
    world = history.world
    admin = world.users["admin"]
    entries = list(LedgerEntry.objects.filter(project=world.project_a).select_related("bill__item", "room"))
    for group in ("project", "building", "item"):
        report = collection_report(user=admin, year=2026, month=11, project_id=world.project_a.pk, group=group)
        for month, figures in report.months:
            assert as_tuple(figures) == recompute(entries, month), month
        for row in report.rows:
            mine = [e for e in entries if {"project": e.project_id, "building": e.room.building_id,
                                           "item": e.bill and e.bill.item_id}[group] == row.key]
            assert as_tuple(row.figures) == recompute(mine, report.month), (group, row.label)
        assert sum(row.figures.billed_fen for row in report.rows) == report.total.billed_fen
    assert_ledger_balances()


def test_november_by_hand(history):
    world = history.world
    report = collection_report(user=world.users["pm_a"], year=2026, month=11, group="item")
    total = report.total
    # November's property bills of building 3: 79 vacant homes at 30 % off, and 1802; 3-1-1001 reduced by 20 yuan.
    assert total.billed_fen == 79 * 17444 + 24920 - 2000
    # Collected for November: 1802's bill (paid today), 3-1-1001's card payment, 3-2-201's prepayment drawn at issue;
    # the voided 100 yuan went to 3-1-102's oldest bills, not November's, and is reversed anyway.
    assert total.collected_fen == 24920 + 15444 + 17444
    assert total.rate_text == f"{(24920 + 15444 + 17444) * 100 / total.billed_fen:.2f}%"
    # Recovered in November: 3-1-102's October (17444) and 1802's older bills paid today (five months of property
    # and the quarterly garbage fee of Q4, issued in October).
    older = sum(b.amount_fen for b in Bill.objects.filter(room=history.rooms["3-2-1802"],
                                                           period_start__lt=date(2026, 11, 1)))
    assert total.recovered_fen == 17444 + older
    rows = {row.label: row.figures for row in report.rows}
    assert list(rows) == ["物业服务费", "垃圾清运费"]
    # The garbage fee is quarterly: Q4 belongs to October; in November it only has arrears to recover.
    garbage = rows["垃圾清运费"]
    assert garbage.billed_fen == 0 and garbage.rate is None and garbage.rate_text == "—"
    assert garbage.recovered_fen == garbage.arrears_start_fen == 4 * 3000  # 1802: 2025-Q4, 2026-Q2, Q3, Q4


def test_targets_show_against_the_rate_and_another_projects_figures_never_appear(history):
    from propdesk.fees.services.reports import target_set

    world = history.world
    target_set(project=world.project_a, year=2026, rate="95", actor=world.users["finance_east"])
    report = collection_report(user=world.users["pm_a"], year=2026, month=11)
    assert [p.pk for p in report.projects] == [world.project_a.pk] and report.target_bp == 9500
    assert report.total.below(report.target_bp)
    assert {row.project_id for row in report.rows} == {world.project_a.pk}
    mixed = collection_report(user=world.users["leader_east"], year=2026, month=11, group="project")
    assert {row.project_id for row in mixed.rows} == {world.project_a.pk, world.project_b.pk}
    only_b = collection_report(user=world.users["agent_b"], year=2026, month=11, project_id=world.project_a.pk)
    assert only_b.projects == [] and only_b.rows == [] and only_b.total.billed_fen == 0


def test_months_back_agrees_with_the_rules_bucket_of_every_day():
    on = date(2025, 1, 1)
    while on < date(2027, 1, 1):
        for months in (3, 6, 12):
            edge = months_back(on, months)
            assert months_between(edge, on) >= months
            assert months_between(edge + timedelta(days=1), on) < months
        on += timedelta(days=1)


def test_aging_buckets_amounts_and_homes(history):
    world = history.world
    on = date(2026, 11, 23)
    report = aging_report(user=world.users["pm_a"], on=on)
    expected = dict.fromkeys(BUCKETS, 0)
    for bill in Bill.objects.filter(project=world.project_a, open_fen__gt=0, due_date__lt=on):
        expected[bucket_of(bill.due_date, on)] += bill.open_fen
    assert report.total.amounts == expected
    # October 2025 (due 2025-10-15) is over 12 months old; May 6–12; July 3–6; September and October 0–3.
    assert all(expected[b] > 0 for b in BUCKETS)
    vacant_homes = report.total.homes["12+"]
    assert vacant_homes == Bill.objects.filter(project=world.project_a, open_fen__gt=0,
                                               period_key="2025-10").values("room").distinct().count()
    assert sum(report.total.homes.values()) == Bill.objects.filter(
        project=world.project_a, open_fen__gt=0, due_date__lt=on).values("room").distinct().count()
    by_building = aging_report(user=world.users["pm_a"], on=on, group="building")
    assert sum(r.total_fen for r in by_building.rows) == report.total.total_fen
    assert aging_report(user=world.users["agent_b"], on=on, project_id=world.project_a.pk).rows == []
