"""The demo company: complete, valid, deterministic, and its logins work."""

from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Max

from propdesk.console.demo import (
    DEMO_PASSWORD,
    demo_counts,
    plan_demo,
)
from propdesk.core.testing import password_login
from propdesk.customers.models import ArchiveSequence, Occupancy, Phone, Resident
from propdesk.customers.rules.phones import last4, normalize_phone, validate_id_number
from propdesk.customers.services.archive import archive_numbers_take
from propdesk.org.models import Building, Project, Room
from propdesk.staff.models import Role, StaffProfile
from propdesk.staff.rules.roles import ROLE_SCOPE_LEVEL

TODAY = date(2026, 2, 14)
SCALE = 0.02


DEMO_ARGS = {"seed": 42, "scale": SCALE, "today": TODAY}


@pytest.fixture
def demo(demo_once, db):
    return demo_once  # built once for this module (conftest.demo_once)


def snapshot() -> dict:
    return {
        "residents": list(Resident.objects.order_by("project__code", "archive_no").values_list(
            "project__code", "archive_no", "name", "gender", "id_number", "segment", "registered_on",
            "is_former_committee", "is_elderly_alone", "is_vip", "is_frequent_complainant", "note")),
        "phones": sorted(Phone.objects.values_list("resident__archive_no", "project__code", "number", "kind",
                                                   "is_primary", "label")),
        "occupancies": sorted(Occupancy.objects.values_list(
            "resident__archive_no", "project__code", "room__code", "relation", "start_date", "end_date")),
        "rooms": sorted(Room.objects.values_list("project__code", "code", "floor", "area", "room_type",
                                                 "status")),
        "staff": sorted(StaffProfile.objects.values_list("user__username", "role", "display_name", "mobile")),
    }


def test_every_model_and_every_role_is_there(demo):
    assert all(count > 0 for count in demo.counts.values()), demo.counts
    assert demo.counts == demo_counts()
    for project in Project.objects.all():
        assert Building.objects.filter(project=project).exists()
        # the five departments, and the developer's after-sales contact of the building being handed over
        assert project.departments.exclude(kind="developer").count() == 5
    profiles = StaffProfile.objects.select_related("user")
    assert {p.role for p in profiles} == set(Role.values)
    for profile in profiles:
        level = ROLE_SCOPE_LEVEL[profile.role]
        expected = {"department": 4, "project": 3, "branch": 2, "company": 1}[level]
        scope = [profile.department_id, profile.project_id, profile.branch_id, profile.company_id]
        assert sum(1 for value in scope if value) == expected, (profile.user.username, scope)
        if profile.department_id:
            assert profile.department.project_id == profile.project_id
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    resident = Resident.objects.get(user__username="resident1")
    assert resident.project.code == "cuihu"
    assert resident.occupancies.filter(relation="owner").exists()
    expected = {"agent_cuihu", "steward_cuihu", "tech_cuihu", "security_cuihu", "pm_cuihu", "leader_east",
                "quality", "admin", "resident1"}
    assert {login.username for login in demo.logins} >= expected


def test_phones_are_valid_and_unique_per_project(demo):
    phones = list(Phone.objects.all())
    assert phones
    for phone in phones:
        assert normalize_phone(phone.number) == (phone.number, phone.kind)
        assert phone.last4 == last4(phone.number)
    per_project = Counter((p.project_id, p.number) for p in phones)
    assert max(per_project.values()) == 1
    assert {p.kind for p in phones} == {"mobile", "landline"}
    primaries = Counter(p.resident_id for p in phones if p.is_primary)
    assert set(primaries.values()) == {1}
    assert len(primaries) == Resident.objects.count()  # everyone can be reached
    shanghai = Phone.objects.filter(kind="landline", project__city="上海").values_list("number", flat=True)
    assert all(number.startswith("021-") for number in shanghai)


def test_id_numbers_have_correct_check_digits(demo):
    residents = list(Resident.objects.exclude(id_number=""))
    assert 0.15 < len(residents) / Resident.objects.count() < 0.45
    for resident in residents:
        assert validate_id_number(resident.id_number) == resident.id_number
        digits = resident.id_number
        born = date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
        assert date(1930, 1, 1) < born < TODAY
        assert (int(resident.id_number[16]) % 2 == 1) == (resident.gender == "m")


def test_archive_numbers_are_unique_and_the_sequence_continues(demo):
    duplicates = (Resident.objects.values("project", "archive_no").annotate(n=Count("id")).filter(n__gt=1))
    assert not duplicates.exists()
    for resident in Resident.objects.all():
        assert resident.archive_no.startswith(resident.registered_on.strftime("%Y%m%d"))
    last = {(s.project_id, s.day): s.last for s in ArchiveSequence.objects.all()}
    per_day = Counter((r.project_id, r.registered_on) for r in Resident.objects.all())
    assert last == dict(per_day)
    (project_id, day), count = max(per_day.items(), key=lambda item: item[1])
    (number,) = archive_numbers_take(project_id=project_id, day=day)
    assert number == f"{day:%Y%m%d}{count + 1:03d}"
    assert not Resident.objects.filter(project_id=project_id, archive_no=number).exists()


def test_households_make_sense(demo):
    occupancies = Occupancy.objects.select_related("resident", "room")
    for occupancy in occupancies:
        assert occupancy.project_id == occupancy.room.project_id == occupancy.resident.project_id
        assert occupancy.start_date <= occupancy.resident.registered_on <= TODAY
        assert occupancy.end_date is None or occupancy.end_date >= occupancy.start_date
        if occupancy.relation in ("family", "tenant", "occupant") and occupancy.end_date is None:
            assert occupancy.room.status in ("occupied", "renovating")  # a home under renovation is lived in
    owned = set(Occupancy.objects.filter(relation="owner").values_list("room_id", flat=True))
    assert set(Room.objects.filter(status="occupied").values_list("id", flat=True)) <= owned
    assert Occupancy.objects.values("resident").annotate(n=Count("id")).aggregate(Max("n"))["n__max"] >= 1
    relations = set(Occupancy.objects.values_list("relation", flat=True))
    assert {"owner", "family", "tenant"} <= relations
    segments = set(Resident.objects.exclude(segment="").values_list("segment", flat=True))
    assert len(segments) == 5


def test_demo_users_log_in_with_the_demo_password(demo, client):
    assert password_login(client, "agent_cuihu", DEMO_PASSWORD)
    client.logout()
    assert password_login(client, "resident1", DEMO_PASSWORD)
    client.logout()
    client.force_login(get_user_model().objects.get(username="admin"))  # same hash; skip another slow check
    assert client.get("/admin/").status_code == 200


def test_full_scale_plan_has_the_advertised_size():
    """The plan is pure Python: check the full-size numbers without a database."""
    plan = plan_demo(seed=20260214, scale=1.0, today=TODAY)
    rooms = [room for project in plan.projects for room in project.rooms]
    persons = [person for project in plan.projects for person in project.persons]
    assert 9_500 <= len(rooms) <= 10_800
    assert 14_000 <= len(persons) <= 16_500
    status = Counter(room.status for room in rooms)
    assert 0.77 < status["occupied"] / len(rooms) < 0.83
    assert 0.03 < status["renovating"] / len(rooms) < 0.07
    assert {room.room_type for room in rooms} == {"residence", "villa"}
    assert plan_demo(seed=20260214, scale=1.0, today=TODAY).projects[0].persons[-1].name == persons[
        len(plan.projects[0].persons) - 1].name


