"""The morning page 晨会 of the customer-service assistant (DESIGN §4 "Daily rhythm"): yesterday's duty and work logs
with the manager's comments and whether each was signed, the project's open and overdue work, today's home visits
and patrol rounds. A fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q

from propdesk.duty.selectors.logs import logs_of_day
from propdesk.org.models import Project
from propdesk.servicedesk.choices import RequestStatus
from propdesk.servicedesk.models import ServiceRequest, WorkOrder
from propdesk.servicedesk.selectors import LIVE_WO, OPEN_REQUEST

from . import patrols, visits

OVERDUE_SHOWN = 10
WORKING_REQUEST = [RequestStatus.OPEN, RequestStatus.IN_PROGRESS]  # resolved: only the reply is left


@dataclass
class Morning:
    project: Project
    day: date
    yesterday: date
    logs: list
    requests_open: int = 0
    requests_overdue: int = 0
    orders_live: int = 0
    orders_overdue: int = 0
    overdue_requests: list = field(default_factory=list)
    overdue_orders: list = field(default_factory=list)
    visits: list = field(default_factory=list)
    rounds: list = field(default_factory=list)

    @property
    def duty_logs(self) -> list:
        return [log for log in self.logs if log.kind == "duty"]

    @property
    def work_logs(self) -> list:
        return [log for log in self.logs if log.kind == "work"]


def morning_project(*, user, project_id: int | None = None) -> Project:
    """The project the page is about: the one asked for (in scope), else the user's own, else the first in scope.
    Project.DoesNotExist when there is none."""
    projects = Project.objects.restrict(user)
    if project_id:
        return projects.get(pk=project_id)
    own = getattr(getattr(user, "staff_profile", None), "project_id", None)
    if own:
        return projects.get(pk=own)
    return projects.order_by("id")[:1].get()


def morning(*, user, project: Project, day: date, now: datetime) -> Morning:
    yesterday = day - timedelta(days=1)
    page = Morning(
        project=project, day=day, yesterday=yesterday, logs=logs_of_day(user=user, project_id=project.pk, day=yesterday)
    )
    requests = ServiceRequest.objects.restrict(user).filter(project=project)
    late_request = Q(status__in=WORKING_REQUEST, resolve_by__lt=now)
    counts = requests.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_REQUEST)), overdue=Count("id", filter=late_request)
    )
    page.requests_open, page.requests_overdue = counts["open"], counts["overdue"]
    page.overdue_requests = list(
        requests.filter(late_request).select_related("room", "common_area").order_by("resolve_by", "id")[:OVERDUE_SHOWN]
    )
    orders = WorkOrder.objects.restrict(user).filter(project=project)
    late_order = Q(status__in=LIVE_WO, resolve_by__lt=now)
    counts = orders.aggregate(live=Count("id", filter=Q(status__in=LIVE_WO)), overdue=Count("id", filter=late_order))
    page.orders_live, page.orders_overdue = counts["live"], counts["overdue"]
    page.overdue_orders = list(
        orders.filter(late_order)
        .select_related("department", "assignee__staff_profile", "request")
        .order_by("resolve_by", "id")[:OVERDUE_SHOWN]
    )
    page.visits = list(visits.visits_due(user=user, day=day))
    page.rounds = list(patrols.rounds_of_day(user=user, day=day))
    return page
