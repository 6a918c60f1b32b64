"""API: Patrols 巡检. Plans and checkpoints (MANAGE_PATROLS): /api/steward/patrols/plans…, /checkpoints/{id};
rounds (PATROL; planners and report readers read): /api/steward/patrols/rounds (a day's, ``mine`` for one's own),
…/{id}/start, …/{id}/checkpoints/{checkpoint_id} (multipart: ``results`` as JSON, photos as ``photo_<item index>``),
…/{id}/finish; /api/steward/patrols/scan/{token} (a QR code → the checkpoint within one's round in progress);
/api/steward/patrols/report (VIEW_REPORTS). Another scope's ids answer 404; refusals 4xx with nothing written."""

import json
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Form, Query, Router, Schema, Status

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import PatrolCheckpoint, PatrolRound
from ..rules.patrols import may_start
from ..selectors import patrols as selectors
from ..services.patrols.plans import (
    CheckpointInput,
    PlanInput,
    checkpoint_add,
    checkpoint_delete,
    checkpoint_update,
    plan_create,
    plan_update,
)
from ..services.patrols.rounds import ItemResult, checkpoint_submit, round_finish, round_start

router = Router(tags=["stewardship"])


def _need(request, *capabilities: Capability) -> None:
    if not any(user_can(request.user, c) for c in capabilities):
        raise PermissionDenied(_("Your role may not do this."))


def _planner(request):
    _need(request, Capability.MANAGE_PATROLS)


def _reader(request):
    _need(request, Capability.PATROL, Capability.MANAGE_PATROLS, Capability.VIEW_REPORTS)


class PatrolItemIO(Schema):
    text: str = Field(..., max_length=100)
    photo_required: bool = False
    note_required: bool = False


class PatrolCheckpointOut(Schema):
    id: int
    position: int
    name: str
    place: str
    common_area_id: int | None
    building_id: int | None
    items: list[PatrolItemIO]
    token: str = Field(..., description="What its QR code encodes: /steward/patrols/scan/{token}/.")


class PatrolPlanOut(Schema):
    id: int
    project_id: int
    name: str
    frequency: str
    windows: list[str]
    weekdays: list[int]
    day_of_month: int
    working_days_only: bool
    assignee_id: int | None
    assignee_role: str
    supervisor_id: int | None
    active: bool


class PatrolPlanDetailOut(PatrolPlanOut):
    checkpoints: list[PatrolCheckpointOut]


class PatrolPlanIn(Schema):
    project_id: int
    name: str = Field(..., max_length=60)
    windows: list[str] = Field(..., max_length=6, description='Local times, e.g. ["09:30-11:00", "15:00-17:00"].')
    frequency: str = Field("daily", description="daily, weekly or monthly.")
    weekdays: list[int] = Field([], max_length=7, description="0 = Monday (weekly).")
    day_of_month: int = Field(1, ge=1, le=31)
    working_days_only: bool = True
    assignee_id: int | None = None
    assignee_role: str = Field("", max_length=20, description="steward, agent, technician… when no person.")
    supervisor_id: int | None = Field(None, description="Default: the project manager.")
    active: bool = True


class PatrolCheckpointIn(Schema):
    name: str = Field(..., max_length=60)
    items: list[PatrolItemIO] = Field(..., max_length=20)
    common_area_id: int | None = None
    building_id: int | None = None
    place_note: str = Field("", max_length=100)
    position: int | None = Field(None, ge=0, le=999)


def _plan_out(plan) -> dict:
    data = {name: getattr(plan, name) for name in PatrolPlanOut.model_fields if hasattr(plan, name)}
    return data


def _checkpoint_out(point) -> dict:
    return {"id": point.pk, "position": point.position, "name": point.name, "place": point.place,
            "common_area_id": point.common_area_id, "building_id": point.building_id, "items": point.items,
            "token": point.token}


def _plan(request, plan_id):
    with scoped_404():
        return selectors.plan_detail(user=request.user, plan_id=plan_id)


@router.get("patrols/plans", response=list[PatrolPlanOut], summary="Patrol plans (MANAGE_PATROLS)")
def patrol_plans(request):
    _planner(request)
    return [_plan_out(plan) for plan in selectors.plan_list(user=request.user)]


@router.post("patrols/plans", response={201: PatrolPlanDetailOut}, summary="Create a patrol plan (MANAGE_PATROLS)")
def patrol_plan_create(request, payload: PatrolPlanIn):
    _planner(request)
    from propdesk.org.models import Project
    project = Project.objects.restrict(request.user).filter(pk=payload.project_id).first()
    if project is None:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {"project_id": [
            _("Choose a project you work on.")]}})
    plan = plan_create(actor=request.user, project=project, now=timezone.now(), data=PlanInput(
        **payload.dict(exclude={"project_id"})))
    return Status(201, {**_plan_out(plan), "checkpoints": []})


@router.get("patrols/plans/{int:plan_id}", response=PatrolPlanDetailOut, summary="A plan with its checkpoints")
def patrol_plan_get(request, plan_id: int):
    _planner(request)
    plan = _plan(request, plan_id)
    return {**_plan_out(plan), "checkpoints": [_checkpoint_out(p) for p in plan.points]}


@router.put("patrols/plans/{int:plan_id}", response=PatrolPlanDetailOut, summary="Change a plan (MANAGE_PATROLS)")
def patrol_plan_update(request, plan_id: int, payload: PatrolPlanIn):
    _planner(request)
    plan = plan_update(plan=_plan(request, plan_id), actor=request.user,
                       data=PlanInput(**payload.dict(exclude={"project_id"})))
    plan = _plan(request, plan.pk)
    return {**_plan_out(plan), "checkpoints": [_checkpoint_out(p) for p in plan.points]}


@router.post("patrols/plans/{int:plan_id}/checkpoints", response={201: PatrolCheckpointOut},
             summary="Add a checkpoint to a plan (MANAGE_PATROLS)")
def patrol_checkpoint_create(request, plan_id: int, payload: PatrolCheckpointIn):
    _planner(request)
    point = checkpoint_add(plan=_plan(request, plan_id), actor=request.user,
                           data=CheckpointInput(**{**payload.dict(), "items": [i.dict() for i in payload.items]}))
    return Status(201, _checkpoint_out(point))


def _checkpoint(request, checkpoint_id):
    with scoped_404():
        return selectors.checkpoint_detail(user=request.user, checkpoint_id=checkpoint_id)


@router.put("patrols/checkpoints/{int:checkpoint_id}", response=PatrolCheckpointOut,
            summary="Change a checkpoint (MANAGE_PATROLS)")
def patrol_checkpoint_update(request, checkpoint_id: int, payload: PatrolCheckpointIn):
    _planner(request)
    point = checkpoint_update(checkpoint=_checkpoint(request, checkpoint_id), actor=request.user,
                              data=CheckpointInput(**{**payload.dict(), "items": [i.dict() for i in payload.items]}))
    return _checkpoint_out(point)


@router.delete("patrols/checkpoints/{int:checkpoint_id}", response={204: None},
               summary="Delete a checkpoint that has no records (MANAGE_PATROLS)")
def patrol_checkpoint_delete(request, checkpoint_id: int):
    _planner(request)
    checkpoint_delete(checkpoint=_checkpoint(request, checkpoint_id), actor=request.user)
    return Status(204, None)


class PatrolRoundOut(Schema):
    id: int
    plan_id: int
    plan_name: str
    project_id: int
    day: date
    window_start: datetime
    window_end: datetime
    status: str
    started_at: datetime | None
    started_by_id: int | None
    finished_at: datetime | None
    checkpoints_total: int
    checkpoints_done: int
    findings: int


class PatrolFindingOut(Schema):
    item_index: int
    item_text: str
    note: str
    request_id: int
    request_number: str


class PatrolPointOut(Schema):
    checkpoint_id: int
    name: str
    place: str
    done: bool
    visited_at: datetime | None
    all_fine: bool | None
    findings: list[PatrolFindingOut]


class PatrolRoundDetailOut(PatrolRoundOut):
    checkpoints: list[PatrolPointOut]


class PatrolRoundFilter(Schema):
    day: date | None = Field(None, description="The local day; default today.")
    mine: bool = Field(False, description="Only the rounds I may walk or walked.")


def _round_out(round_) -> dict:
    return {**{name: getattr(round_, name) for name in PatrolRoundOut.model_fields if hasattr(round_, name)},
            "plan_name": round_.plan.name}


def _round_detail(request, round_id) -> dict:
    with scoped_404():
        round_ = selectors.round_detail(user=request.user, round_id=round_id)
    points = []
    for p in round_.points:
        visit = p.visit
        points.append({"checkpoint_id": p.pk, "name": p.name, "place": p.place, "done": visit is not None,
                       "visited_at": visit.visited_at if visit else None,
                       "all_fine": visit.all_fine if visit else None,
                       "findings": [{"item_index": f.item_index, "item_text": f.item_text, "note": f.note,
                                     "request_id": f.request_id, "request_number": f.request.number}
                                    for f in (visit.found.all() if visit else [])]})
    return {**_round_out(round_), "checkpoints": points}


@router.get("patrols/rounds", response=list[PatrolRoundOut], summary="A day's patrol rounds")
def patrol_rounds(request, filters: Query[PatrolRoundFilter]):
    _reader(request)
    day = filters.day or timezone.localdate()
    rounds = (selectors.my_rounds(user=request.user, day=day) if filters.mine else
              list(PatrolRound.objects.restrict(request.user).filter(day=day).select_related("plan")
                   .order_by("window_start", "plan_id")))
    return [_round_out(r) for r in rounds]


@router.get("patrols/rounds/{int:round_id}", response=PatrolRoundDetailOut, summary="A round and its checkpoints")
def patrol_round_get(request, round_id: int):
    _reader(request)
    return _round_detail(request, round_id)


@router.post("patrols/rounds/{int:round_id}/start", response=PatrolRoundDetailOut,
             summary="Start a round within its window ±15 min (PATROL)")
def patrol_round_start(request, round_id: int):
    _need(request, Capability.PATROL)
    _round_detail(request, round_id)
    round_start(round_id=round_id, actor=request.user, now=timezone.now())
    return _round_detail(request, round_id)


@router.post("patrols/rounds/{int:round_id}/finish", response=PatrolRoundDetailOut,
             summary="Finish one's round: on time or late (PATROL)")
def patrol_round_finish(request, round_id: int):
    _need(request, Capability.PATROL)
    _round_detail(request, round_id)
    round_finish(round_id=round_id, actor=request.user, now=timezone.now())
    return _round_detail(request, round_id)


class PatrolScanOut(Schema):
    round_id: int
    checkpoint: PatrolCheckpointOut


@router.get("patrols/scan/{token}", response=PatrolScanOut,
            summary="A scanned QR code: its checkpoint within one's round in progress (PATROL)")
def patrol_scan(request, token: str):
    _need(request, Capability.PATROL)
    with scoped_404():
        point = selectors.checkpoint_by_token(user=request.user, token=token)
    round_ = selectors.open_round_for(user=request.user, checkpoint=point)
    if round_ is None:
        raise ApplicationError(_("Start the round of “%(plan)s” before scanning its checkpoints.") % {
            "plan": point.plan.name}, status_code=409)
    if round_.plan_id != point.plan_id:
        raise ApplicationError(_("This checkpoint belongs to another plan (%(plan)s).") % {
            "plan": point.plan.name}, status_code=409)
    if not may_start(window_start=round_.window_start, window_end=round_.window_end, at=timezone.now()):
        raise ApplicationError(_("This round's window is over: checkpoints can no longer be recorded."),
                               status_code=409)
    return {"round_id": round_.pk, "checkpoint": _checkpoint_out(point)}


class PatrolResultIn(Schema):
    fine: bool
    note: str = Field("", max_length=300)


@router.post("patrols/rounds/{int:round_id}/checkpoints/{int:checkpoint_id}", response={201: PatrolRoundDetailOut},
             summary="Submit a checkpoint of one's round (PATROL)",
             description='Multipart: ``results`` is JSON, one {"fine": true|false, "note": "…"} per checklist item in '
                         "order; a photo of item i is the file field ``photo_i``. Once per checkpoint and round.")
def patrol_checkpoint_submit(request, round_id: int, checkpoint_id: int, results: Form[str]):
    _need(request, Capability.PATROL)
    _round_detail(request, round_id)
    with scoped_404():
        PatrolCheckpoint.objects.restrict(request.user).get(pk=checkpoint_id)
    try:
        raw = json.loads(results)
        parsed = [PatrolResultIn(**row) for row in raw] if isinstance(raw, list) and len(raw) <= 20 else None
    except (ValueError, TypeError):
        parsed = None
    if parsed is None:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {"results": [
            _("One {fine, note} per checklist item, as a JSON list.")]}}, status_code=422)
    items = [ItemResult(fine=r.fine, note=r.note, photos=request.FILES.getlist(f"photo_{i}"))
             for i, r in enumerate(parsed)]
    checkpoint_submit(round_id=round_id, checkpoint_id=checkpoint_id, actor=request.user, results=items,
                      now=timezone.now())
    return Status(201, _round_detail(request, round_id))


class PatrolReportRowOut(Schema):
    label: str
    rounds: int
    on_time: int
    late: int
    missed: int
    open: int
    rate: int | None
    findings: int


class PatrolReportOut(Schema):
    first: date
    last: date
    total: PatrolReportRowOut
    by_plan: list[PatrolReportRowOut]
    by_person: list[PatrolReportRowOut]
    by_month: list[PatrolReportRowOut]


class PatrolReportFilter(Schema):
    month: str = Field("", max_length=7, description="YYYY-MM; default this month.")
    project_id: int | None = None


@router.get("patrols/report", response=PatrolReportOut,
            summary="Completion and findings per plan, person and month (VIEW_REPORTS)")
def patrol_report_api(request, filters: Query[PatrolReportFilter]):
    _need(request, Capability.VIEW_REPORTS)
    first, last, _month = selectors.month_bounds(filters.month, today=timezone.localdate())
    r = selectors.patrol_report(user=request.user, first=first, last=last, project_id=filters.project_id)

    def row(data, label):
        return {"label": label, **{k: data[k] for k in ("rounds", "on_time", "late", "missed", "open", "rate",
                                                          "findings")}}
    return {"first": first, "last": last, "total": row(r["total"], _("Total")),
            "by_plan": [row(d, f"{d['project__name']} · {d['plan__name']}") for d in r["by_plan"]],
            "by_person": [row(d, d["name"]) for d in r["by_person"]],
            "by_month": [row(d, f"{d['month']:%Y-%m}") for d in r["by_month"]]}
