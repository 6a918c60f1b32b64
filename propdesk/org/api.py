"""JSON API of the org and property tree: /api/org/….

Handlers parse input, fetch through the user's data scope, call one service and return a schema. A row outside
the user's scope is a 404 (ids leak nothing); a missing capability is a 403.
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination, paginate

from propdesk.core.errors import PermissionDenied
from propdesk.core.pagination import CAP, capped_count
from propdesk.core.views_utils import scoped_404
from propdesk.staff.permissions import user_can, user_role
from propdesk.staff.rules.roles import Capability

from . import selectors
from .choices import RoomStatus, RoomType
from .models import CommonArea, Department, Project, Room
from .rules import parse_room_code
from .services.buildings import building_create, room_update

router = Router(tags=["org"])

MAX_PAGE = 100
MAX_OFFSET = 10**9  # far beyond any list; beyond the database's integer an offset was a 500


class Pagination(LimitOffsetPagination):
    """Limit/offset with a ceiling, so that one request cannot ask for the whole archive. Either out of its bounds
    is a 422 naming it: a limit above MAX_PAGE, an offset beyond MAX_OFFSET (the database cannot take 2^63)."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE, **kwargs)


class CappedPagination(Pagination):
    """Limit/offset over a list that grows without bound (requests, work orders): ``count`` stops at CAP rows
    (counting more would cost more than the page), ``count_exact`` says whether it is every row, and ``has_more``
    whether a row follows this page, so that a client pages on until ``has_more`` is false."""

    class Output(Schema):
        items: list[Any]
        count: int = Field(description=f"Rows in the list, counted up to {CAP} (exact on the last page): when "
                                       f"count_exact is false there are more than {CAP}; page on while has_more")
        count_exact: bool = Field(description=f"False when the list has more than {CAP} rows and count is that floor")
        has_more: bool = Field(description="Whether rows follow this page (offset + limit)")

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset, limit = pagination.offset, min(pagination.limit, self.max_limit)
        rows = list(queryset[offset: offset + limit + 1])  # one row past the page tells whether more follow
        more = len(rows) > limit
        if (rows or offset == 0) and not more:  # the last page: the count is known without counting
            count, exact = offset + len(rows), True
        else:
            counted = capped_count(queryset, CAP)
            count, exact = min(counted, CAP), counted <= CAP
        return {self.items_attribute: rows[:limit], "count": count, "count_exact": exact, "has_more": more}


# --- shared by the API modules ---------------------------------------------------------------------------

def require(request, capability: Capability) -> None:
    if not user_can(request.user, capability):
        if user_role(request.user) == "resident":
            raise PermissionDenied(_("This is the staff's API: residents read their homes and requests at "
                                     "/api/portal/."))
        raise PermissionDenied(_("Your role may not do this."))


def require_view(request, *, residents_too: bool = False) -> None:
    """Reading the archive needs VIEW_ARCHIVE; endpoints a resident may use on their own rows pass
    ``residents_too`` and rely on the data scope to show them only what is theirs."""
    if residents_too and user_role(request.user) == "resident":
        return
    require(request, Capability.VIEW_ARCHIVE)


# --- schemas ----------------------------------------------------------------------------------------------

class ProjectNode(Schema):
    id: int
    code: str
    name: str
    city: str
    room_count: int


class BranchNode(Schema):
    id: int
    code: str
    name: str
    projects: list[ProjectNode]


class CompanyNode(Schema):
    id: int
    code: str
    name: str
    branches: list[BranchNode]


class DepartmentOut(Schema):
    id: int
    kind: str
    name: str
    phone: str


class CommonAreaOut(Schema):
    id: int
    kind: str
    name: str
    building_id: int | None
    building_number: str | None

    @staticmethod
    def resolve_building_number(area: CommonArea) -> str | None:
        return area.building.number if area.building_id else None


class ProjectDetailOut(Schema):
    id: int
    code: str
    name: str
    city: str
    address: str
    service_phone: str
    company_id: int
    branch_id: int
    branch_name: str = Field(..., alias="branch.name")
    departments: list[DepartmentOut] = Field(..., alias="department_rows")
    common_areas: list[CommonAreaOut] = Field(..., alias="common_area_rows")


class BuildingOut(Schema):
    id: int
    project_id: int
    number: str
    name: str
    floors: int
    unit_count: int
    room_count: int
    occupied_count: int = Field(..., alias="occupied")


class BuildingIn(Schema):
    number: str = Field(..., max_length=16)
    name: str = Field("", max_length=50)
    floors: int = Field(..., ge=1, le=200)
    units: int = Field(1, ge=1, le=50)
    rooms_per_floor: int = Field(..., ge=0, le=99)
    first_floor: int = Field(1, ge=-5, le=100)
    room_type: RoomType = RoomType.RESIDENCE
    area: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)


class RoomOut(Schema):
    id: int
    code: str
    project_id: int
    building_id: int
    building_number: str = Field(..., alias="building.number")
    unit_number: str = Field(..., alias="unit.number")
    number: str
    floor: int
    area: Decimal | None
    room_type: str
    status: str


class OccupantOut(Schema):
    resident_id: int
    name: str
    relation: str
    phone: str = Field("", description="The primary phone, masked.")


class RoomDetailOut(RoomOut):
    occupants: list[OccupantOut]


class RoomPatch(Schema):
    floor: int | None = Field(None, ge=-5, le=300)
    area: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    room_type: RoomType | None = None
    status: RoomStatus | None = None


class RoomFilters(Schema):
    project: int | None = None
    building: int | None = Field(None, description="Building id.")
    status: RoomStatus | None = None
    code: str = Field("", description="A room code (3-2-1802, 3栋2单元1802) or the start of one (3-2).")


# --- reads ------------------------------------------------------------------------------------------------

@router.get("/tree", response=list[CompanyNode], summary="Companies → branches → projects with room counts")
def tree(request):
    require_view(request)
    return [
        {"id": node["company"].pk, "code": node["company"].code, "name": node["company"].name,
         "branches": [{"id": b["branch"].pk, "code": b["branch"].code, "name": b["branch"].name,
                       "projects": b["projects"]} for b in node["branches"]]}
        for node in selectors.org_tree(user=request.user)
    ]


@router.get("/projects/{int:project_id}", response=ProjectDetailOut, summary="A project, its departments and "
            "common areas")
def project_get(request, project_id: int):
    require_view(request)
    with scoped_404():
        project, _buildings = selectors.project_detail(user=request.user, project_id=project_id)
    project.department_rows = list(Department.objects.filter(project=project).order_by("kind", "id"))
    project.common_area_rows = list(CommonArea.objects.filter(project=project).select_related("building")
                                    .order_by("building_id", "kind", "id"))
    return project


@router.get("/projects/{int:project_id}/buildings", response=list[BuildingOut],
            summary="A project's buildings with unit, room and occupied-room counts")
@paginate(Pagination)
def building_list(request, project_id: int):
    require_view(request)
    with scoped_404():
        _project, buildings = selectors.project_detail(user=request.user, project_id=project_id)
    return buildings


@router.post("/projects/{int:project_id}/buildings", response={201: BuildingOut},
             summary="Create a building with its units and rooms generated (EDIT_ORG)")
def building_create_api(request, project_id: int, payload: BuildingIn):
    require(request, Capability.EDIT_ORG)
    with scoped_404():
        project = Project.objects.restrict(request.user).get(pk=project_id)
    building = building_create(project=project, **payload.model_dump())
    _project, buildings = selectors.project_detail(user=request.user, project_id=project.pk)
    return Status(201, buildings.get(pk=building.pk))


@router.get("/rooms", response=list[RoomOut], summary="Rooms in scope, filtered by project, building, status "
            "or code")
@paginate(Pagination)
def room_list(request, filters: Query[RoomFilters]):
    require_view(request, residents_too=True)
    rooms = Room.objects.restrict(request.user).select_related("building", "unit")
    if filters.project:
        rooms = rooms.filter(project_id=filters.project)
    if filters.building:
        rooms = rooms.filter(building_id=filters.building)
    if filters.status:
        rooms = rooms.filter(status=filters.status)
    code = filters.code.strip()
    if code:
        parsed = parse_room_code(code)
        rooms = rooms.filter(code="-".join(parsed)) if parsed else rooms.filter(code__startswith=code)
    return rooms.order_by("project_id", "building__sort", "building_id", "unit_id", "floor", "number")


@router.get("/rooms/{int:room_id}", response=RoomDetailOut, summary="A room and its current occupants "
            "(phones masked)")
def room_get(request, room_id: int):
    require_view(request, residents_too=True)
    with scoped_404():
        room = selectors.room_detail(user=request.user, room_id=room_id)
    return _room_with_occupants(request, room)


def _room_with_occupants(request, room: Room) -> Room:
    occupancies = (room.occupancies.restrict(request.user).current().select_related("resident")
                   .prefetch_related("resident__phones").order_by("relation", "id"))
    room.occupants = [
        {"resident_id": o.resident_id, "name": o.resident.name, "relation": o.relation,
         "phone": _primary_masked(o.resident)}
        for o in occupancies
    ]
    return room


def _primary_masked(resident) -> str:
    phones = sorted(resident.phones.all(), key=lambda p: (not p.is_primary, p.pk))
    return phones[0].masked if phones else ""


@router.patch("/rooms/{int:room_id}", response=RoomDetailOut, summary="Change a room's floor, area, type or "
              "status (EDIT_ORG)")
def room_patch(request, room_id: int, payload: RoomPatch):
    require(request, Capability.EDIT_ORG)
    with scoped_404():
        room = selectors.room_detail(user=request.user, room_id=room_id)
    sent = payload.model_dump(exclude_unset=True)
    # A field left out keeps its value; so does one sent as null where the column cannot be empty.
    kept = {name: getattr(room, name) if sent.get(name) is None else sent[name]
            for name in ("floor", "room_type", "status")}
    room_update(room=room, area=sent.get("area", room.area), **kept)
    return _room_with_occupants(request, selectors.room_detail(user=request.user, room_id=room.pk))
