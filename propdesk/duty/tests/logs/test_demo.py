from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from propdesk.console.demo.logs import build_logs
from propdesk.core.testing import make_user
from propdesk.duty.models import Log, LogComment, LogItem
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department

pytestmark = pytest.mark.django_db


def test_the_demo_writes_a_month_of_logs_with_one_unread_handover(world):
    a = world.project_a
    eng = Department.objects.get(project=a, kind=DepartmentKind.ENGINEERING)
    sec = Department.objects.get(project=a, kind=DepartmentKind.SECURITY)
    for name in ("tech_a", "tech_a2", "tech_a3"):
        make_user(name, role="technician", project=a, department=eng)
    make_user("security_a", role="dept_staff", project=a, department=sec)
    today = timezone.localdate()
    counts = build_logs(SimpleNamespace(seed=7), today=today)
    assert counts["logs"] > 100 and counts["comments"] > 10
    old = Log.objects.filter(day__lt=today - timedelta(days=1))
    assert old.filter(status="signed").count() > old.count() * 0.8
    drafts = Log.objects.filter(day=today)
    assert drafts.exists() and not drafts.exclude(status="draft").exists()
    assert LogItem.objects.filter(log__day=today, carried_from__isnull=False).exists()  # carried into today
    unread = Log.objects.filter(kind="duty", acknowledged_at__isnull=True).exclude(status="draft")
    assert [(log.day, log.shift.name) for log in unread] == [(today - timedelta(days=1), "夜班")]
    assert Log.objects.get(kind="duty", day=today, department=eng).previous == unread.get()
    assert LogComment.objects.filter(log__project=a).exists() and not Log.objects.filter(project=world.project_b)
