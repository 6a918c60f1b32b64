"""The steward's and the center's day in the demo (issue 13), on one demo built for the module: the roster has one
deliberate gap next week, a month of patrol rounds with findings that became dispatched requests, and three months
of vacant-home inspections with some homes overdue."""

from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from propdesk.core.testing import sh
from propdesk.duty.models import RosterEntry, ShiftKind
from propdesk.duty.rules.rosters import overlaps
from propdesk.duty.services.rosters import coverage_sweep
from propdesk.notify.models import Notification
from propdesk.org.models import Project
from propdesk.servicedesk.models import ServiceRequest
from propdesk.stewardship.models import (
    PatrolFinding,
    PatrolPlan,
    PatrolRound,
    VacantInspection,
    VacantInspectionItem,
    ZoneAssignment,
)
from propdesk.stewardship.selectors.vacant import VacantFilters, decorate, vacant_home_list

TODAY = date(2026, 11, 23)
DEMO_ARGS = {"seed": 42, "scale": 0.02, "today": TODAY}


@pytest.fixture
def demo(demo_once, db):
    return demo_once  # built once for this module (conftest.demo_once)


def test_every_building_has_a_steward(demo):
    from propdesk.org.models import Building

    assert ZoneAssignment.objects.count() == Building.objects.count() > 0
    assert set(ZoneAssignment.objects.values_list("steward__staff_profile__role", flat=True)) == {"steward"}


def test_the_demo_roster_has_one_deliberate_gap_next_week(demo):
    projects = Project.objects.count()
    assert ShiftKind.objects.count() == projects * 6
    assert set(ShiftKind.objects.filter(department__isnull=True).values_list("name", flat=True)) == {"值班经理"}
    per_user = defaultdict(list)
    for entry in RosterEntry.objects.all():
        per_user[entry.user_id].append((entry.starts_at, entry.ends_at))
    assert per_user
    for spans in per_user.values():
        spans.sort()
        assert not any(overlaps(*a, *b) for a, b in zip(spans, spans[1:], strict=False))
    gap = TODAY + timedelta(days=7)
    assert not RosterEntry.objects.filter(day=gap, shift__name="夜班", department__kind="engineering").exists()
    assert coverage_sweep(now=sh(2026, 11, 23, 10)) == projects  # one per project
    assert Notification.objects.filter(kind="roster_gap", recipient__username="pm_cuihu",
                                       title__contains="2026-11-30").count() == 1


def test_a_month_of_patrols_with_findings_dispatched(demo):
    projects = Project.objects.count()
    assert PatrolPlan.objects.count() == 2 * projects
    statuses = dict(PatrolRound.objects.filter(day__lt=TODAY).values_list("status").annotate(n=Count("id")))
    assert statuses["on_time"] > statuses.get("late", 0) > 0 and statuses.get("missed", 0) > 0
    assert PatrolRound.objects.filter(day=TODAY, status="due").exists()
    assert PatrolFinding.objects.count() >= 2 * projects
    patrol_requests = ServiceRequest.objects.filter(pk__in=PatrolFinding.objects.values("request_id"))
    assert patrol_requests.count() == PatrolFinding.objects.values("request_id").distinct().count()
    assert set(patrol_requests.values_list("channel", flat=True)) == {"patrol"}
    assert patrol_requests.filter(work_orders__isnull=False).exists()  # dispatched by the projects' rules


def test_vacant_homes_inspected_with_findings_and_some_overdue(demo):
    inspected = VacantInspection.objects.values("room_id").distinct().count()
    assert inspected > 0 and VacantInspection.objects.count() >= inspected
    linked = VacantInspectionItem.objects.filter(request__isnull=False).select_related("request")
    assert 0 < linked.count() <= 16
    assert all(item.request.channel == "patrol" and not item.fine and item.note for item in linked)
    assert VacantInspection.objects.filter(day__gt=TODAY).count() == 0
    pm = get_user_model().objects.get(username="pm_cuihu")
    homes = decorate(vacant_home_list(user=pm, today=TODAY, filters=VacantFilters()), today=TODAY)
    assert homes and any(h.overdue for h in homes) and any(not h.overdue for h in homes)
