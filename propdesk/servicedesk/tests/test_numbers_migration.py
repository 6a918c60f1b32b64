"""The migration that makes numbers company-wide: every project gets a prefix from its code (in id order), and
every existing request, work-order and receipt number gets its project's prefix in front — voided receipts too."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("org", "0003_room_number_index"), ("servicedesk", "0004_request_resolved_at")]
AFTER = [("org", "0004_project_number_prefix"), ("servicedesk", "0005_numbers_company_wide")]
AT = datetime(2026, 11, 30, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def back_to_the_latest_schema():
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # every app's latest, whatever was merged beside these


@pytest.mark.django_db(transaction=True)
def test_existing_numbers_get_their_projects_prefix(back_to_the_latest_schema):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Company, Branch, Project = (apps.get_model("org", name) for name in ("Company", "Branch", "Project"))
    Department = apps.get_model("org", "Department")
    User = apps.get_model("auth", "User")
    ServiceRequest, WorkOrder, Payment = (apps.get_model("servicedesk", name)
                                          for name in ("ServiceRequest", "WorkOrder", "Payment"))
    company = Company.objects.create(name="万家物业服务有限公司", code="wanjia")
    branch = Branch.objects.create(company=company, name="华东分公司", code="east")
    user = User.objects.create(username="agent")
    orders = {}
    for code, name in (("cuihu", "翠湖花园"), ("cuiyuan", "翠园"), ("jingui", "金桂苑")):
        project = Project.objects.create(company=company, branch=branch, code=code, name=name)
        eng = Department.objects.create(branch=branch, project=project, kind="engineering", name=f"{name}工程部")
        request = ServiceRequest.objects.create(project=project, number="261130-014", channel="phone",
                                                kind="repair", description="水龙头滴水", received_at=AT,
                                                created_by=user)
        orders[code] = WorkOrder.objects.create(request=request, project=project, number="261130-014-1",
                                                department=eng)
        for receipt, voided in (("RC2026000001", AT), ("RC2026000002", None)):
            Payment.objects.create(project=project, work_order=orders[code], receipt_number=receipt,
                                   amount=Decimal("30.00"), method="cash", payer="方小红", cashier=user, paid_at=AT,
                                   voided_at=voided)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Project = apps.get_model("org", "Project")
    ServiceRequest, WorkOrder, Payment = (apps.get_model("servicedesk", name)
                                          for name in ("ServiceRequest", "WorkOrder", "Payment"))
    prefixes = dict(Project.objects.values_list("code", "number_prefix"))
    assert prefixes == {"cuihu": "CU", "cuiyuan": "CI", "jingui": "JI"}  # cuiyuan: CU was taken
    assert sorted(ServiceRequest.objects.values_list("number", flat=True)) == [
        "CI-261130-014", "CU-261130-014", "JI-261130-014"]
    assert sorted(WorkOrder.objects.values_list("number", flat=True)) == [
        "CI-261130-014-1", "CU-261130-014-1", "JI-261130-014-1"]
    voided = sorted(Payment.objects.filter(voided_at__isnull=False).values_list("receipt_number", flat=True))
    assert voided == ["CI-RC2026000001", "CU-RC2026000001", "JI-RC2026000001"]
    assert Payment.objects.filter(receipt_number="JI-RC2026000002").exists()
