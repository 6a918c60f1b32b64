"""The registers as lists that grow without bound: the order register's assignee choices come from the staff of the
scope (not from every work order), and the page and the API stop counting at 1,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from propdesk.core.pagination import CappedPaginator
from propdesk.core.testing import make_user
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.staff.models import ApiToken

from .test_registers import new_order, new_request, sh

pytestmark = pytest.mark.django_db

ORDERS = "/reports/registers/orders/"


def engineering(project):
    return Department.objects.get(project=project, kind=DepartmentKind.ENGINEERING)


def assignee_choices(response) -> dict[str, str]:
    field = next(spec for spec in response.context["fields"] if spec["name"] == "assignee")
    return dict(field["choices"])


def test_the_assignee_choices_are_the_department_staff_of_the_scope(world, login):
    tech_c = make_user("technician_c", role="technician", department=engineering(world.project_c),
                       project=world.project_c, display_name="何师傅")
    tech_b = make_user("technician_b", role="technician", department=engineering(world.project_b),
                       project=world.project_b, display_name="冯师傅")
    with CaptureQueriesContext(connection) as ctx:
        response = login(world.users["pm_a"]).get(ORDERS)
    assert response.status_code == 200
    assert assignee_choices(response) == {str(world.users["technician_a"].pk): "刘师傅"}  # none has an order yet
    assert not any("servicedesk_workorder" in q["sql"] and "EXISTS" in q["sql"] for q in ctx.captured_queries)

    leader = login(world.users["leader_east"])
    assert set(assignee_choices(leader.get(ORDERS))) == {str(world.users["technician_a"].pk), str(tech_b.pk)}
    chosen = assignee_choices(leader.get(ORDERS, {"project": world.project_b.pk}))
    assert set(chosen) == {str(tech_b.pk)}
    assert str(tech_c.pk) in assignee_choices(login(world.users["quality"]).get(ORDERS))


def test_the_order_register_past_the_cap_shows_it_and_pages_on(world, login, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    monkeypatch.setattr("propdesk.reports.views.registers.PAGE_SIZE", 2)
    monkeypatch.setattr("propdesk.reports.api.registers.PAGE_SIZE", 2)
    for index in range(5):
        request = new_request(world, f"BS2611{index:05d}", sh(2026, 11, 3, 9 + index), kind="repair")
        new_order(request, f"GD2611{index:05d}", engineering(world.project_a), sh(2026, 11, 3, 10 + index))
    client = login(world.users["pm_a"])
    html = client.get(ORDERS, {"month": "2026-11"}).content.decode()
    assert 'data-count="3+"' in html and "page=2" in html
    last = client.get(ORDERS, {"month": "2026-11", "page": 3})
    assert len(last.context["rows"]) == 1 and not last.context["page"].has_next()

    _token, raw = ApiToken.issue(user=world.users["pm_a"], name="报表")
    api = client.__class__(headers={"Authorization": f"Bearer {raw}"})
    body = api.get("/api/reports/registers/orders", {"month": "2026-11"}).json()
    assert (body["count"], body["count_exact"], body["has_next"], len(body["rows"])) == (3, False, True, 2)
    body = api.get("/api/reports/registers/orders", {"month": "2026-11", "page": 3}).json()
    assert (body["has_next"], len(body["rows"])) == (False, 1)
