"""Writing the demo plan: company, branches, projects, departments, property, users and residents."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from propdesk.console.demo.plan import DemoPlan
from propdesk.console.demo.spec import BATCH, BRANCHES, COMPANY_CODE, COMPANY_NAME, DEMO_PASSWORD, PROJECT_DEPARTMENTS
from propdesk.customers.models import ArchiveSequence, Occupancy, Phone, Resident
from propdesk.customers.rules.phones import last4
from propdesk.org.models import Branch, Building, CommonArea, Company, Department, Project, Room, Unit
from propdesk.staff.models import StaffProfile
from propdesk.staff.rules.roles import ROLE_SCOPE_LEVEL


def _write(plan: DemoPlan, stdout) -> None:
    company = Company.objects.create(name=COMPANY_NAME, code=COMPANY_CODE)
    branches = {spec.code: Branch.objects.create(company=company, name=spec.name, code=spec.code)
                for spec in BRANCHES}
    projects: dict[str, Project] = {}
    departments: dict[tuple[str, str], Department] = {}
    for spec in BRANCHES:
        departments[(spec.code, "finance")] = Department.objects.create(
            branch=branches[spec.code], kind="finance", name=f"{spec.name}财务部")
    for pp in plan.projects:
        spec, branch = pp.spec, branches[pp.spec.branch]
        project = Project.objects.create(company=company, branch=branch, name=spec.name, code=spec.code,
                                         number_prefix=spec.prefix, address=spec.address, city=pp.branch.city,
                                         timezone="Asia/Shanghai", service_phone=spec.service_phone)
        projects[spec.code] = project
        for kind, label in PROJECT_DEPARTMENTS:
            departments[(spec.code, kind)] = Department.objects.create(
                branch=branch, project=project, kind=kind, name=f"{spec.name}{label}",
                phone=pp.department_phones[kind])

    _write_property(plan, projects)
    _say(stdout, f"  org and {sum(len(pp.rooms) for pp in plan.projects):,} rooms written")
    users = _write_users(plan, company, branches, projects, departments)
    _write_residents(plan, projects, users)
    _say(stdout, f"  {sum(len(pp.persons) for pp in plan.projects):,} residents written")


def _write_property(plan: DemoPlan, projects: dict[str, Project]) -> None:
    buildings = []
    for pp in plan.projects:
        project = projects[pp.spec.code]
        for sort, bp in enumerate(pp.buildings, start=1):
            bp.obj = Building(project=project, number=bp.number, name=bp.name, floors=bp.floors, sort=sort)
            buildings.append(bp.obj)
    _bulk(Building, buildings, ("project_id", "number"))
    units: dict[tuple[int, str], Unit] = {}
    for pp in plan.projects:
        for bp in pp.buildings:
            for number in range(1, bp.units + 1):
                units[(id(bp), str(number))] = Unit(project=bp.obj.project, building=bp.obj,
                                                    number=str(number))
    _bulk(Unit, list(units.values()), ("building_id", "number"))
    rooms = []
    for pp in plan.projects:
        project = projects[pp.spec.code]
        for bp in pp.buildings:
            for rp in bp.rooms:
                rp.obj = Room(project=project, building=bp.obj, unit=units[(id(bp), rp.unit)],
                              number=rp.number, code=rp.code, floor=rp.floor, area=rp.area,
                              room_type=rp.room_type, status=rp.status)
                rooms.append(rp.obj)
    _bulk(Room, rooms, ("project_id", "code"))
    areas = []
    for pp in plan.projects:
        project = projects[pp.spec.code]
        by_number = {bp.number: bp.obj for bp in pp.buildings}
        areas += [CommonArea(project=project, building=by_number.get(ap.building), kind=ap.kind, name=ap.name)
                  for ap in pp.common_areas]
    CommonArea.objects.bulk_create(areas, batch_size=BATCH)


def _write_users(plan: DemoPlan, company: Company, branches: dict[str, Branch], projects: dict[str, Project],
                 departments: dict[tuple[str, str], Department]) -> dict:
    password = _password_hash()
    user_model = get_user_model()
    logins = [sp.username for sp in plan.staff]
    logins += [p.login for pp in plan.projects for p in pp.persons if p.login]
    users = {username: user_model(username=username, password=password) for username in logins}
    users["admin"].is_staff = users["admin"].is_superuser = True
    _bulk(user_model, list(users.values()), ("username",))
    profiles = []
    for sp in plan.staff:
        profile = StaffProfile(user=users[sp.username], role=sp.role, company=company,
                               display_name=sp.display_name, mobile=sp.mobile)
        level = ROLE_SCOPE_LEVEL[sp.role]
        if level == "department":
            profile.department = departments[(sp.project, sp.department)]
        if level in ("department", "project"):
            profile.project = projects[sp.project]
        if level in ("department", "project", "branch"):
            profile.branch = branches[sp.branch]
        profiles.append(profile)
    StaffProfile.objects.bulk_create(profiles, batch_size=BATCH)
    return users


@functools.cache
def _password_hash() -> str:
    """The demo password, hashed once per process: hashing is the slow part."""
    return make_password(DEMO_PASSWORD)


def _write_residents(plan: DemoPlan, projects: dict[str, Project], users: dict) -> None:
    residents = []
    for pp in plan.projects:
        project = projects[pp.spec.code]
        for person in pp.persons:
            person.obj = Resident(project=project, archive_no=person.archive_no,
                                  registered_on=person.registered_on, name=person.name, gender=person.gender,
                                  id_number=person.id_number, segment=person.segment, note=person.note,
                                  user=users.get(person.login) if person.login else None, **person.flags)
            residents.append(person.obj)
    _bulk(Resident, residents, ("project_id", "archive_no"))
    phones, occupancies, sequences = [], [], []
    for pp in plan.projects:
        project = projects[pp.spec.code]
        for person in pp.persons:
            phones += [Phone(resident=person.obj, project=project, number=number, kind=kind,
                             last4=last4(number), is_primary=index == 0, label=label)
                       for index, (number, kind, label) in enumerate(person.phones)]
        occupancies += [Occupancy(resident=op.person.obj, room=op.room.obj, project=project,
                                  relation=op.relation, start_date=op.start, end_date=op.end)
                        for op in pp.occupancies]
        sequences += [ArchiveSequence(project=project, day=day, last=last)
                      for day, last in pp.sequences.items()]
    Phone.objects.bulk_create(phones, batch_size=BATCH)
    Occupancy.objects.bulk_create(occupancies, batch_size=BATCH)
    ArchiveSequence.objects.bulk_create(sequences, batch_size=BATCH)


def _bulk(model, objs: list, key: tuple[str, ...]) -> None:
    """bulk_create that leaves every object with its primary key, also on backends that return none."""
    model._default_manager.bulk_create(objs, batch_size=BATCH)
    missing = [obj for obj in objs if obj.pk is None]
    if missing:
        lookup = {tuple(getattr(row, f) for f in key): row.pk for row in model._default_manager.all()}
        for obj in missing:
            obj.pk = lookup[tuple(getattr(obj, f) for f in key)]


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)
