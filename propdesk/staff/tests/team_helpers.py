"""Builders for the staffdesk tests: technicians with skills and certificates, a roster entry on now, open orders."""

from datetime import date, time

from propdesk.core.testing import make_user, sh
from propdesk.duty.models import RosterEntry, ShiftKind
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create
from propdesk.staff.models import StaffCertificate, StaffSkill


def engineering(project) -> Department:
    return Department.objects.get(project=project, kind=DepartmentKind.ENGINEERING)


def technician(world, username, name, *, project=None, skills=(), certificates=()):
    project = project or world.project_a
    user = make_user(username, role="technician", department=engineering(project), project=project,
                     display_name=name)
    StaffSkill.objects.bulk_create([StaffSkill(profile=user.staff_profile, skill=s) for s in skills])
    StaffCertificate.objects.bulk_create([StaffCertificate(profile=user.staff_profile, kind=kind, number=number,
                                                           valid_until=until) for kind, number, until in certificates])
    return user


def on_duty(world, user, *, project=None):
    """``user`` on the 08:00–16:00 shift of 2026-11-23 (the tests run at 10:00 that day)."""
    project = project or world.project_a
    shift, _ = ShiftKind.objects.get_or_create(project=project, department=engineering(project), name="早班",
                                               defaults={"starts": time(8), "ends": time(16)})
    return RosterEntry.objects.create(project=project, department=engineering(project), shift=shift, user=user,
                                      day=date(2026, 11, 23), starts_at=sh(2026, 11, 23, 8),
                                      ends_at=sh(2026, 11, 23, 16))


def repair(world, description="厨房插座跳闸，整屋没电", *, room="3-2-1802"):
    return request_submit(actor=world.users["agent_a"], project=world.project_a, data=RequestInput(
        channel="phone", kind="repair", description=description, room_id=world.room(world.project_a, room).pk,
        contact_name="周美玲", contact_phone="13812345678"))


def open_orders(world, user, count):
    for i in range(count):
        sr = repair(world, f"第{i}号报修：水管漏水")
        wo = workorder_create(request=sr, department=engineering(world.project_a), actor=world.users["agent_a"])
        workorder_act(work_order=wo, actor=world.users["agent_a"], action="dispatch", assignee_id=user.pk)
