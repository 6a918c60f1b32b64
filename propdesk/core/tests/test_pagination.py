"""Lists that grow without bound count at most 1,000 rows: "1,000+", previous / next, and every row still reachable."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from propdesk.core.pagination import CappedPaginator, count_label
from propdesk.notify.models import Notification

pytestmark = pytest.mark.django_db


def notify(user, count):
    Notification.objects.bulk_create(Notification(recipient=user, kind="test", title=f"第{i}条通知")
                                     for i in range(count))


def get(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, [q["sql"] for q in ctx.captured_queries]


def full_counts(queries) -> list[str]:
    """COUNT queries over the notifications that are not bounded (the menu's unread badge aside)."""
    return [sql for sql in queries if "COUNT(" in sql.upper() and "notify_notification" in sql
            and "LIMIT" not in sql and '"read_at" IS NULL' not in sql]


def titles(response) -> list[str]:
    return re.findall(r"第\d+条通知", response.content.decode())


def test_an_inbox_of_1200_shows_1000_plus_and_pages_on_without_counting_it_all(world, login):
    user = world.users["agent_a"]
    notify(user, 1200)
    client = login(user)
    url = reverse("notify:inbox")

    first, queries = get(client, url)
    assert 'data-count="1,000+"' in first.content.decode()
    assert len(titles(first)) == 50
    assert "page=2" in first.content.decode()  # a next page
    assert "page=20" not in first.content.decode()  # no "last page": the end is not known
    assert any("COUNT(" in sql.upper() and "LIMIT 1001" in sql for sql in queries)  # over a LIMITed subquery
    assert full_counts(queries) == []

    # Past the cap the pages go on: page 24 holds rows 1151–1200, the last, with a previous link and no next.
    last, queries = get(client, url, page=24)
    assert len(titles(last)) == 50 and "page=23" in last.content.decode()
    assert "page=25" not in last.content.decode()
    assert full_counts(queries) == []
    shown = set()
    for number in (1, 21, 24):
        shown |= set(titles(get(client, url, page=number)[0]))
    assert len(shown) == 150

    # A page past the end of an uncounted list is the first page, not an error.
    assert titles(get(client, url, page=99)[0]) == titles(first)


def test_a_list_under_the_cap_counts_exactly_and_links_the_last_page(world, login):
    user = world.users["agent_a"]
    notify(user, 120)
    client = login(user)
    response, _ = get(client, reverse("notify:inbox"))
    page = response.context["page"]
    assert page.paginator.exact and page.paginator.count == 120 and page.paginator.num_pages == 3
    assert "page=3" in response.content.decode()  # the last page, linked because the count is exact
    assert 'data-count' not in response.content.decode()


def test_capped_paginator_pages_a_queryset_and_a_list_alike(world):
    user = world.users["agent_a"]
    notify(user, 23)
    rows = Notification.objects.filter(recipient=user).order_by("id")
    ids = list(rows.values_list("id", flat=True))
    for object_list in (rows, ids):
        paginator = CappedPaginator(object_list, 5, cap=10)
        assert not paginator.exact and paginator.count == 10 and paginator.count_label == "10+"
        seen, number = [], 1
        while True:
            page = paginator.get_page(number)
            seen += [getattr(row, "id", row) for row in page]
            assert page.end_index() == page.start_index() + len(page) - 1
            if not page.has_next():
                break
            number = page.next_page_number()
        assert seen == ids and number == 5

    exact = CappedPaginator(rows, 5, cap=30)
    assert exact.exact and exact.count == 23 and exact.num_pages == 5
    assert exact.get_page(9).number == 5  # past the end of a counted list: its last page, as Django's
    assert count_label(1000, False) == "1,000+" and count_label(37, True) == "37"
