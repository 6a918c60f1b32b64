"""The case library and standard answers through the pages, with Chinese text."""

import pytest
from django.urls import reverse

from propdesk.knowledge.models import Case, StandardAnswer
from propdesk.notify.models import OutboxMessage
from propdesk.servicedesk.models import ServiceRequest

from .conftest import handled

CASES = "/knowledge/cases/"
ANSWERS = "/knowledge/answers/"


def test_search_finds_a_two_character_word(world, login, library):
    client = login(world.users["agent_a"])
    html = client.get(CASES, {"q": "积水"}).content.decode()
    assert "翠湖花园地库排水沟堵塞" in html
    assert "高空抛物" not in html
    html = client.get(CASES, {"q": "抛物"}).content.decode()
    assert "高空抛物屡次投诉" in html and "地库排水沟" not in html


def test_another_scopes_case_is_404_and_never_listed(world, login, library):
    client = login(world.users["agent_a"])
    assert client.get(reverse("knowledge:case_detail", args=[library["b_case"].pk])).status_code == 404
    assert client.get(reverse("knowledge:case_edit", args=[library["b_case"].pk])).status_code == 404
    assert "金桂苑机密案例" not in client.get(CASES).content.decode()
    assert "金桂苑机密案例" not in client.get(CASES, {"q": "车辆"}).content.decode()
    # The company's own cases are everyone's: the handbook's case is there for agent B too.
    assert client.get(reverse("knowledge:case_detail", args=[library["a_case"].pk])).status_code == 200
    handbook = Case.objects.get(title__startswith="车库漏水数月未修")
    assert login(world.users["agent_b"]).get(reverse("knowledge:case_detail", args=[handbook.pk])).status_code == 200


def test_similar_cases_rank_the_right_case_first(world, login, library):
    client = login(world.users["agent_a"])
    response = client.get(CASES, {"like": "你们怎么回事！楼上厕所漏水，我家卧室天花板都在滴水，墙皮都泡了"})
    html = response.content.decode()
    assert response.status_code == 200
    first = html.index('class="similar-case"')
    assert html.index("楼上卫生间渗水导致天花板漏水", first) < html.index("车库漏水数月未修", first)
    assert html.index("楼上卫生间渗水导致天花板漏水") == min(
        html.index(title) for title in ("楼上卫生间渗水导致天花板漏水", "车库漏水数月未修") if title in html)


def test_a_handled_request_is_saved_as_a_case_from_its_page(world, login, library):
    sr = handled(world, description="厨房水管爆裂，水漫到客厅", reply="师傅已更换水管并清理现场。")
    client = login(world.users["agent_a"])
    detail = client.get(reverse("servicedesk:request_detail", args=[sr.pk])).content.decode()
    link = reverse("knowledge:case_from_request", args=[sr.pk])
    assert link in detail
    form = client.get(link)
    assert form.status_code == 200 and "厨房水管爆裂，水漫到客厅" in form.content.decode()
    response = client.post(link, {"project_id": world.project_a.pk, "title": "厨房水管爆裂水漫客厅",
                                  "category": "repair", "happened": "厨房水管爆裂，水漫到客厅",
                                  "handling": "关阀、更换水管、清理现场", "outcome": "当天修复",
                                  "lessons": "冬季提醒业主防冻", "tags": "水管 爆裂"})
    case = Case.objects.get(title="厨房水管爆裂水漫客厅")
    assert response.status_code == 302 and response["Location"] == reverse("knowledge:case_detail", args=[case.pk])
    assert case.source_request_id == sr.pk and case.project_id == world.project_a.pk
    assert case.created_by == world.users["agent_a"]


def test_an_open_request_cannot_become_a_case(world, login):
    from propdesk.servicedesk.services.requests import RequestInput, request_submit

    sr = request_submit(actor=world.users["agent_a"], project=world.project_a, data=RequestInput(
        channel="phone", kind="repair", description="卫生间地漏堵了", contact_name="吴强",
        room_id=world.room(world.project_a, "5-1-301").pk))
    client = login(world.users["agent_a"])
    assert reverse("knowledge:case_from_request", args=[sr.pk]) not in client.get(
        reverse("servicedesk:request_detail", args=[sr.pk])).content.decode()
    assert client.get(reverse("knowledge:case_from_request", args=[sr.pk])).status_code == 409
    response = client.post(reverse("knowledge:case_from_request", args=[sr.pk]),
                           {"title": "地漏", "category": "repair", "happened": "卫生间地漏堵了"})
    assert response.status_code == 409 and not Case.objects.filter(title="地漏").exists()


def test_a_new_case_with_bad_input_gets_chinese_field_messages(world, login):
    client = login(world.users["agent_a"])
    response = client.post(reverse("knowledge:case_new"), {"title": "", "category": "repair", "happened": "   "})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    response = client.post(reverse("knowledge:case_new"), {"title": "长" * 121, "category": "nope",
                                                            "happened": "漏水"})
    assert response.status_code == 400 and not Case.objects.exists()


def test_the_request_page_shows_similar_cases_and_requests(world, login, library):
    old = handled(world, description="楼上卫生间漏水，我家天花板发霉滴水", reply="已协调楼上重做防水。")
    new = handled(world, description="楼上卫生间漏水到我家天花板", reply="已派工程部查看。", minutes=30)
    client = login(world.users["agent_a"])
    html = client.get(reverse("knowledge:request_similar", args=[new.pk])).content.decode()
    assert "楼上卫生间渗水导致天花板漏水" in html
    assert reverse("servicedesk:request_detail", args=[old.pk]) in html
    assert reverse("servicedesk:request_detail", args=[new.pk]) not in html  # not itself
    assert login(world.users["agent_b"]).get(
        reverse("knowledge:request_similar", args=[new.pk])).status_code == 404


def test_answers_page_finds_the_answer_and_a_projects_own_overrides(world, login, library):
    client = login(world.users["agent_a"])
    html = client.get(ANSWERS, {"q": "门禁"}).content.decode()
    assert "门禁卡补办" in html and "工本费20元" in html and "金桂苑机密答复" not in html
    html = client.get(ANSWERS).content.decode()
    assert "3.2元/平方米/月" in html and "2.8元/平方米/月" not in html  # A's own fee answer, not the company's
    assert 'data-knowledge-filter="#answers"' in html and "knowledge/answers.js" in html
    html = login(world.users["agent_b"]).get(ANSWERS).content.decode()
    assert "2.8元/平方米/月" in html and "金桂苑机密答复" in html and "工本费20元" not in html


def test_answer_and_close_records_a_closed_inquiry_with_the_answer_as_reply(world, login, library):
    card = StandardAnswer.objects.get(topic="门禁卡补办", project__isnull=True)
    client = login(world.users["agent_a"])
    form = client.get(reverse("knowledge:answer_close", args=[card.pk]))
    assert form.status_code == 200 and "工本费20元" in form.content.decode()
    response = client.post(reverse("knowledge:answer_close", args=[card.pk]), {
        "contact_name": "周美玲", "contact_phone": "13812345678", "room_code": "3-2-1802", "channel": "phone",
        "question": "我家门禁卡丢了，怎么补办？", "reply": card.answer})
    sr = ServiceRequest.objects.get(description="我家门禁卡丢了，怎么补办？")
    assert response.status_code == 302 and response["Location"] == reverse("servicedesk:request_detail",
                                                                           args=[sr.pk])
    assert (sr.kind, sr.status, sr.reply, sr.project_id) == ("inquiry", "closed", card.answer, world.project_a.pk)
    assert sr.room.code == "3-2-1802" and sr.closed_at is not None
    # One SMS, the answer: no "recorded" acknowledgement first (the follow-up's rating link is a message of its
    # own). The answer is longer than an SMS variable may be, so it goes out cut and says where the whole of it is.
    [sms] = OutboxMessage.objects.filter(to="13812345678").exclude(template="rating_link")
    assert sms.template == "inquiry_answered_in_app"
    assert "关于您咨询的门禁卡补办：您好，门禁卡补办请业主本人携带身份证" in sms.body
    assert f"…（完整答复请在住这儿App的报事{sr.number}中查看）" in sms.body and "已受理" not in sms.body
    timeline = client.get(response["Location"]).content.decode()
    assert "门禁卡补办" in timeline


def test_answer_and_close_with_bad_input_writes_nothing(world, login, library):
    card = StandardAnswer.objects.get(topic="门禁卡补办", project__isnull=True)
    client = login(world.users["agent_a"])
    response = client.post(reverse("knowledge:answer_close", args=[card.pk]), {
        "contact_name": "周美玲", "contact_phone": "12345", "room_code": "9-9-9999", "channel": "phone",
        "question": "门禁卡怎么补", "reply": "请到前台办理"})
    assert response.status_code == 400
    assert "9-9-9999" in response.content.decode()
    assert not ServiceRequest.objects.exists()
    b_card = library["b_card"]
    assert client.post(reverse("knowledge:answer_close", args=[b_card.pk]), {
        "contact_name": "周美玲", "channel": "phone", "question": "门禁卡", "reply": "x"}).status_code == 404


@pytest.mark.parametrize("user, status", [("pm_a", 200), ("quality", 200), ("agent_a", 403), ("technician_a", 403)])
def test_project_managers_and_quality_edit_answers(world, login, library, user, status):
    assert login(world.users[user]).get(reverse("knowledge:answer_new")).status_code == status


def test_a_pm_writes_the_projects_own_answer_but_not_the_companys(world, login, library):
    client = login(world.users["pm_a"])
    card = StandardAnswer.objects.get(topic="门禁卡补办", project__isnull=True)
    assert client.get(reverse("knowledge:answer_edit", args=[card.pk])).status_code == 403
    html = client.get(ANSWERS, {"q": "门禁 补办"}).content.decode()
    assert reverse("knowledge:answer_edit", args=[card.pk]) not in html  # not offered, since refused
    assert f"{reverse('knowledge:answer_new')}?project={world.project_a.pk}&amp;topic=" in html
    response = client.post(reverse("knowledge:answer_new"), {
        "topic": "门禁卡补办", "question": "门禁卡丢了怎么办？",
        "answer": "翠湖花园门禁卡补办请到1号楼大堂，工本费15元。", "keywords": "门卡 丢失"})
    assert response.status_code == 302
    own = StandardAnswer.objects.get(topic="门禁卡补办", project=world.project_a)
    html = login(world.users["agent_a"]).get(ANSWERS, {"q": "门禁"}).content.decode()
    assert "工本费15元" in html and "工本费20元" not in html
    client = login(world.users["pm_a"])  # the same test client, signed in again
    response = client.post(reverse("knowledge:answer_new"), {
        "topic": "门禁卡补办", "question": "又一个", "answer": "重复"})
    assert response.status_code == 400 and "已经" in response.content.decode()
    assert StandardAnswer.objects.filter(project=world.project_a, topic="门禁卡补办").count() == 1
    response = client.post(reverse("knowledge:answer_edit", args=[own.pk]), {
        "topic": "门禁卡补办", "question": "门禁卡丢了怎么办？", "answer": "改为工本费10元。", "keywords": ""})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.answer == "改为工本费10元。"


def test_menu_has_the_library_for_agents_pm_and_quality(world, login):
    for user in ("agent_a", "pm_a", "quality"):
        html = login(world.users[user]).get(reverse("home")).content.decode()
        assert reverse("knowledge:case_list") in html and reverse("knowledge:answer_list") in html
    html = login(world.users["technician_a"]).get(reverse("home")).content.decode()
    assert reverse("knowledge:case_list") not in html


def test_list_query_counts_do_not_grow_with_rows(world, login, library, django_assert_max_num_queries):
    client = login(world.users["agent_a"])
    client.get(CASES)
    with django_assert_max_num_queries(12):
        assert client.get(CASES).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(ANSWERS).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(CASES, {"like": "楼上卫生间漏水"}).status_code == 200


def test_the_similar_panel_runs_the_same_queries_for_2_and_12_similar_requests(world, login, library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    target = handled(world, description="楼上卫生间漏水到我家天花板", reply="已派工程部查看。")
    client = login(world.users["agent_a"])
    url = reverse("knowledge:request_similar", args=[target.pk])

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        return len(captured), html.count('class="similar-request"')

    for i in range(2):
        handled(world, description=f"楼上卫生间漏水，天花板滴水（第{i}次）", reply="已处理。", minutes=i + 1)
    few, shown_few = queries()
    for i in range(10):
        handled(world, description=f"楼上卫生间漏水，卧室天花板滴水（{i}号）", reply="已处理。", minutes=i + 10)
    many, shown_many = queries()
    assert (shown_few, shown_many) == (2, 5)
    assert few == many


def test_a_reader_of_several_projects_must_pick_the_callers_project(world, login, library):
    card = StandardAnswer.objects.get(topic="门禁卡补办", project__isnull=True)
    client = login(world.users["leader_east"])
    url = reverse("knowledge:answer_close", args=[card.pk])
    response = client.post(url, {"contact_name": "郑海燕", "channel": "phone", "question": "门禁卡怎么补",
                                 "reply": card.answer, "project_id": ""})
    assert response.status_code == 400 and "请选择来电人所在项目。" in response.content.decode()
    response = client.post(url, {"contact_name": "郑海燕", "channel": "phone", "question": "门禁卡怎么补",
                                 "reply": card.answer, "project_id": world.project_b.pk})
    assert response.status_code == 302
    assert ServiceRequest.objects.get().project_id == world.project_b.pk
    response = client.post(url, {"contact_name": "郑海燕", "channel": "phone", "question": "门禁卡怎么补",
                                 "reply": card.answer, "project_id": world.project_c.pk})
    assert response.status_code == 400 and ServiceRequest.objects.count() == 1
