"""Who a role relation means for one request or work order: the project manager(s), the branch leadership, the
head of a department, the assignee, the dispatcher, the company's quality department. One query per relation."""

from django.contrib.auth import get_user_model

from propdesk.staff.models import Role

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


def recipients(relation: str, *, project, work_order=None) -> list:
    """People for an escalation relation (rules/escalation.RECIPIENTS)."""
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
