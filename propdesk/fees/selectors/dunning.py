"""Reads for dunning: the arrears worklist (homes that owe, in the user's scope), one home's dunning history and
its open bills, and a project's ladder. Every list is a constant number of queries however many rows it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from propdesk.customers.models import Occupancy
from propdesk.org.models import Project, Room
from propdesk.servicedesk.choices import Kind, RequestStatus
from propdesk.servicedesk.models import ServiceRequest

from ..models import Account, Bill, DunningAction, DunningStep
from ..rules.arrears import BUCKETS, months_between
from ..rules.dunning import StepKind

SORTS = ("amount", "age")
OPEN_REQUEST = ~Q(status__in=[RequestStatus.CLOSED, RequestStatus.CANCELLED])
# The occupant named on the worklist and the letter: the owner first, then co-owners, tenants, the family.
RELATION_ORDER = Case(When(relation="owner", then=Value(0)), When(relation="co_owner", then=Value(1)),
                      When(relation="tenant", then=Value(2)), default=Value(3), output_field=IntegerField())


@dataclass(frozen=True)
class ArrearsFilters:
    building_id: int | None = None
    bucket: str = ""  # one of rules.arrears.BUCKETS
    calls_open: bool = False
    sort: str = "amount"
    project_id: int | None = None


def months_back(on: date, months: int) -> date:
    """The latest due date that is at least ``months`` whole months old on ``on`` (rules.arrears.months_between)."""
    index = on.year * 12 + on.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = on.day
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def _bucket_q(bucket: str, on: date) -> Q:
    bounds = {"0-3": (0, 3), "3-6": (3, 6), "6-12": (6, 12), "12+": (12, None)}[bucket]
    low, high = bounds
    q = Q(oldest_due__lte=months_back(on, low)) if low else Q()
    if high is not None:
        q &= Q(oldest_due__gt=months_back(on, high))
    return q


def _open_calls():
    return DunningAction.objects.filter(room_id=OuterRef("room_id"), step_kind=StepKind.CALL, done_at__isnull=True)


def _open_letters():
    return DunningAction.objects.filter(room_id=OuterRef("room_id"), step_kind=StepKind.NOTICE, done_at__isnull=True)


def arrears_list(*, user, filters: ArrearsFilters, on: date):
    """Accounts that owe in ``user``'s scope with what the worklist shows, sorted by amount (largest first) or by
    age (oldest first)."""
    occupant = (Occupancy.objects.current(on).filter(room_id=OuterRef("room_id"))
                .order_by(RELATION_ORDER, "id").values("resident__name")[:1])
    last_step = DunningAction.objects.filter(room_id=OuterRef("room_id")).exclude(step_code="").order_by("-at", "-id")
    complaints = (ServiceRequest.objects.filter(room_id=OuterRef("room_id"), kind=Kind.COMPLAINT).filter(OPEN_REQUEST)
                  .order_by().values("room_id").annotate(n=Count("id")).values("n"))
    rows = (Account.objects.restrict(user).filter(owed_fen__gt=0)
            .select_related("room", "room__building", "project")
            .annotate(occupant=Subquery(occupant, output_field=CharField()),
                      last_step_kind=Subquery(last_step.values("step_kind")[:1], output_field=CharField()),
                      last_step_at=Subquery(last_step.values("at")[:1], output_field=DateTimeField()),
                      open_complaints=Coalesce(Subquery(complaints, output_field=IntegerField()), Value(0)),
                      call_open=Exists(_open_calls()), letter_open=Exists(_open_letters())))
    if filters.project_id:
        rows = rows.filter(project_id=filters.project_id)
    if filters.building_id:
        rows = rows.filter(room__building_id=filters.building_id)
    if filters.bucket in BUCKETS:
        rows = rows.filter(_bucket_q(filters.bucket, on))
    if filters.calls_open:
        rows = rows.filter(Exists(_open_calls()))
    if filters.sort == "age":
        return rows.order_by("oldest_due", "-owed_fen", "pk")
    return rows.order_by("-owed_fen", "oldest_due", "pk")


def months_overdue(account, on: date) -> int:
    return months_between(account.oldest_due, on) if account.oldest_due else 0


def arrears_room(*, user, room_id: int) -> Room:
    """A home in the user's scope (DoesNotExist otherwise: a 404)."""
    return Room.objects.restrict(user).select_related("project__company", "building").get(pk=room_id)


def account_of(room) -> Account | None:
    return Account.objects.filter(room_id=room.pk).first()


def dunning_history(*, room, limit: int = 200):
    return (DunningAction.objects.filter(room_id=room.pk).select_related("actor__staff_profile")
            .order_by("-at", "-id")[:limit])


def open_bills(*, room):
    return Bill.objects.filter(room_id=room.pk, open_fen__gt=0).select_related("item").order_by(
        "due_date", "item__position", "period_key", "id")


def occupants(*, room, on: date):
    return (Occupancy.objects.current(on).filter(room_id=room.pk).select_related("resident")
            .order_by(RELATION_ORDER, "id"))


def open_complaints(*, room):
    return ServiceRequest.objects.filter(room_id=room.pk, kind=Kind.COMPLAINT).filter(OPEN_REQUEST).order_by(
        "-received_at")


def ladder_projects(*, user):
    return Project.objects.restrict(user).order_by("code")


def ladder(*, project):
    return DunningStep.objects.filter(project=project).order_by("-active", "after_months", "after_days", "id")


def letter_deadline(on: date) -> date:
    """The date the letter asks the household to pay by: 15 days from printing."""
    return on + timedelta(days=15)
