"""Record-and-dispatch: the one place where a new request gets its first work order, chosen by the dispatcher or by
the project's dispatch rules. Used by the intake page and the API alike."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.duty.selectors.rosters import on_duty_entries
from propdesk.org.models import Department

from .. import selectors
from ..models import DispatchRule, ServiceRequest, WorkOrder
from ..rules.dispatch import Rule, first_match
from ..rules.transitions import WorkOrderAction
from . import people
from .pools import pool_empty_message, pool_has_grabbers
from .workorders import workorder_act, workorder_create


@transaction.atomic
def request_dispatch(*, request: ServiceRequest, actor, department_id: int, assignee_id: int | None = None,
                     instructions: str = "", now=None) -> WorkOrder:
    """A work order for ``department_id``, dispatched to ``assignee_id`` or put in the department's pool, at ``now``
    (default: the clock)."""
    department = Department.objects.filter(pk=department_id, project=request.project_id).first()
    if department is None:
        raise ApplicationError(_("Choose a department of this project."),
                               {"fields": {"department_id": [_("Choose a department of this project.")]}})
    if assignee_id is None and not pool_has_grabbers(department):
        message = pool_empty_message(department)
        raise ApplicationError(message, {"code": "pool_empty", "fields": {"department_id": [message]}})
    work_order = workorder_create(request=request, department=department, actor=actor, instructions=instructions,
                                  now=now)
    if assignee_id is None:
        return workorder_act(work_order=work_order, actor=actor, action=WorkOrderAction.POOL, now=now)
    return workorder_act(work_order=work_order, actor=actor, action=WorkOrderAction.DISPATCH, assignee_id=assignee_id,
                         now=now)


def dispatch_rule_for(request: ServiceRequest) -> Rule | None:
    rules = [Rule(kind=r.kind, buildings=r.buildings, department_id=r.department_id, assignee_id=r.assignee_id)
             for r in DispatchRule.objects.filter(project=request.project_id).order_by("order", "id")]
    building = request.room.building.number if request.room_id else None
    return first_match(rules, kind=request.kind, building_number=building)


def on_duty_assignee(request: ServiceRequest, rule: Rule, now) -> int | None:
    """Issue 13 (roster): an urgent request outside working time goes to the department's person on duty (the
    earliest shift), not to its pool or its day person, unless the rule's person is on duty themselves."""
    if not request.urgent or people.is_working_time(request.project, now):
        return None
    on_duty = [e.user_id for e in on_duty_entries(project_id=request.project_id, at=now,
                                                  department_id=rule.department_id) if e.user.is_active]
    if not on_duty or rule.assignee_id in on_duty:
        return None
    return on_duty[0]


@transaction.atomic
def request_dispatch_by_rule(*, request: ServiceRequest, actor, now=None) -> WorkOrder | None:
    """Dispatch by the project's rules; None when no rule matches, or when the rule's pool has nobody to grab
    from it (the request waits in the dispatch queue rather than in a pool where nobody would see it). ``actor``
    None: the rules dispatch by themselves (a request a resident reported in the app; the timeline says "system").
    An urgent request outside working time goes to the department's person on duty (``on_duty_assignee``)."""
    rule = dispatch_rule_for(request)
    if rule is None:
        return None
    night = on_duty_assignee(request, rule, now or timezone.now())
    if night is not None:
        return request_dispatch(request=request, actor=actor, department_id=rule.department_id, assignee_id=night,
                                now=now)
    if rule.assignee_id is None and not selectors.grabbers().filter(department_id=rule.department_id).exists():
        return None
    return request_dispatch(request=request, actor=actor, department_id=rule.department_id,
                            assignee_id=rule.assignee_id, now=now)
