"""Reads of the inspections part: which renovations are due an inspection, the steward's worklist, a renovation's
inspections panel, complaint candidates, the PM's refund approvals and the dashboard's figures. Each list is a fixed
number of queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.servicedesk.models import ServiceRequest

from ..models import (
    ACTIVE_STATUSES,
    AcceptanceApproval,
    InspectionKind,
    RectificationStatus,
    Renovation,
    RenovationAcceptance,
    RenovationComplaint,
    RenovationInspection,
    RenovationRectification,
    RenovationSettings,
    RenovationStatus,
)
from ..rules.hours import hours_of, windows
from ..rules.settings import DEFAULTS
from ..services.inspections import INSPECTED_STATUSES, NOISE_WORDS, checklist_of

DEFAULT_EVERY_DAYS = 1
OPEN_RECT = (RectificationStatus.OPEN, RectificationStatus.OVERDUE)


def every_days_by_project(project_ids) -> dict[int, int]:
    rows = RenovationSettings.objects.filter(project_id__in=list(project_ids)).values_list("project_id",
                                                                                       "inspect_every_days")
    return {pid: max(1, days or DEFAULT_EVERY_DAYS) for pid, days in rows}


def with_last_day(queryset):
    """Renovations annotated with the last day a routine or re-inspection was done."""
    return queryset.annotate(last_day=Max("inspections__day", filter=Q(
        inspections__kind__in=(InspectionKind.ROUTINE, InspectionKind.REINSPECTION))))


def due_since(renovation, every_days: int) -> date:
    """The day from which the renovation is due an inspection (planned start when never inspected)."""
    if renovation.last_day is None:
        return renovation.planned_start
    return max(renovation.planned_start, renovation.last_day + timedelta(days=every_days))


@dataclass
class DueRow:
    renovation: Renovation
    due_since: date
    overdue: bool


def due_rows(renovations, today: date) -> list[DueRow]:
    """Of renovations annotated by ``with_last_day``, those due today (overdue: due before today)."""
    renovations = list(renovations)
    every = every_days_by_project({r.project_id for r in renovations})
    rows = []
    for renovation in renovations:
        since = due_since(renovation, every.get(renovation.project_id, DEFAULT_EVERY_DAYS))
        if since <= today and renovation.last_day != today:
            rows.append(DueRow(renovation, since, since < today))
    return sorted(rows, key=lambda row: (row.due_since, row.renovation.pk))


def in_progress(user):
    return (Renovation.objects.restrict(user).filter(status__in=INSPECTED_STATUSES)
            .select_related("room", "building", "project"))


def zone_filter(queryset, steward_id: int | None):
    if steward_id is None:
        return queryset
    return queryset.filter(building__zone__steward_id=steward_id)


@dataclass
class Worklist:
    due: list[DueRow]
    overdue_rectifications: list
    open_rectifications: list
    acceptance_requests: list


def worklist(*, user, today: date, steward_id: int | None) -> Worklist:
    renovations = zone_filter(with_last_day(in_progress(user)), steward_id)
    rects = RenovationRectification.objects.restrict(user).filter(status__in=OPEN_RECT).select_related(
        "renovation__room")
    if steward_id is not None:
        rects = rects.filter(renovation__building__zone__steward_id=steward_id)
    rects = list(rects.order_by("deadline", "id")[:200])
    asked = in_progress(user).filter(status=RenovationStatus.ACCEPTANCE_REQUESTED)
    asked = zone_filter(asked, steward_id).order_by("acceptance_requested_at", "id")
    return Worklist(
        due=due_rows(renovations, today),
        overdue_rectifications=[r for r in rects if r.status == RectificationStatus.OVERDUE or r.deadline < today],
        open_rectifications=[r for r in rects if r.status == RectificationStatus.OPEN and r.deadline >= today],
        acceptance_requests=list(asked[:200]))


def renovation_for_inspection(*, user, renovation_id: int) -> Renovation:
    return Renovation.objects.restrict(user).select_related("room", "building", "project").get(pk=renovation_id)


def open_rectification(renovation_id: int):
    return (RenovationRectification.objects.filter(renovation_id=renovation_id, status__in=OPEN_RECT)
            .order_by("created_at", "id").first())


def checklist_for(renovation) -> list[str]:
    return checklist_of(renovation.project_id)


def rectification_detail(*, user, rectification_id: int) -> RenovationRectification:
    return (RenovationRectification.objects.restrict(user)
            .select_related("renovation__room", "renovation__building", "renovation__project", "inspection",
                            "created_by").get(pk=rectification_id))


def pending_acceptances(*, user):
    return (RenovationAcceptance.objects.restrict(user).filter(approval=AcceptanceApproval.PENDING)
            .select_related("renovation__room", "renovation__project", "inspector__staff_profile")
            .order_by("inspected_at", "id"))


def acceptance_detail(*, user, acceptance_id: int) -> RenovationAcceptance:
    return (RenovationAcceptance.objects.restrict(user).select_related("renovation__room", "inspector__staff_profile")
            .get(pk=acceptance_id))


def current_acceptance(renovation_id: int):
    return (RenovationAcceptance.objects.filter(renovation_id=renovation_id)
            .select_related("inspector__staff_profile", "decided_by", "refund_entry").order_by("-id").first())


def complaint_candidates(*, user, renovation: Renovation, limit: int = 10) -> list:
    """Requests in the renovation's building, since it was approved, whose text mentions renovation noise, not yet
    linked (a neighbour's complaint is the usual one)."""
    if renovation.status not in ACTIVE_STATUSES:
        return []
    words = Q()
    for word in NOISE_WORDS:
        words |= Q(description__contains=word)
    since = renovation.decided_at or renovation.created_at
    linked = RenovationComplaint.objects.filter(renovation=renovation).values("request_id")
    return list(ServiceRequest.objects.restrict(user).filter(
        words, project_id=renovation.project_id, room__building_id=renovation.building_id, received_at__gte=since)
        .exclude(pk__in=linked).select_related("room").order_by("-received_at", "-id")[:limit])


@dataclass
class Panel:
    inspections: list
    rectifications: list
    acceptance: RenovationAcceptance | None
    complaints: list
    candidates: list


def panel(*, user, renovation: Renovation) -> Panel:
    inspections = list(RenovationInspection.objects.filter(renovation=renovation)
                       .select_related("inspector__staff_profile").prefetch_related("items", "photos")[:60])
    rects = list(RenovationRectification.objects.filter(renovation=renovation).select_related("closed_by")[:30])
    complaints = list(RenovationComplaint.objects.filter(renovation=renovation).select_related("request__room"))
    return Panel(inspections, rects, current_acceptance(renovation.pk), complaints,
                 complaint_candidates(user=user, renovation=renovation))


def dashboard_figures(*, project_ids: list[int], now: datetime | None = None) -> list[dict]:
    """The PM dashboard's renovation-inspection figures for ``project_ids`` (fixed number of queries)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    active = Renovation.objects.filter(project_id__in=project_ids, status__in=ACTIVE_STATUSES)
    in_work = list(with_last_day(active.filter(status__in=INSPECTED_STATUSES)).only(
        "id", "project_id", "planned_start"))
    rows = due_rows(in_work, today)
    overdue_rects = RenovationRectification.objects.filter(project_id__in=project_ids).filter(
        Q(status=RectificationStatus.OVERDUE) | Q(status=RectificationStatus.OPEN, deadline__lt=today)).count()
    refunds = RenovationAcceptance.objects.filter(project_id__in=project_ids,
                                                  approval=AcceptanceApproval.PENDING).count()
    worklist_url = reverse("renovation:inspection_worklist")
    return [
        {"key": "renovations_in_progress", "label": _("Renovations in progress"), "value": active.count(),
         "url": worklist_url, "alert": False},
        {"key": "renovation_inspections_due", "label": _("Renovation inspections due today"),
         "value": sum(1 for row in rows if not row.overdue), "url": worklist_url, "alert": False},
        {"key": "renovation_inspections_overdue", "label": _("Renovation inspections overdue"),
         "value": sum(1 for row in rows if row.overdue), "url": worklist_url,
         "alert": any(row.overdue for row in rows)},
        {"key": "renovation_rectifications_overdue", "label": _("Rectifications overdue"), "value": overdue_rects,
         "url": worklist_url, "alert": overdue_rects > 0},
        {"key": "renovation_refunds_pending", "label": _("Deposit refunds waiting for approval"), "value": refunds,
         "url": reverse("renovation:acceptance_list"), "alert": refunds > 0},
    ]


def held_fen(renovation: Renovation) -> int:
    """The deposit the renovation's bill holds now (paid in, not yet paid back)."""
    from propdesk.fees.services.deposits import deposit_held_fen

    return max(0, deposit_held_fen(renovation.deposit_bill)) if renovation.deposit_bill_id else 0


@dataclass
class HoursToday:
    allowed: bool
    reason: str  # "workday", "rest_day" or "quiet_day"
    spans: list[tuple]  # [(from, until)] of permitted noisy work


def permitted_hours(renovation: Renovation, day: date) -> HoursToday:
    """When noisy work is permitted on ``day`` (shown to the steward checking 施工时间): the project's working days
    only, none on its quiet days (高考, 春节 …), with the noon quiet hours left out."""
    from propdesk.servicedesk.services.policy import policy_for

    hours = hours_of(RenovationSettings.objects.filter(project_id=renovation.project_id).first()
                     or RenovationSettings(**DEFAULTS))  # the defaults until the PM saves the project's rules
    if day in hours.quiet_days:
        return HoursToday(False, "quiet_day", [])
    if not policy_for(renovation.project).calendar.is_workday(day):
        return HoursToday(False, "rest_day", [])
    return HoursToday(True, "workday", windows(hours))
