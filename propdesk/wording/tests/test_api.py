"""POST /api/wording/check (any staff member, before sending) and GET /api/wording/report (VIEW_REPORTS)."""

import json
from datetime import timedelta

import pytest

from propdesk.core.testing import TEST_NOW, assert_json_error, make_user

from .conftest import sent

pytestmark = pytest.mark.django_db
CHECK = "/api/wording/check"


def _post(client, body):
    return client.post(CHECK, json.dumps(body), content_type="application/json")


def test_an_agent_sees_the_words_found_and_what_to_say_instead(world, client):
    client.force_login(world.users["agent_a"])
    answer = _post(client, {"text": "您好，这个问题我也不知道，你自己看着办吧。"})
    assert answer.status_code == 200
    data = answer.json()
    assert data["clean"] is False and data["title"] == "服务用语提示：建议换个说法"
    first, second = data["findings"]
    assert (first["phrase"], first["matched"], first["kind"], first["kind_label"]) == (
        "不知道", "不知道", "forbidden", "服务禁用语")
    assert first["suggestion"] == "我帮您确认一下，稍后给您答复"
    assert "稍后给您答复" in first["label"] and "不知道" in first["label"]
    assert "决不能说" in first["reason"]  # the handbook's reason, in Chinese
    assert "您好，这个问题我也不知道，你自己看着办吧。"[first["start"]:first["end"]] == "不知道"
    assert second["phrase"] == "你自己看着办"


def test_polite_and_empty_text_is_clean(world, client):
    client.force_login(world.users["steward_a"])
    for text in ("您好，师傅下午两点上门，请保持电话畅通。", "", "   ", "😀", "OK, we will come at 2 pm."):
        data = _post(client, {"text": text}).json()
        assert data["clean"] is True and data["findings"] == [], text
    assert _post(client, {}).json()["clean"] is True


def test_a_text_of_four_thousand_characters_is_checked_and_a_huge_one_refused_on_its_field(world, client):
    client.force_login(world.users["agent_a"])
    long = "您好，" * 1333 + "下班了明天再说"
    data = _post(client, {"text": long}).json()
    assert [f["phrase"] for f in data["findings"]] == ["下班了明天再说"]
    body = assert_json_error(_post(client, {"text": "字" * 10_001}), 400)
    assert "10000" in body["extra"]["fields"]["text"][0] and "太长" in body["message"]
    assert_json_error(client.post(CHECK, "[]", content_type="application/json"), 422)
    assert_json_error(_post(client, {"text": ["不知道"]}), 422)


def test_residents_and_strangers_may_not_check(world, client):
    assert_json_error(_post(client, {"text": "不知道"}), 401)
    client.force_login(world.users["resident_a"])
    assert_json_error(_post(client, {"text": "不知道"}), 403)
    client.force_login(make_user("no_role"))
    assert_json_error(_post(client, {"text": "不知道"}), 403)


def test_the_report_counts_per_person_phrase_and_month_in_scope(world, client):
    sent(world, "agent_a", "我不知道，这不归我们管")
    sent(world, "agent_a", "不知道", at=TEST_NOW - timedelta(days=40))
    sent(world, "agent_b", "急什么", project=world.project_b)
    client.force_login(world.users["quality"])
    data = client.get("/api/wording/report").json()
    assert data["total"] == 4
    assert [(r["month"], r["person"], r["counts"]) for r in data["rows"]] == [
        ("2026-11-01", "张晓燕", {"不知道": 1, "不归我们管": 1}), ("2026-11-01", "李娜", {"急什么": 1}),
        ("2026-10-01", "张晓燕", {"不知道": 1})]
    assert data["phrases"][0] == {"phrase": "不知道", "kind": "forbidden", "total": 2}
    only_b = client.get("/api/wording/report", {"project": world.project_b.pk}).json()
    assert only_b["total"] == 1
    assert client.get("/api/wording/report", {"months": 1}).json()["total"] == 3
    client.force_login(world.users["pm_a"])  # project A's manager: A's rows only
    assert {r["person"] for r in client.get("/api/wording/report").json()["rows"]} == {"张晓燕"}
    assert client.get("/api/wording/report", {"project": world.project_b.pk}).json()["total"] == 0


@pytest.mark.parametrize("user", ["agent_a", "steward_a", "technician_a", "resident_a"])
def test_the_report_is_not_for_writers(world, client, user):
    sent(world, "agent_a", "不知道")
    client.force_login(world.users[user])
    assert_json_error(client.get("/api/wording/report"), 403)


def test_bad_report_filters_are_refused_on_their_field(world, client):
    client.force_login(world.users["quality"])
    body = assert_json_error(client.get("/api/wording/report", {"months": 99}), 422)
    assert "months" in body["extra"]["fields"]
    assert_json_error(client.get("/api/wording/report", {"project": "x"}), 422)


def test_every_reason_and_kind_is_shown_in_chinese():
    from django.utils.translation import gettext

    from propdesk.wording.models import FindingKind
    from propdesk.wording.rules import PHRASES

    for phrase in PHRASES:
        assert gettext(phrase.reason) != phrase.reason, phrase.phrase
        assert str(FindingKind(phrase.kind).label) in {"服务禁用语", "生硬冷漠用语", "指责推卸用语"}
