"""Builders shared by the service tests: a request submitted at a chosen instant, work-order actions with a chosen
``now``, the engineering department of project A. Times are Shanghai wall-clock times."""

from datetime import datetime
from zoneinfo import ZoneInfo

from propdesk.core.testing import make_user
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.servicedesk.models import ServiceRequest, WorkOrder
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

SHANGHAI = ZoneInfo("Asia/Shanghai")
SIGNATURE = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
             "awAAAABJRU5ErkJggg==")


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def engineering(world) -> Department:
    return Department.objects.get(project=world.project_a, kind=DepartmentKind.ENGINEERING)


def department_head(world):
    """A head for project A's engineering department (the world has none)."""
    department = engineering(world)
    head = make_user("head_eng_a", role="dept_staff", department=department, project=world.project_a,
                     display_name="工程部经理 黄伟")
    department.head = head
    department.save(update_fields=["head"])
    return head


def submit(world, *, now: datetime, kind: str = "repair", description: str = "卧室吸顶灯不亮", **fields
           ) -> ServiceRequest:
    """A request from 周美玲 of room 3-2-1802 in project A, recorded by agent_a at ``now``; read back from the
    database so that the assertions see what was stored."""
    owner = world.residents["a_owner"]
    fields.setdefault("room_id", world.room(world.project_a, "3-2-1802").pk)
    data = RequestInput(channel=fields.pop("channel", "phone"), kind=kind, description=description,
                        reporter_id=owner.pk, **fields)
    request = request_submit(actor=world.users["agent_a"], project=world.project_a, data=data, now=now)
    request.refresh_from_db()
    return request


def complaint(world, *, now: datetime, severity: str, **fields) -> ServiceRequest:
    fields.setdefault("complaint_category", "property")
    fields.setdefault("description", "保安夜间巡逻时大声喧哗，态度恶劣")
    return submit(world, now=now, kind="complaint", severity=severity, **fields)


def order(world, request: ServiceRequest, *, now: datetime, department=None) -> WorkOrder:
    work_order = workorder_create(request=request, department=department or engineering(world),
                                  actor=world.users["agent_a"], now=now)
    work_order.refresh_from_db()
    return work_order


def act(work_order: WorkOrder, actor, action: str, *, now: datetime, **kwargs) -> WorkOrder:
    work_order = workorder_act(work_order=work_order, actor=actor, action=action, now=now, **kwargs)
    work_order.refresh_from_db()
    return work_order


def dispatched(world, request: ServiceRequest, *, now: datetime, to=None) -> WorkOrder:
    """An order for engineering dispatched by agent_a to technician_a (or ``to``), not yet accepted."""
    work_order = order(world, request, now=now)
    return act(work_order, world.users["agent_a"], "dispatch", now=now,
               assignee_id=(to or world.users["technician_a"]).pk)
