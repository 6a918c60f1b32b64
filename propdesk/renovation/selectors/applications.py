"""Reads of renovation applications: the staff list (scope, status, building, a steward's zone), a renovation with
what its page shows, a resident's renovations, the project's rules, and the PM dashboard's figures."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from propdesk.customers.models import Occupancy
from propdesk.org.models import Building
from propdesk.stewardship.models import ZoneAssignment

from ..models import Renovation, RenovationPhoto, RenovationStatus, RenovationWorker
from ..services.applications import settings_of

__all__ = ["RenovationFilters", "dashboard_figures", "my_homes", "my_renovations", "renovation_detail",
           "renovation_list", "settings_of"]

WAITING_ALERT_DAYS = 3


@dataclass
class RenovationFilters:
    status: str = ""
    building_id: int | None = None
    steward_id: int | None = None  # the buildings of this steward's zone
    project_id: int | None = None
    query: str = ""


def renovation_list(*, user, filters: RenovationFilters):
    qs = (Renovation.objects.restrict(user).select_related("room", "project", "building")
          .annotate(worker_count=Count("workers")))
    if filters.status == "open":
        qs = qs.filter(status__in=[RenovationStatus.SUBMITTED, RenovationStatus.APPROVED,
                                   RenovationStatus.ACCEPTANCE_REQUESTED, RenovationStatus.ACCEPTED])
    elif filters.status in RenovationStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.building_id:
        qs = qs.filter(building_id=filters.building_id)
    if filters.project_id:
        qs = qs.filter(project_id=filters.project_id)
    if filters.steward_id:
        qs = qs.filter(building_id__in=ZoneAssignment.objects.filter(steward_id=filters.steward_id)
                       .values("building_id"))
    if filters.query:
        text = filters.query.strip()[:50]
        qs = qs.filter(Q(number__icontains=text) | Q(room__code__icontains=text) | Q(applicant_name__icontains=text)
                       | Q(contractor_name__icontains=text))
    return qs.order_by("-created_at", "-id")


def buildings_for_filter(*, user):
    return Building.objects.restrict(user).select_related("project").order_by("project_id", "number")


def renovation_detail(*, user, renovation_id: int) -> Renovation:
    """The renovation in the user's scope (a resident: their household's), with items, workers and photos.
    DoesNotExist otherwise."""
    return (Renovation.objects.restrict(user)
            .select_related("room", "project", "building", "applicant", "decided_by", "created_by",
                            "deposit_bill", "fee_bill", "decided_by__staff_profile")
            .prefetch_related("items", Prefetch("workers", queryset=RenovationWorker.objects.prefetch_related(
                "photos")), Prefetch("photos", queryset=RenovationPhoto.objects.filter(worker__isnull=True)))
            .get(pk=renovation_id))


def photo_of(*, user, photo_id: int) -> RenovationPhoto:
    return RenovationPhoto.objects.get(pk=photo_id, renovation__in=Renovation.objects.restrict(user))


def worker_of(*, user, worker_id: int) -> RenovationWorker:
    """A worker of a renovation in the staff member's scope (residents never reveal: the view needs REVEAL_ID)."""
    return RenovationWorker.objects.get(pk=worker_id, renovation__in=Renovation.objects.restrict(user))


def is_resident(user) -> bool:
    from propdesk.core.scoping import scope_of

    return bool(scope_of(user).resident_id)


def my_renovations(*, user):
    return (Renovation.objects.restrict(user).select_related("room", "project")
            .order_by("-created_at", "-id"))


def my_homes(*, resident, on):
    """The resident's current homes (Occupancies with room and project)."""
    return list(Occupancy.objects.current(on).filter(resident=resident).select_related("room", "project")
                .order_by("room__code"))


def bill_state(bill) -> dict | None:
    if bill is None:
        return None
    return {"bill": bill, "amount_fen": bill.amount_fen, "open_fen": bill.open_fen, "paid": bill.open_fen == 0,
            "amount": f"{bill.amount_fen / 100:.2f}"}


def dashboard_figures(*, project_ids: list[int], now: datetime) -> list[dict]:
    """The PM dashboard: applications waiting for approval (alert when one waits longer than 3 days). One query."""
    row = (Renovation.objects.filter(project_id__in=list(project_ids), status=RenovationStatus.SUBMITTED)
           .aggregate(n=Count("id"), oldest=Min("created_at")))
    waiting = row["n"] or 0
    alert = bool(waiting and row["oldest"] and row["oldest"] < now - timedelta(days=WAITING_ALERT_DAYS))
    return [{"key": "renovations_waiting", "label": _("Renovations waiting for approval"), "value": waiting,
             "url": reverse("renovation:list") + "?status=submitted", "alert": alert}]
