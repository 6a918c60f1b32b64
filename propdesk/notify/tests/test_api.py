"""The inbox API from the outside: one's own notifications only, unread first, counts and marking read."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from propdesk.notify.models import Notification
from propdesk.notify.services import notify_user
from propdesk.staff.models import ApiToken

INBOX = "/api/inbox"
JSON = "application/json"


def assert_json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(JSON)
    assert set(response.json()) == {"message", "extra"}


def notify(user, title: str, *, minutes_ago: int = 0) -> Notification:
    notify_user(user=user, kind="workorder_dispatch", title=title, body="厨房水龙头漏水", url="/desk/orders/1/",
                key=f"test:{user.pk}:{title}", email=False)
    notification = Notification.objects.get(dedupe_key=f"test:{user.pk}:{title}")
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return notification


@pytest.fixture
def inbox(world):
    tech = world.users["technician_a"]
    older = notify(tech, "新工单 001", minutes_ago=30)
    read = notify(tech, "新工单 002", minutes_ago=10)
    newest = notify(tech, "新工单 003", minutes_ago=1)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    notify(world.users["agent_a"], "工单被退回")
    return {"older": older, "read": read, "newest": newest}


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [n["title"] for n in response.json()["items"]]


def test_inbox_lists_own_notifications_unread_first(world, login, inbox):
    client = login(world.users["technician_a"])
    assert titles(client.get(INBOX)) == ["新工单 003", "新工单 001", "新工单 002"]
    assert titles(client.get(INBOX, {"unread": "true"})) == ["新工单 003", "新工单 001"]
    item = client.get(INBOX).json()["items"][0]
    assert item["unread"] is True and item["read_at"] is None and item["url"] == "/desk/orders/1/"
    assert client.get(f"{INBOX}/count").json() == {"unread_count": 2}


def test_marking_one_read(world, login, inbox):
    client = login(world.users["technician_a"])
    response = client.post(f"{INBOX}/{inbox['older'].pk}/read")
    assert response.status_code == 200, response.content
    assert response.json()["unread"] is False and response.json()["read_at"] is not None
    assert client.get(f"{INBOX}/count").json() == {"unread_count": 1}
    assert client.post(f"{INBOX}/{inbox['older'].pk}/read").status_code == 200  # again: still read, no error


def test_someone_elses_notification_is_404_and_stays_unread(world, login, inbox):
    agents_own = Notification.objects.get(recipient=world.users["agent_a"])
    client = login(world.users["technician_a"])
    assert_json_error(client.post(f"{INBOX}/{agents_own.pk}/read"), 404)
    assert_json_error(client.post(f"{INBOX}/987654/read"), 404)
    agents_own.refresh_from_db()
    assert agents_own.read_at is None
    assert "工单被退回" not in titles(client.get(INBOX))


def test_read_all_marks_only_the_callers(world, inbox):
    _token, raw = ApiToken.issue(user=world.users["technician_a"], name="手机")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.post(f"{INBOX}/read-all")
    assert response.json() == {"marked": 2, "unread_count": 0}
    assert client.get(INBOX, {"unread": "true"}).json()["count"] == 0
    assert Notification.objects.filter(recipient=world.users["agent_a"], read_at__isnull=True).count() == 1


def test_resident_has_an_inbox_too(world, login):
    notify(world.users["resident_a"], "您的报事已受理")
    client = login(world.users["resident_a"])
    assert titles(client.get(INBOX)) == ["您的报事已受理"]
    assert client.get(f"{INBOX}/count").json() == {"unread_count": 1}


def test_unauthenticated_is_401(world, inbox):
    client = Client()
    assert_json_error(client.get(INBOX), 401)
    assert_json_error(client.get(f"{INBOX}/count"), 401)
    assert_json_error(client.post(f"{INBOX}/read-all"), 401)
    assert Notification.objects.filter(read_at__isnull=True).count() == 3


def test_bad_filter_is_422(world, login):
    assert_json_error(login(world.users["agent_a"]).get(INBOX, {"unread": "perhaps"}), 422)


def test_query_count_does_not_grow_with_page_size(world, login):
    tech = world.users["technician_a"]
    for i in range(60):
        notify(tech, f"工单 {i:03d}", minutes_ago=i)
    client = login(tech)

    def count(limit):
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(INBOX, {"limit": limit}).json()["items"]) == limit
        return len(queries)

    assert count(5) == count(50)


def test_openapi_lists_the_inbox(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert "get" in paths[INBOX] and "get" in paths[f"{INBOX}/count"]
    assert "post" in paths[f"{INBOX}/{{notification_id}}/read"] and "post" in paths[f"{INBOX}/read-all"]
