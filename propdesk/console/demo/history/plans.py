"""The history plan: pure data for a request, its work orders and the steps of its life."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from propdesk.console.demo.history.subjects import Subject
from propdesk.console.demo.plan import OccupancyPlan, PersonPlan, RoomPlan

# --- the plan: pure data -----------------------------------------------------------------------------------------

@dataclass(eq=False, slots=True)
class WOPlan:
    index: int
    department: str
    created_at: datetime
    respond_by: datetime | None
    arrive_by: datetime | None
    resolve_by: datetime | None
    instructions: str = ""
    status: str = "pending"
    assignee: str | None = None
    dispatcher: str | None = None
    dispatched_at: datetime | None = None
    accepted_at: datetime | None = None
    arrived_at: datetime | None = None
    completed_at: datetime | None = None
    held_since: datetime | None = None
    held_seconds: int = 0
    hold_reason: str = ""
    escalations_sent: list[str] = field(default_factory=list)
    next_escalation_at: datetime | None = None
    result: str = ""
    materials: str = ""
    confirmation_method: str = ""
    signature: str = ""
    code_hash: str = ""
    code_sent_at: datetime | None = None
    confirmed_at: datetime | None = None
    reopen_count: int = 0
    changed_at: datetime | None = None  # last state change (the sweep fires a rung at the earliest a minute later)
    rungs: list = field(default_factory=list)  # (fires at, rung) not sent yet, as the order stands


@dataclass(eq=False, slots=True)
class RequestPlan:
    project: str  # project code
    branch: str
    number: str
    kind: str
    channel: str
    subject: Subject
    received_at: datetime
    created_by: str  # username
    contact_name: str
    contact_phone: str
    description: str
    reporter: PersonPlan | None = None
    room: RoomPlan | None = None
    area: int | None = None  # index into the project's common areas, in plan order
    location_note: str = ""
    occurred_at: datetime | None = None
    cause: str = ""
    impact: str = ""
    resident_request: str = ""
    resident_deadline: datetime | None = None
    appointment_at: datetime | None = None
    emotion: str = "calm"
    urgent: bool = False
    rule: str = ""
    complaint_category: str = ""
    severity: str = ""
    complained_department: str = ""  # department kind
    complained_person: str = ""
    needs_written_reply: bool = False
    respond_by: datetime | None = None
    resolve_by: datetime | None = None
    # As replayed up to "as of".
    status: str = "open"
    reply: str = ""
    replied_at: datetime | None = None
    written_reply: str = ""
    written_reply_at: datetime | None = None
    closed_at: datetime | None = None
    resolved_at: datetime | None = None
    complaint_valid: bool | None = None
    root_cause: str = ""
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    escalations_sent: list[str] = field(default_factory=list)
    next_escalation_at: datetime | None = None
    updated_at: datetime | None = None
    work_orders: list[WOPlan] = field(default_factory=list)
    # (at, kind, action, actor username, message, internal, data, work order index or None)
    events: list[tuple] = field(default_factory=list)


@dataclass(eq=False)
class _Staff:
    """A project's demo staff, by what they do."""

    code: str
    prefix: str  # the project's number prefix
    name: str
    branch: str
    agents: list[str]
    stewards: list[str]
    pm: str
    leader: str
    members: dict[str, list[str]]  # department kind → usernames
    names: dict[str, str]  # username → display name
    mobiles: dict[str, str]


@dataclass(eq=False)
class _People:
    """Who may report in one project: occupancies with cumulative weights (some households call far more often)."""

    occupancies: list[OccupancyPlan]
    general: list[float]
    complaint: list[float]
    help: list[float]
    elevators: dict[tuple[str, str], list[int]]  # (building, unit) → elevator area indices
    lobbies: dict[str, int]  # building → lobby area index (unit 1)
    area_kinds: dict[str, list[int]]
    area_names: dict[str, int]
    rooms: list[RoomPlan]  # rooms in buildings with stairwells, for places found on patrol


@dataclass(frozen=True)
class _Skeleton:
    project: int
    received_at: datetime
    kind: str
    channel: str
    stall: bool = False


class _Steps:
    """The life of one request as steps (at, seq, work order index or None, action, actor, payload)."""

    def __init__(self):
        self.items: list[tuple] = []

    def add(self, at: datetime, target: int | None, action: str, actor: str | None, **payload) -> None:
        self.items.append((at, len(self.items), target, action, actor, payload))
