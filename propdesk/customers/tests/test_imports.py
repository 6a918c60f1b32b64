from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from propdesk.core.imports import ImportFailed
from propdesk.core.models import AuditAction, AuditLog
from propdesk.customers.choices import Gender, Relation, Segment
from propdesk.customers.models import ArchiveSequence, Occupancy, Phone, Resident
from propdesk.customers.services.imports import TEMPLATE_HEADERS, residents_import
from propdesk.org.choices import RoomStatus
from propdesk.org.models import Room
from propdesk.org.services.buildings import building_create

HEADERS = ["姓名", "手机", "备用电话", "房号", "关系", "身份证号", "性别", "入住日期", "客户类别"]
ID_NUMBER = "310115198507213427"
GOOD_ROW = ["李建华", "13800138000", "", "3-1-101"]


def xlsx(rows, name="翠湖花园业主信息.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def run(world, rows, project=None):
    return residents_import(project=project or world.project_a, file=xlsx(rows), actor=world.users["pm_a"])


def test_good_sheet_creates_residents_phones_and_occupancies(world):
    assert world.room(world.project_a, "3-1-101").status == RoomStatus.VACANT
    result = run(world, [
        HEADERS,
        ["李建华", 13800138000, "", "3-1-101", "业主", ID_NUMBER, "男", datetime(2019, 5, 1), "社会新锐"],
        ["张敏", "139 1111 2222", "021-58861234", "3栋1单元102", "租户", "", "女", "2023/9/1", ""],
        ["张小宝", "13911113333", "", "3-1-102", "家属", "", "", "", "望子成龙"],
    ])
    assert result.counts == {"residents": 3, "existing_residents": 0, "phones": 4, "occupancies": 3,
                             "rooms_occupied": 2}
    li = Resident.objects.get(project=world.project_a, name="李建华")
    assert (li.id_number, li.gender, li.segment) == (ID_NUMBER, Gender.MALE, Segment.YOUNG_PROFESSIONALS)
    assert li.registered_on == timezone.localdate()
    occupancy = li.occupancies.get()
    assert (occupancy.room.code, occupancy.relation, occupancy.start_date) == ("3-1-101", Relation.OWNER,
                                                                               date(2019, 5, 1))
    zhang = Resident.objects.get(project=world.project_a, name="张敏")
    assert [(p.number, p.is_primary, p.last4) for p in zhang.phones.all()] == [
        ("13911112222", True, "2222"), ("021-58861234", False, "1234")]
    assert zhang.occupancies.get().start_date == date(2023, 9, 1)
    assert world.room(world.project_a, "3-1-101").status == RoomStatus.OCCUPIED
    assert world.room(world.project_a, "3-1-102").status == RoomStatus.OCCUPIED
    log = AuditLog.objects.get(action=AuditAction.IMPORT, target_type="customers.resident")
    assert log.detail["residents"] == 3 and log.detail["file"] == "翠湖花园业主信息.xlsx"


def test_family_member_does_not_make_a_room_occupied(world):
    run(world, [HEADERS, ["周小梅", "13700001234", "", "3-1-201", "家属"]])
    assert world.room(world.project_a, "3-1-201").status == RoomStatus.VACANT


def test_same_person_on_two_rows_is_one_resident_with_two_rooms(world):
    before = Resident.objects.count()
    result = run(world, [
        HEADERS,
        ["李建华", "13800138000", "", "3-1-101", "业主", ""],
        ["李建华", "138-0013-8000", "13600136000", "5-1-302", "业主", ID_NUMBER],
    ])
    assert Resident.objects.count() == before + 1
    li = Resident.objects.get(project=world.project_a, name="李建华")
    assert li.id_number == ID_NUMBER  # the second row filled what the first left blank
    assert sorted(li.occupancies.values_list("room__code", flat=True)) == ["3-1-101", "5-1-302"]
    assert sorted(li.phones.values_list("number", flat=True)) == ["13600136000", "13800138000"]
    assert result.counts["occupancies"] == 2


def test_archive_numbers_are_unique_and_of_today(world):
    run(world, [HEADERS, ["周小梅", "13700001234", "", "3-1-201"]])
    rooms = [f"5-1-{100 * floor + door}" for floor in (1, 2, 3) for door in (1, 2, 3, 4)][:10]
    people = [[f"住户{n}", f"1370000{n:04d}", "", room] for n, room in enumerate(rooms, start=1)]
    run(world, [HEADERS, *people])
    numbers = list(Resident.objects.filter(project=world.project_a, registered_on=timezone.localdate())
                   .values_list("archive_no", flat=True))
    assert len(numbers) == 11 == len(set(numbers))
    prefix = timezone.localdate().strftime("%Y%m%d")
    assert sorted(numbers) == [f"{prefix}{n:03d}" for n in range(1, 12)]


def test_person_already_in_the_archive_gets_the_new_room_only(world):
    before = Resident.objects.count()
    result = run(world, [HEADERS, ["周美玲", "13812345678", "", "5-1-101", "业主"]])
    assert Resident.objects.count() == before
    assert result.counts["existing_residents"] == 1
    assert world.residents["a_owner"].occupancies.filter(room__code="5-1-101").exists()


def test_bad_rows_import_nothing_and_each_is_reported(world):
    counts = Resident.objects.count(), Phone.objects.count(), Occupancy.objects.count()
    sequences = list(ArchiveSequence.objects.values_list("project_id", "day", "last"))
    with pytest.raises(ImportFailed) as caught:
        run(world, [
            HEADERS,
            ["李建华", "13800138000", "", "3-1-101", "业主"],  # row 2 is good
            ["王芳", "13800138001", "", "3-9-999", "业主"],  # row 3: no such room
            ["赵磊", "1380013", "", "3-1-102", "业主"],  # row 4: malformed phone
            ["钱进", "13800138002", "12345", "3-1-201", "业主", "110101199003071234"],  # row 5: phone2, ID
            ["孙丽", "13800138003", "", "3-1-202", "朋友", "", "未知"],  # row 6: relation, gender
            ["", "", "", "", ""],  # blank: skipped
            ["", "13800138004", "", "一号楼", "业主", "", "", "去年"],  # row 8: name, room, date
            ["周美玲", "13812345678", "", "3-2-1802", "业主"],  # row 9: already linked in the archive
            ["李建华", "13800138000", "", "3-1-101", "业主"],  # row 10: same person and room as row 2
        ])
    failure = caught.value
    assert [(e.row, e.column) for e in failure.errors] == [
        (3, "房号"), (4, "手机"), (5, "备用电话"), (5, "身份证号"), (6, "关系"), (6, "性别"), (8, "姓名"),
        (8, "房号"), (8, "入住日期"), (9, "房号"), (10, "房号")]
    assert failure.errors[0].message == "房号 3-9-999 在本项目中不存在。"  # reported in Chinese
    assert "1380013" in failure.errors[1].message
    assert failure.row_count == 7
    assert (Resident.objects.count(), Phone.objects.count(), Occupancy.objects.count()) == counts
    assert list(ArchiveSequence.objects.values_list("project_id", "day", "last")) == sequences
    assert world.room(world.project_a, "3-1-101").status == RoomStatus.VACANT


def test_missing_phone_column_is_reported_on_the_header_row(world):
    with pytest.raises(ImportFailed) as caught:
        run(world, [["姓名", "房号"], ["李建华", "3-1-101"]])
    assert [(e.row, e.column) for e in caught.value.errors] == [(1, "手机")]


def test_rooms_of_another_project_are_unknown(world):
    building_create(project=world.project_b, number="8", floors=2, units=1, rooms_per_floor=1)
    with pytest.raises(ImportFailed) as caught:
        run(world, [HEADERS, ["李建华", "13800138000", "", "8-1-101"]])
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (2, "房号", "房号 8-1-101 在本项目中不存在。")]


# --- the page ----------------------------------------------------------------------------------------------


def post(client, project, rows):
    return client.post(reverse("customers:import"), {"residents-project": project.pk,
                                                     "residents-file": xlsx(rows)})


def test_page_shows_the_bad_rows(world, login):
    response = post(login(world.users["pm_a"]), world.project_a, [
        HEADERS, ["李建华", "13800138000", "", "3-1-101"], ["王芳", "13800138001", "", "3-9-999"]])
    assert response.status_code == 200
    body = response.content.decode()
    assert "<td>3</td><td>房号</td>" in body and "3-9-999" in body
    assert not Resident.objects.filter(name="李建华").exists()


def test_page_success_redirects_to_the_project(world, login):
    response = post(login(world.users["pm_a"]), world.project_a, [HEADERS, GOOD_ROW])
    assert response.status_code == 302
    assert response.url == reverse("org:project_detail", args=[world.project_a.pk])
    assert Resident.objects.filter(project=world.project_a, name="李建华").exists()


def test_agent_may_not_import(world, login):
    client = login(world.users["agent_a"])
    assert post(client, world.project_a, [HEADERS, GOOD_ROW]).status_code == 403
    assert client.get(reverse("customers:import_template")).status_code == 403
    assert not Resident.objects.filter(name="李建华").exists()


def test_project_outside_scope_is_404(world, login):
    response = post(login(world.users["pm_a"]), world.project_b, [HEADERS, GOOD_ROW])
    assert response.status_code == 404
    assert not Resident.objects.filter(name="李建华").exists()


def test_template_download_opens_and_imports(world, login):
    response = login(world.users["pm_a"]).get(reverse("customers:import_template"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    assert [c.value for c in sheet[1]] == TEMPLATE_HEADERS == HEADERS
    building_create(project=world.project_a, number="12", floors=18, units=1, rooms_per_floor=2)
    result = residents_import(project=world.project_a, actor=world.users["pm_a"],
                              file=SimpleUploadedFile("template.xlsx", content))
    assert result.counts["residents"] == 2
    assert Room.objects.get(project=world.project_a, code="12-1-1801").status == RoomStatus.OCCUPIED
