"""The morning page of the customer-service assistant: yesterday's log, open work, today's rounds.

``/steward/morning/`` (VIEW_LOGS: agents, stewards, project managers and leaders): yesterday's duty and work logs of
the project with the manager's comments and whether each was signed; the open and overdue requests and work orders
(counts and the first 10 overdue, linked); today's home visits and patrol rounds. ``?project=`` picks another project
in scope (a branch leader's); one outside it is a 404."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from propdesk.core.views_utils import capability_required, scoped_404
from propdesk.staff.rules.roles import Capability

from ..selectors import morning as selectors


@capability_required(Capability.VIEW_LOGS)
def morning(request):
    value = request.GET.get("project", "")
    project_id = int(value) if value.isdigit() and len(value) < 12 else None
    now = timezone.now()
    with scoped_404():
        project = selectors.morning_project(user=request.user, project_id=project_id)
    page = selectors.morning(user=request.user, project=project, day=timezone.localdate(now), now=now)
    return render(request, "stewardship/morning/morning.html", {"page": page, "project": project})


urlpatterns = [
    path("morning/", morning, name="morning"),
]
