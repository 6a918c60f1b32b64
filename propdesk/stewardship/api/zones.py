"""API: Zones 责任区: the steward of each building, load per steward, reassignment, first-contact tasks.

GET /api/steward/zones (VIEW_ZONES; ?project_id=, default the user's project), POST /api/steward/zones/assign
(MANAGE_ZONES), GET /api/steward/contacts (CONTACT_RESIDENTS: a steward's own open tasks, a manager's every
steward's), POST /api/steward/contacts/{task_id}/complete. Another scope's project or task is a 404."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models.contacts import ContactMethod
from ..selectors import zones as selectors
from ..services.zones import contact_record, zone_assign

router = Router(tags=["stewardship"])


def _need(request, capability: Capability, message: str) -> None:
    if not user_can(request.user, capability):
        raise PermissionDenied(message)


class ZoneBuildingOut(Schema):
    building_id: int
    building: str
    steward_id: int | None
    steward: str | None
    homes: int
    residents: int
    open_requests: int
    owed_fen: int
    homes_in_arrears: int


class ZoneStewardLoadOut(Schema):
    steward_id: int
    name: str
    building_ids: list[int]
    homes: int
    residents: int
    open_requests: int
    owed_fen: int
    homes_in_arrears: int
    visits_due: int
    open_contacts: int
    late_contacts: int
    balance_pct: int = Field(..., description="Homes against the average of the project's stewards, in percent.")
    balance: str = Field(..., description="heavy (over +20 %), light (under -20 %) or ok.")


class ZoneLateContactOut(Schema):
    id: int
    resident_id: int
    resident: str
    room: str
    steward_id: int
    steward: str
    due_at: datetime


class ZonesOut(Schema):
    project_id: int
    project: str
    average_homes: float
    unassigned_buildings: int
    buildings: list[ZoneBuildingOut]
    stewards: list[ZoneStewardLoadOut]
    late_contacts: list[ZoneLateContactOut]
    late_total: int


class ZonesQuery(Schema):
    project_id: int | None = Field(None, description="A project in your scope; default: your own project.")


def _project_id(request, project_id: int | None) -> int:
    if project_id is not None:
        return project_id
    profile = getattr(request.user, "staff_profile", None)
    if profile is not None and profile.project_id:
        return profile.project_id
    first = selectors.zone_projects(request.user).first()
    return first.pk if first else 0


def _zones_out(load) -> dict:
    return {
        "project_id": load.project.pk, "project": load.project.name, "average_homes": round(load.average_homes, 1),
        "unassigned_buildings": load.unassigned_buildings, "late_total": load.late_total,
        "buildings": [{"building_id": b.building.pk, "building": str(b.building),
                       "steward_id": b.steward.pk if b.steward else None,
                       "steward": selectors.steward_name(b.steward) if b.steward else None, "homes": b.homes,
                       "residents": b.residents, "open_requests": b.open_requests, "owed_fen": b.owed_fen,
                       "homes_in_arrears": b.homes_in_arrears} for b in load.buildings],
        "stewards": [{"steward_id": s.user.pk, "name": s.name, "building_ids": [b.pk for b in s.buildings],
                      "homes": s.homes, "residents": s.residents, "open_requests": s.open_requests,
                      "owed_fen": s.owed_fen, "homes_in_arrears": s.homes_in_arrears, "visits_due": s.visits_due,
                      "open_contacts": s.open_tasks, "late_contacts": s.late_tasks, "balance_pct": s.balance_pct,
                      "balance": s.balance} for s in load.stewards],
        "late_contacts": [{"id": t.pk, "resident_id": t.resident_id, "resident": t.resident.name,
                           "room": t.room.code, "steward_id": t.steward_id,
                           "steward": selectors.steward_name(t.steward), "due_at": t.due_at} for t in load.late],
    }


@router.get("zones", response=ZonesOut, summary="The buildings of a project with their stewards and the load per "
                                                "steward (VIEW_ZONES)")
def zones_get(request, filters: Query[ZonesQuery]):
    _need(request, Capability.VIEW_ZONES, _("Your role may not see the zones."))
    try:
        load = selectors.zones_load(user=request.user, project_id=_project_id(request, filters.project_id),
                                    now=timezone.now())
    except Project.DoesNotExist:  # a filter, not a path: another scope's project is a 400 on the field
        message = _("Choose a project in your scope.")
        raise ApplicationError(message, {"fields": {"project_id": [message]}}) from None
    return _zones_out(load)


class ZoneAssignIn(Schema):
    project_id: int | None = Field(None, description="Default: your own project.")
    building_ids: list[int] = Field(..., min_length=1, max_length=500)
    steward_id: int


class ZoneAssignOut(Schema):
    changed_building_ids: list[int] = Field(..., description="Buildings that changed hands (the others already "
                                                             "had this steward).")
    contacts_created: int


@router.post("zones/assign", response=ZoneAssignOut,
             summary="Give buildings to a steward in one step; residents of buildings that change hands get a "
                     "first contact within 7 days (MANAGE_ZONES)")
def zones_assign(request, payload: ZoneAssignIn):
    _need(request, Capability.MANAGE_ZONES, _("Your role may not reassign zones."))
    project_id = _project_id(request, payload.project_id)
    with scoped_404():
        project = selectors.zone_projects(request.user).get(pk=project_id)
    try:
        result = zone_assign(project=project, buildings=payload.building_ids, steward=payload.steward_id,
                             actor=request.user, now=timezone.now())
    except ApplicationError as error:  # the form's field names → the API's
        fields = error.extra.get("fields")
        if fields:
            error.extra["fields"] = {{"buildings": "building_ids", "steward": "steward_id"}.get(k, k): v
                                     for k, v in fields.items()}
        raise
    return {"changed_building_ids": result["changed"], "contacts_created": result["tasks_created"]}


class ContactTaskOut(Schema):
    id: int
    project_id: int
    resident_id: int
    resident: str
    room_id: int
    room: str
    steward_id: int
    steward: str
    reason: str
    reason_label: str
    status: str
    created_at: datetime
    due_at: datetime
    late: bool
    done_at: datetime | None
    method: str
    note: str


def _task_out(task, now) -> dict:
    return {"id": task.pk, "project_id": task.project_id, "resident_id": task.resident_id,
            "resident": task.resident.name, "room_id": task.room_id, "room": task.room.code,
            "steward_id": task.steward_id, "steward": selectors.steward_name(task.steward), "reason": task.reason,
            "reason_label": task.get_reason_display(), "status": task.status, "created_at": task.created_at,
            "due_at": task.due_at, "late": task.is_late(now), "done_at": task.done_at, "method": task.method,
            "note": task.note}


class ContactListQuery(Schema):
    limit: int = Field(100, ge=1, le=500)


@router.get("contacts", response=list[ContactTaskOut],
            summary="Open first-contact tasks, by due date: a steward's own, a manager's every steward's "
                    "(CONTACT_RESIDENTS)")
def contacts_list(request, filters: Query[ContactListQuery]):
    _need(request, Capability.CONTACT_RESIDENTS, _("Your role may not work first contacts."))
    now = timezone.now()
    return [_task_out(t, now) for t in selectors.contact_tasks_queryset(user=request.user)[:filters.limit]]


class ContactCompleteIn(Schema):
    method: ContactMethod
    note: str = Field(..., max_length=1000)


@router.post("contacts/{int:task_id}/complete", response=ContactTaskOut,
             summary="Record the first contact (phone, in person, WeChat) and a note: the task is done "
                     "(CONTACT_RESIDENTS)")
def contacts_complete(request, task_id: int, payload: ContactCompleteIn):
    _need(request, Capability.CONTACT_RESIDENTS, _("Your role may not work first contacts."))
    now = timezone.now()
    with scoped_404():
        task = selectors.contact_task_detail(user=request.user, task_id=task_id)
    contact_record(task=task, actor=request.user, method=payload.method, note=payload.note, now=now)
    return _task_out(selectors.contact_task_detail(user=request.user, task_id=task_id), now)
