"""/api/portal/…: the resident's homes and requests as JSON, with the same allow-list as the pages."""

import json

import pytest

from .helpers import INTERNAL_NOTE, REPLY, full_story, report, sh
from .test_views import STAFF_ONLY

pytestmark = pytest.mark.django_db


def test_me_and_the_requests_open_first(world, login):
    story = full_story(world, start=sh(2026, 3, 10, 9, 0))
    open_one = report(world, now=sh(2026, 3, 1, 8, 0), description="楼道声控灯不亮")
    client = login(world.users["resident_a"])
    me = client.get("/api/portal/me").json()
    assert me["name"] == "周美玲" and [h["room"] for h in me["homes"]] == ["3-2-1802"]
    assert me["homes"][0]["relation_label"] == "业主"
    listing = client.get("/api/portal/requests").json()
    assert [row["id"] for row in listing["items"]] == [open_one.pk, story.pk] and listing["count"] == 2
    assert listing["items"][0]["status"] == "received" and listing["items"][0]["is_open"] is True
    assert listing["items"][1]["status_label"] == "已办结" and listing["items"][1]["to_rate"] is True


def test_one_request_carries_only_resident_steps(world, login):
    story = full_story(world, start=sh(2026, 3, 10, 9, 0))
    client = login(world.users["resident_a"])
    response = client.get(f"/api/portal/requests/{story.pk}")
    assert response.status_code == 200
    data = response.json()
    assert [step["code"] for step in data["steps"]] == ["received", "passed_on", "on_the_way", "arrived", "done",
                                                       "reply", "closed"]
    assert data["steps"][5]["detail"] == REPLY and data["rate_url"] == f"/my/requests/{story.pk}/rate/"
    body = json.dumps(data, ensure_ascii=False)
    for needle in [*STAFF_ONLY, INTERNAL_NOTE, "resolve_by", "respond_by", "escalation"]:
        assert needle not in body, needle


def test_another_households_request_is_404_and_staff_are_refused(world, login):
    theirs = report(world, "a_tenant", now=sh(2026, 3, 2, 10, 0), room="5-1-301")
    client = login(world.users["resident_a"])
    response = client.get(f"/api/portal/requests/{theirs.pk}")
    assert response.status_code == 404 and "message" in response.json()
    agent = login(world.users["agent_a"])
    assert agent.get("/api/portal/requests").status_code == 403


def test_the_desk_api_shows_a_resident_no_escalations_either(world, login):
    story = full_story(world, start=sh(2026, 3, 10, 9, 0))
    client = login(world.users["resident_a"])
    assert client.get(f"/api/desk/requests/{story.pk}").status_code == 403  # the staff's API
    data = client.get(f"/api/portal/requests/{story.pk}").json()
    codes = {step["code"] for step in data["steps"]}
    assert not any("escalat" in code for code in codes) and data["steps"]
