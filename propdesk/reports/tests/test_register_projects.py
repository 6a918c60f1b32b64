"""Registers that cover several projects say which project each row is of (项目), on the page, in the Excel sheet and
in the API; the work-order register shows the materials entered at completion (材料). The data set is
test_registers.py's: October has complaints in project A (翠湖花园), B (金桂苑, east) and C (锦江城, west)."""

from io import BytesIO

import openpyxl
import pytest

from .test_registers import OCTOBER, URLS, build_data, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    return build_data(world)


def test_company_wide_complaint_register_names_each_rows_project(world, data, login):
    html = login(world.users["quality"]).get(URLS["complaints"], OCTOBER).content.decode()
    assert "<th" in html and ">项目<" in html
    projects = {row[0]: row[1] for row in table_rows(html)}
    r = data["requests"]
    assert (projects[r["C2"].number], projects[r["B1"].number], projects[r["C1"].number]) == (
        "翠湖花园", "金桂苑", "锦江城")


def test_branch_requests_sheet_has_a_project_column(world, data, login):
    response = login(world.users["leader_east"]).get(URLS["requests"], {**OCTOBER, "format": "xlsx"})
    rows = list(openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
                .iter_rows(values_only=True))
    assert rows[1][2] == "项目"
    assert {row[2] for row in rows[2:]} == {"翠湖花园", "金桂苑"}


def test_visit_register_names_the_project(world, data, login):
    rows = table_rows(login(world.users["quality"]).get(URLS["visits"], OCTOBER).content.decode())
    assert {row[2] for row in rows} == {"翠湖花园"}


def test_work_order_register_shows_the_materials_used(world, data, login):
    client = login(world.users["pm_a"])
    html = client.get(URLS["orders"], OCTOBER).content.decode()
    assert ">材料<" in html
    row = next(row for row in table_rows(html) if row[0] == data["orders"]["W3"].number)
    assert "PVC排水管1米、弯头2个" in row
    response = client.get(URLS["orders"], {**OCTOBER, "format": "xlsx"})
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    column = list(rows[1]).index("材料")
    assert {row[0]: row[column] for row in rows[2:]}[data["orders"]["W3"].number] == "PVC排水管1米、弯头2个"
    body = client.get("/api/reports/registers/orders", OCTOBER).json()
    assert {row["number"]: row["materials"] for row in body["rows"]}[data["orders"]["W3"].number] == (
        "PVC排水管1米、弯头2个")


def test_a_branch_leaders_own_branch_is_filtered_once_and_shows_the_same_rows(world, data, login):
    """restrict(user) already narrows a branch leader to the branch's projects; choosing that branch must not add the
    same ``project_id IN (…)`` again (PostgreSQL then squared its selectivity and walked the wrong index)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users["leader_east"])
    plain = client.get(URLS["complaints"], OCTOBER)
    with CaptureQueriesContext(connection) as ctx:
        chosen = client.get(URLS["complaints"], {**OCTOBER, "branch": world.project_b.branch_id})
    assert chosen.status_code == 200
    rows = table_rows(chosen.content.decode())
    assert rows == table_rows(plain.content.decode()) and rows
    for query in ctx.captured_queries:
        lists = re.findall(r'"project_id" IN \(([^)]*)\)', query["sql"])
        assert len(lists) == len(set(lists)), query["sql"]
