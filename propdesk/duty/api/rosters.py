"""API: Rosters 排班: shift kinds per department (CRUD), the roster of a week (list, assign, copy last week,
remove), who is on duty now, the shifts short of people in the next 7 days. VIEW_ROSTERS reads, MANAGE_ROSTERS
writes; another scope's project, shift or entry is a 404; bad input a 4xx with the field's message, nothing
written."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import RosterEntry, ShiftKind
from ..rules.rosters import week_start
from ..selectors import rosters as selectors
from ..services.rosters import (
    roster_assign,
    roster_copy_week,
    roster_remove,
    shift_kind_create,
    shift_kind_delete,
    shift_kind_update,
)

router = Router(tags=["duty"])
DEPARTMENT = Field(None, pattern=r"^(managers|\d{1,18})$",
                   description="A department's id, or `managers` for the project's duty managers (值班经理).")


def _reader(request) -> None:
    if not user_can(request.user, Capability.VIEW_ROSTERS):
        raise PermissionDenied(_("Your role may not see the rosters."))


def _manager(request) -> None:
    if not user_can(request.user, Capability.MANAGE_ROSTERS):
        raise PermissionDenied(_("Your role may not edit the rosters."))


def _project(request, project_id: int, field: str = "project"):
    """A project the user sees; any other is a 400 on the filter or body field (no path names it)."""
    try:
        return selectors.project_get(user=request.user, project_id=project_id)
    except ObjectDoesNotExist:
        message = _("Choose a project you can see.")
        raise ApplicationError(message, {"fields": {field: [message]}}) from None


def _department(project, raw, field: str = "department"):
    try:
        return selectors.department_of(project, raw)
    except ObjectDoesNotExist:
        message = _("Choose a department of this project.")
        raise ApplicationError(message, {"fields": {field: [message]}}) from None


def _fields(error: ApplicationError, names: dict) -> ApplicationError:
    fields = error.extra.get("fields")
    if fields:
        error.extra["fields"] = {names.get(name, name): msgs for name, msgs in fields.items()}
    return error


class RosterShiftOut(Schema):
    id: int
    project_id: int
    department_id: int | None = Field(..., description="None: the project's duty managers (值班经理).")
    department: str
    name: str
    starts: str = Field(..., description="HH:MM, the project's local time.")
    ends: str = Field(..., description="HH:MM; at or before `starts`: the next day.")
    overnight: bool
    min_people: int
    is_active: bool


def _shift_out(s: ShiftKind) -> dict:
    return {"id": s.pk, "project_id": s.project_id, "department_id": s.department_id,
            "department": s.department.name if s.department_id else _("Duty manager"), "name": s.name,
            "starts": f"{s.starts:%H:%M}", "ends": f"{s.ends:%H:%M}", "overnight": s.overnight,
            "min_people": s.min_people, "is_active": s.is_active}


class RosterShiftFilter(Schema):
    project: int | None = Field(None, ge=1, le=2**62)
    department: str | None = DEPARTMENT


@router.get("shifts", response=list[RosterShiftOut], summary="Shift kinds per department (VIEW_ROSTERS)")
def shifts_list(request, filters: Query[RosterShiftFilter]):
    _reader(request)
    scope = None
    if filters.department == "managers":
        scope = selectors.MANAGERS
    elif filters.department:
        scope = int(filters.department)
    return [_shift_out(s) for s in selectors.shift_kinds(user=request.user, project_id=filters.project,
                                                         department_id=scope)]


class RosterShiftIn(Schema):
    project_id: int = Field(..., ge=1, le=2**62)
    department_id: int | None = Field(None, ge=1, le=2**62, description="Empty: the project's duty managers.")
    name: str = Field(..., max_length=30)
    starts: time
    ends: time
    min_people: int = Field(1, ge=1, le=50)


@router.post("shifts", response={201: RosterShiftOut}, summary="Add a shift kind (MANAGE_ROSTERS)")
def shift_create(request, payload: RosterShiftIn):
    _manager(request)
    project = _project(request, payload.project_id, "project_id")
    department = _department(project, payload.department_id, "department_id")
    shift = shift_kind_create(actor=request.user, project=project, department=department, name=payload.name,
                              starts=payload.starts, ends=payload.ends, min_people=payload.min_people)
    return Status(201, _shift_out(shift))


def _shift(request, shift_id: int) -> ShiftKind:
    with scoped_404():
        return selectors.shift_kind_get(user=request.user, shift_id=shift_id)


@router.get("shifts/{int:shift_id}", response=RosterShiftOut, summary="A shift kind (VIEW_ROSTERS)")
def shift_get(request, shift_id: int):
    _reader(request)
    return _shift_out(_shift(request, shift_id))


class RosterShiftPatch(Schema):
    name: str | None = Field(None, max_length=30)
    starts: time | None = None
    ends: time | None = None
    min_people: int | None = Field(None, ge=1, le=50)
    is_active: bool | None = None


@router.patch("shifts/{int:shift_id}", response=RosterShiftOut, summary="Change a shift kind (MANAGE_ROSTERS)")
def shift_update(request, shift_id: int, payload: RosterShiftPatch):
    _manager(request)
    shift = _shift(request, shift_id)
    data = payload.dict(exclude_none=True)
    shift = shift_kind_update(actor=request.user, shift=shift, name=data.get("name", shift.name),
                              starts=data.get("starts", shift.starts), ends=data.get("ends", shift.ends),
                              min_people=data.get("min_people", shift.min_people),
                              is_active=data.get("is_active", shift.is_active))
    return _shift_out(shift)


class RosterDeletedOut(Schema):
    deleted: bool = Field(..., description="False: people were scheduled on it, so it was retired instead.")


@router.delete("shifts/{int:shift_id}", response=RosterDeletedOut,
               summary="Delete a shift kind, or retire it when people were scheduled on it (MANAGE_ROSTERS)")
def shift_delete(request, shift_id: int):
    _manager(request)
    return {"deleted": shift_kind_delete(actor=request.user, shift=_shift(request, shift_id))}


class RosterEntryOut(Schema):
    id: int
    project_id: int
    department_id: int | None
    shift_id: int
    shift: str
    day: date
    starts_at: datetime
    ends_at: datetime
    user_id: int
    name: str
    mobile: str
    note: str


def _entry_out(e: RosterEntry) -> dict:
    return {"id": e.pk, "project_id": e.project_id, "department_id": e.department_id, "shift_id": e.shift_id,
            "shift": e.shift.name, "day": e.day, "starts_at": e.starts_at, "ends_at": e.ends_at, "user_id": e.user_id,
            "name": selectors.person_label(e.user), "mobile": selectors.person_mobile(e.user), "note": e.note}


class RosterWeekFilter(Schema):
    project: int = Field(..., ge=1, le=2**62)
    department: str | None = DEPARTMENT
    week: date | None = Field(None, description="Any day of the week (Monday to Sunday); default this week.")


@router.get("roster", response=list[RosterEntryOut],
            summary="The roster of a week: who works which shift on which day (VIEW_ROSTERS)")
def roster_list(request, filters: Query[RosterWeekFilter]):
    _reader(request)
    project = _project(request, filters.project)
    scope = None
    if filters.department:
        department = _department(project, filters.department)
        scope = department.pk if department else selectors.MANAGERS
    monday = week_start(filters.week or selectors.project_today(project, timezone.now()))
    return [_entry_out(e) for e in selectors.roster_entries(user=request.user, project_id=project.pk,
                                                            department_id=scope, first=monday,
                                                            last=monday + timedelta(days=6))]


class RosterAssignIn(Schema):
    shift_id: int = Field(..., ge=1, le=2**62)
    day: date
    user_id: int = Field(..., ge=1, le=2**62)
    note: str = Field("", max_length=200)


@router.post("roster", response={201: RosterEntryOut},
             summary="Put a person on a shift on a day (MANAGE_ROSTERS); overlapping shifts are refused")
def roster_create(request, payload: RosterAssignIn):
    _manager(request)
    try:
        shift = selectors.shift_kind_get(user=request.user, shift_id=payload.shift_id)
    except ObjectDoesNotExist:
        message = _("Choose a shift of a project you can see.")
        raise ApplicationError(message, {"fields": {"shift_id": [message]}}) from None
    try:
        entry = roster_assign(actor=request.user, shift=shift, day=payload.day, user_id=payload.user_id,
                              note=payload.note, now=timezone.now())
    except ApplicationError as error:
        raise _fields(error, {"user": "user_id", "shift": "shift_id"}) from None
    return Status(201, _entry_out(entry))


class RosterCopyIn(Schema):
    project_id: int = Field(..., ge=1, le=2**62)
    department_id: int | None = Field(None, ge=1, le=2**62, description="Empty: the project's duty managers.")
    week: date = Field(..., description="Any day of the week copied into; the week before is copied.")


class RosterCopyOut(Schema):
    copied: int
    skipped: list[str]


@router.post("roster/copy", response=RosterCopyOut, summary="Copy last week's roster into a week (MANAGE_ROSTERS)")
def roster_copy(request, payload: RosterCopyIn):
    _manager(request)
    project = _project(request, payload.project_id, "project_id")
    department = _department(project, payload.department_id, "department_id")
    copied, skipped = roster_copy_week(actor=request.user, project=project, department=department,
                                       monday=payload.week, now=timezone.now())
    return {"copied": copied, "skipped": skipped}


@router.delete("roster/{int:entry_id}", response={204: None}, summary="Take a person off a shift (MANAGE_ROSTERS)")
def roster_delete(request, entry_id: int):
    _manager(request)
    with scoped_404():
        entry = selectors.entry_get(user=request.user, entry_id=entry_id)
    roster_remove(actor=request.user, entry=entry)
    return Status(204, None)


class OnDutyPersonOut(Schema):
    user_id: int
    name: str
    mobile: str
    shift: str
    starts_at: datetime
    ends_at: datetime


class OnDutyGroupOut(Schema):
    project_id: int
    project: str
    department_id: int | None = Field(..., description="None: the project's duty manager (值班经理).")
    department: str
    people: list[OnDutyPersonOut]


class OnDutyFilter(Schema):
    project: int | None = Field(None, ge=1, le=2**62)


@router.get("on-duty", response=list[OnDutyGroupOut],
            summary="Who is on duty now, per project and department, with their mobile (VIEW_ROSTERS)")
def on_duty(request, filters: Query[OnDutyFilter]):
    _reader(request)
    if filters.project is not None:
        _project(request, filters.project)
    groups = selectors.on_duty_now(user=request.user, at=timezone.now(), project_id=filters.project)
    return [{"project_id": g.project.pk, "project": g.project.name,
             "department_id": g.department.pk if g.department else None, "department": g.label,
             "people": [{"user_id": e.user_id, "name": selectors.person_label(e.user),
                         "mobile": selectors.person_mobile(e.user), "shift": e.shift.name, "starts_at": e.starts_at,
                         "ends_at": e.ends_at} for e in g.entries]} for g in groups]


class RosterGapOut(Schema):
    project_id: int
    department_id: int | None
    department: str
    shift_id: int
    shift: str
    day: date
    scheduled: int
    needed: int


@router.get("gaps", response=list[RosterGapOut],
            summary="Shifts of today and the next 7 days with fewer people than needed (VIEW_ROSTERS)")
def gaps(request, filters: Query[OnDutyFilter]):
    _reader(request)
    projects = [_project(request, filters.project)] if filters.project is not None \
        else list(selectors.projects_of(request.user))
    return [{"project_id": s.project_id, "department_id": s.department_id,
             "department": s.department.name if s.department_id else _("Duty manager"), "shift_id": s.pk,
             "shift": s.name, "day": day, "scheduled": have, "needed": s.min_people}
            for s, day, have in selectors.gaps_ahead(projects=projects, at=timezone.now())]
