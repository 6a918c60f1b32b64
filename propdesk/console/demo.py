"""The demo company: a realistic property-management company built deterministically from a seed.

Two phases. ``plan_demo`` is pure Python: from ``random.Random(seed)``, a scale and "today" it decides every
building, room, person, phone and occupancy (no database, no global random, no Faker), so one seed gives the
same data. ``build_demo`` writes that plan in one transaction with ``bulk_create`` and reports counts and the
demo logins. Dates are relative to "today" so that the demo always looks current; for a given seed and day the
data are identical.

At scale 1.0: one company, 2 branches, 4 projects, about 10,000 rooms and 15,000 residents.
"""

from __future__ import annotations

import functools
import random
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from propdesk.customers.models import ArchiveSequence, Occupancy, Phone, Resident
from propdesk.customers.rules.phones import id_check_digit, last4
from propdesk.org.models import (
    Branch,
    Building,
    CommonArea,
    Company,
    Department,
    Project,
    Room,
    Unit,
    room_code,
)
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent, WorkOrder
from propdesk.staff.models import StaffProfile
from propdesk.staff.rules.roles import ROLE_SCOPE_LEVEL

DEMO_PASSWORD = "demo1234"
COMPANY_CODE = "wanjia"
COMPANY_NAME = "万家物业服务有限公司"
BATCH = 2000
HISTORY_DAYS = 3 * 365

# --- specification: what the demo company looks like ------------------------------------------------


@dataclass(frozen=True)
class BranchSpec:
    code: str
    name: str
    city: str
    area_code: str
    local_digits: str  # first digits of local landline numbers in that city
    id_regions: tuple[str, ...]  # ID-number region codes of the city's districts
    local_surnames: str  # surnames more common in that region


@dataclass(frozen=True)
class ProjectSpec:
    code: str  # also the ASCII slug of demo usernames
    name: str
    branch: str
    address: str
    service_phone: str
    rooms: int  # rooms at scale 1.0
    floors: tuple[int, int]  # high-rise floors
    units: tuple[int, int]  # high-rise units (stairwells) per building
    per_floor: tuple[int, int]  # high-rise rooms per floor and unit
    low_kind: str = ""  # "villa" or "midrise": the project's low buildings, built after the high-rises
    low_share: float = 0.0  # share of rooms in low buildings
    upscale: bool = False  # larger homes, more affluent owners
    garage_levels: int = 1
    prefix: str = ""  # the project's number prefix (pinyin initials): CH-261130-014, CH-RC2026000001


BRANCHES = (
    BranchSpec("east", "华东分公司", "上海", "021", "56",
               ("310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310115"),
               "沈顾陆钱徐朱张王"),
    BranchSpec("west", "西南分公司", "成都", "028", "86",
               ("510104", "510105", "510106", "510107", "510108", "510112", "510116"),
               "杨罗何曾邓廖刘李"),
)

PROJECTS = (
    ProjectSpec("cuihu", "翠湖花园", "east", "上海市浦东新区锦绣路2688弄", "400-820-5188", rooms=2750,
                floors=(18, 26), units=(2, 3), per_floor=(3, 4), low_kind="villa", low_share=0.03,
                garage_levels=2, prefix="CH"),
    ProjectSpec("jingui", "金桂苑", "east", "上海市闵行区七莘路1588弄", "400-820-5288", rooms=1950,
                floors=(18, 24), units=(2, 3), per_floor=(2, 4), low_kind="midrise", low_share=0.35, prefix="JG"),
    ProjectSpec("jinjiang", "锦江城", "west", "四川省成都市锦江区东大街紫东楼段99号", "400-828-6688",
                rooms=3300,
                floors=(28, 33), units=(2, 3), per_floor=(3, 4), garage_levels=2, prefix="JJ"),
    ProjectSpec("binjiang", "滨江壹号", "west", "四川省成都市武侯区滨江西路168号", "400-828-6788",
                rooms=1750, floors=(24, 33), units=(2, 2), per_floor=(2, 2), low_kind="villa", low_share=0.04,
                upscale=True, garage_levels=2, prefix="BJ"),
)

PROJECT_DEPARTMENTS = (("customer_service", "客服中心"), ("engineering", "工程部"), ("security", "秩序部"),
                       ("cleaning", "环境部"), ("landscaping", "绿化部"))

# Demo staff per project: (username prefix, role, department kind or "").
PROJECT_STAFF = (
    ("agent", "agent", ""), ("steward", "steward", ""), ("tech", "technician", "engineering"),
    ("security", "dept_staff", "security"), ("pm", "project_manager", ""),
    ("agent2", "agent", ""), ("steward2", "steward", ""), ("tech2", "technician", "engineering"),
    ("tech3", "technician", "engineering"), ("cleaning", "dept_staff", "cleaning"),
    ("green", "dept_staff", "landscaping"),
)

ROLE_LABELS = {
    "agent": "客服", "steward": "管家", "technician": "维修工", "dept_staff": "部门员工",
    "project_manager": "项目经理", "branch_leader": "分公司领导", "quality": "品质管理部",
    "admin": "系统管理员", "resident": "业主", "tenant": "租户",
}
DEPT_STAFF_LABELS = {"security": "秩序员", "cleaning": "保洁员", "landscaping": "绿化工"}
# Share of men among staff of a role or department, for realistic display names.
MALE_SHARE = {"technician": 0.9, "agent": 0.2, "security": 0.9, "cleaning": 0.3}
ROLE_ORDER = ("agent", "steward", "technician", "dept_staff", "project_manager", "branch_leader", "quality",
              "admin")

MOBILE_PREFIXES = ("138", "139", "150", "151", "186", "187", "188", "135", "136", "137", "158", "159", "177",
                   "180", "189", "199")
OTHER_ID_REGIONS = ("110105", "120103", "320102", "320583", "330106", "340104", "350203", "360102", "370212",
                    "410105", "420106", "430104", "440106", "440304", "500103", "500112", "610113", "510703",
                    "511302", "511502")

# Surnames with rough relative frequency (per 1000).
SURNAMES = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 20),
    ("吴", 20), ("周", 19), ("徐", 15), ("孙", 15), ("马", 13), ("朱", 13), ("胡", 13), ("郭", 12),
    ("何", 12), ("高", 11), ("林", 11), ("罗", 11), ("郑", 10), ("梁", 10), ("谢", 8), ("宋", 8),
    ("唐", 8), ("许", 7), ("韩", 7), ("冯", 7), ("邓", 7), ("曹", 7), ("彭", 6), ("曾", 6),
    ("肖", 6), ("田", 6), ("董", 5), ("袁", 5), ("潘", 5), ("于", 5), ("蒋", 5), ("蔡", 5),
    ("余", 5), ("杜", 5), ("叶", 4), ("程", 4), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("沈", 4), ("姚", 4), ("卢", 4), ("姜", 4), ("崔", 3), ("钟", 3), ("谭", 3),
    ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3), ("廖", 3), ("贾", 3), ("夏", 3),
    ("付", 3), ("方", 3), ("白", 3), ("邹", 3), ("孟", 3), ("熊", 3), ("秦", 3), ("邱", 3),
    ("江", 3), ("尹", 3), ("薛", 2), ("闫", 2), ("段", 2), ("雷", 2), ("侯", 2), ("龙", 2),
    ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2), ("郝", 2), ("龚", 2),
    ("邵", 2), ("万", 2), ("钱", 2), ("严", 2), ("武", 2), ("戴", 2), ("莫", 1), ("孔", 1),
    ("向", 1), ("汤", 1), ("欧阳", 0.3), ("上官", 0.1), ("司马", 0.1),
)

# Given names by generation (born up to 1965, 1966–1995, from 1996) and gender.
GIVEN_NAMES = {
    ("old", "m"): "建国 建华 国庆 国强 国华 卫东 卫国 志刚 志明 志强 德明 德华 文华 文明 "
                  "家富 永福 永强 长林 金宝 福生 根生 宝山 振华 海生 立新 红军 学军 援朝 "
                  "明 华 军 强 平 林 勇 刚 斌 忠",
    ("old", "f"): "秀英 桂英 秀兰 玉兰 桂兰 凤英 秀珍 玉珍 淑珍 淑芬 桂芳 玉梅 秀芳 丽华 "
                  "美华 凤兰 金凤 红梅 冬梅 彩霞 爱华 素珍 翠英 兰英 芳 英 珍 兰 "
                  "梅 华 琴",
    ("mid", "m"): "伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 "
                  "飞 波 宇 浩 凯 健 俊 帆 旭 宁 龙 峰 建军 志伟 "
                  "海涛 俊杰 晓东 永刚 建明 伟东 振宇 文杰 晓明 建平 立军 海波 云龙 国栋 "
                  "剑 亮 毅 昊 晨 坤 志勇 晓峰",
    ("mid", "f"): "芳 娜 敏 静 丽 艳 娟 霞 婷 雪 慧 颖 琳 倩 "
                  "燕 玲 萍 红 洁 琴 晶 莉 蕾 晓燕 丽娟 海燕 晓丽 雪梅 "
                  "春燕 丹丹 婷婷 晓红 美玲 秀梅 丽萍 小红 慧敏 思思 佳 悦 晓静 雅琴",
    ("young", "m"): "子轩 浩然 宇轩 皓轩 梓豪 俊熙 宇航 浩宇 一鸣 睿 博文 子墨 思远 泽宇 "
                    "天佑 铭轩 嘉懿 逸飞 宇泽 晨阳 子豪 俊宇 浩轩 煜 昊天 明轩 梓睿 奕辰 "
                    "文博 嘉豪",
    ("young", "f"): "欣怡 梓涵 诗涵 雨萱 子涵 佳怡 思涵 梦琪 可馨 一诺 紫萱 若曦 雨桐 语嫣 "
                    "欣然 诗琪 梓萱 芷若 心怡 佳琪 思雨 紫涵 雨欣 子萱 馨月 安琪 依诺 梦瑶 "
                    "佳慧 雨涵",
}
GIVEN = {key: tuple(text.split()) for key, text in GIVEN_NAMES.items()}

SEGMENTS = ("young_professionals", "affluent", "school_families", "retirees", "pragmatic")
OWNER_AGE = {"young_professionals": (26, 38), "affluent": (40, 60), "school_families": (35, 50),
             "retirees": (63, 86), "pragmatic": (35, 58)}

COMPLAINANT_NOTES = ("多次投诉楼上噪音，沟通时注意语气", "对物业费调整有意见，多次来访", "常反映车位被占问题",
                     "对维修时效要求高，回访须及时")

# --- the plan: pure data ---------------------------------------------------------------------------------


@dataclass(eq=False)
class RoomPlan:
    unit: str
    floor: int
    number: str
    area: Decimal
    room_type: str
    status: str
    code: str = ""
    obj: Room | None = None


@dataclass(eq=False)
class BuildingPlan:
    number: str
    name: str
    floors: int
    units: int
    kind: str  # "highrise", "midrise", "villa"
    rooms: list[RoomPlan] = field(default_factory=list)
    obj: Building | None = None


@dataclass(eq=False)
class PersonPlan:
    key: int  # order of creation in the plan
    name: str
    gender: str
    birth: date
    segment: str
    registered_on: date
    id_number: str = ""
    phones: list[tuple[str, str, str]] = field(default_factory=list)  # (number, kind, label)
    flags: dict[str, bool] = field(default_factory=dict)
    note: str = ""
    archive_no: str = ""
    login: str = ""  # username of a resident login
    obj: Resident | None = None


@dataclass(eq=False)
class OccupancyPlan:
    person: PersonPlan
    room: RoomPlan
    relation: str
    start: date
    end: date | None = None


@dataclass(frozen=True)
class CommonAreaPlan:
    kind: str
    name: str
    building: str = ""  # building number, or "" for the whole project


@dataclass(frozen=True)
class StaffPlan:
    username: str
    role: str
    display_name: str
    mobile: str
    project: str = ""  # project code
    branch: str = ""  # branch code
    department: str = ""  # department kind within the project, or "finance"


@dataclass(eq=False)
class ProjectPlan:
    spec: ProjectSpec
    branch: BranchSpec
    buildings: list[BuildingPlan] = field(default_factory=list)
    common_areas: list[CommonAreaPlan] = field(default_factory=list)
    persons: list[PersonPlan] = field(default_factory=list)
    occupancies: list[OccupancyPlan] = field(default_factory=list)
    department_phones: dict[str, str] = field(default_factory=dict)
    sequences: dict[date, int] = field(default_factory=dict)  # last archive number per day

    @property
    def rooms(self) -> list[RoomPlan]:
        return [room for building in self.buildings for room in building.rooms]


@dataclass(eq=False)
class DemoPlan:
    seed: int
    scale: float
    today: date
    projects: list[ProjectPlan]
    staff: list[StaffPlan]


class _Context:
    """The random source and what must stay unique while planning."""

    def __init__(self, seed: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self.numbers: set[str] = set()  # phone numbers: unique across the demo, so within each project
        self.id_numbers: set[str] = set()
        self.keys = 0
        self._surnames = [s for s, _w in SURNAMES]
        self._weights = {city.code: [w * (2.5 if s in city.local_surnames else 1.0) for s, w in SURNAMES]
                         for city in BRANCHES}

    def surname(self, branch: BranchSpec) -> str:
        return self.rng.choices(self._surnames, weights=self._weights[branch.code])[0]

    def given(self, gender: str, birth_year: int) -> str:
        generation = "old" if birth_year <= 1965 else "mid" if birth_year <= 1995 else "young"
        return self.rng.choice(GIVEN[(generation, gender)])

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10 ** 8):08d}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def landline(self, branch: BranchSpec) -> str:
        while True:
            local = f"{self.rng.choice(branch.local_digits)}{self.rng.randrange(10 ** 7):07d}"
            number = f"{branch.area_code}-{local}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def id_number(self, branch: BranchSpec, birth: date, gender: str) -> str:
        regions = branch.id_regions if self.rng.random() < 0.7 else OTHER_ID_REGIONS
        while True:
            sequence = self.rng.randrange(100) * 10 + self.rng.choice((1, 3, 5, 7, 9) if gender == "m"
                                                                       else (0, 2, 4, 6, 8))
            first17 = f"{self.rng.choice(regions)}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def day(self, start: date, end: date) -> date:
        """A day from start to end inclusive, uniformly."""
        return start + timedelta(days=self.rng.randint(0, max((end - start).days, 0)))


def plan_demo(*, seed: int, scale: float = 1.0, today: date) -> DemoPlan:
    """Decide every row of the demo. Pure: the same arguments give the same plan."""
    ctx = _Context(seed, today)
    branches = {b.code: b for b in BRANCHES}
    projects = []
    for spec in PROJECTS:
        plan = ProjectPlan(spec=spec, branch=branches[spec.branch])
        plan.buildings = _plan_buildings(ctx, spec, scale)
        plan.common_areas = _plan_common_areas(spec, plan.buildings)
        plan.department_phones = {kind: ctx.landline(plan.branch) for kind, _label in PROJECT_DEPARTMENTS}
        _plan_residents(ctx, plan)
        _assign_archive_numbers(plan)
        projects.append(plan)
    staff = _plan_staff(ctx, projects)
    _choose_resident_logins(projects[0])
    return DemoPlan(seed=seed, scale=scale, today=today, projects=projects, staff=staff)


def _plan_buildings(ctx: _Context, spec: ProjectSpec, scale: float) -> list[BuildingPlan]:
    rng = ctx.rng
    target = max(1, round(spec.rooms * scale))
    low_target = round(target * spec.low_share)
    buildings: list[BuildingPlan] = []
    total = 0
    while not buildings or total < target - low_target:
        number = str(len(buildings) + 1)
        floors = rng.randint(*spec.floors)
        units = rng.randint(*spec.units)
        per_floor = rng.randint(*spec.per_floor)
        # One floor plan per position (a stack of homes has the same area on every floor).
        areas = [_area(rng, per_floor, position, spec.upscale) for position in range(1, per_floor + 1)]
        building = BuildingPlan(number=number, name=f"{number}号楼", floors=floors, units=units,
                                kind="highrise")
        for unit in range(1, units + 1):
            for floor in range(1, floors + 1):
                for position in range(1, per_floor + 1):
                    building.rooms.append(RoomPlan(
                        unit=str(unit), floor=floor, number=f"{floor}{position:02d}",
                        area=areas[position - 1], room_type="residence", status=_status(rng)))
        buildings.append(building)
        total += len(building.rooms)
    low_total = 0
    while low_total < low_target:
        number = str(len(buildings) + 1)
        if spec.low_kind == "villa":
            # A row of town houses: every house is one "unit" with one home.
            units = rng.randint(6, 8)
            building = BuildingPlan(number=number, name=f"{number}号联排别墅", floors=3, units=units,
                                    kind="villa")
            for unit in range(1, units + 1):
                area = Decimal(f"{rng.uniform(180, 260):.2f}")
                building.rooms.append(RoomPlan(unit=str(unit), floor=1, number="101", area=area,
                                               room_type="villa", status=_status(rng)))
        else:
            floors, units = rng.randint(6, 11), rng.randint(2, 3)
            areas = [Decimal(f"{rng.uniform(105, 145):.2f}") for _position in (1, 2)]
            building = BuildingPlan(number=number, name=f"{number}号楼", floors=floors, units=units,
                                    kind="midrise")
            for unit in range(1, units + 1):
                for floor in range(1, floors + 1):
                    for position in (1, 2):
                        building.rooms.append(RoomPlan(
                            unit=str(unit), floor=floor, number=f"{floor}{position:02d}",
                            area=areas[position - 1], room_type="residence", status=_status(rng)))
        buildings.append(building)
        low_total += len(building.rooms)
    for building in buildings:
        for room in building.rooms:
            room.code = room_code(building.number, room.unit, room.number)
    return buildings


def _area(rng: random.Random, per_floor: int, position: int, upscale: bool) -> Decimal:
    if per_floor <= 2:
        low, high = (145, 180) if upscale else (115, 150)
    elif position in (1, per_floor):  # end homes are the larger ones
        low, high = (98, 135) if per_floor == 3 else (89, 128)
    else:
        low, high = (72, 95) if per_floor == 3 else (60, 90)
    return Decimal(f"{rng.uniform(low, high):.2f}")


def _status(rng: random.Random) -> str:
    roll = rng.random()
    return "occupied" if roll < 0.80 else "vacant" if roll < 0.95 else "renovating"


def _plan_common_areas(spec: ProjectSpec, buildings: list[BuildingPlan]) -> list[CommonAreaPlan]:
    areas = [CommonAreaPlan("garage", f"地下车库B{level}层") for level in range(1, spec.garage_levels + 1)]
    areas += [CommonAreaPlan("square", "中心广场"), CommonAreaPlan("clubhouse", "会所"),
              CommonAreaPlan("greenery", "中心景观绿地"), CommonAreaPlan("greenery", "东侧绿化带"),
              CommonAreaPlan("other", "南门岗"), CommonAreaPlan("other", "儿童游乐场"),
              CommonAreaPlan("other", "垃圾分类投放点")]
    for building in [b for b in buildings if b.kind != "villa"][:2]:
        areas.append(CommonAreaPlan("lobby", f"{building.number}号楼1单元大堂", building.number))
        for unit in range(1, building.units + 1):
            for lift in (1, 2):
                areas.append(CommonAreaPlan("elevator", f"{building.number}号楼{unit}单元{lift}号电梯",
                                            building.number))
    return areas


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


# --- writing the plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    role: str
    label: str
    username: str
    password: str
    where: str


@dataclass
class DemoSummary:
    seed: int
    scale: float
    counts: dict[str, int]
    elapsed: float
    logins: list[DemoLogin]


def build_demo(*, seed: int, scale: float = 1.0, stdout=None, today: date | None = None) -> DemoSummary:
    """Build the demo company in one transaction. The database should hold no demo data yet."""
    started = time.monotonic()
    today = today or timezone.localdate()
    plan = plan_demo(seed=seed, scale=scale, today=today)
    _say(stdout, f"Planned the demo (seed {seed}, scale {scale:g}) in {time.monotonic() - started:.1f} s;"
                 " writing…")
    with transaction.atomic():
        _write(plan, stdout)
        from propdesk.console.demo_history import build_history  # it imports this module

        build_history(plan, stdout=stdout)  # a year of requests, work orders and timelines
        from propdesk.console.demo_visits import build_visits

        build_visits(plan, stdout=stdout)  # their follow-up visits 回访
        from propdesk.console.demo_setup import build_setup

        build_setup(plan, today=today, stdout=stdout)  # day one: policy, price lists, dispatch rules, paid repairs
        from propdesk.console.demo_reports import build_reports

        build_reports(today=today, stdout=stdout)  # the public service reports 物业服务报告
    counts = demo_counts()
    return DemoSummary(seed=seed, scale=scale, counts=counts, elapsed=time.monotonic() - started,
                       logins=demo_logins())


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


# --- reading back -------------------------------------------------------------------------------------------


def demo_present() -> bool:
    return Company.objects.filter(code=COMPANY_CODE).exists()


def demo_reset() -> None:
    """Delete ALL data in the database (every table of every installed app), as ``manage.py flush`` does."""
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()  # flush re-creates content types, possibly with other ids


def demo_counts() -> dict[str, int]:
    models = {"companies": Company, "branches": Branch, "projects": Project, "departments": Department,
              "buildings": Building, "units": Unit, "rooms": Room, "common areas": CommonArea,
              "residents": Resident, "phones": Phone, "occupancies": Occupancy,
              "archive sequences": ArchiveSequence, "users": get_user_model(), "staff profiles": StaffProfile,
              "service requests": ServiceRequest, "work orders": WorkOrder, "timeline entries": TimelineEvent}
    return {label: model._default_manager.count() for label, model in models.items()}


def demo_logins() -> list[DemoLogin]:
    """The demo's logins as stored: every staff login of the first project, one line per role for the other
    projects (usernames follow the same pattern), branch and company logins, and the resident logins."""
    first = next(iter(PROJECTS)).code
    usernames = demo_usernames()
    profiles = sorted(StaffProfile.objects.select_related("user", "project", "branch", "department")
                      .filter(user__username__in=usernames), key=lambda p: usernames.index(p.user.username))
    rows: list[tuple[tuple, DemoLogin]] = []
    seen = set()
    for profile in profiles:
        project_code = profile.project.code if profile.project_id else ""
        key = (project_code, profile.role)
        if project_code and project_code != first and key in seen:
            continue
        seen.add(key)
        label = ROLE_LABELS[profile.role]
        if profile.role == "dept_staff" and profile.department_id:
            label = DEPT_STAFF_LABELS.get(profile.department.kind, label)
        where = (profile.project.name if profile.project_id else profile.branch.name if profile.branch_id
                 else COMPANY_NAME)
        order = (0 if project_code == first else 1 if project_code else 2,
                 [p.code for p in PROJECTS].index(project_code) if project_code else 0,
                 ROLE_ORDER.index(profile.role), usernames.index(profile.user.username))
        rows.append((order, DemoLogin(profile.role, f"{label} {profile.display_name}", profile.user.username,
                                      DEMO_PASSWORD, where)))
    residents = (Resident.objects.select_related("user", "project")
                 .filter(user__username__in=("resident1", "resident2")).order_by("user__username"))
    for resident in residents:
        rooms = ", ".join(o.room.code for o in resident.occupancies.select_related("room").all())
        relation = "tenant" if resident.occupancies.filter(relation="tenant").exists() else "resident"
        rows.append(((3, 0, 0, resident.user.username),
                     DemoLogin("resident", f"{ROLE_LABELS[relation]} {resident.name}", resident.user.username,
                               DEMO_PASSWORD, f"{resident.project.name} {rooms}")))
    return [login for _order, login in sorted(rows, key=lambda row: row[0])]


def demo_usernames() -> list[str]:
    """Every login the demo creates."""
    names = [staff_username(prefix, spec.code) for spec in PROJECTS for prefix, _role, _dept in PROJECT_STAFF]
    return names + [f"leader_{b.code}" for b in BRANCHES] + ["quality", "admin", "resident1", "resident2"]


def staff_username(prefix: str, project_code: str) -> str:
    """agent + cuihu → agent_cuihu; agent2 + cuihu → agent_cuihu2."""
    if prefix[-1].isdigit():
        return f"{prefix[:-1]}_{project_code}{prefix[-1]}"
    return f"{prefix}_{project_code}"


def format_logins(logins: list[DemoLogin]) -> list[str]:
    """The logins as an aligned text table (Chinese characters count two columns)."""
    header = DemoLogin("", "role", "username", "password", "where")
    table = [header, *logins]
    columns = ("label", "username", "password")
    widths = [max(_width(getattr(row, column)) for row in table) for column in columns]
    lines = []
    for row in table:
        cells = [_pad(getattr(row, column), width) for column, width in zip(columns, widths, strict=True)]
        lines.append("  ".join([*cells, row.where]).rstrip())
    lines.insert(1, "-" * (sum(widths) + 6 + max(_width(row.where) for row in table)))
    return lines


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
