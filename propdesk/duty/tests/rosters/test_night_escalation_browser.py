"""Issue 13's "Done when", desktop: an urgent leak recorded at 22:30 is not completed by its deadline in the night;
the escalation reaches the engineer on the night roster, who signs in and finds it in their inbox, and the
engineering head (the day holder) does not have it."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from propdesk.browser_testing import browser_page, requires_chromium, sign_in
from propdesk.core.testing import sh
from propdesk.duty.services.rosters import roster_assign
from propdesk.servicedesk.models import TimelineEvent
from propdesk.servicedesk.services import people
from propdesk.servicedesk.services.escalations import escalation_sweep
from propdesk.servicedesk.tests.services.helpers import act, dispatched, submit

from .helpers import engineer, head, shifts

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_a_night_escalation_reaches_the_on_duty_engineer_not_the_head(live_server, world):
    # All database work first: on SQLite the live server shares this thread's connection.
    boss, on_duty = head(world), engineer(world, "tech_night", "夜班 孙师傅")
    leak = submit(world, now=sh(2026, 11, 23, 22, 30), description="卫生间水管爆裂漏水，水漫到客厅", urgent=True)
    work_order = dispatched(world, leak, now=sh(2026, 11, 23, 22, 31))
    work_order = act(work_order, world.users["technician_a"], "accept", now=sh(2026, 11, 23, 22, 40))
    past = work_order.resolve_by + timedelta(minutes=1)
    assert not people.is_working_time(world.project_a, past), past  # still night
    night = (past - timedelta(hours=8)).astimezone(SHANGHAI).date()  # the night shift (20:00–08:00) covering it
    roster_assign(actor=world.users["pm_a"], shift=shifts(world)["night"], day=night, user_id=on_duty.pk,
                  now=sh(2026, 11, 23, 10))
    assert escalation_sweep(now=past) >= 1
    breach = TimelineEvent.objects.get(request=leak, action="breach_department_head")
    assert breach.data["recipients"] == [on_duty.pk], (past, breach.message)
    number = work_order.number

    with browser_page() as page:
        sign_in(page, live_server.url, on_duty.username)
        page.goto(f"{live_server.url}/inbox/")
        page.wait_for_load_state("networkidle")
        assert number in page.inner_text("body")

        head_page = page.context.browser.new_context(locale="zh-CN").new_page()
        sign_in(head_page, live_server.url, boss.username)
        head_page.goto(f"{live_server.url}/inbox/")
        head_page.wait_for_load_state("networkidle")
        assert number not in head_page.inner_text("body")
