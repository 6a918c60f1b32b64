"""Reading violations: the list with its filters, one violation with its timeline, notices, photos, the counts per
building and month, the household's notices, and the PM dashboard's figures. Staff reads go through
``restrict(user)``; a resident's through the same (the homes they live in now)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.org.models import Building

from .. import rules
from ..models import (
    OPEN_STATUSES,
    Violation,
    ViolationFollowUp,
    ViolationKind,
    ViolationNotice,
    ViolationPhoto,
    ViolationStatus,
)

REPORT_MONTHS = 12


@dataclass
class ViolationFilters:
    kind: str = ""
    status: str = ""
    building_id: int | None = None
    project_id: int | None = None
    overdue: bool = False
    q: str = ""


def _overdue_q(today: date) -> Q:
    return Q(status__in=sorted(rules.FOLLOW_UP_FROM), deadline__lt=today)


def violation_list(*, user, filters: ViolationFilters, today: date):
    rows = (Violation.objects.restrict(user)
            .select_related("project", "building", "room", "common_area", "recorded_by__staff_profile"))
    if filters.kind in ViolationKind.values:
        rows = rows.filter(kind=filters.kind)
    if filters.status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif filters.status in ViolationStatus.values:
        rows = rows.filter(status=filters.status)
    if filters.building_id:
        rows = rows.filter(building_id=filters.building_id)
    if filters.project_id:
        rows = rows.filter(project_id=filters.project_id)
    if filters.overdue:
        rows = rows.filter(_overdue_q(today))
    if filters.q:
        rows = rows.filter(Q(description__icontains=filters.q) | Q(location__icontains=filters.q)
                           | Q(room__code__icontains=filters.q))
    return rows.order_by("-recorded_at", "-id")


def decorate(violations, *, today: date):
    for violation in violations:
        violation.overdue = rules.overdue(status=violation.status, deadline=violation.deadline, today=today)
    return violations


def buildings_for_filter(*, user):
    return Building.objects.restrict(user).select_related("project").order_by("project_id", "sort", "id")


def violation_detail(*, user, violation_id: int) -> Violation:
    """One violation in scope, with everything its page shows (DoesNotExist otherwise)."""
    return (Violation.objects.restrict(user)
            .select_related("project", "building", "room", "common_area", "renovation", "finding__request",
                            "request", "recorded_by__staff_profile", "escalated_by__staff_profile",
                            "referred_by__staff_profile", "closed_by__staff_profile")
            .prefetch_related(
                Prefetch("notices", ViolationNotice.objects.select_related("sent_by__staff_profile")),
                Prefetch("follow_ups", ViolationFollowUp.objects.select_related("by__staff_profile")
                         .prefetch_related("photos")),
                Prefetch("photos", ViolationPhoto.objects.filter(follow_up__isnull=True), to_attr="own_photos"))
            .get(pk=violation_id))


def timeline(violation) -> list[dict]:
    """The violation's events in order: recorded, notices, follow-ups, escalation, referral, closing."""
    events = [{"at": violation.recorded_at, "what": "recorded", "by": violation.recorded_by}]
    events += [{"at": n.sent_at, "what": "notice", "by": n.sent_by, "notice": n} for n in violation.notices.all()]
    events += [{"at": f.at, "what": "follow_up", "by": f.by, "follow_up": f} for f in violation.follow_ups.all()]
    if violation.escalated_at:
        events.append({"at": violation.escalated_at, "what": "escalated", "by": violation.escalated_by})
    if violation.referred_at:
        events.append({"at": violation.referred_at, "what": "referred", "by": violation.referred_by})
    if violation.closed_at:
        events.append({"at": violation.closed_at, "what": "closed", "by": violation.closed_by})
    return sorted(events, key=lambda e: e["at"])


def notice_detail(*, user, notice_id: int) -> ViolationNotice:
    return (ViolationNotice.objects.restrict(user)
            .select_related("violation", "project", "room__building", "sent_by__staff_profile").get(pk=notice_id))


def photo_get(*, user, photo_id: int) -> ViolationPhoto:
    return ViolationPhoto.objects.restrict(user).get(pk=photo_id)


# --- the household ------------------------------------------------------------------------------------------------

def my_notices(*, user):
    """The notices addressed to the homes the resident lives in now, newest first, with the violation's kind and
    state (nothing a staff member wrote for staff)."""
    return (ViolationNotice.objects.restrict(user).select_related("violation", "room", "project")
            .order_by("-sent_at", "-id"))


def my_notice(*, user, notice_id: int) -> ViolationNotice:
    return ViolationNotice.objects.restrict(user).select_related("violation", "room", "project").get(pk=notice_id)


# --- counts -------------------------------------------------------------------------------------------------------

def first_month(today: date, months: int = REPORT_MONTHS) -> date:
    year, month = today.year, today.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def month_counts(*, user, today: date, project_id: int | None = None, months: int = REPORT_MONTHS) -> dict:
    """Violations recorded per building and month (the last ``months`` months), by kind, counted in SQL.

    Returns {"months": [date …], "kinds": [(value, label) …], "rows": [{"building": …, "month": date, "counts":
    {kind: n}, "total": n} …], "totals": {kind: n}, "total": n}."""
    start = first_month(today, months)
    zone = timezone.get_current_timezone()
    rows = Violation.objects.restrict(user).filter(
        recorded_at__gte=timezone.make_aware(datetime(start.year, start.month, 1), zone))
    if project_id:
        rows = rows.filter(project_id=project_id)
    grouped = (rows.annotate(month=TruncMonth("recorded_at", tzinfo=zone))
               .values("project__name", "building_id", "building__number", "building__name", "month", "kind")
               .annotate(n=Count("id")).order_by("project__name", "building__number", "month", "kind"))
    table: dict[tuple, dict] = {}
    totals = {kind: 0 for kind in ViolationKind.values}
    for row in grouped:
        month = row["month"].date() if isinstance(row["month"], datetime) else row["month"]
        key = (row["project__name"], row["building_id"], month)
        if key not in table:
            name = row["building__name"] or (_("Building %(number)s") % {"number": row["building__number"]}
                                             if row["building_id"] else _("no building"))
            table[key] = {"project": row["project__name"], "building_id": row["building_id"], "building": name,
                          "month": month, "counts": {kind: 0 for kind in ViolationKind.values}, "total": 0}
        table[key]["counts"][row["kind"]] += row["n"]
        table[key]["total"] += row["n"]
        totals[row["kind"]] += row["n"]
    result_rows = sorted(table.values(), key=lambda r: (r["project"], r["building"], r["month"]))
    for row in result_rows:
        row["cells"] = [row["counts"][kind] for kind in ViolationKind.values]
    return {"start": start, "kinds": list(ViolationKind.choices), "rows": result_rows, "totals": totals,
            "total_cells": [totals[kind] for kind in ViolationKind.values], "total": sum(totals.values())}


def dashboard_figures(*, project_ids: list[int], now: datetime) -> list[dict]:
    """The PM dashboard's figures, in one query: open violations, past their deadline, referred this month."""
    today = timezone.localdate(now)
    month_start = timezone.make_aware(datetime(today.year, today.month, 1), timezone.get_current_timezone())
    figures = Violation.objects.filter(project_id__in=project_ids).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=_overdue_q(today)),
        referred=Count("id", filter=Q(referred_at__gte=month_start)))
    url = reverse("violations:violation_list")
    return [
        {"key": "violations_open", "label": _("Open violations"), "value": figures["open"],
         "url": f"{url}?status=open", "alert": False},
        {"key": "violations_overdue", "label": _("Violations past their deadline"), "value": figures["overdue"],
         "url": f"{url}?overdue=1", "alert": figures["overdue"] > 0},
        {"key": "violations_referred", "label": _("Violations referred this month"), "value": figures["referred"],
         "url": f"{url}?status=referred", "alert": False},
    ]


