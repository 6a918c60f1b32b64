"""The knowledge API with Chinese text: cases, similar, standard answers, answer and close."""

import json

from propdesk.core.testing import assert_json_error
from propdesk.knowledge.models import Case, StandardAnswer
from propdesk.notify.models import Notification, OutboxMessage
from propdesk.servicedesk.models import ServiceRequest

from .conftest import handled


def test_cases_by_a_two_character_word_and_another_scope_404(world, api, library):
    client = api("agent_a")
    titles = [row["title"] for row in client.get("/api/knowledge/cases", {"q": "积水"}).json()]
    assert titles == ["翠湖花园地库排水沟堵塞，雨天积水"]
    all_titles = [row["title"] for row in client.get("/api/knowledge/cases", {"limit": 200}).json()]
    assert "金桂苑机密案例：业主车辆被划" not in all_titles and "车库漏水数月未修，业主投诉物业越来越差" in all_titles
    assert_json_error(client.get(f"/api/knowledge/cases/{library['b_case'].pk}"), 404)
    assert client.get(f"/api/knowledge/cases/{library['a_case'].pk}").json()["tags"] == ["地库", "积水", "排水沟"]


def test_similar_ranks_the_leak_case_first_and_finds_past_requests(world, api, library):
    past = handled(world, description="楼上卫生间漏水，我家天花板发霉滴水", reply="已协调楼上重做防水。")
    handled(world, project=world.project_b, user="agent_b", description="楼上卫生间漏水，我家天花板滴水",
            reply="金桂苑已处理。", room="3-1-101")
    body = api("agent_a").get("/api/knowledge/similar", {
        "text": "气死我了！！楼上卫生间又漏水，我家天花板一直在滴水，你们到底管不管"}).json()
    assert body["cases"][0]["title"] == "楼上卫生间渗水导致天花板漏水"
    assert "天花" in body["cases"][0]["shared"]
    assert [r["id"] for r in body["requests"]] == [past.pk]  # project B's is another scope


def test_similar_with_empty_emoji_english_or_huge_text_is_never_a_5xx(world, api, library):
    client = api("agent_a")
    for text in ("", "😀😀😀", "my ceiling is leaking", "漏" * 4000):
        response = client.get("/api/knowledge/similar", {"text": text})
        assert response.status_code == 200, text
    assert client.get("/api/knowledge/similar", {"text": ""}).json() == {"cases": [], "requests": []}
    assert_json_error(client.get("/api/knowledge/similar", {"text": "漏" * 4001}), 422)


def test_a_handled_request_becomes_a_case_and_an_open_one_is_refused(world, api, library):
    sr = handled(world, description="地库车位上方水管滴水", reply="已更换水管接头。")
    client = api("agent_a")
    response = client.post("/api/knowledge/cases", json.dumps({
        "title": "地库水管滴水", "category": "repair", "happened": "地库车位上方水管滴水", "handling": "更换接头",
        "source_request_id": sr.pk}), content_type="application/json")
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert case.project_id == world.project_a.pk and case.source_request_id == sr.pk
    body = assert_json_error(client.post("/api/knowledge/cases", json.dumps({
        "title": "", "category": "什么", "happened": ""}), content_type="application/json"), 400)
    assert set(body["extra"]["fields"]) >= {"title", "category", "happened"}
    assert "请" in body["extra"]["fields"]["title"][0]


def test_answers_in_force_for_a_project(world, api, library):
    rows = api("agent_a").get("/api/knowledge/answers", {"q": "管理费"}).json()
    assert [(r["topic"], r["project_id"]) for r in rows] == [("物业费标准", world.project_a.pk)]
    rows = api("quality").get("/api/knowledge/answers", {"q": "管理费", "project": world.project_b.pk}).json()
    assert [(r["topic"], r["project_id"]) for r in rows] == [("物业费标准", None)]
    assert_json_error(api("agent_a").post("/api/knowledge/answers", json.dumps({
        "topic": "快递", "question": "快递", "answer": "快递"}), content_type="application/json"), 403)


def test_answer_and_close_in_one_post(world, api, library):
    parking = StandardAnswer.objects.get(topic="停车办理")
    client = api("agent_a")
    response = client.post(f"/api/knowledge/answers/{parking.pk}/close", json.dumps({
        "contact_name": "吴强", "contact_phone": "13900001111", "room_code": "5-1-301",
        "question": "想租个地下车位，怎么办？"}), content_type="application/json",
        headers={"Idempotency-Key": "close-1"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "closed" and body["reply"] == parking.answer
    sr = ServiceRequest.objects.get(pk=body["request_id"])
    assert (sr.kind, sr.description, sr.room.code) == ("inquiry", "想租个地下车位，怎么办？", "5-1-301")
    again = client.post(f"/api/knowledge/answers/{parking.pk}/close", json.dumps({
        "contact_name": "吴强", "contact_phone": "13900001111", "room_code": "5-1-301",
        "question": "想租个地下车位，怎么办？"}), content_type="application/json",
        headers={"Idempotency-Key": "close-1"})
    assert again.json()["request_id"] == sr.pk and ServiceRequest.objects.count() == 1
    # The desk's one message is the answer, once (the retry sent nothing); the rating link is the follow-up's own.
    [sms] = OutboxMessage.objects.filter(to="13900001111").exclude(template="rating_link")
    assert sms.template == "inquiry_answered_in_app" and "关于您咨询的停车办理：您好，月租车位请携带" in sms.body
    body = assert_json_error(client.post(f"/api/knowledge/answers/{parking.pk}/close", json.dumps({
        "contact_name": "", "contact_phone": "abc"}), content_type="application/json"), 400)
    assert {"contact_name", "contact_phone"} <= set(body["extra"]["fields"])
    assert_json_error(client.post(f"/api/knowledge/answers/{library['b_card'].pk}/close", json.dumps({
        "contact_name": "吴强"}), content_type="application/json"), 404)
    assert ServiceRequest.objects.count() == 1


def test_a_short_answer_is_the_one_sms_in_full_and_the_app_inbox_has_it(world, api, library):
    parking = StandardAnswer.objects.get(topic="停车办理")
    owner = world.residents["a_owner"]  # 周美玲, who has the resident app
    reply = "您好，月租车位请到物业服务中心办理，地下车位400元/月。"
    response = api("agent_a").post(f"/api/knowledge/answers/{parking.pk}/close", json.dumps({
        "contact_name": "周美玲", "contact_phone": "13812345678", "reporter_id": owner.pk, "room_code": "3-2-1802",
        "question": "地下车位多少钱一个月？", "reply": reply}), content_type="application/json")
    assert response.status_code == 201, response.content
    [sms] = OutboxMessage.objects.filter(to="13812345678").exclude(template="rating_link")
    assert sms.template == "inquiry_answered"
    assert sms.body == f"【PropDesk物业】关于您咨询的停车办理：{reply}"
    inbox = Notification.objects.filter(recipient=owner.user)
    assert inbox.filter(title=reply).count() == 1 and not inbox.filter(kind="request_accepted").exists()
    long_reply = parking.answer
    response = api("agent_a").post(f"/api/knowledge/answers/{parking.pk}/close", json.dumps({
        "contact_name": "周美玲", "contact_phone": "13812345678", "reporter_id": owner.pk, "room_code": "3-2-1802",
        "question": "怎么办月租车位？", "reply": long_reply}), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Notification.objects.filter(recipient=owner.user, title=long_reply).exists()  # whole in the app
