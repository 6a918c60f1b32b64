"""Fees API of finance: /api/fees/items, /api/fees/items/{id}/rates, /api/fees/runs, /api/fees/readings and a
home's one-off bills and subscriptions. Reading the price list needs VIEW_ACCOUNTS; changing it, runs, one-off bills
and subscriptions MANAGE_BILLING; readings ENTER_READINGS. Another scope's ids answer 404; residents 403."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.org.api import Pagination
from propdesk.org.models import Room
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..choices import Cycle, FeeKind, RunStatus
from ..models import FeeItem
from ..selectors import setup as reads
from ..services.billing import billing_run_create
from ..services.items import ItemInput, fee_item_create, fee_rate_add, subscription_add
from ..services.oneoff import bill_issue_one_off
from ..services.readings import reading_record

router = Router(tags=["fees"])


def _need(request, capability: Capability) -> None:
    if not user_can(request.user, capability):
        raise PermissionDenied(_("Your role may not do this."))


def _project(request, project_id: int | None):
    project = reads.project_chosen(user=request.user, project_id=project_id)
    if project is None:
        raise ApplicationError(_("Please correct the marked fields."),
                               {"fields": {"project_id": [_("No such project in your scope.")]}})
    return project


class FeeRateOut(Schema):
    id: int
    room_type: str
    effective_from: date
    rate_fen: Decimal = Field(..., description="Fen per m² and month (area), per home or unit and month (fixed), "
                                               "the amount (one-off); 0 for a metered item (see tiers).")
    tiers: list[dict]


class FeeItemOut(Schema):
    id: int
    project_id: int
    code: str
    name: str
    kind: FeeKind
    cycle: Cycle
    due_day: int
    unit: str
    room_types: list[str]
    per_subscription: bool
    vacant_discount_bp: int
    late_daily_bp: int
    late_grace_days: int
    late_cap_bp: int
    active: bool
    rates: list[FeeRateOut]


def _item_out(item, rates) -> dict:
    return {**{name: getattr(item, name) for name in (
        "id", "project_id", "code", "name", "kind", "cycle", "due_day", "unit", "room_types", "per_subscription",
        "vacant_discount_bp", "late_daily_bp", "late_grace_days", "late_cap_bp", "active")},
        "rates": [{"id": r.pk, "room_type": r.room_type, "effective_from": r.effective_from, "rate_fen": r.rate_fen,
                   "tiers": r.tiers} for r in rates]}


class FeeItemFilters(Schema):
    project: int | None = Field(None, description="A project id in the caller's scope; default: the first.")


@router.get("items", response=list[FeeItemOut], summary="A project's fee items with every price (VIEW_ACCOUNTS)")
def items_list(request, filters: Query[FeeItemFilters]):
    _need(request, Capability.VIEW_ACCOUNTS)
    project = _project(request, filters.project)
    prices = reads.items_with_prices(user=request.user, project=project, on=timezone.localdate())
    return [_item_out(p.item, [*p.upcoming, *p.current, *p.earlier]) for p in prices]


class FeeItemIn(Schema):
    project_id: int
    code: str = Field(..., max_length=32)
    name: str = Field(..., max_length=50)
    kind: FeeKind
    cycle: Cycle = Cycle.MONTHLY
    due_day: int = Field(15, ge=1, le=28)
    unit: str = Field("", max_length=10)
    room_types: list[str] = Field(default_factory=list, max_length=10)
    per_subscription: bool = False
    vacant_discount_percent: Decimal = Field(Decimal(0), ge=0, le=100, decimal_places=2)
    late_fee_per_mille: Decimal = Field(Decimal(0), ge=0, le=100, decimal_places=1)
    late_cap_percent: Decimal = Field(Decimal(100), ge=0, le=100, decimal_places=2)
    late_grace_days: int = Field(0, ge=0, le=365)


@router.post("items", response={201: FeeItemOut}, summary="Add a fee item to a project (MANAGE_BILLING)")
def item_create(request, payload: FeeItemIn):
    _need(request, Capability.MANAGE_BILLING)
    project = _project(request, payload.project_id)
    item = fee_item_create(project=project, actor=request.user,
                           data=ItemInput(**payload.dict(exclude={"project_id"})))
    return Status(201, _item_out(item, []))


class FeeRateIn(Schema):
    effective_from: date
    room_type: str = Field("", max_length=16, description="Blank: every room type.")
    rate: str | None = Field(None, max_length=20, description="Yuan (up to four decimals); not for metered items.")
    tiers: list[tuple[str | None, str]] = Field(default_factory=list, max_length=10,
                                                description="Metered: [[up_to or null, price yuan], …].")


@router.post("items/{int:item_id}/rates", response={201: FeeRateOut},
             summary="A new price of an item from a date; refused before the last billed period (MANAGE_BILLING)")
def rate_create(request, item_id: int, payload: FeeRateIn):
    _need(request, Capability.MANAGE_BILLING)
    with scoped_404():
        item = reads.item_get(user=request.user, item_id=item_id)
    rate = fee_rate_add(item=item, effective_from=payload.effective_from, actor=request.user,
                        room_type=payload.room_type, rate=payload.rate,
                        tiers=[(u or "", p) for u, p in payload.tiers])
    return Status(201, {"id": rate.pk, "room_type": rate.room_type, "effective_from": rate.effective_from,
                        "rate_fen": rate.rate_fen, "tiers": rate.tiers})


class BillingRunOut(Schema):
    id: int
    project_id: int
    period_key: str
    status: RunStatus
    total: int
    done: int
    created: int
    amount_fen: int
    message: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class BillingRunFilters(Schema):
    project: int | None = None


@router.get("runs", response=list[BillingRunOut], summary="Billing runs in the caller's scope, newest first "
                                                  "(MANAGE_BILLING)")
@paginate(Pagination)
def runs_list(request, filters: Query[BillingRunFilters]):
    _need(request, Capability.MANAGE_BILLING)
    return reads.runs_list(user=request.user, project_id=filters.project)


class BillingRunIn(Schema):
    project_id: int
    period: str = Field(..., max_length=7, description="The month to bill: 2026-11.")


@router.post("runs", response={201: BillingRunOut}, summary="Queue the bills of a month for every home of a project; a "
                                                     "run already queued for it is answered instead (MANAGE_BILLING)")
def run_create(request, payload: BillingRunIn):
    _need(request, Capability.MANAGE_BILLING)
    project = _project(request, payload.project_id)
    return Status(201, billing_run_create(project=project, period_key=payload.period, actor=request.user))


@router.get("runs/{int:run_id}", response=BillingRunOut, summary="A billing run's progress (MANAGE_BILLING)")
def run_detail(request, run_id: int):
    _need(request, Capability.MANAGE_BILLING)
    with scoped_404():
        return reads.run_get(user=request.user, run_id=run_id)


class MeterReadingOut(Schema):
    id: int
    room_id: int
    room_code: str
    item_id: int
    period_key: str
    reading: Decimal
    previous: Decimal
    consumption: Decimal
    alarm: bool
    confirmed: bool
    billed: bool
    read_at: datetime

    @staticmethod
    def resolve_room_code(row) -> str:
        return row.room.code

    @staticmethod
    def resolve_confirmed(row) -> bool:
        return not row.alarm or row.confirmed_by_id is not None

    @staticmethod
    def resolve_billed(row) -> bool:
        return row.bill_id is not None


class MeterReadingFilters(Schema):
    project: int | None = None
    item: int | None = None
    period: str = Field("", max_length=10)
    building: int | None = None
    floor: int | None = Field(None, ge=-10, le=300)


@router.get("readings", response=list[MeterReadingOut], summary="Meter readings in the caller's scope (ENTER_READINGS)")
@paginate(Pagination)
def readings_list(request, filters: Query[MeterReadingFilters]):
    _need(request, Capability.ENTER_READINGS)
    project = _project(request, filters.project) if filters.project else None
    return reads.readings_list(user=request.user, project=project, item_id=filters.item, period_key=filters.period,
                               building_id=filters.building, floor=filters.floor)


class MeterReadingIn(Schema):
    room_id: int
    item_id: int
    period: str = Field(..., max_length=10)
    reading: str = Field(..., max_length=20)
    replaced_final: str | None = Field(None, max_length=20, description="The old meter's final reading, when the "
                                                                        "meter was replaced.")
    replaced_start: str | None = Field(None, max_length=20)
    confirm_unusual: bool = Field(False, description="Keep a reading far above the usual (answered 400 with "
                                                     "`extra.unusual` otherwise).")


@router.post("readings", response={201: MeterReadingOut}, summary="Record a meter reading (ENTER_READINGS)")
def reading_create(request, payload: MeterReadingIn):
    _need(request, Capability.ENTER_READINGS)
    errors = {}
    room = Room.objects.restrict(request.user).filter(pk=payload.room_id).select_related("project").first()
    if room is None:
        errors["room_id"] = [_("No such room in your scope.")]
    item = FeeItem.objects.restrict(request.user).filter(pk=payload.item_id).first()
    if item is None:
        errors["item_id"] = [_("Choose a metered item of this project.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    replaced = None
    if payload.replaced_final or payload.replaced_start:
        replaced = (payload.replaced_final or "", payload.replaced_start or "")
    reading = reading_record(room=room, item=item, period_key=payload.period, reading=payload.reading,
                             actor=request.user, replaced=replaced, confirm_unusual=payload.confirm_unusual)
    reading.room = room
    return Status(201, reading)


class OneOffBillIn(Schema):
    item_id: int
    amount: str | None = Field(None, max_length=20, description="Yuan; empty: the item's listed amount.")
    note: str = Field("", max_length=100)


class OneOffBillOut(Schema):
    id: int
    room_id: int
    item_id: int
    period_key: str
    due_date: date
    amount_fen: int
    open_fen: int
    description: str


@router.post("homes/{int:room_id}/one-off", response={201: OneOffBillOut},
             summary="Issue a one-off bill (装修垃圾清运费 …) to a home (MANAGE_BILLING)")
def one_off_create(request, room_id: int, payload: OneOffBillIn):
    _need(request, Capability.MANAGE_BILLING)
    with scoped_404():
        room = reads.room_get(user=request.user, room_id=room_id)
    item = FeeItem.objects.filter(project=room.project, pk=payload.item_id).first()
    if item is None:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {"item_id": [
            _("Choose a one-off item of this project.")]}})
    bill = bill_issue_one_off(room=room, item=item, amount=payload.amount, note=payload.note, actor=request.user)
    return Status(201, bill)


class FeeSubscriptionIn(Schema):
    item_id: int
    start_date: date
    quantity: int = Field(1, ge=1, le=99)
    label: str = Field("", max_length=50)


class FeeSubscriptionOut(Schema):
    id: int
    room_id: int
    item_id: int
    quantity: int
    label: str
    start_date: date
    end_date: date | None


@router.post("homes/{int:room_id}/subscriptions", response={201: FeeSubscriptionOut},
             summary="Add a parking space (or another per-unit item) to a home (MANAGE_BILLING)")
def subscription_create(request, room_id: int, payload: FeeSubscriptionIn):
    _need(request, Capability.MANAGE_BILLING)
    with scoped_404():
        room = reads.room_get(user=request.user, room_id=room_id)
    item = FeeItem.objects.filter(project=room.project, pk=payload.item_id).first()
    if item is None:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {"item_id": [
            _("Choose an item of this project charged per subscribed unit.")]}})
    return Status(201, subscription_add(room=room, item=item, start_date=payload.start_date, actor=request.user,
                                        quantity=payload.quantity, label=payload.label))
