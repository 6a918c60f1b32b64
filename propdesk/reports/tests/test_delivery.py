"""The monthly summary reaches each project manager, branch leader and quality officer once, from the first of
the month, with the figures of their own scope."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from propdesk.notify.models import Notification, OutboxMessage
from propdesk.reports.delivery import monthly_summary_delivery
from propdesk.reports.models import MonthlyDelivery
from propdesk.reports.periods import add_months
from propdesk.servicedesk.models import ServiceRequest

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_OF_NOVEMBER = datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI)


def complaint(world, project, number, received_at, **extra):
    return ServiceRequest.objects.create(
        project=project, number=number, channel="phone", kind="complaint", status="closed", contact_name="周美玲",
        description="楼上装修噪音", received_at=received_at, resolve_by=received_at + timedelta(hours=48),
        resolved_at=received_at + timedelta(hours=5), complaint_category="property", severity="minor",
        created_by=world.users["agent_a"], **extra)


@pytest.fixture
def october(world):
    a, b = world.project_a, world.project_b
    complaint(world, a, "C1", datetime(2026, 10, 3, 9, tzinfo=SHANGHAI))
    complaint(world, a, "C2", datetime(2026, 10, 31, 23, 50, tzinfo=SHANGHAI))  # still October in Shanghai
    complaint(world, b, "C3", datetime(2026, 10, 12, 14, tzinfo=SHANGHAI))
    complaint(world, a, "C4", datetime(2026, 11, 1, 0, 10, tzinfo=SHANGHAI))  # November: not in the summary
    world.users["pm_a"].email = "chenzhiqiang@example.com"
    world.users["pm_a"].save(update_fields=["email"])
    return world


def inbox(user):
    return list(Notification.objects.filter(recipient=user, kind="monthly_summary"))


def test_each_manager_gets_last_months_figures_of_their_own_scope(october):
    users = october.users
    assert monthly_summary_delivery(now=FIRST_OF_NOVEMBER) == 3  # pm_a, leader_east and quality

    [pm_message] = inbox(users["pm_a"])
    assert "2026年10月" in pm_message.title and "翠湖花园" in pm_message.title
    assert "收到投诉 2 件" in pm_message.body
    assert pm_message.url.endswith("/reports/complaints/?month=2026-10")  # absolute: it goes by email too
    [leader_message] = inbox(users["leader_east"])
    assert "华东分公司" in leader_message.title
    assert "收到投诉 3 件" in leader_message.body  # A and B, the branch's projects
    [quality_message] = inbox(users["quality"])
    assert "万家物业服务有限公司" in quality_message.title  # the whole company
    assert "收到投诉 3 件" in quality_message.body
    for other in ("agent_a", "technician_a", "admin"):
        assert inbox(users[other]) == []
    # The project manager has an email address: the same text goes out by email, once.
    [email] = OutboxMessage.objects.filter(channel="email", to="chenzhiqiang@example.com")
    assert email.subject == pm_message.title and "收到投诉 2 件" in email.body


def test_a_month_is_sent_once_even_when_run_again_or_interrupted(october):
    users = october.users
    # A run interrupted after the project manager's message: the delivery row exists, unfinished.
    MonthlyDelivery.objects.create(month=datetime(2026, 10, 1).date())
    Notification.objects.create(recipient=users["pm_a"], kind="monthly_summary", title="2026年10月",
                                dedupe_key=f"monthly-summary:2026-10:{users['pm_a'].pk}")
    assert monthly_summary_delivery(now=FIRST_OF_NOVEMBER) == 2  # the branch leader and quality were still waiting
    assert [len(inbox(users[name])) for name in ("pm_a", "leader_east", "quality")] == [1, 1, 1]
    assert MonthlyDelivery.objects.get(month="2026-10-01").finished_at is not None
    # Later sweeps the same month send nothing.
    assert monthly_summary_delivery(now=FIRST_OF_NOVEMBER + timedelta(days=3)) == 0
    assert Notification.objects.filter(kind="monthly_summary").count() == 3


def test_a_month_without_complaints_says_so(world):
    monthly_summary_delivery(now=FIRST_OF_NOVEMBER)
    [message] = inbox(world.users["pm_a"])
    assert message.body == "2026年10月没有收到投诉。"


def test_the_worker_sends_it_on_its_sweep(world):
    out = StringIO()
    call_command("worker", once=True, stdout=out)
    assert "monthly summaries: 3" in out.getvalue()
    last_month = add_months(timezone.localdate().replace(day=1), -1)
    assert MonthlyDelivery.objects.filter(month=last_month, finished_at__isnull=False).exists()
    assert len(inbox(world.users["leader_east"])) == 1
