"""Move-in reads: slots with their places, buyers with their booking, bookings of a day, a handover's record, the
open-defects report for the developer and the dashboard's figures. Every list is scoped (``restrict``) and takes a
fixed number of queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Building
from propdesk.servicedesk.choices import RequestStatus

from ..models import BookingStatus, Handover, HandoverBooking, HandoverBuyer, HandoverDefect, HandoverSlot
from ..rules.handover import AGE_BUCKETS, age_bucket

OPEN_REQUEST = (RequestStatus.OPEN, RequestStatus.IN_PROGRESS)


def slot_list(*, user, project_id: int | None = None, building_id: int | None = None, since: datetime | None = None,
              until: datetime | None = None):
    rows = HandoverSlot.objects.restrict(user).select_related("project", "building")
    if project_id:
        rows = rows.filter(project_id=project_id)
    if building_id:
        rows = rows.filter(Q(building_id=building_id) | Q(building__isnull=True))
    if since:
        rows = rows.filter(starts_at__gte=since)
    if until:
        rows = rows.filter(starts_at__lt=until)
    return rows.order_by("starts_at", "id")


def slot_detail(*, user, slot_id: int) -> tuple[HandoverSlot, list[HandoverBooking]]:
    slot = HandoverSlot.objects.restrict(user).select_related("project", "building").get(pk=slot_id)
    bookings = list(slot.bookings.filter(status__in=[BookingStatus.BOOKED, BookingStatus.DONE])
                    .select_related("buyer", "room").order_by("room__code"))
    return slot, bookings


def open_slots_for(buyer: HandoverBuyer, *, now: datetime, limit: int = 60):
    """The slots a buyer may book: of their project (all buildings or theirs), from tomorrow, with a place left."""
    tomorrow = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return (HandoverSlot.objects.filter(project_id=buyer.project_id, starts_at__gte=tomorrow,
                                        booked__lt=F("capacity"))
            .filter(Q(building__isnull=True) | Q(building_id=buyer.building_id)).order_by("starts_at")[:limit])


def active_booking(room_id: int) -> HandoverBooking | None:
    return (HandoverBooking.objects.filter(room_id=room_id, status=BookingStatus.BOOKED).select_related("slot")
            .first())


def buyer_list(*, user, project_id: int | None = None, building_id: int | None = None, q: str = ""):
    bookings = HandoverBooking.objects.filter(status__in=[BookingStatus.BOOKED, BookingStatus.DONE]).select_related(
        "slot")
    rows = (HandoverBuyer.objects.restrict(user).select_related("room", "building", "project")
            .prefetch_related(Prefetch("bookings", queryset=bookings, to_attr="live_bookings")))
    if project_id:
        rows = rows.filter(project_id=project_id)
    if building_id:
        rows = rows.filter(building_id=building_id)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(room__code__icontains=q) | Q(mobile__endswith=q))
    return rows.order_by("room__code")


def booking_list(*, user, project_id: int | None = None, day: date | None = None, status: str = ""):
    rows = HandoverBooking.objects.restrict(user).select_related("slot", "buyer", "room", "project")
    if project_id:
        rows = rows.filter(project_id=project_id)
    if day:
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        rows = rows.filter(slot__starts_at__gte=start, slot__starts_at__lt=start + timedelta(days=1))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("slot__starts_at", "room__code")


def handover_detail(*, user, handover_id: int) -> Handover:
    return (Handover.objects.restrict(user).select_related("room", "buyer", "resident", "steward__staff_profile",
                                                           "handed_over_by__staff_profile", "booking__slot", "project")
            .prefetch_related(Prefetch("defects", queryset=HandoverDefect.objects.select_related("request")))
            .get(pk=handover_id))


def developer_department_id(user) -> int | None:
    """The department of a developer after-sales user (they see the defects routed to it), else None."""
    profile = getattr(user, "staff_profile", None)
    department = getattr(profile, "department", None) if profile else None
    if department is not None and department.kind == DepartmentKind.DEVELOPER:
        return department.pk
    return None


def defects_scoped(user):
    rows = HandoverDefect.objects.restrict(user)
    department_id = developer_department_id(user)
    if department_id is not None:
        rows = rows.filter(request__work_orders__department_id=department_id).distinct()
    return rows


def open_defects(*, user, project_id: int | None = None, building_id: int | None = None):
    rows = defects_scoped(user).filter(request__status__in=OPEN_REQUEST)
    if project_id:
        rows = rows.filter(project_id=project_id)
    if building_id:
        rows = rows.filter(building_id=building_id)
    return (rows.select_related("handover__room", "building", "request", "project")
            .order_by("building__number", "handover__room__code", "id"))


@dataclass
class DefectReport:
    buildings: list[dict]
    areas: list[dict]
    ages: list[dict]
    total: int
    overdue: int


def defect_report(*, user, now: datetime, project_id: int | None = None) -> DefectReport:
    """Open defects per building (open, overdue, fixed so far), per room part, per age; aggregated in the database."""
    base = defects_scoped(user)
    if project_id:
        base = base.filter(project_id=project_id)
    is_open = Q(request__status__in=OPEN_REQUEST)
    per_building = list(base.values("building_id", "project__name", "building__number").annotate(
        open=Count("id", filter=is_open), overdue=Count("id", filter=is_open & Q(fix_by__lt=now)),
        fixed=Count("id", filter=~is_open)).order_by("project__name", "building__number"))
    per_area = list(base.filter(is_open).values("area").annotate(n=Count("id")).order_by("-n", "area"))
    today = timezone.localtime(now).date()
    ages = {label: 0 for _limit, label in AGE_BUCKETS}
    for row in base.filter(is_open).values("found_at__date").annotate(n=Count("id")):
        ages[age_bucket((today - row["found_at__date"]).days)] += row["n"]
    return DefectReport(buildings=per_building, areas=per_area, ages=[{"age": k, "n": v} for k, v in ages.items()],
                        total=sum(r["open"] for r in per_building), overdue=sum(r["overdue"] for r in per_building))


def buildings_for_filter(*, user):
    return Building.objects.restrict(user).select_related("project").order_by("project_id", "number")


def dashboard_figures(*, project_ids: list[int], now: datetime) -> list[dict]:
    """The PM dashboard's move-in figures for ``project_ids``: handovers booked today, bookings this week, open
    handover defects and those past their deadline. Three queries."""
    local = timezone.localtime(now)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    week_start = day_start - timedelta(days=local.weekday())
    bookings = HandoverBooking.objects.filter(project_id__in=project_ids).exclude(
        status=BookingStatus.CANCELLED).aggregate(
        today=Count("id", filter=Q(slot__starts_at__gte=day_start, slot__starts_at__lt=day_start + timedelta(days=1))),
        week=Count("id", filter=Q(slot__starts_at__gte=week_start, slot__starts_at__lt=week_start + timedelta(days=7))))
    defects = HandoverDefect.objects.filter(project_id__in=project_ids, request__status__in=OPEN_REQUEST).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(fix_by__lt=now)))
    bookings_url, defects_url = reverse("movein:handover_list"), reverse("movein:defect_report")
    return [
        {"key": "handovers_today", "label": _("Handovers today"), "value": bookings["today"],
         "url": bookings_url, "alert": False},
        {"key": "handover_bookings_week", "label": _("Handover bookings this week"), "value": bookings["week"],
         "url": bookings_url, "alert": False},
        {"key": "handover_defects_open", "label": _("Open handover defects"), "value": defects["open"],
         "url": defects_url, "alert": False},
        {"key": "handover_defects_overdue", "label": _("Handover defects overdue"), "value": defects["overdue"],
         "url": f"{defects_url}?overdue=1", "alert": defects["overdue"] > 0},
    ]
