"""Who sees what, who writes company-wide rows, and input that must never break a page."""

import json

import pytest
from django.urls import reverse

from propdesk.core.testing import assert_json_error
from propdesk.knowledge.models import Case, StandardAnswer
from propdesk.knowledge.services import CaseInput, case_create


def test_a_branch_leader_sees_the_branchs_projects_and_not_the_other_branch(world, login, library):
    c_case = case_create(actor=world.users["admin"], data=CaseInput(
        title="锦江城案例：地下室返潮", category="repair", happened="锦江城地下室墙面返潮",
        project_id=world.project_c.pk))
    client = login(world.users["leader_east"])
    html = client.get("/knowledge/cases/").content.decode()
    assert "金桂苑机密案例" in html and "翠湖花园地库排水沟堵塞" in html and "锦江城案例" not in html
    assert client.get(reverse("knowledge:case_detail", args=[c_case.pk])).status_code == 404
    assert "锦江城案例" in login(world.users["quality"]).get("/knowledge/cases/").content.decode()


def test_only_company_wide_staff_write_company_wide_rows(world, api):
    body = json.dumps({"topic": "快递代收", "question": "能代收快递吗？", "answer": "可以，请到前台领取。"})
    response = api("quality").post("/api/knowledge/answers", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["project_id"] is None
    response = api("pm_a").post("/api/knowledge/answers", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["project_id"] == world.project_a.pk  # the PM's project
    error = assert_json_error(api("pm_a").post("/api/knowledge/answers", json.dumps({
        "topic": "快递代收", "question": "能代收快递吗？", "answer": "可以。", "project_id": world.project_b.pk}),
        content_type="application/json"), 400)
    assert error["extra"]["fields"]["project_id"] == ["未知项目。"]
    error = assert_json_error(api("leader_east").post("/api/knowledge/cases", json.dumps({
        "title": "没有项目", "category": "repair", "happened": "某事"}), content_type="application/json"), 400)
    assert "project_id" in error["extra"]["fields"]


def test_a_company_answer_closed_by_a_company_wide_user_asks_for_the_project(world, api, library):
    card = StandardAnswer.objects.get(topic="门禁卡补办", project__isnull=True)
    client = api("admin")
    url = f"/api/knowledge/answers/{card.pk}/close"
    error = assert_json_error(client.post(url, json.dumps({"contact_name": "周美玲"}),
                                          content_type="application/json"), 400)
    assert error["extra"]["fields"]["project_id"] == ["请选择来电人所在项目。"]
    response = client.post(url, json.dumps({"contact_name": "周美玲", "project_id": world.project_b.pk}),
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "closed"


@pytest.mark.parametrize("text", ["", "   ", "😀🙏😀", "My ceiling is leaking, please help",
                                  "阿拉屋里厢天花板漏水了，侬快点来看看", "漏水" * 2000, "<script>alert(1)</script>"])
def test_any_text_on_the_search_pages_answers_200(world, login, library, text):
    client = login(world.users["agent_a"])
    for params in ({"q": text}, {"like": text}):
        response = client.get("/knowledge/cases/", params)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()
    assert client.get("/knowledge/answers/", {"q": text, "project": "abc"}).status_code == 200


def test_the_pages_light_their_menu_item(world, login, library):
    import re

    client = login(world.users["agent_a"])

    def lit(url):
        nav = re.search(r'<nav class="mainnav">(.*?)</nav>', client.get(url).content.decode(), re.S).group(1)
        return re.findall(r'<a href="[^"]*" class="active">([^<]*)</a>', nav)

    assert lit(reverse("knowledge:case_detail", args=[library["a_case"].pk])) == ["案例库"]
    assert lit(reverse("knowledge:answer_close", args=[library["a_fee"].pk])) == ["标准答复"]


def test_a_technician_reads_no_knowledge(world, login, api, library):
    assert login(world.users["technician_a"]).get("/knowledge/cases/").status_code == 403
    assert_json_error(api("technician_a").get("/api/knowledge/similar", {"text": "漏水"}), 403)
    assert Case.objects.count() > 0
