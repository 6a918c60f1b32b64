"""Staff find requests by the words they type (issue 15): two Chinese characters, several words in any order or run
together, a contact name, a word of the reply, a number; newest first, only in their scope; and no input breaks the
page. Through the request list page, the requests API and the console's search box."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from propdesk.servicedesk.models import ServiceRequest
from propdesk.servicedesk.rules.bigrams import query_tokens
from propdesk.servicedesk.search_index import ensure_search_index
from propdesk.servicedesk.selectors import search as search_selectors
from propdesk.servicedesk.services.requests import RequestInput, request_reply, request_submit
from propdesk.staff.models import ApiToken

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
LIST = "/desk/requests/"
API = "/api/desk/requests"


@pytest.fixture
def desk(world):
    """Project A's requests of 30 November, a minute apart (the last is the newest), and one in project B."""
    agent = world.users["agent_a"]

    def submit(project, actor, minute, description, name, room="3-1-101", note=""):
        return request_submit(actor=actor, project=project, now=NOW + timedelta(minutes=minute), data=RequestInput(
            channel="phone", kind="repair", description=description, contact_name=name,
            contact_phone="13955556666", room_id=world.room(project, room).pk if room else None,
            location_note=note))

    return {
        "kitchen": submit(world.project_a, agent, 0, "厨房水管爆裂漏水，地面积水", "周美玲", room="3-2-1802"),
        "bathroom": submit(world.project_a, agent, 1, "卫生间漏水到楼下", "吴强"),
        "card": submit(world.project_a, agent, 2, "门禁卡失灵，刷不开单元门", "张三"),
        "lamp": submit(world.project_a, agent, 3, "楼道灯不亮", "李四", room=None, note="5号楼1单元三层楼道"),
        "other": submit(world.project_b, world.users["agent_b"], 4, "厨房水管爆裂漏水", "郑海燕"),
    }


def page_numbers(client, q, **more) -> list[str]:
    """The request numbers the list page shows for ``q`` (and any other filter), in the page's order."""
    response = client.get(LIST, {"q": q, **more})
    assert response.status_code == 200, q
    html = response.content.decode()
    links = {f'href="{reverse("servicedesk:request_detail", args=[sr.pk])}"': sr.number
             for sr in ServiceRequest.objects.all()}
    found = [(html.index(link), number) for link, number in links.items() if link in html]
    return [number for _at, number in sorted(found)]


def api_numbers(api, q) -> list[str]:
    response = api.get(API, {"q": q})
    assert response.status_code == 200, q
    return [row["number"] for row in response.json()["items"]]


@pytest.fixture
def api(world):
    _token, raw = ApiToken.issue(user=world.users["agent_a"], name="移动端")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def n(desk, *keys):
    return [desk[key].number for key in keys]


def test_a_two_character_word_finds_every_request_that_has_it_newest_first(world, login, desk, api):
    client = login(world.users["agent_a"])
    assert page_numbers(client, "漏水") == n(desk, "bathroom", "kitchen")
    assert api_numbers(api, "漏水") == n(desk, "bathroom", "kitchen")


def test_not_closed_yet_leaves_out_closed_and_cancelled_requests(world, login, desk):
    ServiceRequest.objects.filter(pk=desk["kitchen"].pk).update(status="closed")
    ServiceRequest.objects.filter(pk=desk["card"].pk).update(status="cancelled")
    ServiceRequest.objects.filter(pk=desk["lamp"].pk).update(status="resolved")  # waits for the resident
    client = login(world.users["agent_a"])
    assert page_numbers(client, "", open="1") == n(desk, "lamp", "bathroom")
    assert page_numbers(client, "漏水", open="1") == n(desk, "bathroom")
    assert page_numbers(client, "漏水") == n(desk, "bathroom", "kitchen")
    assert 'name="open" value="1" checked' in client.get(LIST, {"open": "1"}).content.decode()


def test_several_words_in_any_order_or_run_together(world, login, desk, api):
    client = login(world.users["agent_a"])
    for q in ("水管 漏水", "漏水 水管", "水管漏水", "厨房 积水"):
        assert page_numbers(client, q) == n(desk, "kitchen"), q
        assert api_numbers(api, q) == n(desk, "kitchen"), q
    assert page_numbers(client, "水管 停电") == []


def test_contact_name_location_and_room_are_searched(world, login, desk, api):
    client = login(world.users["agent_a"])
    assert page_numbers(client, "张三") == n(desk, "card")
    assert api_numbers(api, "张三") == n(desk, "card")
    assert page_numbers(client, "三层 楼道") == n(desk, "lamp")  # the location note
    assert api_numbers(api, "3-2-1802 漏水") == n(desk, "kitchen")  # the room's code with a word


def test_a_word_of_the_reply_finds_the_request(world, login, desk, api):
    client = login(world.users["agent_a"])
    assert page_numbers(client, "阀门") == []
    request_reply(request=desk["card"], actor=world.users["agent_a"], text="已为业主重新录入门禁卡，更换了读卡器")
    assert page_numbers(client, "读卡器") == n(desk, "card")
    assert api_numbers(api, "读卡 录入") == n(desk, "card")


def test_a_changed_description_is_found_by_its_new_words_only(world, login, desk):
    card = desk["card"]
    card.description = "单元门禁系统故障"
    card.save(update_fields=["description"])
    client = login(world.users["agent_a"])
    assert page_numbers(client, "系统故障") == n(desk, "card")
    assert page_numbers(client, "刷不开") == []


def test_a_number_whole_or_after_the_prefix(world, login, desk, api):
    kitchen = desk["kitchen"]
    local = kitchen.number.split("-", 1)[1]
    assert kitchen.number == f"{world.project_a.number_prefix}-261130-001" and local == "261130-001"
    client = login(world.users["agent_a"])
    for q in (kitchen.number, local, kitchen.number.lower()):
        assert page_numbers(client, q) == [kitchen.number], q
        assert api_numbers(api, q) == [kitchen.number], q


def test_other_scopes_requests_never_appear(world, login, desk):
    other = desk["other"].number
    for q in ("漏水", "水管漏水", "郑海燕", other, other.split("-", 1)[1]):
        assert other not in page_numbers(login(world.users["agent_a"]), q), q
    assert page_numbers(login(world.users["agent_b"]), "水管漏水") == [other]
    assert page_numbers(login(world.users["leader_east"]), "水管漏水") == [other, desk["kitchen"].number]


BAD = ["漏" * 500, "😀🏠漏水", "！？。，", "%", "_", "%漏%", "'", '"', "''", '"漏水', "漏水*", "*", "NEAR(漏水",
       "漏水 OR 水管", "漏水 AND", "NOT 漏水", "漏水:", "^漏水", "-", "(", ")", "\\", "漏水 & 水管 | !", ":*", "<->"]


def test_bad_input_never_breaks_the_page_the_api_or_the_search_box(world, login, desk, api):
    client = login(world.users["agent_a"])
    for q in BAD:
        assert client.get(LIST, {"q": q}).status_code == 200, q
        assert api.get(API, {"q": q}).status_code in (200, 422), q  # the API refuses a q over its length
        assert client.get(reverse("search"), {"q": q}, headers={"HX-Request": "true"}).status_code == 200, q
    # FTS syntax is only words: quotes and stars around a word find the word.
    assert page_numbers(client, '"漏水"*') == n(desk, "bathroom", "kitchen")
    assert page_numbers(client, "%") == page_numbers(client, "！？。，") == []


def test_the_search_box_lists_requests_by_words(world, login, desk):
    client = login(world.users["agent_a"])
    page = client.get(reverse("search"), {"q": "漏水"}, headers={"HX-Request": "true"}).content.decode()
    assert reverse("servicedesk:request_detail", args=[desk["kitchen"].pk]) in page
    assert reverse("servicedesk:request_detail", args=[desk["bathroom"].pk]) in page
    assert desk["other"].number not in page and desk["card"].number not in page
    # A room code or a phone is not a word search: the room and its household, no request by words.
    page = client.get(reverse("search"), {"q": "3-2-1802"}, headers={"HX-Request": "true"}).content.decode()
    assert "room-hit" in page and "request-hit" not in page


def test_the_search_box_caps_word_hits_and_links_to_the_list(world, login, desk):
    for minute in range(12):
        request_submit(actor=world.users["agent_a"], project=world.project_a,
                       now=NOW + timedelta(hours=1, minutes=minute), data=RequestInput(
                           channel="phone", kind="repair", description=f"{minute + 1}楼雨棚漏水", contact_name="王芳",
                           room_id=world.room(world.project_a, "3-1-101").pk))
    client = login(world.users["agent_a"])
    page = client.get(reverse("search"), {"q": "漏水"}, headers={"HX-Request": "true"}).content.decode()
    assert page.count("request-hit") == 10 and "12楼雨棚漏水" in page and desk["kitchen"].number not in page
    assert f'class="hit more-requests" href="{LIST}?q=%E6%BC%8F%E6%B0%B4"' in page


# SQLite: start from the hits, or test the newest rows against them; PostgreSQL: look the words up in the GIN index,
# or (words judged common) test each row of the scope newest first.
@pytest.mark.parametrize("few_hits,walk", [(2000, False), (0, True)])
def test_the_index_and_the_like_fallback_agree(world, login, desk, monkeypatch, few_hits, walk):
    """Whatever index this database has, it answers as the plain LIKE over the tokens does."""
    monkeypatch.setattr(search_selectors, "FEW_HITS", few_hits)
    monkeypatch.setattr(search_selectors, "_pg_common", lambda tsquery: walk)
    if connection.vendor == "postgresql":
        assert ("ts_match_vq" in str(ServiceRequest.objects.filter(search_selectors.words_q("漏水")).query)) is walk
    assert page_numbers(login(world.users["agent_a"]), "水管 漏水") == n(desk, "kitchen")
    assert page_numbers(login(world.users["agent_a"]), "漏水") == n(desk, "bathroom", "kitchen")
    for q in ("漏水", "水管漏水", "张", "张三", "3-2-1802", "180", "楼道 灯", "不存在的词"):
        tokens = query_tokens(q)
        by_index = set(ServiceRequest.objects.filter(search_selectors.words_q(q)).values_list("id", flat=True))
        by_like = set(ServiceRequest.objects.filter(search_selectors._like(tokens)).values_list("id", flat=True))
        assert by_index == by_like, q
    assert by_like == set()  # the last one exists nowhere


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's statistics of PostgreSQL")
def test_postgresql_walks_only_words_its_statistics_call_common(world, desk, monkeypatch):
    monkeypatch.setattr(search_selectors, "COMMON_MIN_ROWS", 0)
    monkeypatch.setattr(search_selectors, "COMMON_SHARE", 0.3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE servicedesk_servicerequest")
    assert search_selectors._pg_common("'漏水'")  # in 3 of 5 requests
    assert not search_selectors._pg_common("'不存在'")
    monkeypatch.setattr(search_selectors, "COMMON_MIN_ROWS", 1000)
    assert not search_selectors._pg_common("'漏水'")  # a small table: the index is always cheap


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 triggers")
def test_sqlite_triggers_dropped_by_a_table_rebuild_come_back_after_migrate(world, login, desk):
    with connection.cursor() as cursor:
        for name in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER servicedesk_request_fts_{name}")
    ServiceRequest.objects.filter(pk=desk["lamp"].pk).update(search_grams="楼道 道灯 灯泡")  # unseen by the FTS
    ensure_search_index(using="default")  # what post_migrate runs
    assert page_numbers(login(world.users["agent_a"]), "灯泡") == n(desk, "lamp")
    desk["lamp"].delete()
    assert page_numbers(login(world.users["agent_a"]), "灯泡") == []


def test_the_hits_of_words_are_counted_up_to_the_search_cap_and_the_list_without_words_exactly(world, login, desk,
                                                                                                 monkeypatch):
    """A common word would walk the project counting its hits: the list counts words' hits up to 200 ("200+"); here
    the cap is 1 and 漏水 has two hits, both still listed."""
    monkeypatch.setattr("propdesk.servicedesk.views.requests.SEARCH_COUNT_CAP", 1)
    client = login(world.users["agent_a"])
    response = client.get(LIST, {"q": "漏水"})
    paginator = response.context["page"].paginator
    assert paginator.capped and paginator.count_label == "1+"
    assert page_numbers(client, "漏水") == [desk["bathroom"].number, desk["kitchen"].number]

    everything = client.get(LIST).context["page"].paginator
    assert everything.exact and everything.count == 4  # project A's four requests, counted to the usual cap
