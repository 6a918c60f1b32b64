"""POST /api/desk/triage through the test client: who may call it, what it answers, and bad input."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from propdesk.core.testing import TEST_NOW, assert_json_error, make_resident, make_user

pytestmark = pytest.mark.django_db
URL = "/api/desk/triage"
LEAK = "楼上漏水漏到我家天花板了，水一直往下滴，报了两次都没人来，你们物业到底管不管！3栋2单元1802"


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_an_agent_gets_every_field_with_its_confidence_and_words(world, login):
    response = post(login(world.users["agent_a"]), {"text": LEAK, "channel": "phone"})
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["kind"]["label"] == "complaint" and out["kind"]["display"] == "投诉"
    assert out["department"]["label"] == "engineering" and out["department"]["display"] == "工程部"
    assert out["emotion"]["label"] == "angry"
    assert out["urgency"]["label"] == "urgent" and out["urgency"]["applies"] is True
    assert out["category"]["label"] == "property" and out["category"]["applies"] is True
    assert out["severity"]["label"] in {"important", "major", "minor"}
    assert out["location"]["room_code"] == "3-2-1802"
    assert "漏水" in out["department"]["evidence"]
    assert 0 < out["confidence"] <= 1


def test_staff_who_record_requests_and_residents_may_call_it_others_may_not(world, login, client):
    assert_json_error(post(client, {"text": "漏水"}), 401)
    for user in ("steward_a", "pm_a", "technician_a", "resident_a"):
        response = post(login(world.users[user]), {"text": "请问门禁卡丢了怎么补办？"})
        assert response.status_code == 200, (user, response.content)
        assert response.json()["kind"]["label"] == "inquiry"
    body = assert_json_error(post(login(world.users["finance_east"]), {"text": "漏水"}), 403)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_bad_input_is_a_400_naming_the_field_in_chinese(world, login):
    client = login(world.users["agent_a"])
    for body, field in [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": None, "channel": "phone"}, "text"),
        ({"text": "   \n"}, "text"),
        ({"text": "漏" * 4001}, "text"),
        ({"text": "漏水了", "channel": "pigeon"}, "channel"),
    ]:
        answer = assert_json_error(post(client, body), 400)
        assert answer["message"] == "请修改标出的字段。"
        messages = answer["extra"]["fields"][field]
        assert messages and all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in messages), messages
    assert "4000" in assert_json_error(post(client, {"text": "漏" * 4001}), 400)["extra"]["fields"]["text"][0]


def test_input_of_the_wrong_shape_is_a_4xx(world, login):
    client = login(world.users["agent_a"])
    assert_json_error(post(client, {"text": 12345}), 422)
    assert_json_error(post(client, ["漏水"]), 422)
    response = client.post(URL, "不是JSON", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_odd_text_answers_200_with_low_confidence_where_there_is_nothing_to_read(world, login):
    client = login(world.users["agent_a"])
    for text in ["😀😡🙏", "Hello, my sink is leaking", "漏" * 4000, "侬好，阿拉屋里厢水龙头坏脱了", "<b>？？</b>"]:
        response = post(client, {"text": text, "channel": "wechat"})
        assert response.status_code == 200, response.content
        assert 0 <= response.json()["confidence"] <= 1
    for text in ("😀😡🙏", "Hello?"):
        assert post(client, {"text": text}).json()["confidence"] < 0.3


def test_it_stores_nothing(world, login):
    from propdesk.triage.models import TriageCorrection

    post(login(world.users["agent_a"]), {"text": LEAK})
    assert not TriageCorrection.objects.exists()


# -- a resident's app calls it as they type: 30 a minute each ------------------------------------------------------

def test_a_resident_gets_30_readings_a_minute_then_a_429_and_again_the_next_minute(world, client):
    neighbour = make_resident(world.project_a, "钱伟", "13600002222", world.room(world.project_a, "3-1-101"))
    neighbour.user = make_user("neighbour")
    neighbour.save(update_fields=["user"])
    with time_machine.travel(TEST_NOW + timedelta(seconds=5), tick=False) as clock:
        client.force_login(world.users["resident_a"])
        for _ in range(30):
            assert post(client, {"text": "楼上漏水", "channel": "app"}).status_code == 200
        body = assert_json_error(post(client, {"text": "楼上漏水到我家了", "channel": "app"}), 429)
        assert body["message"] == "一分钟内识别的消息过多（最多30条），请55秒后再试。"
        assert body["extra"]["retry_after"] == 55
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # a resident who chose English reads it in English
        english = post(client, {"text": "漏水"})
        assert english.status_code == 429 and "Try again in 55 seconds" in english.json()["message"]
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]
        client.force_login(neighbour.user)  # counted per resident: another one's calls do not use hers up
        assert post(client, {"text": "楼上漏水", "channel": "app"}).status_code == 200
        clock.move_to(TEST_NOW + timedelta(minutes=1, seconds=1))  # the next minute: counted afresh
        client.force_login(world.users["resident_a"])
        assert post(client, {"text": "楼上漏水", "channel": "app"}).status_code == 200


def test_staff_are_not_limited(world, login):
    with time_machine.travel(TEST_NOW + timedelta(seconds=5), tick=False):
        client = login(world.users["agent_a"])
        assert all(post(client, {"text": "楼上漏水", "channel": "phone"}).status_code == 200 for _ in range(35))
