"""The report pages, exports and API as their users see them: figures, scope, permissions, the daily closing that
must balance, exports that open in Excel, and query counts that do not grow with the rows."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from propdesk.core.testing import assert_json_error, sh
from propdesk.fees.models import CollectionTarget, DailyClosing
from propdesk.fees.selectors.reports import collection_report
from propdesk.fees.services.payments import payment_take
from propdesk.fees.services.reports import closing_confirm
from propdesk.fees.tests.ledger_check import assert_ledger_balances

pytestmark = pytest.mark.django_db


def sheet_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_collection_page_shows_the_rate_target_and_only_the_scope(history, client):
    world = history.world
    CollectionTarget.objects.create(project=world.project_a, year=2026, rate_bp=9500, updated_at=sh(2026, 1, 1, 9, 0))
    client.force_login(world.users["pm_a"])
    response = client.get(reverse("fees:reports"), {"month": "2026-11", "group": "item"})
    assert response.status_code == 200
    page = response.content.decode()
    report = collection_report(user=world.users["pm_a"], year=2026, month=11)
    assert report.total.rate_text in page and "95.00%" in page and "物业服务费" in page
    assert "chart-collection" in page and world.project_b.name not in page
    assert 'id="target-form"' not in page  # the PM reads; finance sets targets
    assert client.get(reverse("fees:reports"), {"project": world.project_b.pk}).status_code == 400
    client.force_login(world.users["agent_a"])
    assert client.get(reverse("fees:reports")).status_code == 403


def test_finance_sets_a_target_and_a_bad_rate_is_refused(history, client):
    world = history.world
    client.force_login(world.users["finance_east"])
    url = reverse("fees:target_save")
    response = client.post(url, {"project": world.project_a.pk, "year": "2026", "rate": "92.5", "month": "2026-11"})
    assert response.status_code == 302
    assert CollectionTarget.objects.get(project=world.project_a, year=2026).rate_bp == 9250
    client.post(url, {"project": world.project_a.pk, "year": "2026", "rate": "101"})
    client.post(url, {"project": world.project_a.pk, "year": "2026", "rate": "92.555"})
    assert CollectionTarget.objects.get(project=world.project_a, year=2026).rate_bp == 9250
    assert client.post(url, {"project": world.project_c.pk, "year": "2026", "rate": "90"}).status_code == 404
    page = client.get(reverse("fees:reports"), {"project": world.project_a.pk, "month": "2026-11"}).content.decode()
    assert 'id="target-form"' in page and "92.50%" in page


def test_collection_page_queries_do_not_grow_with_bills(history, client, django_assert_max_num_queries):
    world = history.world
    client.force_login(world.users["leader_east"])
    for group in ("project", "building", "item"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse("fees:reports"), {"month": "2026-11", "group": group}).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("fees:aging"), {"group": "building"}).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("fees:closing"), {"cashier": world.users["agent_a"].pk}).status_code == 200


def test_collection_export_opens_with_the_numbers(history, client):
    world = history.world
    client.force_login(world.users["finance_east"])
    rows = sheet_rows(client.get(reverse("fees:reports_export"), {"month": "2026-11", "group": "building",
                                                                   "project": world.project_a.pk}))
    assert "收缴率" in rows[0][0] or "Collection rate" in rows[0][0]
    report = collection_report(user=world.users["finance_east"], year=2026, month=11,
                               project_id=world.project_a.pk)
    data = {row[1]: row for row in rows[2:]}
    for row in report.rows:
        line = data[row.label]
        assert line[0] == world.project_a.name and line[2] == "2026-11"
        assert round(line[3] * 100) == row.figures.billed_fen and round(line[4] * 100) == row.figures.collected_fen
        assert line[6] == row.figures.rate_text


def test_aging_page_and_export_list_each_overdue_bill_with_the_owner(history, client):
    world = history.world
    client.force_login(world.users["pm_a"])
    page = client.get(reverse("fees:aging"), {"group": "building"}).content.decode()
    assert "aging-total" in page and world.project_b.name not in page
    rows = sheet_rows(client.get(reverse("fees:aging_export")))
    header, data = rows[1], rows[2:]
    assert len(header) == 10
    assert all(row[0] == world.project_a.name for row in data)
    mine = [row for row in data if row[2] == "3-1-102"]
    assert mine and all(row[3] in ("", None) for row in mine)  # nobody owns 3-1-102 in the test world
    mine = [row for row in data if row[2] == "5-1-301"]
    assert mine == []  # building 5 has no floor area: no property bills
    oldest = next(row for row in data if row[2] == "3-1-101" and row[5] == "2025-10")
    assert (oldest[6], oldest[7], oldest[8]) == (174.44, 0, 174.44) and "13" in oldest[9]
    # 1802 paid everything today: it is not on the list; its owner would have been 周美玲
    assert not [row for row in data if row[2] == "3-2-1802"]


def test_cashier_closes_the_day_and_it_must_balance(history, client):
    world = history.world
    agent = world.users["agent_a"]
    client.force_login(agent)
    url = reverse("fees:closing")
    page = client.get(url).content.decode()
    pay = history.payments
    cash = pay["all_cash"].amount_fen  # the voided cash payment is taken and given back: 0
    assert pay["all_cash"].receipt_number in page and pay["wrong"].receipt_number in page
    assert world.project_b.name not in page and pay["b"].receipt_number not in page
    response = client.post(url, {"project": world.project_a.pk, "counted_cash": f"{cash / 100 - 10:.2f}"})
    assert response.status_code == 400 and not DailyClosing.objects.exists()
    response = client.post(url, {"project": world.project_a.pk, "counted_cash": f"{cash / 100 - 10:.2f}",
                                 "note": "少收十元，已报财务"})
    assert response.status_code == 302
    closing = DailyClosing.objects.get()
    assert (closing.difference_fen, closing.counted_cash_fen) == (-1000, cash - 1000)
    assert closing.totals["methods"] == {"cash": cash, "card": pay["card"].amount_fen}
    assert closing.totals["voided"][0]["receipt_number"] == pay["wrong"].receipt_number
    assert client.post(url, {"project": world.project_a.pk, "counted_cash": "0", "note": "x"}).status_code == 400
    assert DailyClosing.objects.count() == 1
    # another cashier's day: an agent may not look; finance may, and export it
    assert client.get(url, {"cashier": world.users["finance_east"].pk}).status_code == 403
    client.force_login(world.users["finance_east"])
    rows = sheet_rows(client.get(reverse("fees:closing_export"), {"cashier": agent.pk}))
    card = pay["card"].amount_fen
    assert [(r[2], r[4]) for r in rows[2:5]] == [("2026-11-23", cash / 100), ("2026-11-23", card / 100),
                                                 ("2026-11-23", (cash + card) / 100)]
    assert rows[5][4] == (cash - 1000) / 100 and rows[5][6] == -10  # counted, difference
    assert_ledger_balances()


def test_closing_figures_are_recomputed_at_confirm_time(history):
    world = history.world
    agent = world.users["agent_a"]
    payment_take(room=history.rooms["3-1-101"], amount="50", method="cash", actor=agent, payer="黄磊",
                 now=sh(2026, 11, 23, 10, 0))
    expected = history.payments["all_cash"].amount_fen + 5000
    closing = closing_confirm(cashier=agent, project=world.project_a, day=date(2026, 11, 23),
                              counted_cash=f"{expected / 100:.2f}", now=sh(2026, 11, 23, 18, 0))
    assert closing.difference_fen == 0 and closing.totals["cash_fen"] == expected


def test_api_collection_aging_closing_and_target(history, client):
    world = history.world
    client.force_login(world.users["pm_a"])
    body = client.get("/api/fees/reports/collection", {"month": "2026-11", "group": "item"}).json()
    report = collection_report(user=world.users["pm_a"], year=2026, month=11)
    assert body["total"]["billed_fen"] == report.total.billed_fen and len(body["months"]) == 12
    assert body["project_ids"] == [world.project_a.pk]
    assert_json_error(client.get("/api/fees/reports/collection", {"project": world.project_b.pk}), 400)
    assert_json_error(client.get("/api/fees/reports/collection", {"month": "2026-13"}), 400)
    aging = client.get("/api/fees/reports/aging").json()
    assert aging["buckets"] == ["0-3", "3-6", "6-12", "12+"] and aging["total"]["total_fen"] > 0
    assert_json_error(client.put("/api/fees/targets", {"project_id": world.project_a.pk, "year": 2026,
                                                       "rate": "90"}, content_type="application/json"), 403)
    client.force_login(world.users["finance_east"])
    response = client.put("/api/fees/targets", {"project_id": world.project_a.pk, "year": 2026, "rate": "90"},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["rate_bp"] == 9000
    assert_json_error(client.put("/api/fees/targets", {"project_id": world.project_c.pk, "year": 2026,
                                                       "rate": "90"}, content_type="application/json"), 400)
    agent = world.users["agent_a"]
    days = client.get("/api/fees/reports/closing", {"cashier": agent.pk, "day": "2026-11-23"}).json()
    assert days[0]["methods_fen"]["cash"] == history.payments["all_cash"].amount_fen
    client.force_login(agent)
    assert_json_error(client.get("/api/fees/reports/closing", {"cashier": world.users["pm_a"].pk}), 403)
    cash = history.payments["all_cash"].amount_fen
    post = {"project_id": world.project_a.pk, "day": "2026-11-23", "counted_cash": f"{cash / 100 + 1:.2f}"}
    error = assert_json_error(client.post("/api/fees/reports/closing", post, content_type="application/json"), 400)
    assert "note" in error["extra"]["fields"]
    post["counted_cash"] = f"{cash / 100:.2f}"
    response = client.post("/api/fees/reports/closing", post, content_type="application/json")
    assert response.status_code == 201 and response.json()["closing"]["difference_fen"] == 0
    assert_json_error(client.post("/api/fees/reports/closing", post, content_type="application/json"), 409)


def test_dashboards_of_the_pm_and_the_branch_leader_show_the_fees_card(history, client):
    world = history.world
    CollectionTarget.objects.create(project=world.project_a, year=2026, rate_bp=9000, updated_at=sh(2026, 1, 1, 9, 0))
    report = collection_report(user=world.users["pm_a"], year=2026, month=11)
    client.force_login(world.users["pm_a"])
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'id="fees-cards"' in page and report.total.rate_text in page and "90.00%" in page
    client.force_login(world.users["leader_east"])
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'id="fees-cards"' in page and 'id="fees-arrears"' in page
    client.force_login(world.users["agent_a"])
    assert 'id="fees-cards"' not in client.get(reverse("reports:dashboard")).content.decode()
