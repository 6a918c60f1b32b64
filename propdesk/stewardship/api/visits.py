"""API: Home visits 拜访 under /api/steward/visits…: the plans (read with HOME_VISITS, written with PLAN_HOME_VISITS),
the due list, the visits of a month and recording one (needs → requests in the same call), the counts per steward
(VIEW_REPORTS or PLAN_HOME_VISITS). Another scope's plan, visit, resident or project is a 404."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from propdesk.core.errors import NotFound, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import HomeVisit, HomeVisitPlan
from ..models.visits import VisitFrequency, VisitImpression, VisitTarget, VisitWay
from ..rules import visits as rules
from ..selectors import visits as selectors
from ..services import visits as services

router = Router(tags=["stewardship"])


def _need(request, capability: Capability) -> None:
    if not user_can(request.user, capability):
        raise PermissionDenied(_("Your role may not do this."))


def _project(request, project_id: int) -> Project:
    found = Project.objects.restrict(request.user).filter(pk=project_id).first()
    if found is None:
        raise NotFound(_("No such project."))
    return found


class VisitPlanOut(Schema):
    id: int
    project_id: int
    target: str
    target_label: str
    frequency: str
    frequency_label: str
    after_complaint_days: int
    active: bool


class VisitPlanIn(Schema):
    target: VisitTarget
    frequency: VisitFrequency
    after_complaint_days: int = Field(3, description="For after_complaint: days after the complaint (1–30).")
    active: bool = True


class VisitPlanCreateIn(VisitPlanIn):
    project_id: int


class VisitPlanFilter(Schema):
    project_id: int | None = None


def _plan_out(plan: HomeVisitPlan) -> dict:
    return {"id": plan.pk, "project_id": plan.project_id, "target": plan.target,
            "target_label": str(plan.get_target_display()), "frequency": plan.frequency,
            "frequency_label": str(plan.get_frequency_display()), "after_complaint_days": plan.after_complaint_days,
            "active": plan.active}


@router.get("visits/plans", response=list[VisitPlanOut], summary="Home visit plans of the projects in scope "
                                                                  "(HOME_VISITS)")
def plan_list(request, filters: Query[VisitPlanFilter]):
    _need(request, Capability.HOME_VISITS)
    plans = HomeVisitPlan.objects.restrict(request.user)
    if filters.project_id:
        plans = plans.filter(project_id=filters.project_id)
    return [_plan_out(plan) for plan in plans.order_by("project_id", "target")[:500]]


@router.post("visits/plans", response={201: VisitPlanOut}, summary="Add a home visit plan (PLAN_HOME_VISITS)")
def plan_create(request, payload: VisitPlanCreateIn):
    _need(request, Capability.PLAN_HOME_VISITS)
    project = _project(request, payload.project_id)
    plan = services.plan_save(actor=request.user, project=project, target=payload.target,
                              frequency=payload.frequency, after_complaint_days=payload.after_complaint_days,
                              active=payload.active, now=timezone.now())
    return Status(201, _plan_out(plan))


def _plan(request, plan_id: int) -> HomeVisitPlan:
    with scoped_404():
        return HomeVisitPlan.objects.restrict(request.user).select_related("project").get(pk=plan_id)


@router.put("visits/plans/{int:plan_id}", response=VisitPlanOut, summary="Change a home visit plan "
                                                                          "(PLAN_HOME_VISITS)")
def plan_update(request, plan_id: int, payload: VisitPlanIn):
    _need(request, Capability.PLAN_HOME_VISITS)
    plan = _plan(request, plan_id)
    plan = services.plan_save(actor=request.user, project=plan.project, plan=plan, target=payload.target,
                              frequency=payload.frequency, after_complaint_days=payload.after_complaint_days,
                              active=payload.active, now=timezone.now())
    return _plan_out(plan)


@router.delete("visits/plans/{int:plan_id}", response={204: None}, summary="Delete a home visit plan "
                                                                            "(PLAN_HOME_VISITS)")
def plan_remove(request, plan_id: int):
    _need(request, Capability.PLAN_HOME_VISITS)
    services.plan_delete(plan=_plan(request, plan_id))
    return Status(204, None)


class VisitDueOut(Schema):
    resident_id: int
    resident_name: str
    project_id: int
    room_code: str
    steward_id: int | None
    steward_name: str
    due_on: date
    status: str = Field(..., description="overdue, due (today) or upcoming")
    reason: str
    last_visit: date | None


class VisitDueFilter(Schema):
    until: date | None = Field(None, description="Due on or before this day; default: the end of this month.")
    steward_id: int | None = Field(None, ge=1, le=2**63 - 1, description="A manager: one steward's zone.")


@router.get("visits/due", response=list[VisitDueOut], summary="Home visits due: a steward's zone, or every "
                                                               "steward's for a manager (HOME_VISITS)")
def due_list(request, filters: Query[VisitDueFilter]):
    _need(request, Capability.HOME_VISITS)
    today = timezone.localdate()
    until = filters.until or rules.month_bounds(today)[1]
    return [{"resident_id": r.resident_id, "resident_name": r.resident_name, "project_id": r.project_id,
             "room_code": r.room_code, "steward_id": r.steward_id, "steward_name": r.steward_name,
             "due_on": r.due_on, "status": r.status, "reason": r.reason, "last_visit": r.last_visit}
            for r in selectors.due_list(user=request.user, today=today, until=until, steward_id=filters.steward_id)]


class VisitNeedOut(Schema):
    id: int
    kind: str
    description: str
    request_id: int | None
    request_number: str | None


class HomeVisitOut(Schema):
    id: int
    project_id: int
    resident_id: int
    resident_name: str
    room_code: str | None
    steward_id: int
    steward_name: str
    way: str
    visited_at: datetime
    met: str
    discussed: str
    impression: str
    needs: list[VisitNeedOut]


def _visit_out(visit: HomeVisit) -> dict:
    return {"id": visit.pk, "project_id": visit.project_id, "resident_id": visit.resident_id,
            "resident_name": visit.resident.name, "room_code": visit.room.code if visit.room else None,
            "steward_id": visit.steward_id, "steward_name": selectors.staff_name(visit.steward), "way": visit.way,
            "visited_at": visit.visited_at, "met": visit.met, "discussed": visit.discussed,
            "impression": visit.impression,
            "needs": [{"id": n.pk, "kind": n.kind, "description": n.description, "request_id": n.request_id,
                       "request_number": n.request.number if n.request else None} for n in visit.needs.all()]}


class VisitListFilter(Schema):
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM; default: this month.")
    steward_id: int | None = Field(None, ge=1, le=2**63 - 1, description="A manager: one steward's visits.")


@router.get("visits", response=list[HomeVisitOut], summary="Home visits of a month (a steward: their own) "
                                                            "(HOME_VISITS)")
def visit_list(request, filters: Query[VisitListFilter]):
    _need(request, Capability.HOME_VISITS)
    today = timezone.localdate()
    month_start = _month(filters.month, today)
    visits = selectors.visit_list(user=request.user, month_start=month_start, steward_id=filters.steward_id)
    return [_visit_out(visit) for visit in visits[:500]]


def _month(value: str, today: date) -> date:
    if value:
        year, month = int(value[:4]), int(value[5:7])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    return today.replace(day=1)


class VisitNeedIn(Schema):
    description: str = Field(..., max_length=500)
    kind: str = Field("repair", description="repair, help, inquiry, complaint or suggestion")
    make_request: bool = Field(True, description="Raise a request for it now (reported by the resident).")


class HomeVisitIn(Schema):
    resident_id: int
    way: VisitWay
    visited_at: datetime
    met: str = Field(..., max_length=100)
    discussed: str = Field(..., max_length=2000)
    impression: VisitImpression
    needs: list[VisitNeedIn] = Field([], max_length=10)


@router.post("visits", response={201: HomeVisitOut}, summary="Record a home visit; each need may become a request "
                                                              "(HOME_VISITS)")
def visit_create(request, payload: HomeVisitIn):
    _need(request, Capability.HOME_VISITS)
    with scoped_404():
        resident = selectors.resident_for_visit(user=request.user, resident_id=payload.resident_id)
    visit = services.visit_record(actor=request.user, resident=resident, now=timezone.now(), data=services.VisitInput(
        way=payload.way, visited_at=payload.visited_at, met=payload.met, discussed=payload.discussed,
        impression=payload.impression,
        needs=[services.NeedInput(description=n.description, kind=n.kind, make_request=n.make_request)
               for n in payload.needs]))
    return Status(201, _visit_out(selectors.visit_detail(user=request.user, visit_id=visit.pk)))


@router.get("visits/{int:visit_id}", response=HomeVisitOut, summary="One home visit (HOME_VISITS)")
def visit_get(request, visit_id: int):
    _need(request, Capability.HOME_VISITS)
    with scoped_404():
        return _visit_out(selectors.visit_detail(user=request.user, visit_id=visit_id))


class VisitCountOut(Schema):
    steward_id: int
    name: str
    done: int
    due: int = Field(..., description="Due by the month's end (current month only; else 0).")
    overdue: int
    needs: int
    requests: int


class VisitCountFilter(Schema):
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="YYYY-MM; default: this month.")


@router.get("visits/counts", response=list[VisitCountOut], summary="Home visits per steward for a month "
                                                                    "(VIEW_REPORTS or PLAN_HOME_VISITS)")
def visit_counts(request, filters: Query[VisitCountFilter]):
    if not (user_can(request.user, Capability.VIEW_REPORTS) or user_can(request.user, Capability.PLAN_HOME_VISITS)):
        raise PermissionDenied(_("Your role may not do this."))
    today = timezone.localdate()
    return [vars(count) for count in selectors.steward_counts(user=request.user,
                                                              month_start=_month(filters.month, today), today=today)]
