"""Excel exports of the registers: the paper form's title and Chinese column names, every row, phones in full only for
those who may reveal them, text never taken for a formula, one audit row per export — and a large export streamed
in chunks (the data set is test_registers.py's, described there)."""

from datetime import datetime, timedelta
from io import BytesIO
from urllib.parse import quote

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from propdesk.core.models import AuditAction, AuditLog
from propdesk.org.choices import DepartmentKind
from propdesk.reports import exports
from propdesk.reports.selectors import registers as selectors
from propdesk.servicedesk.models import ServiceRequest, WorkOrder

from .test_registers import OCTOBER, build_data, department, sh

pytestmark = pytest.mark.django_db

# The paper forms' column names, as the sheet shows them in Chinese (the default language).
HEADERS = {
    "requests": "序号 时间 项目 地点 报事人 联系方式 类型 事情经过 住户要求 处理部门/处理人 处理结果 答复 状态".split(),
    "complaints": ("编号 项目 投诉时间 投诉人 联系方式 房号/地点 投诉内容 投诉类别 投诉等级 被投诉部门/人 是否有效 "
                   "原因分析 处理结果 答复时间 处理时限 是否按时 回访结果").split(),
    "visits": ("回访时间 报事编号 项目 住户 房号/地点 回访方式 回访人 质量评价 服务效果 满意度 缺点与不足 住户建议 "
               "住户确认 处理意见 主管审核意见").split(),
    "orders": ("工单号 报事编号 项目 部门 处理人 派单时间 接单时间 到场时间 完工时间 挂起时长 完成时限 是否按时 "
               "材料 返工次数 一次修复").split(),
}
TITLES = {"requests": "报修、投诉、接待情况汇总表", "complaints": "顾客投诉登记表", "visits": "回访记录表",
          "orders": "工单台账"}


@pytest.fixture
def data(world):
    return build_data(world)


def sheet_of(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    return workbook.worksheets[0]


def values(sheet) -> list[list]:
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("name", list(HEADERS))
def test_sheet_is_the_paper_form_in_chinese(world, data, login, name):
    response = login(world.users["pm_a"]).get(f"/reports/registers/{name}/", {**OCTOBER, "format": "xlsx"})
    sheet = sheet_of(response)
    rows = values(sheet)
    assert rows[0][0] == f"{TITLES[name]} · 翠湖花园 · 2026年10月"
    assert list(rows[1]) == HEADERS[name]
    assert len(rows) - 2 == {"requests": 8, "complaints": 7, "visits": 3, "orders": 4}[name]
    assert sheet.freeze_panes == "A3"
    filename = quote(f"{TITLES[name]}-翠湖花园-2026-10.xlsx")
    assert f"filename*=utf-8''{filename}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")


def test_complaint_sheet_rows_and_audit(world, data, login):
    client = login(world.users["pm_a"])
    response = client.get("/reports/registers/complaints/", {**OCTOBER, "on_time": "0", "format": "xlsx"})
    rows = values(sheet_of(response))[2:]
    # C3 then C5 (late), newest first; dates are local date-times; the project manager sees whole numbers.
    assert [row[0] for row in rows] == ["TS2610200001", "TS2610100001"]
    assert rows[0][2] == datetime(2026, 10, 20, 14, 0) and rows[1][4] == "021-62345678"
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert log.actor == world.users["pm_a"] and log.target_type == "report:register:complaints"
    assert log.detail == {"filters": {"month": "2026-10", "on_time": "0"}, "rows": 2, "personal": True}
    assert log.target_label == "顾客投诉登记表 · 翠湖花园 · 2026年10月"


def test_text_that_looks_like_a_formula_stays_text(world, data, login):
    response = login(world.users["pm_a"]).get("/reports/registers/complaints/", {**OCTOBER, "valid": "0",
                                                                                   "format": "xlsx"})
    cell = sheet_of(response).cell(row=3, column=7)
    assert (cell.value, cell.data_type) == ("=楼下排水管又堵了", "s")


def test_phones_are_masked_without_reveal(world, data, login, monkeypatch):
    from propdesk.staff.permissions import user_can
    from propdesk.staff.rules.roles import Capability

    monkeypatch.setattr(exports, "user_can", lambda user, capability: capability != Capability.REVEAL_PHONE
                        and user_can(user, capability))
    response = login(world.users["leader_east"]).get("/reports/registers/requests/", {**OCTOBER, "format": "xlsx"})
    phones = {row[5] for row in values(sheet_of(response))[2:]}
    assert "138****5678" in phones and "021-****5678" in phones and "13812345678" not in phones
    assert AuditLog.objects.get(action=AuditAction.EXPORT).detail["personal"] is False


def test_visit_sheet_holds_no_phone(world, data, login):
    login(world.users["quality"]).get("/reports/registers/visits/", {**OCTOBER, "format": "xlsx"})
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert (log.detail["rows"], log.detail["personal"]) == (3, False)


def test_whole_scope_title_and_branch_file_name(world, data, login):
    response = login(world.users["leader_east"]).get(
        "/reports/registers/orders/", {**OCTOBER, "branch": world.branch_east.pk, "format": "xlsx"})
    rows = values(sheet_of(response))
    assert rows[0][0] == "工单台账 · 华东分公司 · 2026年10月"
    assert len(rows) - 2 == 5  # W1, W5, W3, W2 of A and WB of B
    assert quote("工单台账-华东分公司-2026-10.xlsx") in response["Content-Disposition"]


def test_bad_filters_export_nothing(world, data, login):
    client = login(world.users["leader_east"])
    response = client.get("/reports/registers/orders/", {"project": world.project_c.pk, "format": "xlsx"})
    assert response.status_code == 400
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_steward_cannot_export(world, data, login):
    response = login(world.users["steward_a"]).get("/reports/registers/requests/", {**OCTOBER, "format": "xlsx"})
    assert response.status_code == 403
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_large_export_streams_in_chunks(world, login):
    """3,000 requests with a work order each: every row is written, the work orders of each chunk are read with one
    query for the chunk (two chunks of 2,000 and 1,000 rows), and the file opens."""
    a, eng = world.project_a, department(world.project_a, DepartmentKind.ENGINEERING)
    start, agent, room = sh(2026, 9, 1, 0, 5), world.users["agent_a"], world.room(world.project_a, "3-2-1802")
    ServiceRequest.objects.bulk_create([ServiceRequest(
        project=a, number=f"BS2609{index:06d}", channel="phone", kind="repair", contact_name="周美玲",
        contact_phone="13812345678", room=room, description=f"第{index}号报修：卫生间漏水", received_at=start
        + timedelta(minutes=10 * index), created_by=agent) for index in range(3000)], batch_size=500)
    WorkOrder.objects.bulk_create([WorkOrder(
        request_id=request_id, project=a, number=f"GD{request_id:08d}", department=eng, status="completed",
        result=f"已处理{number[-4:]}") for request_id, number in
        ServiceRequest.objects.filter(project=a).values_list("id", "number")], batch_size=500)
    client = login(world.users["pm_a"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/reports/registers/requests/", {"month": "2026-09", "format": "xlsx"})
        rows = values(sheet_of(response))
    order_queries = [q for q in queries.captured_queries if 'FROM "servicedesk_workorder"' in q["sql"]]
    assert len(order_queries) == 2
    assert rows[1] == HEADERS["requests"]
    assert len(rows) - 2 == 3000
    # Newest first: the last request (index 2999) first; the last row is the first one, its order found in chunk 2.
    assert rows[2][0] == 1 and rows[2][7] == "第2999号报修：卫生间漏水" and rows[2][10] == "已处理2999"
    assert rows[-1][0] == 3000 and rows[-1][7] == "第0号报修：卫生间漏水" and rows[-1][10] == "已处理0000"
    assert rows[-1][9] == "翠湖花园工程部" and rows[-1][2] == "翠湖花园"
    assert AuditLog.objects.get(action=AuditAction.EXPORT).detail["rows"] == 3000


def test_memory_does_not_grow_with_rows(world, monkeypatch):
    """With chunks of 100 rows, exporting 1,200 rows takes about the memory of exporting 400: only one chunk is held
    (openpyxl's table of distinct strings aside, which is why the texts repeat here)."""
    import tracemalloc
    from tempfile import TemporaryFile

    from propdesk.reports.selectors.registers import REGISTERS, register_filters

    monkeypatch.setattr(selectors, "CHUNK_SIZE", 100)
    a, agent = world.project_a, world.users["agent_a"]
    register, pm = REGISTERS["requests"], world.users["pm_a"]

    def peak(month: int, count: int) -> int:
        ServiceRequest.objects.bulk_create([ServiceRequest(
            project=a, number=f"BS26{month:02d}{index:06d}", channel="phone", kind="repair", contact_name="周美玲",
            contact_phone="13812345678", description="卫生间漏水" * 20, received_at=sh(2026, month, 1, 1)
            + timedelta(minutes=index), created_by=agent) for index in range(count)], batch_size=500)
        filters = register_filters(register, pm, {"month": f"2026-{month:02d}"})
        tracemalloc.start()
        with TemporaryFile() as file:
            written = exports.write_register(register, pm, filters, file, reveal=True, title="t")
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert written == count
        return size

    small, large = peak(7, 400), peak(8, 1200)
    assert large < small * 1.5, (small, large)
