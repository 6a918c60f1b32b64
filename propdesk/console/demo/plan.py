"""The demo plan: pure data, decided by ``plan_demo`` before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from propdesk.console.demo.spec import BranchSpec, ProjectSpec
from propdesk.customers.models import Resident
from propdesk.org.models import Building, Room

# --- the plan: pure data ---------------------------------------------------------------------------------


@dataclass(eq=False)
class RoomPlan:
    unit: str
    floor: int
    number: str
    area: Decimal
    room_type: str
    status: str
    code: str = ""
    obj: Room | None = None


@dataclass(eq=False)
class BuildingPlan:
    number: str
    name: str
    floors: int
    units: int
    kind: str  # "highrise", "midrise", "villa"
    rooms: list[RoomPlan] = field(default_factory=list)
    obj: Building | None = None


@dataclass(eq=False)
class PersonPlan:
    key: int  # order of creation in the plan
    name: str
    gender: str
    birth: date
    segment: str
    registered_on: date
    id_number: str = ""
    phones: list[tuple[str, str, str]] = field(default_factory=list)  # (number, kind, label)
    flags: dict[str, bool] = field(default_factory=dict)
    note: str = ""
    archive_no: str = ""
    login: str = ""  # username of a resident login
    obj: Resident | None = None


@dataclass(eq=False)
class OccupancyPlan:
    person: PersonPlan
    room: RoomPlan
    relation: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class CommonAreaPlan:
    kind: str
    name: str
    building: str = ""  # building number, or "" for the whole project


@dataclass(frozen=True)
class StaffPlan:
    username: str
    role: str
    display_name: str
    mobile: str
    project: str = ""  # project code
    branch: str = ""  # branch code
    department: str = ""  # department kind within the project, or "finance"


@dataclass(eq=False)
class ProjectPlan:
    spec: ProjectSpec
    branch: BranchSpec
    buildings: list[BuildingPlan] = field(default_factory=list)
    common_areas: list[CommonAreaPlan] = field(default_factory=list)
    persons: list[PersonPlan] = field(default_factory=list)
    occupancies: list[OccupancyPlan] = field(default_factory=list)
    department_phones: dict[str, str] = field(default_factory=dict)
    sequences: dict[date, int] = field(default_factory=dict)  # last archive number per day

    @property
    def rooms(self) -> list[RoomPlan]:
        return [room for building in self.buildings for room in building.rooms]


@dataclass(eq=False)
class DemoPlan:
    seed: int
    scale: float
    today: date
    projects: list[ProjectPlan]
    staff: list[StaffPlan]
