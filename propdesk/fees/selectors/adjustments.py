"""Reads for adjustments, late fees and refunds, scoped by the user: a home's adjustments and refunds, its bills that
can be reduced, and a manager's queue of pending requests."""

from __future__ import annotations

from django.db.models import QuerySet

from propdesk.org.models import Room

from ..choices import ApprovalStatus, FeeKind
from ..models import Account, Adjustment, Bill, Refund

PEOPLE = ("requested_by__staff_profile", "decided_by__staff_profile")


def home_room(*, user, room_id: int) -> Room:
    """The home, in the user's scope (DoesNotExist otherwise)."""
    return Room.objects.restrict(user).select_related("project", "building").get(pk=room_id)


def home_account(*, room) -> Account | None:
    return Account.objects.filter(room_id=room.pk).first()


def home_bills(*, user, room) -> QuerySet[Bill]:
    """The home's bills that an adjustment can concern: open ones, and paid ones with reductions (to add back)."""
    return (Bill.objects.restrict(user).filter(room_id=room.pk).select_related("item")
            .order_by("-due_date", "item__position", "pk"))


def home_adjustments(*, user, room) -> QuerySet[Adjustment]:
    return (Adjustment.objects.restrict(user).filter(room_id=room.pk)
            .select_related("bill__item", *PEOPLE).order_by("-requested_at", "-id"))


def home_refunds(*, user, room) -> QuerySet[Refund]:
    return Refund.objects.restrict(user).filter(room_id=room.pk).select_related(*PEOPLE).order_by(
        "-requested_at", "-id")


def adjustment_in_scope(*, user, adjustment_id: int) -> Adjustment:
    return Adjustment.objects.restrict(user).select_related("room", "bill__item").get(pk=adjustment_id)


def refund_in_scope(*, user, refund_id: int) -> Refund:
    return Refund.objects.restrict(user).select_related("room").get(pk=refund_id)


def bill_in_scope(*, user, bill_id: int) -> Bill:
    return Bill.objects.restrict(user).select_related("room__project", "item").get(pk=bill_id)


def pending_adjustments(*, user) -> QuerySet[Adjustment]:
    """Reductions and late-fee waivers waiting for a manager, in the user's scope, oldest first."""
    return (Adjustment.objects.restrict(user).filter(status=ApprovalStatus.PENDING)
            .select_related("room__project", "bill__item", "requested_by__staff_profile")
            .order_by("requested_at", "id"))


def pending_refunds(*, user) -> QuerySet[Refund]:
    return (Refund.objects.restrict(user).filter(status=ApprovalStatus.PENDING)
            .select_related("room__project", "requested_by__staff_profile").order_by("requested_at", "id"))


def is_late_fee(bill: Bill) -> bool:
    return bill.item.kind == FeeKind.LATE_FEE
