"""The demo's patrols at small scale: two plans a project, a month of rounds (mostly on time, some late, a few
missed), findings that became dispatched patrol requests, today's rounds due."""

from datetime import date
from io import StringIO

import pytest
from django.db.models import Count

from propdesk.console.demo import build_demo, plan_demo
from propdesk.console.demo.patrols import build_patrols
from propdesk.org.models import Project
from propdesk.servicedesk.models import ServiceRequest
from propdesk.stewardship.models import PatrolFinding, PatrolPlan, PatrolRound

TODAY = date(2026, 11, 20)


@pytest.mark.django_db
def test_demo_patrols():
    build_demo(seed=42, scale=0.02, today=TODAY)
    out = StringIO()
    counts = build_patrols(plan_demo(seed=42, scale=0.02, today=TODAY), today=TODAY, stdout=out)
    assert "patrols:" in out.getvalue()
    projects = Project.objects.count()
    assert PatrolPlan.objects.count() == counts["patrol_plans"] == 2 * projects
    statuses = dict(PatrolRound.objects.filter(day__lt=TODAY).values_list("status").annotate(n=Count("id")))
    assert statuses["on_time"] > statuses.get("late", 0) > 0 and statuses.get("missed", 0) > 0
    assert PatrolRound.objects.filter(day=TODAY, status="due").exists()
    assert PatrolFinding.objects.count() == counts["patrol_findings"] >= 2 * projects
    patrol_requests = ServiceRequest.objects.filter(pk__in=PatrolFinding.objects.values("request_id"))
    assert patrol_requests.count() == counts["patrol_findings"]
    assert set(patrol_requests.values_list("channel", flat=True)) == {"patrol"}
    assert patrol_requests.filter(work_orders__isnull=False).exists()  # dispatched by the projects' rules
