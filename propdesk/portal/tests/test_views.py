"""The resident's pages through the test client: where a resident lands, what their home and one request show, and
what they never show (archive and ID numbers, internal notes, escalations, deadlines, staff names, segments)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from propdesk.core.testing import PASSWORD
from propdesk.followups.models import FollowUpVisit
from propdesk.notify.models import Notification
from propdesk.servicedesk.models import ServiceRequest

from .helpers import INTERNAL_NOTE, REPLY, full_story, report, sh

pytestmark = pytest.mark.django_db

# Text that belongs to the staff's record and must never reach a resident's page. The technician who takes the job
# (刘师傅) is named to the resident, with a masked phone: who is coming is theirs to know (issue 11).
STAFF_ONLY = ["升级", "Escalat", "超时", "时限", "截止", "内部", INTERNAL_NOTE, "档案", "Archive", "身份证",
              "客户分群", "标记", "张晓燕", "陈志强", "technician_a", "agent_a", "resident_a"]


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"<[^>]+>", " ", html)


def assert_no_staff_text(response, resident):
    text = text_of(response)
    for needle in [*STAFF_ONLY, resident.archive_no, resident.id_number, resident.masked_id_number]:
        assert needle not in text, needle


def test_a_resident_lands_on_their_own_home_with_their_name_in_the_header(world, login):
    client = login(world.users["resident_a"])
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("portal:home")
    page = client.get(response.url)
    html = page.content.decode()
    assert re.search(r'<span class="who">\s*周美玲\s*</span>', html)
    assert "3-2-1802" in html and "业主" in html  # their home, and how they live there
    assert_no_staff_text(page, world.residents["a_owner"])


def test_the_staff_archive_page_of_oneself_sends_a_resident_to_the_portal(world, login):
    client = login(world.users["resident_a"])
    owner = world.residents["a_owner"]
    response = client.get(reverse("customers:resident_detail", args=[owner.pk]))
    assert response.status_code == 302 and response.url == reverse("portal:home")


def test_open_requests_come_first_as_cards_with_their_status_in_plain_words(world, login):
    story = full_story(world, start=sh(2026, 3, 10, 9, 0))  # closed, and newer than the open one below
    assert story.status == "closed"
    ServiceRequest.objects.filter(pk=story.pk).update(received_at=sh(2026, 3, 10, 9, 0))
    older_open = report(world, now=sh(2026, 3, 1, 8, 30), description="客厅插座没电")
    client = login(world.users["resident_a"])
    page = client.get(reverse("portal:home"))
    cards = page.context["page"].object_list
    assert [card.pk for card in cards] == [older_open.pk, story.pk]
    html = page.content.decode()
    assert html.index("客厅插座没电") < html.index("卫生间地漏返水")
    assert "已受理" in html and "已办结" in html  # plain words, not 处理中/待答复 codes
    assert 'class="pcard req-card is-open"' in html and "<table" not in html


def test_the_request_page_tells_the_story_in_plain_words_without_staff_only_entries(world, login):
    story = full_story(world, start=sh(2026, 3, 10, 9, 0))
    client = login(world.users["resident_a"])
    page = client.get(reverse("portal:request_detail", args=[story.pk]))
    assert page.status_code == 200
    text = text_of(page)
    for step in ("我们已收到您的报事", "已转交", "工程部已接单", "工作人员已到场", "工作已完成", REPLY, "已办结"):
        assert step in text, step
    assert_no_staff_text(page, world.residents["a_owner"])
    codes = [step.code for step in page.context["steps"]]
    assert codes == ["received", "passed_on", "on_the_way", "arrived", "done", "reply", "closed"]


def test_a_pending_follow_up_offers_the_rating_link(world, login):
    story = full_story(world, start=sh(2026, 3, 10, 9, 0))
    client = login(world.users["resident_a"])
    html = client.get(reverse("portal:request_detail", args=[story.pk])).content.decode()
    assert 'id="rate-link"' in html and reverse("portal:request_rate", args=[story.pk]) in html
    assert "/visits/rate/" not in html  # no single-use token is spent on a page view
    assert "请评价" in client.get(reverse("portal:home")).content.decode()


def test_the_signed_in_resident_rates_their_own_request_once(world, login):
    story = full_story(world, start=sh(2026, 3, 10, 9, 0))
    client = login(world.users["resident_a"])
    rate = reverse("portal:request_rate", args=[story.pk])
    assert 'id="rate-form"' in client.get(rate).content.decode()
    refused = client.post(rate, {"satisfaction": "7"})
    assert refused.status_code == 200 and "satisfaction" in refused.context["form"].errors
    response = client.post(rate, {"satisfaction": "4", "comment": "挺好"})
    assert response.status_code == 302 and response.url == reverse("portal:request_detail", args=[story.pk])
    visit = FollowUpVisit.objects.get(request=story)
    assert visit.status == "done" and visit.method == "online" and visit.satisfaction == 4
    html = client.get(response.url).content.decode()
    assert 'id="rated"' in html and 'id="rate-link"' not in html
    # Rated: the page sends them back to the request, and a second rating changes nothing.
    assert client.post(rate, {"satisfaction": "1"}).status_code == 302
    visit.refresh_from_db()
    assert visit.satisfaction == 4


def test_another_households_rating_page_is_not_there(world, login, client):
    story = full_story(world, start=sh(2026, 3, 10, 9, 0))
    other = world.residents["b_owner"]
    other.user = get_user_model().objects.create_user("resident_b", password=PASSWORD)
    other.save(update_fields=["user"])
    rate = reverse("portal:request_rate", args=[story.pk])
    for user in (other.user, world.users["agent_a"]):
        client.logout()
        assert login(user).get(rate).status_code == 404
        assert login(user).post(rate, {"satisfaction": "5"}).status_code == 404
    client.logout()
    assert client.post(rate, {"satisfaction": "5"}).status_code == 302  # to the sign-in page
    assert FollowUpVisit.objects.get(request=story).status == "pending"


def test_another_households_request_is_not_there(world, login):
    tenant_request = report(world, "a_tenant", now=sh(2026, 3, 2, 10, 0), room="5-1-301")
    other_project = report(world, "b_owner", now=sh(2026, 3, 2, 10, 0), room="3-1-101", project=world.project_b)
    client = login(world.users["resident_a"])
    for request in (tenant_request, other_project):
        assert client.get(reverse("portal:request_detail", args=[request.pk])).status_code == 404
        # the staff page of the same request sends a resident here, where it is not found either
        response = client.get(reverse("servicedesk:request_detail", args=[request.pk]), follow=True)
        assert response.status_code == 404
    assert client.get(reverse("portal:request_detail", args=[999999])).status_code == 404
    assert tenant_request.number not in client.get(reverse("portal:home")).content.decode()


def test_staff_have_no_resident_pages_and_anonymous_users_sign_in(world, login, client):
    assert client.get(reverse("portal:home")).status_code == 302
    agent = login(world.users["agent_a"])
    assert agent.get(reverse("portal:home")).status_code == 404


def test_the_residents_inbox_links_to_the_portal(world, login):
    world.residents["a_owner"].refresh_from_db()
    request = report(world, now=sh(2026, 3, 2, 10, 0))
    notice = Notification.objects.get(recipient=world.users["resident_a"], kind="request_accepted")
    assert notice.url == reverse("portal:request_detail", args=[request.pk])


def test_the_home_page_runs_as_many_queries_for_many_requests_as_for_few(world, login):
    client = login(world.users["resident_a"])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("portal:home")).status_code == 200
        return len(ctx.captured_queries)

    for day in range(2):
        report(world, now=sh(2026, 3, 2 + day, 10, 0))
    few = queries()
    for day in range(2, 12):
        report(world, now=sh(2026, 3, 2 + day, 10, 0))
    assert queries() == few
