"""Builders for tests: a small company with two branches, three projects, and a user for every role.

Used through the fixtures in ``propdesk/conftest.py``. Realistic Chinese data; deterministic.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from propdesk.customers.services.residents import ResidentData, resident_create
from propdesk.org.choices import DepartmentKind, RoomStatus
from propdesk.org.models import Branch, Company, Department, Project, Room
from propdesk.org.services.buildings import building_create
from propdesk.staff.models import StaffProfile

PASSWORD = "propdesk-test-1"


def password_login(client, username: str, password: str = PASSWORD) -> bool:
    """``client.login`` through every authentication backend. django-axes, first of them, needs the request (it
    counts failures per user name and address): a sign-in from 127.0.0.1, as the test client's requests come."""
    from django.test import RequestFactory

    return client.login(request=RequestFactory().post("/login/"), username=username, password=password)


_HASH_CACHE: dict[str, str] = {}

# The day every test lives in, unless it travels elsewhere itself (time_machine.travel nests, or a rule's now=):
# a Monday, a working day, mid-morning in Beijing, late enough in the month that "last month" has finished. The clock
# ticks on from there, so code that waits still sees time pass; nothing a test expects moves with the wall clock, the
# time of day or the machine's time zone (.ci/run proves it by running the suite again ~400 days ahead at 23:30).
TEST_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))



def sh(*args) -> datetime:
    """A Shanghai wall-clock time: sh(2026, 11, 23, 10, 0)."""
    return datetime(*args, tzinfo=ZoneInfo("Asia/Shanghai"))

def make_user(username: str, *, role: str | None = None, company=None, branch=None, project=None,
              department=None, display_name: str = "", **extra):
    """A user with the test password (hashed once per run: hashing is the slow part)."""
    if PASSWORD not in _HASH_CACHE:
        _HASH_CACHE[PASSWORD] = make_password(PASSWORD)
    user = get_user_model().objects.create(username=username, password=_HASH_CACHE[PASSWORD], **extra)
    if role:
        if company is None:
            company = (project or (department.project if department else None) or branch).company
        StaffProfile.objects.create(user=user, role=role, company=company, branch=branch, project=project,
                                    department=department, display_name=display_name or username)
    return user


def make_project(branch: Branch, code: str, name: str) -> Project:
    project = Project.objects.create(company=branch.company, branch=branch, code=code, name=name,
                                     city="上海", address=f"上海市浦东新区{name}路88号")
    for kind, label in ((DepartmentKind.CUSTOMER_SERVICE, "客服中心"), (DepartmentKind.ENGINEERING, "工程部"),
                        (DepartmentKind.SECURITY, "秩序部"), (DepartmentKind.CLEANING, "环境部")):
        Department.objects.create(branch=branch, project=project, kind=kind, name=f"{name}{label}")
    return project


def make_resident(project: Project, name: str, phone: str, room: Room | None = None, relation: str = "owner",
                  **kwargs):
    rooms = [(room, relation)] if room else []
    return resident_create(project=project, data=ResidentData(name=name, phones=[phone], **kwargs),
                           registered_on=kwargs.pop("registered_on", None) or date(2026, 2, 14), rooms=rooms)


@dataclass
class World:
    company: Company
    branch_east: Branch
    branch_west: Branch
    project_a: Project
    project_b: Project
    project_c: Project
    users: dict = field(default_factory=dict)
    residents: dict = field(default_factory=dict)

    def room(self, project: Project, code: str) -> Room:
        return Room.objects.get(project=project, code=code)


def build_world() -> World:
    company = Company.objects.create(name="万家物业服务有限公司", code="wanjia")
    east = Branch.objects.create(company=company, name="华东分公司", code="east")
    west = Branch.objects.create(company=company, name="西南分公司", code="west")
    a = make_project(east, "a", "翠湖花园")
    b = make_project(east, "b", "金桂苑")
    c = make_project(west, "c", "锦江城")
    for project in (a, b, c):
        building_create(project=project, number="3", floors=20, units=2, rooms_per_floor=2, area=89)
        building_create(project=project, number="5", floors=6, units=1, rooms_per_floor=4)
    Room.objects.filter(project=a, code="3-2-1802").update(status=RoomStatus.OCCUPIED)
    world = World(company, east, west, a, b, c)
    eng_a = Department.objects.get(project=a, kind=DepartmentKind.ENGINEERING)
    u = world.users
    u["agent_a"] = make_user("agent_a", role="agent", project=a, display_name="张晓燕")
    u["agent_b"] = make_user("agent_b", role="agent", project=b, display_name="李娜")
    u["steward_a"] = make_user("steward_a", role="steward", project=a, display_name="王建国")
    u["technician_a"] = make_user("technician_a", role="technician", department=eng_a, project=a,
                                  display_name="刘师傅")
    u["pm_a"] = make_user("pm_a", role="project_manager", project=a, display_name="陈志强")
    u["leader_east"] = make_user("leader_east", role="branch_leader", branch=east, display_name="赵总")
    u["finance_east"] = make_user("finance_east", role="finance", branch=east, display_name="钱会计")
    u["quality"] = make_user("quality", role="quality", company=company, display_name="孙品质")
    u["admin"] = make_user("admin", role="admin", company=company, display_name="系统管理员", is_staff=True)
    r = world.residents
    r["a_owner"] = make_resident(a, "周美玲", "13812345678", world.room(a, "3-2-1802"), id_number="110101199003071233")
    r["a_family"] = make_resident(a, "周子轩", "13900001111", world.room(a, "3-2-1802"), relation="family")
    r["a_tenant"] = make_resident(a, "吴强", "021-62345678", world.room(a, "5-1-301"), relation="tenant")
    r["b_owner"] = make_resident(b, "郑海燕", "13712348888", world.room(b, "3-1-101"))
    u["resident_a"] = make_user("resident_a")
    r["a_owner"].user = u["resident_a"]
    r["a_owner"].save(update_fields=["user"])
    return world


def assert_json_error(response, status: int) -> dict:
    """The API's error answer: ``status``, JSON, ``{"message", "extra"}`` with a message; returns the body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "extra"} and body["message"]
    return body


def run_together(*calls):
    """Start every call at the same instant in its own thread (own connection); return results or exceptions.
    For the PostgreSQL race tests: each thread closes its connections when done."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # collected and asserted by the caller
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
