"""Planning the people: households, tenants and their flags, archive numbers, the staff and the resident logins."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from propdesk.console.demo.names import _Context
from propdesk.console.demo.plan import OccupancyPlan, PersonPlan, ProjectPlan, RoomPlan, StaffPlan
from propdesk.console.demo.spec import (
    BRANCHES,
    COMPLAINANT_NOTES,
    FINANCE_STAFF,
    HISTORY_DAYS,
    MALE_SHARE,
    OWNER_AGE,
    PROJECT_STAFF,
    SEGMENTS,
    BranchSpec,
    staff_username,
)


def _plan_residents(ctx: _Context, plan: ProjectPlan) -> None:
    """Households for occupied and renovating rooms, former tenants, and owners of some vacant homes."""
    rng, today = ctx.rng, ctx.today
    window_start = today - timedelta(days=HISTORY_DAYS)
    owners: list[tuple[PersonPlan, date]] = []
    vacant: list[RoomPlan] = []
    for room in plan.rooms:
        if room.status == "vacant":
            vacant.append(room)
        elif room.status == "renovating":
            # A new owner doing up the home: registered when the renovation was approved.
            segment = rng.choice(("young_professionals", "school_families", "school_families", "pragmatic"))
            registered = ctx.day(today - timedelta(days=180), today)
            owner = _new_person(ctx, plan, segment=segment, registered_on=registered)
            _occupy(plan, owner, room, "owner", registered)
            owners.append((owner, registered))
            if rng.random() < 0.3:
                spouse = _spouse(ctx, plan, owner, registered)
                _occupy(plan, spouse, room, "co_owner", registered)
        else:
            owners.append(_plan_household(ctx, plan, room, window_start))
    for room in vacant:
        if owners and rng.random() < 0.35:  # a second home, bought as an investment and kept empty
            owner, start = rng.choice(owners)
            _occupy(plan, owner, room, "owner", start)


def _plan_household(ctx: _Context, plan: ProjectPlan, room: RoomPlan,
                    window_start: date) -> tuple[PersonPlan, date]:
    rng = ctx.rng
    rented = rng.random() < 0.15
    villa = room.room_type == "villa"
    if villa or (plan.spec.upscale and rng.random() < 0.35):
        segment = "affluent"
    elif rented:
        segment = rng.choices(SEGMENTS, weights=(5, 25, 5, 25, 40))[0]
    else:
        segment = rng.choices(SEGMENTS, weights=(20, 10, 30, 17, 23))[0]
    # The archive was set up three years ago: most owners were registered early on, then the rest trickle in.
    registered = window_start + timedelta(days=int(rng.triangular(0, HISTORY_DAYS, 0)))
    migrated = (registered - window_start).days < 90
    owned_since = registered - timedelta(days=rng.randint(0, 8 * 365) if migrated else rng.randint(0, 30))
    owner = _new_person(ctx, plan, segment=segment, registered_on=registered)
    _occupy(plan, owner, room, "owner", owned_since)
    household = [owner]
    head = owner
    if rng.random() < (0.1 if rented else 0.17):
        spouse = _spouse(ctx, plan, owner, registered)
        _occupy(plan, spouse, room, "co_owner", owned_since)
        household.append(spouse)
        head = spouse if spouse.gender == "m" else owner
    if rented:
        _plan_tenants(ctx, plan, room, window_start)
    else:
        household += _plan_family(ctx, plan, room, owner, head, household, registered)
        if rng.random() < 0.02:
            nanny = _new_person(ctx, plan, segment="", registered_on=_later(ctx, registered, 0.0, 365),
                                gender="f", age=rng.randint(45, 60))
            nanny.note = "住家保姆"
            _occupy(plan, nanny, room, "occupant", nanny.registered_on)
    _set_flags(ctx, owner, household, rented, villa)
    return owner, owned_since


def _plan_family(ctx: _Context, plan: ProjectPlan, room: RoomPlan, owner: PersonPlan, head: PersonPlan,
                 household: list[PersonPlan], registered: date) -> list[PersonPlan]:
    rng = ctx.rng
    age = ctx.today.year - owner.birth.year
    family_surname = _surname_of(head) if head.gender == "m" else None
    members = []  # (gender, age, surname or None)
    segment = owner.segment
    if segment == "school_families" and rng.random() < 0.6:
        for _child in range(1 if rng.random() < 0.75 else 2):
            members.append((rng.choice("mf"), rng.randint(9, 17), family_surname))
    elif segment == "affluent":
        if rng.random() < 0.45:
            members.append((rng.choice("mf"), rng.randint(12, 30), family_surname))
        if rng.random() < 0.15:
            members.append(("f", min(age + rng.randint(24, 32), 92), None))
    elif segment == "young_professionals":
        if len(household) == 1 and rng.random() < 0.3:
            members.append(("f" if owner.gender == "m" else "m", max(age + rng.randint(-4, 3), 23), None))
        if rng.random() < 0.12:  # a parent living with them; the father shares the owner's surname
            gender = rng.choice("mf")
            members.append((gender, age + rng.randint(24, 32), _surname_of(owner) if gender == "m" else None))
    elif segment == "retirees" and rng.random() < 0.2:
        members.append((rng.choice("mf"), max(age - rng.randint(24, 34), 30), family_surname))
    elif segment == "pragmatic" and rng.random() < 0.3:
        members.append((rng.choice("mf"), rng.randint(8, max(age - 22, 9)), family_surname))
    people = []
    for gender, member_age, surname in members:
        person = _new_person(ctx, plan, segment=segment, registered_on=_later(ctx, registered, 0.7, 365),
                             gender=gender, age=member_age, surname=surname)
        _occupy(plan, person, room, "family", person.registered_on)
        people.append(person)
    return people


def _plan_tenants(ctx: _Context, plan: ProjectPlan, room: RoomPlan, window_start: date) -> None:
    rng, today = ctx.rng, ctx.today
    start = ctx.day(today - timedelta(days=2 * 365), today - timedelta(days=7))
    if rng.random() < 0.1 and (start - window_start).days > 400:
        # The previous tenant, moved out before the current one moved in.
        before = ctx.day(window_start, start - timedelta(days=400))
        former = _new_person(ctx, plan, segment="young_professionals", registered_on=before)
        _occupy(plan, former, room, "tenant", before, end=ctx.day(before + timedelta(days=180),
                                                                   start - timedelta(days=14)))
    segment = rng.choices(SEGMENTS, weights=(60, 3, 10, 2, 25))[0]
    tenant = _new_person(ctx, plan, segment=segment, registered_on=start)
    if rng.random() < 0.5:
        tenant.note = f"租期至{start.year + rng.choice((1, 2, 3))}年{start.month}月"
    _occupy(plan, tenant, room, "tenant", start)
    if rng.random() < 0.3:
        partner = _new_person(ctx, plan, segment=segment, registered_on=start,
                              age=ctx.today.year - tenant.birth.year + rng.randint(-3, 3))
        _occupy(plan, partner, room, rng.choice(("tenant", "occupant")), start)
    if rng.random() < 0.01:
        tenant.flags["is_frequent_complainant"] = True
        tenant.note = rng.choice(COMPLAINANT_NOTES)


def _set_flags(ctx: _Context, owner: PersonPlan, household: list[PersonPlan], rented: bool,
               villa: bool) -> None:
    rng = ctx.rng
    age = ctx.today.year - owner.birth.year
    alone = len(household) == 1 and not rented
    if age >= 50 and rng.random() < 0.008:
        owner.flags["is_former_committee"] = True
        owner.note = "曾任业主委员会委员"
    if owner.segment == "retirees" and alone and age >= 68 and rng.random() < 0.6:
        owner.flags["is_elderly_alone"] = True
        owner.note = rng.choice(("独居老人，管家每周电话问候一次", "独居老人，子女在外地，每月上门探访",
                                 "独居老人，行动不便，上门服务优先"))
        if rng.random() < 0.5:
            owner.phones.append((ctx.mobile(), "mobile", "子女"))
    if rng.random() < (0.08 if villa or owner.segment == "affluent" else 0.006):
        owner.flags["is_vip"] = True
    if rng.random() < 0.012:
        owner.flags["is_frequent_complainant"] = True
        owner.note = rng.choice(COMPLAINANT_NOTES)


def _new_person(ctx: _Context, plan: ProjectPlan, *, segment: str, registered_on: date, gender: str = "",
                age: int | None = None, surname: str | None = None) -> PersonPlan:
    rng = ctx.rng
    gender = gender or ("m" if rng.random() < 0.55 else "f")
    if age is None:
        age = rng.randint(*OWNER_AGE.get(segment or "pragmatic", (30, 60)))
    birth = date(ctx.today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    name = (surname or ctx.surname(plan.branch)) + ctx.given(gender, birth.year)
    ctx.keys += 1
    person = PersonPlan(key=ctx.keys, name=name, gender=gender, birth=birth, segment=segment,
                        registered_on=registered_on)
    if rng.random() < 0.30:
        person.id_number = ctx.id_number(plan.branch, birth, gender)
    person.phones.append((ctx.mobile(), "mobile", ""))
    if rng.random() < (0.15 if segment == "retirees" else 0.035):
        person.phones.append((ctx.landline(plan.branch), "landline", "家里"))
    if rng.random() < 0.03:
        person.phones.append((ctx.mobile(), "mobile", "工作"))
    plan.persons.append(person)
    return person


def _spouse(ctx: _Context, plan: ProjectPlan, owner: PersonPlan, registered: date) -> PersonPlan:
    age = max(ctx.today.year - owner.birth.year + ctx.rng.randint(-4, 4), 23)
    return _new_person(ctx, plan, segment=owner.segment, registered_on=registered,
                       gender="f" if owner.gender == "m" else "m", age=age)


def _surname_of(person: PersonPlan) -> str:
    return person.name[:2] if person.name[:2] in {"欧阳", "上官", "司马"} else person.name[0]


def _later(ctx: _Context, day: date, same_day: float, within: int) -> date:
    """The same day with probability ``same_day``, else up to ``within`` days later (not after today)."""
    if ctx.rng.random() < same_day:
        return day
    return min(day + timedelta(days=ctx.rng.randint(1, within)), ctx.today)


def _occupy(plan: ProjectPlan, person: PersonPlan, room: RoomPlan, relation: str, start: date,
            end: date | None = None) -> None:
    plan.occupancies.append(OccupancyPlan(person=person, room=room, relation=relation,
                                          start=min(start, person.registered_on), end=end))


def _assign_archive_numbers(plan: ProjectPlan) -> None:
    """YYYYMMDDnnn per project and day, in order of registration; persons are re-ordered the same way so
    that database ids follow archive numbers. Past 999 a day the sequence grows a digit, as the archive
    service does."""
    plan.persons.sort(key=lambda p: (p.registered_on, p.key))
    sequences: dict[date, int] = defaultdict(int)
    for person in plan.persons:
        sequences[person.registered_on] += 1
        person.archive_no = f"{person.registered_on:%Y%m%d}{sequences[person.registered_on]:03d}"
    plan.sequences = dict(sequences)


def _plan_staff(ctx: _Context, projects: list[ProjectPlan]) -> list[StaffPlan]:
    rng = ctx.rng

    def person_name(branch: BranchSpec, role: str = "", department: str = "") -> str:
        male = MALE_SHARE.get(department) or MALE_SHARE.get(role, 0.5)
        gender = "m" if rng.random() < male else "f"
        return ctx.surname(branch) + ctx.given(gender, ctx.today.year - rng.randint(24, 50))

    staff = []
    for plan in projects:
        code = plan.spec.code
        for prefix, role, department in PROJECT_STAFF:
            staff.append(StaffPlan(username=staff_username(prefix, code), role=role,
                                   display_name=person_name(plan.branch, role, department),
                                   mobile=ctx.mobile(), project=code,
                                   branch=plan.branch.code, department=department))
    for branch in BRANCHES:
        staff.append(StaffPlan(username=f"leader_{branch.code}", role="branch_leader",
                               display_name=person_name(branch), mobile=ctx.mobile(), branch=branch.code))
    staff.append(StaffPlan(username="quality", role="quality", display_name=person_name(BRANCHES[0]),
                           mobile=ctx.mobile()))
    staff.append(StaffPlan(username="admin", role="admin", display_name=person_name(BRANCHES[0]),
                           mobile=ctx.mobile()))
    # After everyone else, so that adding the finance officer changes no other name or number of the plan.
    branches = {branch.code: branch for branch in BRANCHES}
    for username, branch in FINANCE_STAFF:
        staff.append(StaffPlan(username=username, role="finance", display_name=person_name(branches[branch]),
                               mobile=ctx.mobile(), branch=branch, department="finance"))
    return staff


def _choose_resident_logins(plan: ProjectPlan) -> None:
    """resident1: the owner of the first lived-in home of the first project that has a household;
    resident2: a tenant of that project (tenants get the same service as owners)."""
    by_room: dict[int, list[OccupancyPlan]] = defaultdict(list)
    for occupancy in plan.occupancies:
        by_room[id(occupancy.room)].append(occupancy)
    owner = tenant = None
    for room in plan.rooms:
        links = [o for o in by_room.get(id(room), []) if o.end is None]
        relations = {o.relation for o in links}
        if owner is None and "family" in relations:
            owner = next(o.person for o in links if o.relation == "owner")
        if tenant is None and "tenant" in relations:
            tenant = next(o.person for o in links if o.relation == "tenant")
    owner = owner or next((o.person for o in plan.occupancies if o.relation == "owner"), None)
    if owner is not None:
        owner.login = "resident1"
    if tenant is not None and tenant is not owner:
        tenant.login = "resident2"
