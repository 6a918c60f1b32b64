"""The work-order state machine as data, and the request status derived from it. Pure Python: no Django.

The service (``services/workorders.py``) calls :func:`check` before every write and the templates draw their buttons
from :func:`available_actions`, so what a user is offered and what the server accepts come from one table.

Who may act is expressed as *relations* of the actor to the order, not as bare roles:

- ``dispatcher``: an agent, a project manager, a branch leader (who handles major complaints), an admin, or the head
  of the order's department. There is no department-head role; the service adds the pseudo-role
  :data:`DEPARTMENT_HEAD` to ``actor_roles`` when the actor heads the department the order belongs to.
- ``assignee``: the person the order is assigned to (the service knows, and passes ``is_assignee``).
- ``department_member``: a technician or department staff member of the order's department (``is_department_member``
  and one of those two roles): the people who may grab a pooled order.
- ``manager``: project manager, branch leader, quality, admin.

Data scope (is the order in the actor's project?) is not checked here: selectors fetch the order by scope first.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class WorkOrderState(StrEnum):
    PENDING = "pending"  # 待派单: created or rejected back, nobody assigned
    POOLED = "pooled"  # in the department's pool, waiting to be grabbed (抢单)
    DISPATCHED = "dispatched"  # assigned to a person who has not accepted yet (派单)
    ACCEPTED = "accepted"  # 接单
    ON_SITE = "on_site"  # 到场
    ON_HOLD = "on_hold"  # 挂起: resident not home, waiting for parts, appointment later
    COMPLETED = "completed"  # 完工
    CANCELLED = "cancelled"  # 撤销


class WorkOrderAction(StrEnum):
    DISPATCH = "dispatch"  # 派单
    POOL = "pool"  # put into the department's pool
    GRAB = "grab"  # 抢单: take from the pool and accept at once
    ACCEPT = "accept"  # 接单
    REJECT = "reject"  # 退单: back to pending with a reason
    ARRIVE = "arrive"  # 到场
    HOLD = "hold"  # 挂起
    RESUME = "resume"
    COMPLETE = "complete"  # 完工
    REASSIGN = "reassign"  # 转单
    CANCEL = "cancel"  # 撤销
    REOPEN = "reopen"


class RequestState(StrEnum):
    OPEN = "open"  # nothing under way yet: no live work order, or all still waiting for dispatch or grab
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"  # all work done, the resident not answered yet
    CLOSED = "closed"  # done and answered (关单)
    CANCELLED = "cancelled"


S = WorkOrderState
A = WorkOrderAction

# Pseudo-role the service adds to actor_roles for the head of the order's department.
DEPARTMENT_HEAD = "department_head"
# Pseudo-role of the project's dispatch rules acting for nobody in person (actor None): a request a resident reported
# in the app is dispatched by the rules as the intake page would, by no one the resident could name.
DISPATCH_RULE = "dispatch_rule"

DISPATCHER = "dispatcher"
ASSIGNEE = "assignee"
DEPARTMENT_MEMBER = "department_member"
MANAGER = "manager"
RELATIONS = frozenset({DISPATCHER, ASSIGNEE, DEPARTMENT_MEMBER, MANAGER})

DISPATCHER_ROLES = frozenset({"agent", "project_manager", "branch_leader", "admin", DEPARTMENT_HEAD, DISPATCH_RULE})
FIELD_ROLES = frozenset({"technician", "dept_staff"})
MANAGER_ROLES = frozenset({"project_manager", "branch_leader", "quality", "admin"})

FINAL_STATES = frozenset({S.COMPLETED, S.CANCELLED})

Style = Literal["primary", "secondary", "danger"]


@dataclass(frozen=True)
class Transition:
    target: WorkOrderState
    actors: frozenset[str]  # relations, any one of which allows the action
    needs_reason: bool
    label: str  # English button text; the UI translates it
    style: Style


class TransitionRefused(Exception):
    """``code`` is one of ``not_allowed_in_state``, ``not_permitted``, ``reason_required``.

    ``message`` is English; the service translates ``template`` (a fixed string, ready for gettext) and fills in
    ``params`` (``state``, ``action``), then raises it as an ApplicationError.
    """

    def __init__(self, code: str, template: str, **params: str):
        self.code = code
        self.template = template
        self.params = params
        self.message = template % params
        super().__init__(self.message)


def _t(target: WorkOrderState, actors: set[str], label: str, style: Style, *, reason: bool = False) -> Transition:
    return Transition(target=target, actors=frozenset(actors), needs_reason=reason, label=label, style=style)


_ANY_LIVE = (S.PENDING, S.POOLED, S.DISPATCHED, S.ACCEPTED, S.ON_SITE, S.ON_HOLD)
_WORKING = (S.DISPATCHED, S.ACCEPTED, S.ON_SITE, S.ON_HOLD)

TRANSITIONS: dict[tuple[WorkOrderState, WorkOrderAction], Transition] = {
    (S.PENDING, A.DISPATCH): _t(S.DISPATCHED, {DISPATCHER}, "Dispatch", "primary"),
    (S.PENDING, A.POOL): _t(S.POOLED, {DISPATCHER}, "Send to pool", "secondary"),
    (S.POOLED, A.GRAB): _t(S.ACCEPTED, {DEPARTMENT_MEMBER}, "Grab", "primary"),
    (S.POOLED, A.DISPATCH): _t(S.DISPATCHED, {DISPATCHER}, "Dispatch", "primary"),
    (S.DISPATCHED, A.ACCEPT): _t(S.ACCEPTED, {ASSIGNEE}, "Accept", "primary"),
    (S.DISPATCHED, A.REJECT): _t(S.PENDING, {ASSIGNEE}, "Reject", "danger", reason=True),
    (S.ACCEPTED, A.REJECT): _t(S.PENDING, {ASSIGNEE}, "Reject", "danger", reason=True),
    (S.ACCEPTED, A.ARRIVE): _t(S.ON_SITE, {ASSIGNEE}, "Arrived", "primary"),
    # Completing straight from accepted serves jobs without a visit (an inquiry settled by phone).
    (S.ACCEPTED, A.COMPLETE): _t(S.COMPLETED, {ASSIGNEE}, "Complete", "primary"),
    (S.ON_SITE, A.COMPLETE): _t(S.COMPLETED, {ASSIGNEE}, "Complete", "primary"),
    # A dispatcher may hold and resume too: the resident calls the desk to move the appointment.
    (S.ACCEPTED, A.HOLD): _t(S.ON_HOLD, {ASSIGNEE, DISPATCHER}, "Hold", "secondary", reason=True),
    (S.ON_SITE, A.HOLD): _t(S.ON_HOLD, {ASSIGNEE, DISPATCHER}, "Hold", "secondary", reason=True),
    # Resume always returns to accepted: a hold (resident away, waiting for parts, later appointment) means the
    # technician leaves, so the next visit is recorded with a new "arrived". Complete is allowed from accepted,
    # so a technician who never left is not stuck.
    (S.ON_HOLD, A.RESUME): _t(S.ACCEPTED, {ASSIGNEE, DISPATCHER}, "Resume", "primary"),
    **{(state, A.REASSIGN): _t(S.DISPATCHED, {DISPATCHER}, "Reassign", "secondary", reason=True)
       for state in _WORKING},
    **{(state, A.CANCEL): _t(S.CANCELLED, {DISPATCHER}, "Cancel", "danger", reason=True) for state in _ANY_LIVE},
    # Reopen sends the order back to its last assignee; reassign afterwards if someone else should go.
    (S.COMPLETED, A.REOPEN): _t(S.DISPATCHED, {DISPATCHER, MANAGER}, "Reopen", "secondary", reason=True),
}

_STYLE_RANK = {"primary": 0, "secondary": 1, "danger": 2}
_ACTION_RANK = {action: index for index, action in enumerate(WorkOrderAction)}


def actor_relations(*, actor_roles: frozenset[str], is_assignee: bool, is_department_member: bool) -> frozenset[str]:
    """The relations an actor has to one work order."""
    roles = frozenset(actor_roles)
    relations = set()
    if roles & DISPATCHER_ROLES:
        relations.add(DISPATCHER)
    if is_assignee:
        relations.add(ASSIGNEE)
    if is_department_member and roles & FIELD_ROLES:
        relations.add(DEPARTMENT_MEMBER)
    if roles & MANAGER_ROLES:
        relations.add(MANAGER)
    return frozenset(relations)


def check(*, state: WorkOrderState, action: WorkOrderAction | str, actor_roles: frozenset[str], is_assignee: bool,
          is_department_member: bool, reason: str = "") -> WorkOrderState:
    """Return the state ``action`` leads to, or raise :class:`TransitionRefused`.

    Checked in this order: the state allows the action, the actor may take it, a reason is given where needed.
    """
    state = WorkOrderState(state)
    try:
        action = WorkOrderAction(action)
    except ValueError:
        raise TransitionRefused("not_allowed_in_state", "Unknown action '%(action)s'.", action=str(action)) from None
    transition = TRANSITIONS.get((state, action))
    if transition is None:
        raise TransitionRefused("not_allowed_in_state",
                                "A work order that is %(state)s cannot be given the action '%(action)s'.",
                                state=state.value, action=action.value)
    relations = actor_relations(actor_roles=actor_roles, is_assignee=is_assignee,
                                is_department_member=is_department_member)
    if not relations & transition.actors:
        raise TransitionRefused("not_permitted", "You may not %(action)s this work order.",
                                state=state.value, action=action.value)
    if transition.needs_reason and not (reason or "").strip():
        raise TransitionRefused("reason_required", "Give a reason to %(action)s this work order.",
                                state=state.value, action=action.value)
    return transition.target


def available_actions(*, state: WorkOrderState, actor_roles: frozenset[str], is_assignee: bool,
                      is_department_member: bool) -> list[tuple[WorkOrderAction, Transition]]:
    """The actions this actor may take on an order in ``state``: primary buttons first, danger last."""
    state = WorkOrderState(state)
    relations = actor_relations(actor_roles=actor_roles, is_assignee=is_assignee,
                                is_department_member=is_department_member)
    allowed = [(action, transition) for (from_state, action), transition in TRANSITIONS.items()
               if from_state == state and relations & transition.actors]
    return sorted(allowed, key=lambda item: (_STYLE_RANK[item[1].style], _ACTION_RANK[item[0]]))


def request_state_from(work_order_states: list[WorkOrderState], replied: bool, cancelled: bool) -> RequestState:
    """The status of a request 报事 from its work orders and whether the resident got the final reply.

    Cancelled work orders count as withdrawn: they neither hold a request open nor finish it. A request with no
    live order (an inquiry answered on the phone, or every order withdrawn) is closed once replied, open before.
    ``replied`` means the final answer to the resident; an interim progress call does not count, and the service
    should clear it when an order is reopened.
    """
    if cancelled:
        return RequestState.CANCELLED
    live = [WorkOrderState(state) for state in work_order_states if state != S.CANCELLED]
    unfinished = [state for state in live if state != S.COMPLETED]
    if not unfinished:
        if replied:
            return RequestState.CLOSED
        return RequestState.RESOLVED if live else RequestState.OPEN
    if len(unfinished) == len(live) and all(state in (S.PENDING, S.POOLED) for state in unfinished):
        return RequestState.OPEN
    return RequestState.IN_PROGRESS
