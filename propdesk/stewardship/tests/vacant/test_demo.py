"""The demo's vacant homes at small scale: three months of inspections, a few findings that became patrol requests,
some homes overdue, and the PM's list shows them."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from propdesk.console.demo import build_demo
from propdesk.console.demo.vacant import build_vacant
from propdesk.servicedesk.models import ServiceRequest
from propdesk.stewardship.models import VacantInspection, VacantInspectionItem
from propdesk.stewardship.selectors.vacant import VacantFilters, decorate, vacant_home_list

TODAY = date(2026, 11, 23)


@pytest.mark.django_db
def test_demo_vacant_homes():
    build_demo(seed=42, scale=0.02, today=TODAY)
    counts = build_vacant(None, today=TODAY)
    assert counts["vacant_homes"] > 0 and counts["vacant_inspections"] >= counts["vacant_homes"]
    assert 0 < counts["vacant_findings"] <= 16
    linked = VacantInspectionItem.objects.filter(request__isnull=False).select_related("request")
    assert linked.count() == counts["vacant_findings"]
    assert all(item.request.channel == "patrol" and not item.fine and item.note for item in linked)
    assert ServiceRequest.objects.filter(channel="patrol").count() >= counts["vacant_findings"]
    assert VacantInspection.objects.filter(day__gt=TODAY).count() == 0
    pm = get_user_model().objects.get(username="pm_cuihu")
    homes = decorate(vacant_home_list(user=pm, today=TODAY, filters=VacantFilters()), today=TODAY)
    assert homes and any(h.overdue for h in homes) and any(not h.overdue for h in homes)
