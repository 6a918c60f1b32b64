"""Builders for the follow-up tests, on top of the service desk's: a repair completed and a complaint handled through
the real services at chosen instants (Shanghai wall-clock times), and the visits they scheduled."""

from datetime import datetime, timedelta

from propdesk.followups.models import FollowUpVisit
from propdesk.servicedesk.models import ServiceRequest, WorkOrder
from propdesk.servicedesk.services.requests import request_reply
from propdesk.servicedesk.tests.services.helpers import SIGNATURE, act, complaint, dispatched, sh, submit

RECEIVED = sh(2026, 3, 10, 9, 0)  # a Tuesday morning
COMPLETED = sh(2026, 3, 10, 11, 0)
REPLIED = sh(2026, 3, 10, 11, 30)

__all__ = ["RECEIVED", "COMPLETED", "REPLIED", "sh", "completed_repair", "complete", "handled_complaint",
           "visits_of", "only_visit"]


def complete(world, work_order: WorkOrder, *, now: datetime) -> WorkOrder:
    """technician_a accepts (if needed) and completes with the resident's signature."""
    tech = world.users["technician_a"]
    work_order.refresh_from_db()
    if work_order.status == "dispatched":
        work_order = act(work_order, tech, "accept", now=now - timedelta(minutes=30))
    return act(work_order, tech, "complete", now=now, result="更换灯座，灯已亮", signature=SIGNATURE)


def completed_repair(world, *, received: datetime = RECEIVED, completed: datetime = COMPLETED,
                     replied: datetime | None = REPLIED, kind: str = "repair"
                     ) -> tuple[ServiceRequest, WorkOrder]:
    """A repair recorded by agent_a, dispatched to technician_a, completed (resolved) and, unless ``replied`` is
    None, answered (closed)."""
    request = submit(world, now=received, kind=kind)
    work_order = complete(world, dispatched(world, request, now=received), now=completed)
    if replied is not None:
        request_reply(request=request, actor=world.users["agent_a"], text="灯座已更换，如有问题请随时联系",
                      now=replied)
    request.refresh_from_db()
    return request, work_order


def handled_complaint(world, *, severity: str = "minor", received: datetime = RECEIVED,
                      replied: datetime = REPLIED) -> ServiceRequest:
    """A complaint answered by agent_a (no work order): answering it is its handling."""
    request = complaint(world, now=received, severity=severity)
    request_reply(request=request, actor=world.users["agent_a"], text="已约谈当班保安并通报批评，向您致歉",
                  complaint_valid=True, root_cause="夜班保安纪律松懈", now=replied)
    request.refresh_from_db()
    return request


def visits_of(request: ServiceRequest) -> list[FollowUpVisit]:
    return list(FollowUpVisit.objects.filter(request=request).order_by("id"))


def only_visit(request: ServiceRequest) -> FollowUpVisit:
    visits = visits_of(request)
    assert len(visits) == 1, visits
    return visits[0]
