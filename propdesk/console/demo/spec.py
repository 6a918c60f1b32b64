"""What the demo company looks like: its branches, projects, departments, staff roles and households."""

from __future__ import annotations

from dataclasses import dataclass

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
    "finance": "财务", "admin": "系统管理员", "resident": "业主", "tenant": "租户",
}
DEPT_STAFF_LABELS = {"security": "秩序员", "cleaning": "保洁员", "landscaping": "绿化工", "developer": "开发商售后"}
# Share of men among staff of a role or department, for realistic display names.
MALE_SHARE = {"technician": 0.9, "agent": 0.2, "security": 0.9, "cleaning": 0.3}
ROLE_ORDER = ("agent", "steward", "technician", "dept_staff", "project_manager", "branch_leader", "quality",
              "finance", "admin")
# Branch finance officers 财务 (billing runs, corrections, the daily closing): (username, branch code).
FINANCE_STAFF = (("finance_east", "east"),)

SEGMENTS = ("young_professionals", "affluent", "school_families", "retirees", "pragmatic")
OWNER_AGE = {"young_professionals": (26, 38), "affluent": (40, 60), "school_families": (35, 50),
             "retirees": (63, 86), "pragmatic": (35, 58)}

COMPLAINANT_NOTES = ("多次投诉楼上噪音，沟通时注意语气", "对物业费调整有意见，多次来访", "常反映车位被占问题",
                     "对维修时效要求高，回访须及时")

def staff_username(prefix: str, project_code: str) -> str:
    """agent + cuihu → agent_cuihu; agent2 + cuihu → agent_cuihu2."""
    if prefix[-1].isdigit():
        return f"{prefix[:-1]}_{project_code}{prefix[-1]}"
    return f"{prefix}_{project_code}"
