"""Reads of finance's side: items with their prices, billing runs, a floor's meter readings. Scoped by user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Prefetch, Subquery

from propdesk.org.models import Building, Project, Room

from ..choices import FeeKind
from ..models import BillingRun, FeeItem, FeeRate, MeterReading, Subscription


def projects_for(*, user):
    return Project.objects.restrict(user).order_by("code")


def project_chosen(*, user, project_id) -> Project | None:
    """The project asked for (in scope) or the user's first; None when the user has none."""
    projects = projects_for(user=user)
    text = str(project_id or "").strip()
    if text.isdigit() and len(text) <= 18:
        return projects.filter(pk=int(text)).first()
    return projects.first()


@dataclass
class ItemPrices:
    item: FeeItem
    current: list[FeeRate] = field(default_factory=list)  # in force today, one per room type
    upcoming: list[FeeRate] = field(default_factory=list)
    earlier: list[FeeRate] = field(default_factory=list)


def items_with_prices(*, user, project: Project, on: date) -> list[ItemPrices]:
    """The project's items, each with its prices in force on ``on`` (per room type), later and earlier ones."""
    rates = FeeRate.objects.order_by("room_type", "-effective_from")
    items = (FeeItem.objects.restrict(user).filter(project=project).prefetch_related(Prefetch("rates", rates))
             .order_by("position", "pk"))
    out = []
    for item in items:
        prices = ItemPrices(item)
        seen = set()
        for rate in item.rates.all():
            if rate.effective_from > on:
                prices.upcoming.append(rate)
            elif rate.room_type not in seen:
                seen.add(rate.room_type)
                prices.current.append(rate)
            else:
                prices.earlier.append(rate)
        out.append(prices)
    return out


def item_get(*, user, item_id: int) -> FeeItem:
    return FeeItem.objects.restrict(user).select_related("project").get(pk=item_id)


def room_get(*, user, room_id: int) -> Room:
    return Room.objects.restrict(user).select_related("project", "building").get(pk=room_id)


def subscriptions_of(*, room: Room):
    return Subscription.objects.filter(room=room).select_related("item").order_by("end_date", "-start_date", "pk")


def items_of_kind(*, project: Project, kinds) -> list[FeeItem]:
    return list(FeeItem.objects.filter(project=project, kind__in=list(kinds), active=True).order_by("position"))


def runs_list(*, user, project_id: int | None = None):
    runs = BillingRun.objects.restrict(user).select_related("project", "requested_by__staff_profile")
    return runs.filter(project_id=project_id) if project_id else runs


def run_get(*, user, run_id: int) -> BillingRun:
    return BillingRun.objects.restrict(user).select_related("project", "requested_by__staff_profile").get(pk=run_id)


def buildings_of(*, project: Project):
    return Building.objects.filter(project=project).order_by("sort", "pk")


def floor_rooms(*, user, building: Building, floor: int | None, item: FeeItem, period_key: str):
    """The rooms of a building's floor (in scope) with this period's reading and the last earlier one."""
    this = MeterReading.objects.filter(room_id=OuterRef("pk"), item=item, period_key=period_key)
    last = (MeterReading.objects.filter(room_id=OuterRef("pk"), item=item, period_key__lt=period_key)
            .order_by("-period_key"))
    rooms = Room.objects.restrict(user).filter(building=building)
    if floor is not None:
        rooms = rooms.filter(floor=floor)
    return rooms.select_related("unit").annotate(
        reading_id=Subquery(this.values("pk")[:1]), last_reading=Subquery(last.values("reading")[:1]),
        last_period=Subquery(last.values("period_key")[:1])).order_by("floor", "unit__number", "number")


def readings_of(*, rooms) -> dict[int, MeterReading]:
    ids = [room.reading_id for room in rooms if room.reading_id]
    return {r.room_id: r for r in MeterReading.objects.filter(pk__in=ids)}


def readings_list(*, user, project: Project | None = None, item_id: int | None = None, period_key: str = "",
                  building_id: int | None = None, floor: int | None = None):
    rows = MeterReading.objects.restrict(user).select_related("room", "item").order_by("room__code", "pk")
    if project is not None:
        rows = rows.filter(project=project)
    if item_id:
        rows = rows.filter(item_id=item_id)
    if period_key:
        rows = rows.filter(period_key=period_key)
    if building_id:
        rows = rows.filter(room__building_id=building_id)
    if floor is not None:
        rows = rows.filter(room__floor=floor)
    return rows


METERED = (FeeKind.METERED,)
