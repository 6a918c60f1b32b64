"""Archive numbers YYYYMMDDnnn: consecutive per project and day, unique even when registered at once."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from propdesk.customers.models import Resident
from propdesk.customers.services.archive import archive_numbers_take
from propdesk.customers.services.residents import ResidentData, resident_create
from propdesk.org.models import Branch, Company, Project


def make_project(code="p1"):
    company = Company.objects.create(name="万家物业", code=f"c-{code}")
    branch = Branch.objects.create(company=company, name="华东分公司", code="east")
    return Project.objects.create(company=company, branch=branch, name="翠湖花园", code=code)


@pytest.mark.django_db
def test_numbers_are_date_plus_daily_sequence():
    project = make_project()
    day = date(2026, 2, 14)
    assert archive_numbers_take(project_id=project.pk, day=day) == ["20260214001"]
    assert archive_numbers_take(project_id=project.pk, day=day, count=2) == ["20260214002", "20260214003"]
    assert archive_numbers_take(project_id=project.pk, day=date(2026, 2, 15)) == ["20260215001"]


@pytest.mark.django_db
def test_each_project_has_its_own_sequence():
    a, b = make_project("a"), make_project("b")
    day = date(2026, 2, 14)
    assert archive_numbers_take(project_id=a.pk, day=day) == archive_numbers_take(project_id=b.pk, day=day)


@pytest.mark.django_db
def test_a_busy_day_grows_a_digit_instead_of_failing():
    project = make_project()
    numbers = archive_numbers_take(project_id=project.pk, day=date(2026, 2, 14), count=1001)
    assert numbers[998] == "20260214999" and numbers[999] == "202602141000"
    assert len(set(numbers)) == 1001


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_different_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test "
                    "(CI runs this on PostgreSQL)")
    project = make_project()
    barrier = threading.Barrier(8)
    errors = []

    def register(i):
        try:
            barrier.wait()
            resident_create(project=project, data=ResidentData(name=f"住户{i}", phones=[f"1380000{i:04d}"]),
                            registered_on=date(2026, 2, 14))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Resident.objects.filter(project=project).values_list("archive_no", flat=True))
    assert numbers == [f"20260214{n:03d}" for n in range(1, 9)]
