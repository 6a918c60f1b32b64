"""GET /api/reports/registers/{name} and …/export: the pages' lists, filters and scope as JSON and Excel (the data
set is test_registers.py's, described there)."""

from datetime import datetime
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from propdesk.core.models import AuditAction, AuditLog

from .test_registers import OCTOBER, build_data, numbers, sh

pytestmark = pytest.mark.django_db
API = "/api/reports/registers"


@pytest.fixture
def data(world):
    return build_data(world)


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_complaints_as_json(world, data, login):
    client = english(login(world.users["pm_a"]))
    response = client.get(f"{API}/complaints", {**OCTOBER, "on_time": "1"})
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (1, 1, 1)
    assert body["columns"][:5] == [
        {"key": "number", "label": "Number"}, {"key": "project", "label": "Project"},
        {"key": "received_at", "label": "Complaint time"}, {"key": "complainant", "label": "Complainant"},
        {"key": "contact_phone", "label": "Contact number"}]
    row = body["rows"][0]
    assert row["id"] == data["requests"]["C2"].pk
    assert (row["number"], row["project"], row["contact_phone"], row["on_time"], row["visit_result"]) == (
        "TS2610050001", "翠湖花园", "138****5678", "yes", "satisfied")
    assert datetime.fromisoformat(row["received_at"]) == sh(2026, 10, 5, 9)


def test_orders_pages_and_filters(world, data, login):
    client = login(world.users["leader_east"])
    body = client.get(f"{API}/orders", {**OCTOBER, "measure": "completed"}).json()
    assert [row["number"] for row in body["rows"]] == numbers(data, "W3", "W2")
    body = client.get(f"{API}/orders", {**OCTOBER, "project": world.project_b.pk}).json()
    assert [row["number"] for row in body["rows"]] == ["GD2610120001"]
    body = client.get(f"{API}/orders", {**OCTOBER, "reopened": "1"}).json()
    assert [(row["number"], row["reopen_count"], row["first_fix"]) for row in body["rows"]] == [
        ("GD2610200001", 1, "否")]


def test_visits_and_requests(world, data, login):
    client = login(world.users["pm_a"])
    body = client.get(f"{API}/visits", {**OCTOBER, "dissatisfied": "1"}).json()
    assert [row["id"] for row in body["rows"]] == [data["visits"]["V1"].pk]
    body = client.get(f"{API}/requests", {**OCTOBER, "repeat": "1"}).json()
    assert [row["seq"] for row in body["rows"]] == [1, 2, 3]
    assert [row["id"] for row in body["rows"]] == [data["requests"][k].pk for k in ("C4", "C3", "P2")]


def test_empty_period(world, data, login):
    body = login(world.users["pm_a"]).get(f"{API}/requests", {"month": "2025-01"}).json()
    assert (body["count"], body["pages"], body["rows"]) == (0, 1, [])


@pytest.mark.parametrize(("params", "field"), [
    ({"project": "C"}, "project"),
    ({"month": "2027-01"}, "month"),
    ({"from": "2026-10-20", "to": "2026-10-01"}, "to"),
    ({"kind": "xyz"}, "kind"),
])
def test_bad_filters_are_400_naming_the_field(world, data, login, params, field):
    if params.get("project") == "C":
        params = {"project": world.project_c.pk}
    response = english(login(world.users["leader_east"])).get(f"{API}/requests", params)
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == [field]
    if field == "project":
        assert response.json()["extra"]["fields"]["project"] == ["No such project in your scope."]


def test_unknown_register_is_404(world, login):
    assert login(world.users["pm_a"]).get(f"{API}/payments").status_code == 404
    assert login(world.users["pm_a"]).get(f"{API}/payments/export").status_code == 404


def test_permissions(world, data, login):
    assert login(world.users["technician_a"]).get(f"{API}/requests").status_code == 403
    agent = login(world.users["agent_a"])
    assert agent.get(f"{API}/complaints", {"month": "2026-10"}).status_code == 200  # agents keep the registers
    assert agent.get(f"{API}/complaints/export", {"month": "2026-10"}).status_code == 403  # but export nothing
    assert login(world.users["steward_a"]).get(f"{API}/requests/export").status_code == 403
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_export_is_the_same_sheet_and_logged(world, data, login):
    response = login(world.users["leader_east"]).get(f"{API}/complaints/export", {**OCTOBER, "repeat": "1"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[2:]] == numbers(data, "C4", "C3", "P2")
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert log.actor == world.users["leader_east"] and log.target_type == "report:register:complaints"
    assert log.detail == {"filters": {"month": "2026-10", "repeat": "1"}, "rows": 3, "personal": True}


def test_scope_as_the_pages(world, data, login):
    pm = {row["number"] for row in login(world.users["pm_a"]).get(f"{API}/complaints", OCTOBER).json()["rows"]}
    assert "TS2610120001" not in pm and "TS2610050001" in pm
    leader = {row["number"] for row in
              login(world.users["leader_east"]).get(f"{API}/complaints", OCTOBER).json()["rows"]}
    assert "TS2610120001" in leader and "TS2610130001" not in leader


def test_query_count_does_not_grow_with_rows(world, data, login):
    client = login(world.users["pm_a"])
    counts = []
    for params in ({**OCTOBER, "on_time": "1"}, OCTOBER):  # 1 row, then 7
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{API}/complaints", params).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_api_takes_the_summary_drill_down_parameters(world, login):
    """The parameters the complaint summary links with work in the API too: an unknown building is a 400 naming the
    field, as on the page."""
    client = login(world.users["pm_a"])
    response = client.get("/api/reports/registers/complaints", {"month": "2026-10", "building": "999999"})
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["building"] == ["您的权限范围内没有这个楼栋。"]
    response = client.get("/api/reports/registers/complaints", {"month": "2026-10", "valid": "none",
                                                                "on_time": "open", "category": "none"})
    assert response.status_code == 200 and response.json()["count"] == 0
