from datetime import date, timedelta

import pytest
from django.urls import reverse

from propdesk.duty.models import Log, LogComment
from propdesk.duty.services import logs as services

from .conftest import NOW, roster

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def _submitted(log, actor, body="今日巡查3栋、5栋，消防通道畅通", items=()):
    services.log_update(log=log, actor=actor, body=body, items=list(items), now=NOW)
    return services.log_submit(log=log, actor=actor, now=NOW)


def test_steward_writes_todays_log_on_the_phone(world, login):
    steward = world.users["steward_a"]
    yesterday = services.work_log_start(actor=steward, day=TODAY - timedelta(days=1), now=NOW)
    _submitted(yesterday, steward, items=[{"text": "1802周女士反映楼道灯不亮", "request_number": "A-20261122-0007"}])
    client = login(steward)
    page = client.get(reverse("duty:log_today"))
    assert page.status_code == 200 and "开始今天的工作日志" in page.content.decode()
    started = client.post(reverse("duty:log_start"), {"kind": "work"})
    log = Log.objects.get(author=steward, day=TODAY)
    assert started.status_code == 302 and started["Location"] == reverse("duty:log_detail", args=[log.pk])
    form = client.get(started["Location"]).content.decode()
    assert "1802周女士反映楼道灯不亮" in form and "延续" in form
    carried = log.items.get()
    saved = client.post(started["Location"], {
        "body": "上午巡查3栋消防器材，下午走访5-1-301吴先生", "rows": "2", "then": "submit",
        "item_id_0": carried.pk, "item_text_0": carried.text, "item_request_0": carried.request_number,
        "item_done_0": "1", "item_text_1": "5栋单元门禁失灵", "item_request_1": ""})
    assert saved.status_code == 302
    log.refresh_from_db()
    assert log.status == "submitted" and [(i.text, i.done) for i in log.items.all()] == [
        ("1802周女士反映楼道灯不亮", True), ("5栋单元门禁失灵", False)]


def test_bad_input_shows_by_the_field_and_writes_nothing(world, login):
    steward = world.users["steward_a"]
    log = services.work_log_start(actor=steward, day=TODAY, now=NOW)
    client = login(steward)
    page = client.post(reverse("duty:log_detail", args=[log.pk]), {"body": "", "rows": "1", "then": "submit",
                                                                   "item_text_0": "", "item_request_0": ""})
    assert page.status_code == 200 and "提交前请写明发生了什么" in page.content.decode()
    page = client.post(reverse("duty:log_detail", args=[log.pk]), {"body": "好", "rows": "1", "then": "save",
                                                                   "item_text_0": "x" * 301})
    assert page.status_code == 200 and 'id="items-errors"' in page.content.decode()
    assert Log.objects.get(pk=log.pk).body == ""


def test_editing_a_signed_log_through_the_page_is_refused(world, login):
    steward = world.users["steward_a"]
    log = services.work_log_start(actor=steward, day=TODAY, now=NOW)
    _submitted(log, steward)
    client = login(world.users["agent_a"])
    client.post(reverse("duty:log_comment", args=[log.pk]), {"body": "走访记录请补充业主诉求"})
    signed = client.post(reverse("duty:log_sign", args=[log.pk]))
    assert signed.status_code == 302 and Log.objects.get(pk=log.pk).status == "signed"
    client = login(steward)
    page = client.post(reverse("duty:log_detail", args=[log.pk]), {"body": "签阅后改写", "rows": "0"})
    assert page.status_code == 200 and "已签阅" in page.content.decode()
    assert Log.objects.get(pk=log.pk).body == "今日巡查3栋、5栋，消防通道畅通"
    text = client.get(reverse("duty:log_detail", args=[log.pk])).content.decode()
    assert "走访记录请补充业主诉求" in text and 'id="log-form"' not in text


def test_handover_page_says_the_previous_log_is_unread(world, login, night_shift, day_shift, technician2_a):
    tech = world.users["technician_a"]
    night = services.duty_log_start(actor=tech, now=NOW, roster_entry=roster(night_shift, tech,
                                                                              TODAY - timedelta(days=1)))
    _submitted(night, tech, body="夜班：地库B2积水，已抽排")
    client = login(technician2_a)
    client.post(reverse("duty:log_start"), {"kind": "duty", "shift": day_shift.pk, "day": TODAY.isoformat()})
    day = Log.objects.get(kind="duty", day=TODAY)
    page = client.get(reverse("duty:log_detail", args=[day.pk])).content.decode()
    assert 'id="previous-unread"' in page
    assert client.post(reverse("duty:log_acknowledge", args=[night.pk])).status_code == 302
    again = client.post(reverse("duty:log_acknowledge", args=[night.pk]), follow=True)
    assert "已被确认" in again.content.decode()
    page = client.get(reverse("duty:log_detail", args=[day.pk])).content.decode()
    assert 'id="previous-unread"' not in page


def test_another_scopes_log_is_not_there(world, login):
    agent_b = world.users["agent_b"]
    log = services.work_log_start(actor=agent_b, day=TODAY, now=NOW)
    _submitted(log, agent_b, body="乙项目机密日志")
    client = login(world.users["pm_a"])
    assert client.get(reverse("duty:log_detail", args=[log.pk])).status_code == 404
    assert client.post(reverse("duty:log_comment", args=[log.pk]), {"body": "越权批示"}).status_code == 404
    assert client.post(reverse("duty:log_sign", args=[log.pk])).status_code == 404
    assert not LogComment.objects.exists() and Log.objects.get(pk=log.pk).status == "submitted"
    assert "乙项目机密日志" not in client.get(reverse("duty:log_list")).content.decode()


def test_the_list_filters_and_does_not_grow_in_queries(world, login, django_assert_max_num_queries):
    steward = world.users["steward_a"]
    for offset in range(20):
        log = services.work_log_start(actor=steward, day=TODAY - timedelta(days=offset), now=NOW)
        services.log_update(log=log, actor=steward, body=f"第{offset}天", items=[{"text": "待办"}], now=NOW)
    client = login(world.users["pm_a"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("duty:log_list"), {"author": steward.pk, "kind": "work"})
    assert page.content.decode().count('class="log-row"') == 20
    page = client.get(reverse("duty:log_list"), {"day": (TODAY - timedelta(days=1)).isoformat()})
    assert page.content.decode().count('class="log-row"') == 1
    assert client.get(reverse("duty:log_list"), {"unsigned": "1"}).content.decode().count('class="log-row"') == 0
    assert client.get(reverse("duty:log_list"), {"day": "2026-13-45"}).status_code == 200
