"""Fees API: dunning. The arrears worklist and one home's dunning state and history (CHASE_FEES), recording a
contact, opening or closing a dispute, and a project's ladder (read: CHASE_FEES; replace: MANAGE_BILLING).
A home or project outside the caller's scope is a 404."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from propdesk.core.errors import ApplicationError
from propdesk.core.views_utils import scoped_404
from propdesk.org.api import Pagination, require
from propdesk.staff.rules.roles import Capability

from ..choices import ContactChannel, ContactOutcome, DunningStepKind
from ..rules.arrears import months_between
from ..selectors import dunning as selectors
from ..services.contacts import contact_record, dispute_close, dispute_open
from ..services.dunning import StepInput, ladder_save

router = Router(tags=["fees"])


class ArrearsRowOut(Schema):
    room_id: int
    room: str
    project_id: int
    project: str
    building_id: int
    occupant: str | None
    owed_fen: int
    oldest_due: date | None
    months_overdue: int
    last_step_kind: str | None
    last_step_at: datetime | None
    promise_date: date | None
    open_complaints: int
    call_open: bool = Field(..., description="A call task of the ladder waits for the steward.")
    letter_open: bool = Field(..., description="A dunning letter waits to be printed.")
    dispute_open: bool
    lawyer_flag_at: datetime | None


MAX_ID = 10**18  # ids fit a 64-bit column; a larger number is a 422, not a database overflow


class ArrearsQuery(Schema):
    project: int | None = Field(None, ge=1, le=MAX_ID, description="A project id in the caller's scope.")
    building: int | None = Field(None, ge=1, le=MAX_ID)
    bucket: str | None = Field(None, description="Months overdue of the oldest open bill: 0-3, 3-6, 6-12 or 12+.")
    calls: bool = Field(False, description="Only homes with an open call task.")
    sort: str = Field("amount", description="amount (largest first) or age (oldest first).")


def _row(account, on: date) -> dict:
    return {"room_id": account.room_id, "room": account.room.code, "project_id": account.project_id,
            "project": account.project.name, "building_id": account.room.building_id,
            "occupant": account.occupant, "owed_fen": account.owed_fen, "oldest_due": account.oldest_due,
            "months_overdue": months_between(account.oldest_due, on) if account.oldest_due else 0,
            "last_step_kind": account.last_step_kind, "last_step_at": account.last_step_at,
            "promise_date": account.promise_date, "open_complaints": account.open_complaints,
            "call_open": account.call_open, "letter_open": account.letter_open,
            "dispute_open": account.dispute_open, "lawyer_flag_at": account.lawyer_flag_at}


class _Rows:
    """A queryset for the paginator whose slices come back as dicts (count and slicing stay in the database)."""

    def __init__(self, queryset, convert):
        self.queryset, self.convert = queryset, convert

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return [self.convert(item) for item in self.queryset[index]]


@router.get("/arrears", response=list[ArrearsRowOut],
            summary="Homes that owe in the caller's scope, largest or oldest first (CHASE_FEES)")
@paginate(Pagination)
def arrears_list(request, query: Query[ArrearsQuery]):
    require(request, Capability.CHASE_FEES)
    on = timezone.localdate()
    bucket = query.bucket if query.bucket in selectors.BUCKETS else ""
    filters = selectors.ArrearsFilters(building_id=query.building, bucket=bucket, calls_open=query.calls,
                                       sort=query.sort if query.sort in selectors.SORTS else "amount",
                                       project_id=query.project)
    return _Rows(selectors.arrears_list(user=request.user, filters=filters, on=on), lambda a: _row(a, on))


class HistoryOut(Schema):
    id: int
    at: datetime
    step_code: str
    step_kind: str
    episode_due: date | None
    owed_fen: int
    channel: str
    outcome: str
    promise_date: date | None
    note: str
    actor: str | None
    done_at: datetime | None


class OpenBillOut(Schema):
    id: int
    item: str
    period_key: str
    due_date: date
    open_fen: int


class ArrearsHomeOut(Schema):
    room_id: int
    room: str
    project: str
    owed_fen: int
    oldest_due: date | None
    months_overdue: int
    promise_date: date | None
    last_contact_at: datetime | None
    dispute_open: bool
    dispute_note: str
    lawyer_flag_at: datetime | None
    open_complaints: int
    bills: list[OpenBillOut]
    history: list[HistoryOut]


def _room(request, room_id: int):
    require(request, Capability.CHASE_FEES)
    with scoped_404():
        return selectors.arrears_room(user=request.user, room_id=room_id)


def _actor_name(user) -> str | None:
    if user is None:
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile else user.get_username()


def _home_out(room) -> dict:
    on = timezone.localdate()
    account = selectors.account_of(room)
    return {
        "room_id": room.pk, "room": room.code, "project": room.project.name,
        "owed_fen": account.owed_fen if account else 0, "oldest_due": account.oldest_due if account else None,
        "months_overdue": selectors.months_overdue(account, on) if account else 0,
        "promise_date": account.promise_date if account else None,
        "last_contact_at": account.last_contact_at if account else None,
        "dispute_open": bool(account and account.dispute_open), "dispute_note": account.dispute_note if account else "",
        "lawyer_flag_at": account.lawyer_flag_at if account else None,
        "open_complaints": selectors.open_complaints(room=room).count(),
        "bills": [{"id": b.pk, "item": b.item.name, "period_key": b.period_key, "due_date": b.due_date,
                   "open_fen": b.open_fen} for b in selectors.open_bills(room=room)],
        "history": [{**{name: getattr(h, name) for name in (
            "id", "at", "step_code", "step_kind", "episode_due", "owed_fen", "channel", "outcome", "promise_date",
            "note", "done_at")}, "actor": _actor_name(h.actor)} for h in selectors.dunning_history(room=room)]}


@router.get("/arrears/{int:room_id}", response=ArrearsHomeOut,
            summary="A home's arrears, open bills and dunning history (CHASE_FEES)")
def arrears_home(request, room_id: int):
    return _home_out(_room(request, room_id))


class ContactIn(Schema):
    channel: ContactChannel
    outcome: ContactOutcome
    promise_date: date | None = Field(None, description="Required when the outcome is `promised`.")
    note: str = Field("", max_length=300)


@router.post("/arrears/{int:room_id}/contacts", response={201: ArrearsHomeOut},
             summary="Record a call or visit and its outcome; completes the home's open call tasks (CHASE_FEES)")
def arrears_contact(request, room_id: int, payload: ContactIn):
    room = _room(request, room_id)
    contact_record(room=room, actor=request.user, channel=payload.channel, outcome=payload.outcome,
                   promise_date=payload.promise_date, note=payload.note)
    return Status(201, _home_out(room))


class DisputeIn(Schema):
    open: bool = Field(..., description="true: open a dispute (dunning pauses); false: close it.")
    note: str = Field("", max_length=200)


@router.post("/arrears/{int:room_id}/dispute", response=ArrearsHomeOut,
             summary="Open or close a dispute on a home's charges (409 when already so) (CHASE_FEES)")
def arrears_dispute(request, room_id: int, payload: DisputeIn):
    room = _room(request, room_id)
    (dispute_open if payload.open else dispute_close)(room=room, actor=request.user, note=payload.note)
    return _home_out(room)


class StepIO(Schema):
    code: str = Field(..., max_length=32, description="Unique in the ladder: lowercase letters, digits, _ or -.")
    kind: DunningStepKind
    after_days: int = Field(0, ge=0, le=3650)
    after_months: int = Field(0, ge=0, le=120)
    min_owed_fen: int = Field(0, ge=0, le=10**12, description="Only when the home owes more than this.")
    active: bool = True


class LadderOut(Schema):
    project_id: int
    steps: list[StepIO]


class LadderQuery(Schema):
    project: int = Field(..., ge=1, le=MAX_ID, description="A project id in the caller's scope.")


class LadderIn(Schema):
    steps: list[StepIO] = Field(..., max_length=20)


def _ladder_out(project) -> dict:
    return {"project_id": project.pk, "steps": [
        {"code": s.code, "kind": s.kind, "after_days": s.after_days, "after_months": s.after_months,
         "min_owed_fen": s.min_owed_fen, "active": s.active} for s in selectors.ladder(project=project)]}


def _project_or_400(request, project_id: int):
    found = selectors.ladder_projects(user=request.user).filter(pk=project_id).first()
    if found is None:
        raise ApplicationError(_("Please correct the marked fields."),
                               {"fields": {"project": [_("No such project in your scope.")]}})
    return found


@router.get("/ladder", response=LadderOut, summary="A project's dunning ladder (CHASE_FEES)")
def ladder_get(request, query: Query[LadderQuery]):
    require(request, Capability.CHASE_FEES)
    return _ladder_out(_project_or_400(request, query.project))


@router.put("/ladder", response=LadderOut,
            summary="Replace a project's dunning ladder; steps left out become inactive (MANAGE_BILLING)")
def ladder_put(request, query: Query[LadderQuery], payload: LadderIn):
    require(request, Capability.MANAGE_BILLING)
    project = _project_or_400(request, query.project)
    ladder_save(project=project, actor=request.user, steps=[StepInput(**step.dict()) for step in payload.steps])
    return _ladder_out(project)
