"""Plans and their checkpoints: who patrols, when (rules/patrols.py checks the schedule), what is checked where."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.org.models import Building, CommonArea
from propdesk.servicedesk.services.people import project_managers
from propdesk.staff.models import Role

from ...models import PatrolCheckpoint, PatrolPlan
from ...models.patrols import PatrolFrequency
from ...rules import patrols as rules

# The roles a plan may be given to: whoever of them in the project starts the round does it.
PATROL_ROLES = (Role.STEWARD, Role.AGENT, Role.TECHNICIAN, Role.DEPT_STAFF, Role.PROJECT_MANAGER)
MAX_ITEMS = 20
MAX_CHECKPOINTS = 60


@dataclass
class PlanInput:
    name: str
    windows: list[str]
    frequency: str = PatrolFrequency.DAILY
    weekdays: list[int] = field(default_factory=list)
    day_of_month: int = 1
    working_days_only: bool = True
    assignee_id: int | None = None
    assignee_role: str = ""
    supervisor_id: int | None = None
    active: bool = True


@dataclass
class CheckpointInput:
    name: str
    items: list[dict]
    common_area_id: int | None = None
    building_id: int | None = None
    place_note: str = ""
    position: int | None = None


def schedule_of(plan: PatrolPlan) -> rules.Schedule:
    return rules.Schedule(
        windows=tuple(rules.parse_window(text) for text in plan.windows), frequency=plan.frequency,
        weekdays=frozenset(plan.weekdays or ()), day_of_month=plan.day_of_month,
        working_days_only=plan.working_days_only, tz=plan.project.timezone or "Asia/Shanghai")


def _staff_of(project, user_id, errors, name, message):
    if user_id in (None, ""):
        return None
    user = get_user_model().objects.filter(
        pk=user_id, is_active=True, staff_profile__is_active=True, staff_profile__project_id=project.pk).first()
    if user is None:
        errors[name] = [message]
    return user


def _problem_text(problem: str) -> str:
    """The rule's English problem in the user's language (the window texts inside are dropped)."""
    if "overlap" in problem:
        return _("Windows must be at least 30 minutes apart (they are widened by ±15 minutes).")
    if "ends before" in problem:
        return _("A window must end after it starts.")
    return {"At least one window.": _("At least one window."), "At most six windows a day.": _(
        "At most six windows a day."), "Pick at least one weekday.": _("Pick at least one weekday."),
        "The day of the month is between 1 and 31.": _("The day of the month is between 1 and 31."),
    }.get(problem, _("Unknown frequency."))


def _check_plan(project, data: PlanInput) -> dict:
    errors: dict[str, list[str]] = {}
    name = (data.name or "").strip()
    if not name or len(name) > 60:
        errors["name"] = [_("Give the plan a name (up to 60 characters).")]
    windows = []
    for text in data.windows or []:
        try:
            windows.append(rules.parse_window(str(text)))
        except ValueError:
            errors["windows"] = [_("Write each window as 09:30-11:00.")]
            break
    if "windows" not in errors:
        schedule = rules.Schedule(windows=tuple(windows), frequency=data.frequency,
                                  weekdays=frozenset(data.weekdays or ()), day_of_month=data.day_of_month or 0)
        problems = rules.schedule_problems(schedule)
        if problems:
            errors["windows"] = [_problem_text(problem) for problem in problems]
    assignee = _staff_of(project, data.assignee_id, errors, "assignee_id",
                         _("Choose someone on this project's staff."))
    if data.assignee_role and data.assignee_role not in PATROL_ROLES:
        errors["assignee_role"] = [_("Choose a role that patrols.")]
    if not data.assignee_id and not data.assignee_role and "assignee_id" not in errors:
        errors["assignee_role"] = [_("Assign the plan to a person or a role.")]
    supervisor = _staff_of(project, data.supervisor_id, errors, "supervisor_id",
                           _("Choose someone on this project's staff."))
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    if supervisor is None:
        managers = project_managers(project.pk)
        supervisor = managers[0] if managers else None
    return {"name": name, "windows": [w.label().replace("–", "-") for w in sorted(windows, key=lambda w: w.start)],
            "frequency": data.frequency, "weekdays": sorted(set(data.weekdays or ())),
            "day_of_month": data.day_of_month or 1, "working_days_only": bool(data.working_days_only),
            "assignee": assignee, "assignee_role": "" if assignee else data.assignee_role,
            "supervisor": supervisor, "active": bool(data.active)}


@transaction.atomic
def plan_create(*, actor, project, data: PlanInput, now: datetime) -> PatrolPlan:
    return PatrolPlan.objects.create(project=project, created_at=now, **_check_plan(project, data))


@transaction.atomic
def plan_update(*, plan: PatrolPlan, actor, data: PlanInput) -> PatrolPlan:
    plan = PatrolPlan.objects.select_for_update().get(pk=plan.pk)
    for name, value in _check_plan(plan.project, data).items():
        setattr(plan, name, value)
    plan.save()
    return plan


def _check_checkpoint(plan: PatrolPlan, data: CheckpointInput) -> dict:
    errors: dict[str, list[str]] = {}
    name = (data.name or "").strip()
    if not name or len(name) > 60:
        errors["name"] = [_("Give the checkpoint a name (up to 60 characters).")]
    items = []
    for item in (data.items or [])[:MAX_ITEMS + 1]:
        text = str((item or {}).get("text", "")).strip() if isinstance(item, dict) else ""
        if not text or len(text) > 100:
            errors["items"] = [_("Every checklist item needs a text (up to 100 characters).")]
            break
        items.append({"text": text, "photo_required": bool(item.get("photo_required")),
                      "note_required": bool(item.get("note_required"))})
    if not items and "items" not in errors:
        errors["items"] = [_("Add at least one checklist item.")]
    if len(items) > MAX_ITEMS:
        errors["items"] = [_("At most 20 checklist items.")]
    area = building = None
    if data.common_area_id:
        area = CommonArea.objects.filter(pk=data.common_area_id, project_id=plan.project_id).first()
        if area is None:
            errors["common_area_id"] = [_("Choose a common area of this project.")]
    if data.building_id:
        building = Building.objects.filter(pk=data.building_id, project_id=plan.project_id).first()
        if building is None:
            errors["building_id"] = [_("Choose a building of this project.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    return {"name": name, "items": items, "common_area": area, "building": building or (area and area.building),
            "place_note": (data.place_note or "").strip()[:100]}


@transaction.atomic
def checkpoint_add(*, plan: PatrolPlan, actor, data: CheckpointInput) -> PatrolCheckpoint:
    plan = PatrolPlan.objects.select_for_update().get(pk=plan.pk)
    values = _check_checkpoint(plan, data)
    count = plan.checkpoints.count()
    if count >= MAX_CHECKPOINTS:
        raise ApplicationError(_("A plan has at most 60 checkpoints."), {"fields": {"name": [
            _("A plan has at most 60 checkpoints.")]}})
    position = data.position if data.position is not None else count + 1
    return PatrolCheckpoint.objects.create(plan=plan, project_id=plan.project_id, position=position, **values)


@transaction.atomic
def checkpoint_update(*, checkpoint: PatrolCheckpoint, actor, data: CheckpointInput) -> PatrolCheckpoint:
    checkpoint = PatrolCheckpoint.objects.select_for_update().get(pk=checkpoint.pk)
    for name, value in _check_checkpoint(checkpoint.plan, data).items():
        setattr(checkpoint, name, value)
    if data.position is not None:
        checkpoint.position = data.position
    checkpoint.save()
    return checkpoint


@transaction.atomic
def checkpoint_delete(*, checkpoint: PatrolCheckpoint, actor) -> None:
    if checkpoint.visits.exists():
        raise ApplicationError(_("This checkpoint has records; it cannot be deleted. Edit it instead."),
                               status_code=409)
    checkpoint.delete()
