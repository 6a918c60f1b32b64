"""The capped count of a list reads only the tables its filter needs, and counts the same rows as the list.

A register's columns join requests, projects, departments and people; counting up to 1,001 of its rows needs none
of them (at a million requests those joins were 130 ms of the work-order register's 213 ms). The count leaves out
a join only when that cannot change how many rows there are; every list below is counted both ways on a small demo
company and must agree with reading its first cap + 1 rows."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from propdesk.core.pagination import CAP, capped_count, count_query
from propdesk.followups.models import FollowUpVisit
from propdesk.knowledge.selectors import case_list
from propdesk.org.models import Building, Project
from propdesk.reports.selectors.registers import REGISTERS, register_filters
from propdesk.servicedesk import selectors
from propdesk.servicedesk.models import ServiceRequest, WorkOrder
from propdesk.staff.models import ApiToken

TODAY = date(2026, 11, 23)
DEMO_ARGS = {"seed": 42, "scale": 0.02, "today": TODAY}
YEAR = {"from": "2025-11-24", "to": "2026-11-22"}
# Tables the order register's columns read and its filter does not.
COLUMN_TABLES = ("servicedesk_servicerequest", "org_project", "org_department", "auth_user", "staff_staffprofile")


@pytest.fixture
def demo(demo_once, db):
    return demo_once


def user(username):
    return get_user_model().objects.get(username=username)


def people():
    """A project manager, a branch leader and the quality department (the whole company)."""
    project = Project.objects.order_by("id").first()
    pm = get_user_model().objects.filter(staff_profile__project=project, staff_profile__role="project_manager")
    leader = get_user_model().objects.filter(username__startswith="leader_").order_by("username")
    return [pm.first(), leader.first(), user("quality")]


def register(name, who, **data):
    spec = REGISTERS[name]
    return spec.queryset(who, register_filters(spec, who, {**YEAR, **data}))


def lists(who):
    """The lists people page through, with filters on joined fields among them."""
    building = Building.objects.filter(project__in=Project.objects.restrict(who)).order_by("id").first()
    room = ServiceRequest.objects.restrict(who).filter(room__isnull=False).order_by("id").first().room
    yield "order register", register("orders", who)
    yield "completed orders", register("orders", who, measure="completed", status="completed")
    yield "request register", register("requests", who)
    yield "requests in a building", register("requests", who, building=str(building.pk))
    yield "complaint register", register("complaints", who)
    yield "visit register", register("visits", who)
    yield "request list", selectors.request_list(user=who)
    yield "open repairs", selectors.request_list(user=who, filters={"open": True, "kind": "repair"})
    yield "search by room code", selectors.request_list(user=who, filters={"q": room.code})
    yield "search by words", selectors.request_list(user=who, filters={"q": "漏水"})
    yield "dispatch queue", selectors.requests_to_dispatch(user=who)
    yield "overdue orders", selectors.workorder_list(user=who, filters={"overdue": True})
    yield "knowledge cases", case_list(user=who)
    # Joins the filter itself goes through: kept.
    yield "by branch through the project", ServiceRequest.objects.restrict(who).filter(
        project__branch_id=building.project.branch_id).values("id", "project__name", "room__code")
    yield "by building through the room", ServiceRequest.objects.restrict(who).filter(
        room__building=building).select_related("project", "common_area")
    yield "by building name", ServiceRequest.objects.restrict(who).filter(
        room__building__name=building.name).values("number", "common_area__name")
    yield "visits by the request's room", FollowUpVisit.objects.restrict(who).filter(
        request__room__isnull=False).values("id", "request__number", "visitor__staff_profile__display_name")
    yield "a joined value in a list", WorkOrder.objects.restrict(who).filter(
        number__in=[F("request__number"), F("number")]).values("number", "department__name")
    # Joins that multiply or drop rows although no filter names them: kept.
    yield "a row per work order", ServiceRequest.objects.restrict(who).values("id", "work_orders__number")
    yield "orders of assigned people", WorkOrder.objects.restrict(who).filter(
        assignee__username__startswith="").values("number", "assignee__staff_profile__display_name")
    yield "ordered by a joined column", WorkOrder.objects.restrict(who).order_by("department__name", "request__number")
    # What the count does not reason about: counted as it is.
    yield "distinct rooms", ServiceRequest.objects.restrict(who).values("room__code").order_by("room__code").distinct()
    yield "grouped", ServiceRequest.objects.restrict(who).values("project__name").annotate(n=Count("id"))


def head(queryset, cap):
    return len(list(queryset[: cap + 1]))


@pytest.mark.parametrize("cap", [3, CAP])
def test_every_list_counts_as_many_rows_as_it_reads(demo, cap):
    counted = 0
    for who in people():
        for name, queryset in lists(who):
            assert capped_count(queryset, cap) == head(queryset, cap), (who.username, name)
            counted += head(queryset, cap) > 0
    assert counted >= 50  # the lists are not empty: the comparisons can fail


def test_a_join_that_makes_a_row_per_work_order_is_kept(demo):
    quality = user("quality")
    per_order = ServiceRequest.objects.restrict(quality).values("id", "work_orders__number")
    requests = ServiceRequest.objects.restrict(quality).count()
    assert capped_count(per_order, 100_000) == len(list(per_order)) > requests


def test_the_order_register_counts_without_the_tables_of_its_columns(demo, client):
    """Through the page and the API: the count reads the work orders alone, and says what the list holds."""
    quality = user("quality")
    client.force_login(quality)
    orders = register("orders", quality)
    expected = orders.count()
    assert expected > 50
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/reports/registers/orders/", YEAR)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == min(expected, CAP)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "LIMIT" in q["sql"]
              and "servicedesk_workorder" in q["sql"]]
    assert counts and all("JOIN" not in sql.upper() for sql in counts), counts

    _token, raw = ApiToken.issue(user=quality, name="报表")
    api = client.__class__(headers={"Authorization": f"Bearer {raw}"})
    with CaptureQueriesContext(connection) as ctx:
        body = api.get("/api/reports/registers/orders", YEAR).json()
    assert body["count"] == min(expected, CAP)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "LIMIT" in q["sql"]]
    assert counts and all(table not in sql for sql in counts for table in COLUMN_TABLES), counts


def test_a_filter_on_a_joined_table_keeps_its_join_and_a_subquery_keeps_the_list_as_it_is(demo):
    quality = user("quality")
    building = Building.objects.order_by("id").first()
    in_building = register("requests", quality, building=str(building.pk))
    sql = str(count_query(in_building).query)
    assert '"org_room"' in sql and '"org_project"' not in sql
    by_words = selectors.request_list(user=quality, filters={"q": "漏水"})
    assert count_query(by_words) is by_words
