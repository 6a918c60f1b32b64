"""The intake's suggestions panel as an agent meets it: what it suggests for the words typed, the similar cases it
shows, who may ask and for which project, and what is kept when the agent records the request."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from propdesk.browser_testing import browser_page, requires_chromium, sign_in
from propdesk.core.testing import TEST_NOW
from propdesk.knowledge.services import library_load
from propdesk.org.models import Department
from propdesk.servicedesk.models import ServiceRequest
from propdesk.triage.models import TriageCorrection

pytestmark = pytest.mark.django_db
PANEL = "triage:intake_suggestions"
INTAKE = "servicedesk:intake"
ANGRY_LEAK = ("楼上卫生间漏水，我家卧室天花板都泡烂了，水一直往下滴！"
              "找了你们三次都没人管，太不像话了，今天必须给我解决！")


@pytest.fixture
def library(world):
    library_load(company=world.company, now=TEST_NOW - timedelta(days=30))


def engineering_pool(world) -> str:
    department = Department.objects.get(project=world.project_a, kind="engineering")
    return f"pool:{department.pk}"


def test_the_panel_suggests_from_the_words_with_reasons_and_shows_similar_cases(world, login, library):
    agent = login(world.users["agent_a"])
    response = agent.post(reverse(PANEL), {"description": ANGRY_LEAK, "project": world.project_a.pk,
                                           "channel": "phone"})
    assert response.status_code == 200
    html = response.content.decode()
    rows = {row["name"]: row for row in response.context["rows"]}
    assert rows["kind"]["display"] == "投诉" and rows["kind"]["target"] == "complaint"
    assert rows["department"]["display"] == "工程部"
    assert rows["department"]["target"] == engineering_pool(world)  # accepting it dispatches to that pool
    assert rows["emotion"]["target"] == "angry" and rows["urgency"]["target"] == "urgent"
    assert "漏水" in rows["department"]["evidence"] and "漏水" in html
    assert "全部采纳" in html and "采纳" in html
    assert json.loads(response.context["suggested"])["kind"] == "complaint"
    titles = [s.obj.title for s in response.context["cases"]]
    assert "楼上卫生间渗水导致天花板漏水" in titles[:3]
    assert "楼上卫生间渗水导致天花板漏水" in html


def test_a_few_characters_ask_for_more_and_an_inquiry_has_no_complaint_rows(world, login):
    agent = login(world.users["agent_a"])
    short = agent.post(reverse(PANEL), {"description": "漏水", "project": world.project_a.pk})
    assert short.status_code == 200 and "rows" not in short.context
    assert "输入来电内容" in short.content.decode()
    inquiry = agent.post(reverse(PANEL), {"description": "请问门禁卡丢了怎么补办？要带什么证件？",
                                          "project": world.project_a.pk})
    names = [row["name"] for row in inquiry.context["rows"]]
    assert names[0] == "kind" and inquiry.context["rows"][0]["target"] == "inquiry"
    assert "category" not in names and "severity" not in names


@pytest.mark.parametrize("body", [
    {"description": "😀😀😀😀😀😀"}, {"description": "The lift is broken again, please send someone"},
    {"description": "侬好，阿拉屋里厢水龙头坏脱了，快点来修修"}, {"description": "漏" * 5000},
])
def test_odd_messages_answer_a_panel_never_an_error(world, login, body):
    response = login(world.users["agent_a"]).post(reverse(PANEL), {**body, "project": world.project_a.pk})
    assert response.status_code == 200


def test_another_scopes_project_is_a_404_and_only_recorders_may_ask(world, login, client):
    agent = login(world.users["agent_a"])
    assert agent.post(reverse(PANEL), {"description": ANGRY_LEAK, "project": world.project_b.pk}).status_code == 404
    assert agent.post(reverse(PANEL), {"description": ANGRY_LEAK, "project": "1 OR 1=1"}).status_code == 400
    assert agent.get(reverse(PANEL)).status_code == 405
    assert login(world.users["finance_east"]).post(reverse(PANEL), {"description": ANGRY_LEAK}).status_code == 403


def _intake_data(agent, world, **extra):
    owner = world.residents["a_owner"]
    page = agent.get(reverse(INTAKE), {"resident": owner.pk})
    return {"form_token": page.context["form"].initial["form_token"], "reporter_id": owner.pk, "channel": "phone",
            "contact_name": owner.name, "contact_phone": "138****5678", "room_code": "3-2-1802",
            "description": ANGRY_LEAK, **extra}


def test_what_the_agent_recorded_instead_of_the_suggestion_is_kept(world, login):
    agent = login(world.users["agent_a"])
    suggested = {"kind": "complaint", "category": "property", "severity": "important", "urgency": "urgent",
                 "department": "engineering", "emotion": "angry"}
    data = _intake_data(agent, world, kind="complaint", complaint_category="engineering", severity="important",
                        emotion="angry", urgent="on", dispatch=engineering_pool(world),
                        triage=json.dumps(suggested))
    response = agent.post(reverse(INTAKE), data)
    assert response.status_code == 302, response.context["form"].errors
    sr = ServiceRequest.objects.get()
    outcome = TriageCorrection.objects.get()
    assert outcome.request == sr and outcome.user == world.users["agent_a"] and outcome.text == ANGRY_LEAK
    assert outcome.changed == ["category"]  # the agent judged it a construction-quality complaint
    assert outcome.chosen["department"] == "engineering" and outcome.chosen["category"] == "engineering"


def test_no_panel_or_a_garbled_one_records_the_request_and_keeps_no_outcome(world, login):
    agent = login(world.users["agent_a"])
    for triage in ("", "{not json", json.dumps(["complaint"]), json.dumps({"kind": "robbery"})):
        data = _intake_data(agent, world, kind="repair", emotion="calm", triage=triage)
        assert agent.post(reverse(INTAKE), data).status_code == 302
    assert ServiceRequest.objects.count() == 4
    assert not TriageCorrection.objects.exists()


@requires_chromium
@pytest.mark.django_db(transaction=True)
def test_an_agent_types_an_angry_leak_and_accepts_every_suggestion_with_one_click(live_server, world):
    """The issue's test: the form suggests complaint, engineering, angry and an urgent repair, shows similar past
    cases, and the agent accepts with one click."""
    from playwright.sync_api import expect

    library_load(company=world.company, now=TEST_NOW - timedelta(days=30))
    with browser_page(viewport={"width": 1366, "height": 900}) as page:
        sign_in(page, live_server.url, "agent_a")
        page.goto(f"{live_server.url}/desk/intake/")
        expect(page.locator("#triage-empty")).to_be_visible()
        page.fill("#caller-search", "5678")
        page.locator("a.resident-hit", has_text="周美玲").click()
        expect(page.locator("#id_contact_name")).to_have_value("周美玲")
        page.fill("#id_description", ANGRY_LEAK)
        panel = page.locator("#triage-suggestions")
        expect(panel.locator("#triage-kind .triage-value")).to_have_text("投诉")
        expect(panel.locator("#triage-department .triage-value")).to_have_text("工程部")
        expect(panel.locator("#triage-emotion .triage-value")).to_have_text("愤怒")
        expect(panel.locator("#triage-urgency .triage-value")).to_have_text("紧急")
        expect(panel.locator("#intake-similar-cases")).to_contain_text("楼上卫生间渗水导致天花板漏水")
        # Nothing is applied by itself: the form still says what it said.
        assert page.is_checked("input[name=kind][value=repair]")
        assert page.input_value("#id_emotion") == "calm"
        page.click("#triage-accept-all")
        assert page.is_checked("input[name=kind][value=complaint]")
        expect(page.locator("#complaint-fields")).to_be_visible()
        assert page.input_value("#id_emotion") == "angry"
        assert page.is_checked("#id_urgent")
        assert page.input_value("#id_dispatch") == engineering_pool(world)
        assert page.input_value("#id_complaint_category") == "property"
        expect(panel.locator("#triage-kind .triage-accept")).to_have_text("已采纳")
        page.click("#record-button")
        page.wait_for_selector("#request-title")
    sr = ServiceRequest.objects.get()
    assert sr.kind == "complaint" and sr.emotion == "angry" and sr.urgent
    assert sr.work_orders.get().department.kind == "engineering"
    outcome = TriageCorrection.objects.get(request=sr)
    assert outcome.changed == []  # every suggestion accepted as it was
