"""The migration that adds the search tokens fills them for the requests already there, and the index finds them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from propdesk.servicedesk.selectors.search import words_q

BEFORE = [("servicedesk", "0013_merge_0012_incident_scope_0012_resident_follow")]
# 0014 adds and fills the tokens; 0018 gives PostgreSQL the stored vector the search reads.
AFTER = [("servicedesk", "0018_search_vector_column")]
AT = datetime(2026, 11, 30, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def back_to_the_latest_schema():
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_requests_are_found_by_their_words(back_to_the_latest_schema):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Company, Branch, Project = (apps.get_model("org", name) for name in ("Company", "Branch", "Project"))
    ServiceRequest = apps.get_model("servicedesk", "ServiceRequest")
    user = apps.get_model("auth", "User").objects.create(username="agent")
    company = Company.objects.create(name="万家物业服务有限公司", code="wanjia")
    branch = Branch.objects.create(company=company, name="华东分公司", code="east")
    project = Project.objects.create(company=company, branch=branch, code="cuihu", name="翠湖花园", number_prefix="CU")
    ids = {}
    for n, (description, note, name, reply) in enumerate([
            ("厨房水管爆裂漏水", "", "周美玲", "已更换阀门"),
            ("楼道灯不亮", "5号楼1单元三层", "张三", "")], start=1):
        ids[name] = ServiceRequest.objects.create(
            project=project, number=f"CU-261130-{n:03d}", channel="phone", kind="repair", description=description,
            location_note=note, contact_name=name, reply=reply, received_at=AT, created_by=user).pk

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    ServiceRequest = executor.loader.project_state(AFTER).apps.get_model("servicedesk", "ServiceRequest")
    assert ServiceRequest.objects.get(pk=ids["张三"]).search_grams == "楼道 道灯 灯不 不亮 5 号楼 1 单元 元三 三层 张三"

    def found(q):
        return set(ServiceRequest.objects.filter(words_q(q)).values_list("pk", flat=True))

    assert found("水管漏水") == found("阀门") == found("周美玲") == {ids["周美玲"]}
    assert found("张三") == found("三层 楼道") == {ids["张三"]}
