"""The demo's resident1 has something to follow in the app: a quote to agree, finished work to confirm and rate, and
a request hurried once — on their portal page and at the agent's desk."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from propdesk.console.demo import build_demo
from propdesk.servicedesk.models import ServiceRequest

TODAY = date(2026, 2, 14)


@pytest.fixture
def demo(db):
    return build_demo(seed=42, scale=0.02, today=TODAY)


def test_resident1_has_a_quote_to_agree_work_to_confirm_and_a_hurried_request(demo):
    resident = get_user_model().objects.get(username="resident1")
    client = Client()
    client.force_login(resident)
    mine = list(ServiceRequest.objects.filter(reporter__user=resident, channel="app", received_at__date=TODAY)
                .order_by("received_at"))
    assert len(mine) == 3  # besides the app requests of their history
    quoted, done, hurried = (client.get(f"/api/portal/requests/{r.pk}").json() for r in mine)
    assert quoted["quotes"] and quoted["quotes"][0]["total"] == "30.00"
    assert done["to_confirm"] and done["can_rate"] and done["rate_url"]
    assert hurried["hurry_count"] == 1 and any(s["code"] == "hurried" for s in hurried["steps"])
    page = client.get(reverse("portal:request_detail", args=[mine[2].pk])).content.decode()
    assert "您已催单（第1次）" in page
    agent = Client()
    agent.force_login(get_user_model().objects.get(username="agent_cuihu"))
    assert 'id="hurry-badge"' in agent.get(reverse("servicedesk:request_detail", args=[mine[2].pk])).content.decode()
