"""Who a role relation means for one request or work order: the project manager(s), the branch leadership, the
head of a department, the assignee, the dispatcher, the company's quality department. One query per relation."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model

from propdesk.duty.rules.rosters import in_working_day
from propdesk.duty.selectors.rosters import MANAGERS, on_duty_entries
from propdesk.staff.models import Role

from .policy import policy_for

User = get_user_model()


def project_managers(project_id: int):
    return list(User.objects.filter(is_active=True, staff_profile__is_active=True,
                                    staff_profile__role=Role.PROJECT_MANAGER, staff_profile__project_id=project_id))


def branch_leaders(branch_id: int):
    return list(User.objects.filter(is_active=True, staff_profile__is_active=True,
                                    staff_profile__role=Role.BRANCH_LEADER, staff_profile__branch_id=branch_id))


def quality_staff(company_id: int):
    return list(User.objects.filter(is_active=True, staff_profile__is_active=True,
                                    staff_profile__role=Role.QUALITY, staff_profile__company_id=company_id))


def department_members(department_id: int):
    return list(User.objects.filter(is_active=True, staff_profile__is_active=True,
                                    staff_profile__department_id=department_id))


def project_agents(project_id: int):
    return list(User.objects.filter(is_active=True, staff_profile__is_active=True,
                                    staff_profile__role=Role.AGENT, staff_profile__project_id=project_id))


def dispatchers(work_order) -> list:
    """Who dispatched the order; else who recorded its request, when staff did; else the project's agents (a request
    a resident reported in the app, dispatched by the project's rules: a staff message never goes to the resident)."""
    if work_order.dispatcher_id:
        return [work_order.dispatcher]
    recorder = work_order.request.created_by
    if recorder is not None and hasattr(recorder, "staff_profile"):
        return [recorder]
    return project_agents(work_order.request.project_id)


def is_working_time(project, now: datetime) -> bool:
    """Whether the day holders hold their roles at ``now`` (issue 13: roster): a workday of the project's working
    calendar (statutory holidays and 调休 count as days off), from the start of its first working slot to the end of
    its last; the lunch break counts as working time. Nights, weekends and holidays are not: then the on-duty
    people of the roster stand in for the day holders."""
    calendar = policy_for(project).calendar
    local = now.astimezone(calendar.tz)
    return in_working_day(local, workday=calendar.is_workday(local.date()), slots=calendar.slots)


@dataclass(frozen=True)
class Resolved:
    users: list
    on_duty: bool | None = None  # None: the day holders (working time, or a relation the roster does not change);
    # True: outside working time, the people on duty; False: outside working time and nobody on duty, so the day
    # holders after all


def _on_duty_users(project_id: int, at: datetime, department_id) -> list:
    return [e.user for e in on_duty_entries(project_id=project_id, at=at, department_id=department_id)
            if e.user.is_active]


def resolve_recipients(relation: str, *, project, work_order=None, now: datetime | None = None) -> Resolved:
    """People for an escalation relation (rules/escalation.RECIPIENTS) at ``now``. Outside working time
    (``is_working_time``) the department head and a pooled order's assignee mean the on-duty people of the order's
    department, and the project manager the project's on-duty duty manager (值班经理); with nobody on duty, the day
    holder. Without ``now``, always the day holders."""
    day = _day_holders(relation, project=project, work_order=work_order)
    if now is None or relation not in ("department_head", "assignee", "project_manager"):
        return Resolved(day)
    if relation != "project_manager" and (work_order is None or (relation == "assignee" and work_order.assignee_id)):
        return Resolved(day)  # an assigned order's assignee is who they are, day or night
    if is_working_time(project, now):
        return Resolved(day)
    department = MANAGERS if relation == "project_manager" else work_order.department_id
    on_duty = _on_duty_users(project.pk, now, department)
    return Resolved(on_duty, True) if on_duty else Resolved(day, False)


def recipients(relation: str, *, project, work_order=None, now: datetime | None = None) -> list:
    """People for an escalation relation (rules/escalation.RECIPIENTS); with ``now``, the on-duty people stand in
    for the day holders outside working time (``resolve_recipients``)."""
    return resolve_recipients(relation, project=project, work_order=work_order, now=now).users


def _day_holders(relation: str, *, project, work_order=None) -> list:
    if relation == "project_manager":
        return project_managers(project.pk)
    if relation == "branch_leader":
        return branch_leaders(project.branch_id)
    if relation == "quality":
        return quality_staff(project.company_id)
    if work_order is None:
        return []
    if relation == "assignee":
        if work_order.assignee_id:
            return [work_order.assignee]
        return department_members(work_order.department_id)  # a pooled order: warn the whole department
    if relation == "department_head":
        head = work_order.department.head
        return [head] if head else project_managers(project.pk)
    if relation == "dispatcher":
        return dispatchers(work_order)
    return []


def request_agents(request) -> list:
    """The customer-service agents a resident's action on a request is for: the agent who recorded it, or, when
    the resident recorded it themselves (the app) or that agent has left, every active agent of the project."""
    creator = request.created_by
    profile = getattr(creator, "staff_profile", None)
    if creator.is_active and profile is not None and profile.is_active and profile.role == Role.AGENT:
        return [creator]
    return list(User.objects.filter(is_active=True, staff_profile__is_active=True, staff_profile__role=Role.AGENT,
                                    staff_profile__project_id=request.project_id))
