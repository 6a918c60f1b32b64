"""Skills and certificates of the demo's staff (issue 13, staffdesk). In every project the technicians are
plumbers and electricians (水电) with a low-voltage electrician's certificate 电工证; the first technician also
holds a high-voltage certificate 高压电工证 and the third one the lift operator's 特种设备作业证 and air conditioning;
security staff know fire safety with a 消防设施操作员证, cleaners clean, gardeners garden. In 翠湖花园 (the first
project) tech2's 电工证 expires in 12 days and tech3's 焊工证 expired last month, so the staff page shows both
warnings. Written with bulk_create: two statements whatever the number of projects."""

from __future__ import annotations

from datetime import date, timedelta

from propdesk.console.demo.spec import staff_username
from propdesk.org.models import Project
from propdesk.staff.models import StaffCertificate, StaffProfile, StaffSkill

FIRST_PROJECT = "cuihu"

# username prefix → (skills, certificates as (kind, number prefix, valid for days from today))
KIT = {
    "tech": (("plumbing_electrical", "air_conditioning"),
             (("electrician", "T", 900), ("high_voltage", "G", 600))),
    "tech2": (("plumbing_electrical", "low_voltage", "carpentry"), (("electrician", "T", 700),)),
    "tech3": (("plumbing_electrical", "lift", "air_conditioning", "welding"),
              (("electrician", "T", 1100), ("lift", "TS", 400), ("welder", "H", 300))),
    "security": (("fire", "low_voltage"), (("fire_operator", "XF", 800),)),
    "cleaning": (("cleaning",), ()),
    "green": (("landscaping",), (("work_at_height", "GC", 500),)),
}
# In the first project: (prefix, kind) → valid for this many days from today (negative: expired).
FIRST_PROJECT_DATES = {("tech2", "electrician"): 12, ("tech3", "welder"): -20}


def _number(prefix: str, project_index: int, person_index: int, kind_index: int) -> str:
    """A realistic-looking certificate number: prefix + a region code + a stable serial."""
    serial = 310000 + project_index * 1000 + person_index * 10 + kind_index
    return f"{prefix}{510104 if project_index % 2 else 310115}{19800101 + person_index * 371:08d}{serial % 10000:04d}"


def build_staffdesk(plan=None, *, today: date, stdout=None) -> dict[str, int]:
    """Give the demo's staff their skills and certificates; returns counts. ``plan`` is not needed: the staff are
    read back from the database by their demo usernames."""
    projects = list(Project.objects.order_by("id").values_list("id", "code"))
    usernames = {staff_username(prefix, code): (prefix, index, code)
                 for index, (_pk, code) in enumerate(projects) for prefix in KIT}
    profiles = StaffProfile.objects.filter(user__username__in=list(usernames)).select_related("user")
    skills, certificates = [], []
    for profile in profiles:
        prefix, project_index, code = usernames[profile.user.username]
        person_index = list(KIT).index(prefix)
        kit_skills, kit_certificates = KIT[prefix]
        skills += [StaffSkill(profile=profile, skill=skill) for skill in kit_skills]
        for kind_index, (kind, number_prefix, days) in enumerate(kit_certificates):
            if code == FIRST_PROJECT:
                days = FIRST_PROJECT_DATES.get((prefix, kind), days)
            certificates.append(StaffCertificate(
                profile=profile, kind=kind, number=_number(number_prefix, project_index, person_index, kind_index),
                valid_until=today + timedelta(days=days)))
    StaffSkill.objects.bulk_create(skills, ignore_conflicts=True)
    StaffCertificate.objects.bulk_create(certificates)
    if stdout is not None:
        stdout.write(f"  staff skills {len(skills)}, certificates {len(certificates)}\n")
    return {"skills": len(skills), "certificates": len(certificates)}
