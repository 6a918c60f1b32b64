"""A resident's request history built through the services, at pinned times (Shanghai wall clock)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.servicedesk.services.escalations import escalation_sweep
from propdesk.servicedesk.services.requests import RequestInput, request_comment, request_reply, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

SHANGHAI = ZoneInfo("Asia/Shanghai")
SIGNATURE = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
             "awAAAABJRU5ErkJggg==")
INTERNAL_NOTE = "内部备注：该住户投诉频繁，沟通需谨慎"
REPLY = "您好，卫生间漏水已修复，如再有问题请随时联系客服中心。"


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def report(world, resident_key="a_owner", *, now, description="卫生间地漏返水，地面有积水", room="3-2-1802",
           project=None):
    resident = world.residents[resident_key]
    project = project or world.project_a
    return request_submit(actor=world.users["agent_a"], project=project, now=now, data=RequestInput(
        channel="phone", kind="repair", description=description, reporter_id=resident.pk,
        room_id=world.room(project, room).pk, resident_request="希望今天下午来修"))


def full_story(world, *, start):
    """Received, passed to engineering, accepted, escalated past its deadline, an internal note, done, replied."""
    request = report(world, now=start)
    engineering = Department.objects.get(project=world.project_a, kind=DepartmentKind.ENGINEERING)
    order = workorder_create(request=request, department=engineering, actor=world.users["agent_a"], now=start)
    workorder_act(work_order=order, actor=world.users["agent_a"], action="dispatch",
                  assignee_id=world.users["technician_a"].pk, now=start)
    workorder_act(work_order=order, actor=world.users["technician_a"], action="accept", now=start)
    escalation_sweep(now=sh(2026, 3, 20, 9, 0))  # days late: every rung of the ladder fires
    request_comment(request=request, actor=world.users["agent_a"], text=INTERNAL_NOTE, internal=True)
    workorder_act(work_order=order, actor=world.users["technician_a"], action="arrive", now=sh(2026, 3, 20, 10, 0))
    workorder_act(work_order=order, actor=world.users["technician_a"], action="complete", now=sh(2026, 3, 20, 11, 0),
                  result="更换地漏芯，疏通下水", signature=SIGNATURE)
    request_reply(request=request, actor=world.users["agent_a"], text=REPLY, written=False,
                  complaint_valid=None, root_cause="", now=sh(2026, 3, 20, 12, 0))
    request.refresh_from_db()
    return request
