"""Builders for the roster tests: project A's engineering shifts (白班 08:00–20:00, 夜班 20:00–08:00), its duty
manager shift, a second engineer and a department head."""

from datetime import time

from propdesk.core.testing import make_user
from propdesk.duty.models import ShiftKind
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department


def engineering(world) -> Department:
    return Department.objects.get(project=world.project_a, kind=DepartmentKind.ENGINEERING)


def shifts(world) -> dict:
    eng = engineering(world)
    a = world.project_a
    return {
        "day": ShiftKind.objects.create(project=a, department=eng, name="白班", starts=time(8), ends=time(20)),
        "night": ShiftKind.objects.create(project=a, department=eng, name="夜班", starts=time(20), ends=time(8)),
        "manager": ShiftKind.objects.create(project=a, department=None, name="值班经理夜班", starts=time(18),
                                            ends=time(8)),
    }


def engineer(world, username="tech2_a", name="孙师傅", mobile="13900002222"):
    user = make_user(username, role="technician", department=engineering(world), project=world.project_a,
                     display_name=name)
    user.staff_profile.mobile = mobile
    user.staff_profile.save(update_fields=["mobile"])
    return user


def head(world):
    department = engineering(world)
    user = make_user("head_eng_a", role="dept_staff", department=department, project=world.project_a,
                     display_name="工程部经理 黄伟")
    department.head = user
    department.save(update_fields=["head"])
    return user
