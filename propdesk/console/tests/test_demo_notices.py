"""The demo's notices: resident1 finds the notices of their building and project (an outage, a pinned reminder, an
activity, and the outage notice of an open incident), not the expired or the withdrawn one."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from propdesk.console.demo import build_demo
from propdesk.notices.models import Notice
from propdesk.notices.selectors import resident_homes, resident_notices
from propdesk.servicedesk.models import Incident

TODAY = date(2026, 11, 23)


@pytest.mark.django_db
def test_resident1_reads_the_notices_of_their_home():
    build_demo(seed=42, scale=0.02, today=TODAY)
    resident1 = get_user_model().objects.get(username="resident1")
    from django.utils import timezone

    now = timezone.now()
    homes = list(resident_homes(user=resident1, now=now))
    notices = list(resident_notices(user=resident1, homes=homes, now=now))
    kinds = sorted(n.kind for n in notices)
    assert kinds == ["activity", "outage", "outage", "tip"], [n.title for n in notices]
    assert notices[0].pinned  # pinned first
    assert Notice.objects.filter(withdrawn_at__isnull=False).count() == 1
    incident = Incident.objects.get(is_open=True, notice__isnull=False)
    assert incident.updates.count() == 2 and incident.expected_restore_at is not None
    assert incident.notice in notices and incident.notice.version == 3
