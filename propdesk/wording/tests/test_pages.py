"""Through the pages: a reply, a resident-visible comment and a notice sent with forbidden words record what remained;
the quality department's report shows it per person, phrase and month; writers get 403, strangers the sign-in page;
the fields that send to residents carry the check."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from propdesk.core.testing import TEST_NOW, make_user
from propdesk.notices.models import Notice
from propdesk.org.models import Building
from propdesk.wording.models import WordingFinding

from .conftest import repair, sent

pytestmark = pytest.mark.django_db
REPORT = "/wording/report/"


def test_a_reply_with_bu_zhidao_saved_through_the_page_is_recorded_and_shown_to_quality(world, login, request_a):
    agent = login(world.users["agent_a"])
    page = agent.get(reverse("servicedesk:request_detail", args=[request_a.pk])).content.decode()
    assert f'data-wording-check="{reverse("api:wording_check")}"' in page and "wording/check.js" in page
    response = agent.post(reverse("servicedesk:reply", args=[request_a.pk]),
                          {"text": "漏水原因我们也不知道，下班了明天再说。"})
    assert response.status_code == 302
    request_a.refresh_from_db()
    assert request_a.reply.startswith("漏水原因")  # never blocked: the reply went out as written
    found = list(WordingFinding.objects.order_by("id").values_list("phrase", "kind", "source", "source_id",
                                                                   "user__username", "project_id"))
    assert found == [("不知道", "forbidden", "reply", request_a.pk, "agent_a", world.project_a.pk),
                     ("下班了明天再说", "forbidden", "reply", request_a.pk, "agent_a", world.project_a.pk)]

    quality = login(world.users["quality"])
    report = quality.get(REPORT)
    assert report.status_code == 200
    html = report.content.decode()
    assert "服务用语按人员和月份统计" in html and "张晓燕" in html and "不知道 × 1" in html
    assert '<th class="num" id="wording-total">2</th>' in html
    tabs = re.search(r'<nav class="tabs report-tabs[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert "服务用语" in tabs and "投诉汇总" in tabs  # among the reports' tabs


def test_a_polite_reply_records_nothing(world, login, request_a):
    agent = login(world.users["agent_a"])
    agent.post(reverse("servicedesk:reply", args=[request_a.pk]),
               {"text": "您好，漏水已修复，师傅已测试不再渗水，如有问题请随时联系我们。"})
    request_a.refresh_from_db()
    assert request_a.replied_at is not None and not WordingFinding.objects.exists()


def test_only_comments_the_resident_sees_are_counted(world, login, request_a):
    agent = login(world.users["agent_a"])
    url = reverse("servicedesk:comment", args=[request_a.pk])
    agent.post(url, {"text": "内部：业主说不清楚漏点，这是你的问题还是楼上的？", "internal": "on"})
    assert not WordingFinding.objects.exists()
    agent.post(url, {"text": "这不归我们管，你找开发商去"})
    assert list(WordingFinding.objects.order_by("id").values_list("phrase", "source")) == [
        ("不归我们管", "comment"), ("找开发商去", "comment")]


def test_a_notice_published_with_cold_words_is_recorded(world, login):
    agent = login(world.users["agent_a"])
    page = agent.get(reverse("notices:new")).content.decode()
    assert 'data-wording-check="/api/wording/check"' in page and "wording/check.js" in page
    building = Building.objects.get(project=world.project_a, number="3")
    response = agent.post(reverse("notices:new"), {
        "form_token": "tok-wording", "project": world.project_a.pk, "kind": "outage", "title": "3号楼明日停水",
        "body": "明日9:00-16:00停水。你们业主请自行储水，规定就是这样。", "scope": "buildings",
        "buildings": [building.pk]})
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert list(WordingFinding.objects.order_by("id").values_list("phrase", "kind", "source", "source_id")) == [
        ("你们业主", "blaming", "notice", notice.pk), ("规定就是这样", "cold", "notice", notice.pk)]


@pytest.mark.parametrize("user, status", [("agent_a", 403), ("steward_a", 403), ("technician_a", 403),
                                          ("finance_east", 403), ("resident_a", 403)])
def test_writers_and_residents_may_not_see_the_report(world, client, user, status):
    sent(world, "agent_a", "不知道")
    client.force_login(world.users[user])
    assert client.get(REPORT).status_code == status


def test_strangers_are_sent_to_sign_in(world, client):
    response = client.get(REPORT)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_each_reader_sees_their_scope(world, client):
    sent(world, "agent_a", "我不知道")
    sent(world, "agent_b", "急什么", project=world.project_b)
    west = make_user("agent_c", role="agent", project=world.project_c, display_name="锦江客服")
    sent(world, west, "你自己看着办", project=world.project_c)
    seen = {}
    for user in ("quality", "leader_east", "pm_a"):
        client.force_login(world.users[user])
        html = client.get(REPORT).content.decode()
        seen[user] = {name for name in ("张晓燕", "李娜", "锦江客服") if name in html}
    assert seen == {"quality": {"张晓燕", "李娜", "锦江客服"}, "leader_east": {"张晓燕", "李娜"}, "pm_a": {"张晓燕"}}
    client.force_login(world.users["quality"])
    html = client.get(REPORT, {"project": world.project_b.pk}).content.decode()
    assert "李娜" in html and "张晓燕" not in html


def test_months_are_counted_apart_and_the_period_is_chosen(world, client):
    sent(world, "agent_a", "不知道")
    sent(world, "agent_a", "不知道，不清楚", at=TEST_NOW - timedelta(days=35))
    sent(world, "agent_a", "急什么", at=TEST_NOW - timedelta(days=250))
    client.force_login(world.users["quality"])
    rows = client.get(REPORT).context["report"]["rows"]
    assert [(r["month"].isoformat(), r["total"]) for r in rows] == [("2026-11-01", 1), ("2026-10-01", 2)]
    year = client.get(REPORT, {"months": "12"}).context["report"]
    assert year["total"] == 4
    assert client.get(REPORT, {"months": "999", "project": "x"}).status_code == 200  # ignored, the default shown


def test_the_report_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries):
    client.force_login(world.users["quality"])
    sent(world, "agent_a", "不知道")
    client.get(REPORT)
    with django_assert_max_num_queries(12) as few:
        client.get(REPORT)
    for n in range(30):
        writer = make_user(f"writer{n}", role="agent", project=world.project_a, display_name=f"客服{n}")
        sent(world, writer, "不知道，急什么，你自己看着办", at=TEST_NOW - timedelta(days=n * 5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(REPORT).content.decode()
    assert "客服29" in html


def test_a_request_in_another_project_records_under_that_project(world, login):
    other = repair(world, project=world.project_b, actor="agent_b")
    agent = login(world.users["agent_b"])
    agent.post(reverse("servicedesk:reply", args=[other.pk]), {"text": "这是你自己的问题"})
    finding = WordingFinding.objects.get()
    assert (finding.project_id, finding.company_id, finding.phrase) == (
        world.project_b.pk, world.company.pk, "这是你的问题")


# -- incidents and their outage notice: the texts that reach residents are counted once -----------------------------

def _incident(world):
    from propdesk.servicedesk.services.incidents import incident_create

    building = Building.objects.get(project=world.project_a, number="3")
    return incident_create(project=world.project_a, title="3号楼停水", description="地下室主管爆裂，正在抢修",
                           actor=world.users["agent_a"], scope="buildings", building_ids=[building.pk],
                           urgent=True, now=TEST_NOW - timedelta(hours=1))


def test_an_incident_update_with_bu_zhidao_is_recorded_once_and_the_page_checks_as_you_type(world, login):
    incident = _incident(world)
    agent = login(world.users["agent_a"])
    page = agent.get(reverse("servicedesk:incident_detail", args=[incident.pk])).content.decode()
    check = f'data-wording-check="{reverse("api:wording_check")}"'
    update_form = re.search(r'<form[^>]*id="incident-update-form".*?</form>', page, re.S).group(0)
    close_form = re.search(r'<form[^>]*id="incident-close-form".*?</form>', page, re.S).group(0)
    assert check in update_form and check in close_form and "wording/check.js" in page
    response = agent.post(reverse("servicedesk:incident_update", args=[incident.pk]),
                          {"text": "什么时候来水我们也不知道，等通知吧。"})
    assert response.status_code == 302
    notice = Notice.objects.get(pk=incident.notice_id)
    assert notice.version == 2 and "我们也不知道" in notice.body  # sent as written: the notice was revised
    update = incident.updates.get(kind="update")
    # once, as the incident's: not a second time for the notice it revised
    assert list(WordingFinding.objects.values_list("phrase", "source", "source_id", "user__username")) == [
        ("不知道", "incident", update.pk, "agent_a")]


def test_a_polite_incident_update_records_nothing(world, login):
    incident = _incident(world)
    login(world.users["agent_a"]).post(reverse("servicedesk:incident_update", args=[incident.pk]),
                                       {"text": "您好，抢修进展顺利，预计今晚18:00前恢复供水，给您带来不便敬请谅解。"})
    assert Notice.objects.get(pk=incident.notice_id).version == 2 and not WordingFinding.objects.exists()


def test_closing_an_incident_with_no_open_request_counts_the_reply_that_reaches_the_scope(world, login):
    incident = _incident(world)
    login(world.users["agent_a"]).post(reverse("servicedesk:incident_close", args=[incident.pk]),
                                       {"reply": "已经来水了，别的问题我们不管。"})
    closing = incident.updates.get(kind="close")
    assert list(WordingFinding.objects.values_list("phrase", "source", "source_id")) == [
        ("我们不管", "incident", closing.pk)]
