"""Branch and company scope filter by the scope's project ids instead of joining to projects: the same rows of every
scoped model as the join gave, the ids read once per request."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from propdesk.core.scoping import ScopedQuerySet, scope_of
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department, Project
from propdesk.servicedesk.models import ServiceRequest, WorkOrder
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.services.workorders import workorder_create

pytestmark = pytest.mark.django_db


def scoped_models():
    return [model for model in apps.get_models() if isinstance(model._default_manager.all(), ScopedQuerySet)]


def joined_scope_filter(self, scope) -> Q:
    """ScopedQuerySet.scope_filter as it was: branch and company through a join to the project."""
    path = self.project_path
    if scope.resident_id:
        return Q(pk__in=[])
    if scope.project_id:
        return Q(**{f"{path}_id" if path != "id" else "id": scope.project_id})
    prefix = "" if path == "id" else f"{path}__"
    if scope.branch_id:
        return Q(**{f"{prefix}branch_id": scope.branch_id})
    return Q(**{f"{prefix}company_id": scope.company_id})


def requests_everywhere(world):
    for project, agent, code in ((world.project_a, "agent_a", "3-2-1802"), (world.project_b, "agent_b", "3-1-101"),
                                 (world.project_c, "admin", "3-1-101")):
        sr = request_submit(actor=world.users[agent], project=project, data=RequestInput(
            channel="phone", kind="repair", description="厨房水管爆裂漏水", room_id=world.room(project, code).pk,
            contact_name="周美玲", contact_phone="13812345678"))
        workorder_create(request=sr, department=Department.objects.get(
            project=project, kind=DepartmentKind.ENGINEERING), actor=world.users["admin"])


@pytest.mark.parametrize("username", ["leader_east", "finance_east", "quality", "admin"])
def test_branch_and_company_scope_see_the_same_rows_as_the_join(world, username, monkeypatch):
    requests_everywhere(world)
    user = world.users[username]
    scope = scope_of(user)
    assert scope.branch_id or scope.company_id
    models = scoped_models()
    new = {model: set(model._default_manager.restrict(user).values_list("pk", flat=True)) for model in models}
    with monkeypatch.context() as patch:
        patch.setattr(ScopedQuerySet, "scope_filter", joined_scope_filter)
        old = {model: set(model._default_manager.restrict(user).values_list("pk", flat=True)) for model in models}
    compared = 0
    for model in models:
        assert new[model] == old[model], model.__name__
        compared += bool(old[model])
    assert compared >= 8  # projects, rooms, residents, requests, work orders… are there to compare
    if scope.branch_id:
        assert set(scope.project_ids) == {world.project_a.pk, world.project_b.pk}


def test_a_branch_list_filters_by_project_ids_without_a_join_and_reads_them_once(world):
    requests_everywhere(world)
    user = world.users["leader_east"]
    with CaptureQueriesContext(connection) as ctx:
        requests = list(ServiceRequest.objects.restrict(user))
        orders = list(WorkOrder.objects.restrict(user))
    assert {sr.project_id for sr in requests} == {o.project_id for o in orders} == {world.project_a.pk,
                                                                                    world.project_b.pk}
    assert len(ctx.captured_queries) == 3  # the branch's project ids once, then each list
    assert all("org_project" not in q["sql"] for q in ctx.captured_queries[1:])


def test_a_branch_without_projects_sees_nothing(world):
    Project.objects.filter(branch=world.branch_east).update(branch=world.branch_west)
    assert not ServiceRequest.objects.restrict(world.users["leader_east"]).exists()
    assert Project.objects.restrict(world.users["leader_east"]).count() == 0
