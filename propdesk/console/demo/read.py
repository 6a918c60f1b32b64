"""Reading the demo back: is it there, how many rows, its logins as a table; and deleting it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from propdesk.console.demo.spec import (
    BRANCHES,
    COMPANY_CODE,
    COMPANY_NAME,
    DEMO_PASSWORD,
    DEPT_STAFF_LABELS,
    FINANCE_STAFF,
    PROJECT_STAFF,
    PROJECTS,
    ROLE_LABELS,
    ROLE_ORDER,
    staff_username,
)
from propdesk.customers.models import ArchiveSequence, Occupancy, Phone, Resident
from propdesk.fees.models import Bill, LedgerEntry, Payment
from propdesk.org.models import Branch, Building, CommonArea, Company, Department, Project, Room, Unit
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent, WorkOrder
from propdesk.staff.models import StaffProfile


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
              "service requests": ServiceRequest, "work orders": WorkOrder, "timeline entries": TimelineEvent,
              "bills": Bill, "fee payments": Payment, "ledger entries": LedgerEntry}
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
    # the developer's after-sales contact of the building being handed over (console/demo/movein.py)
    names.append(staff_username("developer", next(iter(PROJECTS)).code))
    return (names + [f"leader_{b.code}" for b in BRANCHES] + ["quality"] + [u for u, _b in FINANCE_STAFF]
            + ["admin", "resident1", "resident2"])

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
