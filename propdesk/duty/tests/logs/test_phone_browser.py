"""A steward writes today's work log on a 390×844 phone: starts it, writes what happened and a matter, submits;
the assistant reads the morning page on their phone. Nothing runs off the right edge."""

from datetime import timedelta

import pytest
from django.utils import timezone

from propdesk.browser_testing import PHONE, browser_page, fits, requires_chromium, sign_in
from propdesk.core.testing import TEST_NOW
from propdesk.duty.models import Log
from propdesk.duty.services import logs as services

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_a_steward_writes_the_log_on_a_phone_and_the_assistant_reads_the_morning_page(live_server, world):
    steward = world.users["steward_a"]
    now = TEST_NOW  # the tests' clock (conftest), not the machine's
    yesterday = services.work_log_start(actor=steward, day=timezone.localdate(now) - timedelta(days=1), now=now)
    services.log_update(log=yesterday, actor=steward, body="巡查3栋消防器材", now=now,
                        items=[{"text": "3栋2楼灭火器压力不足待更换"}])
    services.log_submit(log=yesterday, actor=steward, now=now)
    services.log_comment(log=yesterday, actor=world.users["pm_a"], body="本周内更换完毕", now=now)
    with browser_page(viewport=PHONE) as page:
        sign_in(page, live_server.url, "steward_a")
        page.goto(f"{live_server.url}/duty/logs/today/")
        fits(page)
        page.click("#my-work-log button[type=submit]")
        page.wait_for_selector("#log-form")
        fits(page)
        assert "3栋2楼灭火器压力不足待更换" in page.input_value("input[name=item_text_0]")
        page.fill("#id_body", "上午巡查3栋、5栋，下午走访5-1-301吴先生")
        page.fill("input[name=item_text_1]", "5栋单元门禁刷卡失灵")
        page.click("#submit-log")
        page.wait_for_selector("#log-body")
        assert "已提交" in page.inner_text("#log-status")
        fits(page)
        agent = page.context.browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
        sign_in(agent, live_server.url, "agent_a")
        agent.goto(f"{live_server.url}/steward/morning/")
        assert "本周内更换完毕" in agent.inner_text("#morning-logs")
        fits(agent)
    log = Log.objects.get(author=steward, day=timezone.localdate())
    assert log.status == "submitted" and log.items.count() == 2
