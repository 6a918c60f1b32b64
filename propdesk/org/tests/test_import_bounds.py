"""One upload must not take the host down (issue 10, hole 3): the work an .xlsx may cause is bounded from the zip's
directory before anything is parsed, the sheet is read row by row, and long cells are row errors."""

import io
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from propdesk.core import imports as core_imports
from propdesk.org.models import Room
from propdesk.org.services.imports import rooms_template
from propdesk.org.tests.test_imports import HEADERS, xlsx

SHEET = "xl/worksheets/sheet1.xml"
TOO_BIG = "工作簿解压后的数据超过导入所能接受的上限"


def bomb_xlsx(unpacked_mb: int, name="翠湖花园房屋清单.xlsx") -> SimpleUploadedFile:
    """A real workbook (the rooms template) whose sheet is replaced by ``unpacked_mb`` MB of rows of long cells,
    as the audit's file: 20,000 rows of 30,000 characters. Written in pieces, it compresses some 1,000 to 1."""
    template = zipfile.ZipFile(io.BytesIO(rooms_template()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        for item in template.infolist():
            if item.filename != SHEET:
                bomb.writestr(item, template.read(item))
        with bomb.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                        b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe6\xa5\xbc\xe6\xa0\x8b</t></is></c></row>')
            cell = b'<c t="inlineStr"><is><t>' + "渗".encode() * 30_000 + b"</t></is></c>"
            row = b"<row>" + cell + b"</row>"
            for _ in range(unpacked_mb * 1024 * 1024 // len(row) + 1):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return SimpleUploadedFile(name, out.getvalue())


def post(client, upload, kind="rooms", project=None):
    url = reverse("org:import" if kind == "rooms" else "customers:import")
    return client.post(url, {f"{kind}-project": project.pk, f"{kind}-file": upload})


def test_a_workbook_that_unpacks_to_gigabytes_is_a_field_error_before_openpyxl_reads_it(world, login, monkeypatch):
    upload = bomb_xlsx(120)
    assert upload.size < 1024 * 1024  # well under the 10 MB upload limit
    assert sum(i.file_size for i in zipfile.ZipFile(upload).infolist()) > 120 * 1024 * 1024
    upload.seek(0)

    def parse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read the bomb")

    monkeypatch.setattr(core_imports.openpyxl, "load_workbook", parse)
    client = login(world.users["pm_a"])
    tracemalloc.start()
    started = time.process_time()
    try:
        response = post(client, upload, project=world.project_a)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    [message] = response.context["forms"]["rooms"].errors["file"]
    assert TOO_BIG in message and "50 MB" in message
    assert TOO_BIG in response.content.decode()
    assert peak < 30 * 1024 * 1024, peak  # the upload itself and the page, nothing unpacked
    assert time.process_time() - started < 10
    assert not Room.objects.filter(project=world.project_a, code__startswith="8-").exists()


def test_the_residents_upload_is_bounded_the_same_way(world, login):
    response = post(login(world.users["pm_a"]), bomb_xlsx(60), kind="residents", project=world.project_a)
    assert response.status_code == 200
    assert TOO_BIG in response.context["forms"]["residents"].errors["file"][0]


def test_a_member_that_inflates_a_thousandfold_is_refused_even_under_the_total(world, login, monkeypatch):
    monkeypatch.setattr(core_imports, "MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
    upload = bomb_xlsx(20)  # 20 MB unpacked: under the (raised) total, but some 1,000 to 1
    response = post(login(world.users["pm_a"]), upload, project=world.project_a)
    assert TOO_BIG in response.context["forms"]["rooms"].errors["file"][0]


def test_a_realistic_room_list_is_not_mistaken_for_a_bomb(world):
    rows = [HEADERS] + [["8", str(u), f"{f}{d:02d}", f, 89.5, "住宅", "已入住"] for u in (1, 2)
                        for f in range(1, 34) for d in range(1, 5)]
    size = core_imports.workbook_check(xlsx(rows))
    assert size.sheet_data > 10_000


def test_a_cell_too_long_is_a_row_error_naming_its_row_and_column(world, login):
    rows = [HEADERS + ["备注"], ["8", "1", "101", "", "", "", "", "备注可以很长" * 1000],
            ["8", "1", "102", "", "", "住宅" * 300, ""]]
    response = post(login(world.users["pm_a"]), xlsx(rows), project=world.project_a)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<td>3</td><td>房屋类型</td><td>最多 500 个字符（此处 600 个）。</td>" in body
    assert "<td>2</td>" not in body  # a long note in a column the import does not read is no problem
    assert not Room.objects.filter(project=world.project_a, code__startswith="8-").exists()


def test_a_sheet_claiming_the_whole_grid_is_read_only_as_far_as_it_goes(world, login):
    """The dimension says A1:XFD1048576 and the last row is 1,048,576: reading stops at the bound, quickly."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(["8", "1", "101"])
    sheet.cell(row=1_048_576, column=16_384, value="x")
    out = io.BytesIO()
    workbook.save(out)
    started = time.process_time()
    response = post(login(world.users["pm_a"]), SimpleUploadedFile("grid.xlsx", out.getvalue()),
                    project=world.project_a)
    assert response.status_code == 302
    assert time.process_time() - started < 20
    assert Room.objects.filter(project=world.project_a, code="8-1-101").exists()


@pytest.mark.parametrize("content", [b"PK\x05\x06" + b"\0" * 18, b"not a zip at all"])
def test_what_is_no_zip_is_a_field_error(world, login, content):
    response = post(login(world.users["pm_a"]), SimpleUploadedFile("rooms.xlsx", content), project=world.project_a)
    assert "xlsx" in response.context["forms"]["rooms"].errors["file"][0]
