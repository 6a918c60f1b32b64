from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from propdesk.core import imports as core_imports
from propdesk.core.imports import ImportFailed
from propdesk.core.models import AuditAction, AuditLog
from propdesk.org.choices import RoomStatus, RoomType
from propdesk.org.models import Building, Room, Unit
from propdesk.org.services.imports import TEMPLATE_HEADERS, rooms_import

HEADERS = ["楼栋", "单元", "房号", "楼层", "建筑面积", "房屋类型", "房屋状态"]


def xlsx(rows, name="翠湖花园房屋清单.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def failure_of(world, rows) -> list[tuple[int, str]]:
    with pytest.raises(ImportFailed) as caught:
        rooms_import(project=world.project_a, file=xlsx(rows), actor=world.users["pm_a"])
    return [(e.row, e.column) for e in caught.value.errors]


def test_good_sheet_creates_buildings_units_and_rooms(world):
    before = Room.objects.filter(project=world.project_a).count()
    result = rooms_import(project=world.project_a, actor=world.users["pm_a"], file=xlsx([
        HEADERS,
        [8.0, 1.0, 101, None, 89.5, "住宅", "已入住"],  # numbers as Excel gives them
        ["8栋", "1单元", "102", "", "", "商铺", ""],
        [None, None, None, None, None, None, None],  # blank row in the middle
        ["8", "2", "1801", "", "126.38", "", "装修中"],
        ["3", "3", "2101", 21, None, "公寓", "空置"],  # a new unit in the existing building 3
    ]))
    assert result.counts == {"buildings": 1, "units": 3, "rooms": 4}
    assert Room.objects.filter(project=world.project_a).count() == before + 4
    building = Building.objects.get(project=world.project_a, number="8")
    assert building.floors == 18
    assert sorted(building.units.values_list("number", flat=True)) == ["1", "2"]
    r101 = Room.objects.get(project=world.project_a, code="8-1-101")
    assert (r101.floor, r101.area, r101.room_type, r101.status) == (1, Decimal("89.50"), RoomType.RESIDENCE,
                                                                     RoomStatus.OCCUPIED)
    assert Room.objects.get(project=world.project_a, code="8-1-102").room_type == RoomType.SHOP
    r1801 = Room.objects.get(project=world.project_a, code="8-2-1801")
    assert (r1801.floor, r1801.status, r1801.unit.number) == (18, RoomStatus.RENOVATING, "2")
    assert Room.objects.get(project=world.project_a, code="3-3-2101").building.floors == 21
    log = AuditLog.objects.get(action=AuditAction.IMPORT, target_type="org.room")
    assert log.actor == world.users["pm_a"]
    assert log.detail["rooms"] == 4 and log.detail["file"] == "翠湖花园房屋清单.xlsx"


def test_english_headers_and_a_title_row_are_understood(world):
    rooms_import(project=world.project_a, actor=world.users["pm_a"], file=xlsx([
        ["翠湖花园房屋信息表"],
        ["Building No.", "Unit", "Room number", "Area (m²)"],
        ["9", "1", "301", "75"],
    ]))
    assert Room.objects.get(project=world.project_a, code="9-1-301").floor == 3


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(world):
    rooms_before = Room.objects.count()
    errors = failure_of(world, [
        HEADERS,
        ["8", "1", "101", "", "", "", ""],
        ["8", "", "102", "", "", "", ""],  # row 3: no unit
        ["8", "1", "101", "", "", "", ""],  # row 4: same room as row 2
        ["3", "2", "1802", "", "", "", ""],  # row 5: already in project A
        ["8", "1", "103", "一楼", "大", "", ""],  # row 6: floor and area not numbers
        ["8", "1", "104", "", "", "车位", "出租"],  # row 7: unknown type and status
        ["", "1", "", "", "", "", ""],  # row 8: no building, no room
    ])
    assert errors == [(3, "单元"), (4, "房号"), (5, "房号"), (6, "楼层"), (6, "建筑面积"), (7, "房屋类型"),
                      (7, "房屋状态"), (8, "楼栋"), (8, "房号")]
    assert Room.objects.count() == rooms_before
    assert not Building.objects.filter(project=world.project_a, number="8").exists()
    assert not AuditLog.objects.filter(action=AuditAction.IMPORT).exists()


def test_reasons_name_the_problem(world):
    with pytest.raises(ImportFailed) as caught:
        rooms_import(project=world.project_a, actor=world.users["pm_a"], file=xlsx([
            HEADERS, ["8", "1", "101"], ["8", "1", "101"], ["3", "2", "1802"]]))
    messages = [e.message for e in caught.value.errors]
    assert "8-1-101" in messages[0] and "2" in messages[0]
    assert "3-2-1802" in messages[1]


def test_the_sheet_column_name_is_reported_as_spelled(world):
    errors = failure_of(world, [["楼栋号", "单元", "房号", "楼层"], ["8", "1", "101", "abc"]])
    assert errors == [(2, "楼层")]
    with pytest.raises(ImportFailed) as caught:
        rooms_import(project=world.project_a, actor=world.users["pm_a"],
                     file=xlsx([["Building", "unit", "Room", "FLOOR"], ["8", "1", "101", "abc"]]))
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "FLOOR")]


def test_floor_that_cannot_be_derived_must_be_given(world):
    assert failure_of(world, [["楼栋", "单元", "房号"], ["8", "1", "A1"]]) == [(2, "楼层")]


def test_missing_required_header(world):
    assert failure_of(world, [["楼栋", "房号", "楼层"], ["8", "101", "1"]]) == [(1, "单元")]


def test_not_an_xlsx_file(world):
    with pytest.raises(ImportFailed) as caught:
        rooms_import(project=world.project_a, actor=world.users["pm_a"],
                     file=SimpleUploadedFile("rooms.xls", b"\xd0\xcf\x11\xe0 old excel"))
    assert caught.value.errors == []
    assert "xlsx" in caught.value.message


def test_too_many_rows(world, monkeypatch):
    monkeypatch.setattr(core_imports, "MAX_ROWS", 3)
    with pytest.raises(ImportFailed) as caught:
        rooms_import(project=world.project_a, actor=world.users["pm_a"],
                     file=xlsx([HEADERS] + [["8", "1", str(100 + n)] for n in range(1, 5)]))
    assert "3" in caught.value.message
    assert not Building.objects.filter(project=world.project_a, number="8").exists()


def test_five_thousand_rooms_in_a_few_queries(world, django_assert_max_num_queries):
    rows = [HEADERS] + [[str(b), str(u), f"{f}{d:02d}", None, 96.5] for b in (10, 11) for u in (1, 2, 3, 4, 5)
                        for f in range(1, 26) for d in range(1, 21)]
    assert len(rows) == 5001
    upload = xlsx(rows)
    with django_assert_max_num_queries(30):
        result = rooms_import(project=world.project_a, actor=world.users["pm_a"], file=upload)
    assert result.counts == {"buildings": 2, "units": 10, "rooms": 5000}
    assert Unit.objects.filter(building__project=world.project_a, building__number="11").count() == 5


# --- the page ----------------------------------------------------------------------------------------------


def post(client, project, rows):
    return client.post(reverse("org:import"), {"rooms-project": project.pk, "rooms-file": xlsx(rows)})


def test_page_shows_every_bad_row_and_keeps_nothing(world, login):
    client = login(world.users["pm_a"])
    assert client.get(reverse("org:import")).status_code == 200
    rows = [HEADERS, ["8", "1", "101"], ["8", "1", "101"], ["8", "1", "一楼"]]
    response = post(client, world.project_a, rows)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<td>3</td><td>房号</td>" in body and "<td>4</td><td>房号</td>" in body
    assert not Building.objects.filter(project=world.project_a, number="8").exists()


def test_page_success_redirects_to_the_project(world, login):
    response = post(login(world.users["pm_a"]), world.project_a, [HEADERS, ["8", "1", "101"]])
    assert response.status_code == 302
    assert response.url == reverse("org:project_detail", args=[world.project_a.pk])
    assert Room.objects.filter(project=world.project_a, code="8-1-101").exists()


def test_agent_may_not_import(world, login):
    client = login(world.users["agent_a"])
    assert client.get(reverse("org:import")).status_code == 403
    assert post(client, world.project_a, [HEADERS, ["8", "1", "101"]]).status_code == 403
    assert client.get(reverse("org:import_template")).status_code == 403
    assert not Room.objects.filter(project=world.project_a, code="8-1-101").exists()


def test_project_outside_scope_is_404(world, login):
    response = post(login(world.users["pm_a"]), world.project_b, [HEADERS, ["8", "1", "101"]])
    assert response.status_code == 404
    assert not Room.objects.filter(project=world.project_b, code="8-1-101").exists()


def test_template_download_opens_and_imports(world, login):
    response = login(world.users["pm_a"]).get(reverse("org:import_template"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    assert [c.value for c in sheet[1]] == TEMPLATE_HEADERS == HEADERS
    assert sheet.max_row == 3
    result = rooms_import(project=world.project_a, actor=world.users["pm_a"],
                          file=SimpleUploadedFile("template.xlsx", content))
    assert result.counts["rooms"] == 2
