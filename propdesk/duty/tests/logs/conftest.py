import pytest

from propdesk.core.testing import make_user, sh
from propdesk.duty.models import RosterEntry, ShiftKind
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department


@pytest.fixture
def eng_a(world):
    return Department.objects.get(project=world.project_a, kind=DepartmentKind.ENGINEERING)


@pytest.fixture
def night_shift(world, eng_a):
    from datetime import time
    return ShiftKind.objects.create(project=world.project_a, department=eng_a, name="夜班", starts=time(20),
                                    ends=time(8))


@pytest.fixture
def day_shift(world, eng_a):
    from datetime import time
    return ShiftKind.objects.create(project=world.project_a, department=eng_a, name="白班", starts=time(8),
                                    ends=time(20))


@pytest.fixture
def technician2_a(world, eng_a):
    return make_user("technician2_a", role="technician", department=eng_a, project=world.project_a,
                     display_name="马师傅")


def roster(shift, user, day):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo
    zone = ZoneInfo("Asia/Shanghai")
    starts = datetime.combine(day, shift.starts, tzinfo=zone)
    ends = datetime.combine(day + timedelta(days=1) if shift.overnight else day, shift.ends, tzinfo=zone)
    return RosterEntry.objects.create(project=shift.project, department=shift.department, shift=shift, user=user,
                                      day=day, starts_at=starts, ends_at=ends)


NOW = sh(2026, 11, 23, 10, 0)
