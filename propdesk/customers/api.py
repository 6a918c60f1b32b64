"""JSON API of the customer archive: /api/customers/….

Phone and ID numbers are masked in every response; only the reveal endpoints return a full number, and each
reveal is written to the audit log by the reveal service. The archive is the staff's (segment, flags, notes, archive
number): a resident signed in gets a 403 here and reads what is about them at /api/portal/me.
"""

from datetime import date
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import client_ip, scoped_404
from propdesk.org.api import Pagination, require, require_view
from propdesk.org.models import Project, Room
from propdesk.org.rules import parse_room_code
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from . import selectors
from .models import Phone, Resident
from .services.residents import FLAG_FIELDS, ResidentData, resident_create, resident_update
from .services.reveal import id_number_reveal, phone_reveal

router = Router(tags=["customers"])

Flag = Literal[FLAG_FIELDS]  # the service's flag names, so that the schema lists exactly those


# --- schemas ----------------------------------------------------------------------------------------------

def _flags(resident: Resident) -> list[str]:
    return [flag for flag in FLAG_FIELDS if getattr(resident, flag)]


class RoomLinkOut(Schema):
    room_id: int
    code: str = Field(..., alias="room.code")
    relation: str


class ResidentListOut(Schema):
    id: int
    archive_no: str
    name: str
    project_id: int
    segment: str
    flags: list[Flag]
    phones: list[str] = Field(..., description="Masked numbers, primary first.")
    rooms: list[RoomLinkOut] = Field(..., description="Current rooms.")

    @staticmethod
    def resolve_flags(resident: Resident) -> list[str]:
        return _flags(resident)

    @staticmethod
    def resolve_phones(resident: Resident) -> list[str]:
        return [phone.masked for phone in resident.phones.all()]

    @staticmethod
    def resolve_rooms(resident: Resident):
        return resident.current_occupancies


class PhoneOut(Schema):
    id: int
    masked: str
    kind: str
    is_primary: bool


class HouseholdMemberOut(Schema):
    resident_id: int
    name: str = Field(..., alias="resident.name")
    relation: str


class OccupancyOut(Schema):
    room_id: int
    code: str = Field(..., alias="room.code")
    relation: str
    start_date: date | None
    end_date: date | None
    household: list[HouseholdMemberOut]


class ResidentDetailOut(Schema):
    id: int
    archive_no: str
    registered_on: date
    name: str
    project_id: int
    project_name: str = Field(..., alias="project.name")
    gender: str
    segment: str
    flags: list[Flag]
    note: str
    phones: list[PhoneOut]
    id_number: str = Field(..., alias="masked_id_number", description="Masked.")
    rooms: list[OccupancyOut] = Field(..., alias="room_rows")

    @staticmethod
    def resolve_flags(resident: Resident) -> list[str]:
        return _flags(resident)

    @staticmethod
    def resolve_phones(resident: Resident):
        return list(resident.phones.all())


class RoomLinkIn(Schema):
    code: str = Field(..., max_length=50, description="Room code, e.g. 3-2-1802.")
    relation: str = "owner"


class ResidentIn(Schema):
    project_id: int
    name: str
    phones: list[str]
    id_number: str = ""
    gender: str = ""
    segment: str = ""
    note: str = ""
    flags: list[Flag] = []
    rooms: list[RoomLinkIn] = []


class ResidentPatch(Schema):
    name: str | None = None
    phones: list[str] | None = Field(None, description="Replaces all numbers; the first is the primary.")
    id_number: str | None = Field(None, description="Needs the REVEAL_ID capability.")
    gender: str | None = None
    segment: str | None = None
    note: str | None = None
    flags: list[Flag] | None = Field(None, description="The flags that are set; the others are cleared.")


class ResidentFilters(Schema):
    q: str = Field("", description="Phone (full or last 4 digits), room code or name, as in the search box.")
    project: int | None = None
    segment: str = ""
    flag: Flag | None = None


class RevealOut(Schema):
    number: str


# --- handlers ---------------------------------------------------------------------------------------------

@router.get("/residents", response=list[ResidentListOut], summary="Residents in scope (phones masked)")
@paginate(Pagination)
def resident_list(request, filters: Query[ResidentFilters]):
    require_view(request)
    return selectors.residents_for_list(user=request.user, project_id=filters.project,
                                        segment=filters.segment, flag=filters.flag or "", q=filters.q)


@router.get("/residents/{int:resident_id}", response=ResidentDetailOut,
            summary="A resident with masked phones and ID number, rooms and household")
def resident_get(request, resident_id: int):
    require_view(request)
    return _detail(request, resident_id)


def _detail(request, resident_id: int) -> Resident:
    with scoped_404():
        resident = selectors.resident_detail(user=request.user, resident_id=resident_id)
    resident.room_rows = selectors.resident_rooms(resident=resident)
    return resident


@router.post("/residents", response={201: ResidentDetailOut}, summary="Register a resident (EDIT_CUSTOMERS)")
def resident_create_api(request, payload: ResidentIn):
    require(request, Capability.EDIT_CUSTOMERS)
    project = Project.objects.restrict(request.user).filter(pk=payload.project_id).first()
    if project is None:
        raise ApplicationError(_("Please correct the marked fields."),
                               {"fields": {"project_id": [_("No such project in your scope.")]}})
    rooms = [(_room_by_code(request.user, project, link.code), link.relation) for link in payload.rooms]
    resident = resident_create(project=project, data=_data(payload.model_dump()), rooms=rooms)
    return Status(201, _detail(request, resident.pk))


def _room_by_code(user, project: Project, text: str) -> Room:
    code = parse_room_code(text)
    room = Room.objects.restrict(user).filter(project=project, code="-".join(code)).first() if code else None
    if room is None:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {"rooms": [
            _("No room %(code)s in %(project)s. Use building-unit-room, e.g. 3-2-1802.")
            % {"code": text, "project": project.name}]}})
    return room


def _data(values: dict) -> ResidentData:
    return ResidentData(name=values["name"], phones=values["phones"], gender=values["gender"],
                        id_number=values["id_number"], segment=values["segment"], note=values["note"],
                        flags={flag: flag in values["flags"] for flag in FLAG_FIELDS})


@router.patch("/residents/{int:resident_id}", response=ResidentDetailOut,
              summary="Change a resident; fields left out or null keep their value (EDIT_CUSTOMERS)")
def resident_patch(request, resident_id: int, payload: ResidentPatch):
    require(request, Capability.EDIT_CUSTOMERS)
    with scoped_404():
        resident = selectors.resident_detail(user=request.user, resident_id=resident_id)
    sent = payload.model_dump(exclude_unset=True)
    if "id_number" in sent and not user_can(request.user, Capability.REVEAL_ID):
        raise PermissionDenied(_("Your role may not change ID numbers."))
    current = {"name": resident.name, "phones": [p.number for p in resident.phones.all()],
               "gender": resident.gender, "id_number": resident.id_number, "segment": resident.segment,
               "note": resident.note, "flags": _flags(resident)}
    merged = {key: value if sent.get(key) is None else sent[key] for key, value in current.items()}
    resident_update(resident=resident, data=_data(merged))
    return _detail(request, resident.pk)


@router.post("/phones/{int:phone_id}/reveal", response=RevealOut,
             summary="The full number of a phone; every call is written to the audit log (REVEAL_PHONE)")
def phone_reveal_api(request, phone_id: int):
    require(request, Capability.REVEAL_PHONE)
    with scoped_404():
        phone = Phone.objects.restrict(request.user).get(pk=phone_id)
    return {"number": phone_reveal(user=request.user, phone=phone, ip=client_ip(request))}


@router.post("/residents/{int:resident_id}/reveal-id", response=RevealOut,
             summary="The full ID number of a resident; every call is written to the audit log (REVEAL_ID)")
def id_reveal_api(request, resident_id: int):
    require(request, Capability.REVEAL_ID)
    with scoped_404():
        resident = Resident.objects.restrict(request.user).get(pk=resident_id)
    return {"number": id_number_reveal(user=request.user, resident=resident, ip=client_ip(request))}
