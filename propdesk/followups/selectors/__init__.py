"""Reads of follow-up visits, always through the user's scope. The queue fetches its rows in a fixed number of
queries, whatever the number of visits."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from ..choices import VisitStatus
from ..models import FollowUpVisit, VisitAttempt

QUEUE_SECTION_ROWS = 100
_ROW_RELATIONS = ("request", "request__room", "request__common_area", "project", "visitor__staff_profile")


def start_of_tomorrow(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=local.tzinfo)


def visit_queue(*, user, everyone: bool = False, now: datetime | None = None) -> dict:
    """The pending visits of ``user`` (or, with ``everyone``, all those in their scope) in three sections: overdue
    (the window has closed), due today (the window is open or opens today) and upcoming (opens after today).
    Three row queries and one count query."""
    now = now or timezone.now()
    tomorrow = start_of_tomorrow(now)
    base = FollowUpVisit.objects.restrict(user).filter(status=VisitStatus.PENDING)
    if not everyone:
        base = base.filter(visitor=user)
    sections = {
        "overdue": Q(due_by__lt=now),
        "today": Q(due_by__gte=now, due_from__lt=tomorrow),
        "upcoming": Q(due_by__gte=now, due_from__gte=tomorrow),
    }
    order = {"overdue": ("due_by", "id"), "today": ("due_by", "id"), "upcoming": ("due_from", "id")}
    counts = base.aggregate(**{name: Count("id", filter=condition) for name, condition in sections.items()})
    rows = {name: list(base.filter(condition).select_related(*_ROW_RELATIONS).order_by(*order[name])
                       [:QUEUE_SECTION_ROWS])
            for name, condition in sections.items()}
    today = timezone.localtime(now).date()
    for visit in rows["overdue"]:
        visit.days_overdue = (today - timezone.localtime(visit.due_by).date()).days
    return {"rows": rows, "counts": counts, "now": now}


def visit_detail(*, user, visit_id: int) -> FollowUpVisit:
    return (FollowUpVisit.objects.restrict(user)
            .select_related("request", "request__room", "request__common_area", "request__reporter",
                            "request__project", "project", "visitor__staff_profile", "recorded_by__staff_profile",
                            "reviewed_by__staff_profile", "follow_request")
            .get(pk=visit_id))


def visit_attempts(*, visit: FollowUpVisit):
    return VisitAttempt.objects.filter(visit=visit).select_related("by__staff_profile").order_by("at", "id")
