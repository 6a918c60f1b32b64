"""The demo's phone sign-in table 「手机号登录」: one mobile per role — the owner, tenant and family member of the first
project's resident logins' homes and the first project's agent, steward, technician and project manager — read back
from the archive (every demo person already has a mobile of their own, unique in the demo). The code the demo "texts"
is read on its message log page, /demo/messages/ (DEMO_MESSAGE_LOG, which only the local demo turns on)."""

from __future__ import annotations

from dataclasses import dataclass

from propdesk.console.demo.read import _pad, _width
from propdesk.console.demo.spec import PROJECTS, ROLE_LABELS, staff_username
from propdesk.customers.models import Occupancy, Phone
from propdesk.staff.models import StaffProfile

STAFF_PREFIXES = ("agent", "steward", "tech", "pm")


@dataclass(frozen=True)
class DemoPhone:
    label: str
    name: str
    phone: str
    where: str


def _mobile(resident_id: int) -> str:
    return (Phone.objects.filter(resident_id=resident_id, kind="mobile").order_by("-is_primary", "id")
            .values_list("number", flat=True).first() or "")


def demo_phone_logins() -> list[DemoPhone]:
    rows = []
    homes = (Occupancy.objects.filter(resident__user__username__in=("resident1", "resident2"), end_date__isnull=True)
             .select_related("resident", "room", "project").order_by("resident__user__username", "id"))
    owner_home = None
    for home in homes:
        if home.resident.user.username == "resident1" and home.relation == "owner" and owner_home is None:
            owner_home = home
            rows.append(DemoPhone(ROLE_LABELS["resident"], home.resident.name, _mobile(home.resident_id),
                                  f"{home.project.name} {home.room.code}"))
        elif home.resident.user.username == "resident2" and home.relation == "tenant":
            rows.append(DemoPhone(ROLE_LABELS["tenant"], home.resident.name, _mobile(home.resident_id),
                                  f"{home.project.name} {home.room.code}"))
            break
    if owner_home is not None:
        family = (Occupancy.objects.filter(room_id=owner_home.room_id, relation="family", end_date__isnull=True)
                  .select_related("resident").order_by("id").first())
        if family is not None:
            rows.insert(1, DemoPhone("家属", family.resident.name, _mobile(family.resident_id),
                                     f"{owner_home.project.name} {owner_home.room.code}"))
    first = next(iter(PROJECTS))
    usernames = [staff_username(prefix, first.code) for prefix in STAFF_PREFIXES]
    profiles = {p.user.username: p for p in StaffProfile.objects.select_related("user", "project")
                .filter(user__username__in=usernames)}
    for username in usernames:
        profile = profiles.get(username)
        if profile is not None and profile.mobile:
            rows.append(DemoPhone(ROLE_LABELS[profile.role], profile.display_name, profile.mobile,
                                  f"{profile.project.name if profile.project_id else ''} ({username})"))
    return rows


def format_phone_logins(rows: list[DemoPhone]) -> list[str]:
    """The table, aligned (Chinese characters count two columns)."""
    header = DemoPhone("角色", "姓名", "手机号", "房屋 / 账号")
    table = [header, *rows]
    widths = [max(_width(getattr(row, column)) for row in table) for column in ("label", "name", "phone")]
    lines = ["  ".join([_pad(row.label, widths[0]), _pad(row.name, widths[1]), _pad(row.phone, widths[2]),
                        row.where]).rstrip() for row in table]
    lines.insert(1, "-" * (sum(widths) + 6 + max(_width(row.where) for row in table)))
    return lines
