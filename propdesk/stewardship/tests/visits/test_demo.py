"""The demo builder at small scale: plans everywhere, visits by the zone's steward (or round-robin), needs of which
some became requests, and some visits due and overdue today."""

import pytest
from django.utils import timezone

from propdesk.console.demo.home_visits import build_home_visits
from propdesk.core.testing import make_user
from propdesk.stewardship.models import HomeVisit, HomeVisitNeed, HomeVisitPlan
from propdesk.stewardship.selectors.visits import due_rows

from .helpers import many_elderly

pytestmark = pytest.mark.django_db


def test_demo_builder_writes_plans_visits_and_leaves_some_due(world):
    make_user("steward_b", role="steward", project=world.project_b, display_name="孙丽")
    Resident = type(world.residents["a_owner"])
    many_elderly(world, 6)
    Resident.objects.filter(project=world.project_a).update(is_elderly_alone=True)
    Resident.objects.filter(project=world.project_b).update(is_vip=True)
    today = timezone.localdate()
    counts = build_home_visits(None, today=today)
    assert HomeVisitPlan.objects.count() == 12 and counts["plans"] == 12
    assert HomeVisit.objects.filter(steward=world.users["steward_a"]).exists()  # round-robin: no zones yet
    assert counts["visits"] == HomeVisit.objects.count() and counts["needs"] == HomeVisitNeed.objects.count()
    assert counts["requests"] == HomeVisitNeed.objects.exclude(request=None).count() >= 1
    statuses = {row.status for row in due_rows(project_ids=[world.project_a.pk, world.project_b.pk], today=today)}
    assert {"overdue", "due"} <= statuses
    for visit in HomeVisit.objects.all():
        local = timezone.localtime(visit.visited_at).time()
        assert 9 <= local.hour < 17 or (local.hour == 17 and local.minute == 0)
