"""Reads of the project staff page (issue 13): a project's people with their skills and certificates, who is on
duty now and how many work orders each has open (through ``staff.hooks``). Everything starts from the projects the
user may see: another project's staff member is not there (404). A fixed number of queries whatever the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch

from propdesk.core.masking import mask_phone
from propdesk.org.models import Department, Project

from .. import hooks
from ..models import StaffCertificate, StaffProfile, StaffSkill
from ..permissions import user_can
from ..rules.roles import Capability
from ..rules.skills import CertificateState, certificate_state


def projects_for(user):
    """The projects whose staff the user manages (a project manager: theirs; an admin: the company's)."""
    return Project.objects.restrict(user).order_by("id")


def project_for(user, project_id) -> Project:
    """One project the user may manage; DoesNotExist (a 404) otherwise. None picks the first."""
    projects = projects_for(user)
    if project_id in (None, ""):
        found = projects.first()
        if found is None:
            raise Project.DoesNotExist
        return found
    text = str(project_id)
    if not text.isdigit() or len(text) > 18:
        raise Project.DoesNotExist
    return projects.get(pk=int(text))


def departments_of(project) -> list[Department]:
    return list(Department.objects.filter(project=project).order_by("kind", "id"))


def profiles_with_skills():
    return (StaffProfile.objects.select_related("user", "department", "project")
            .prefetch_related(Prefetch("skills", queryset=StaffSkill.objects.order_by("skill")),
                              Prefetch("certificates", queryset=StaffCertificate.objects.order_by("kind", "id"))))


def profile_for(user, profile_id) -> StaffProfile:
    """One staff member of a project the user may see; DoesNotExist otherwise (another scope's: a 404)."""
    text = str(profile_id)
    if not text.isdigit() or len(text) > 18:
        raise StaffProfile.DoesNotExist
    return profiles_with_skills().filter(project__in=projects_for(user)).get(pk=int(text))


@dataclass
class CertificateRow:
    certificate: StaffCertificate
    state: CertificateState

    @property
    def expired(self) -> bool:
        return self.state == CertificateState.EXPIRED

    @property
    def expiring(self) -> bool:
        return self.state == CertificateState.EXPIRING


@dataclass
class StaffRow:
    profile: StaffProfile
    mobile: str  # masked unless the viewer may reveal numbers
    skills: list[StaffSkill]
    certificates: list[CertificateRow]
    on_duty: bool = False
    open_orders: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def valid_certificate_kinds(self) -> frozenset[str]:
        return frozenset(c.certificate.kind for c in self.certificates if not c.expired)


def rows_for(profiles, *, viewer, project_id: int, now: datetime, today: date) -> list[StaffRow]:
    """Display rows for ``profiles`` (from ``profiles_with_skills()``: skills and certificates prefetched); the
    workload is two more queries, whatever the count."""
    reveal = user_can(viewer, Capability.REVEAL_PHONE)
    loads = hooks.workload(project_id=project_id, user_ids=[p.user_id for p in profiles], now=now)
    rows = []
    for profile in profiles:
        load = loads.get(profile.user_id, hooks.NOBODY)
        rows.append(StaffRow(
            profile=profile, mobile=profile.mobile if reveal else mask_phone(profile.mobile),
            skills=list(profile.skills.all()),
            certificates=[CertificateRow(c, certificate_state(c.valid_until, today))
                          for c in profile.certificates.all()],
            on_duty=load.on_duty, open_orders=load.open_orders))
    return rows


def team(*, user, project, now: datetime, today: date, department_id=None, skill: str = "",
         include_inactive: bool = False) -> list[StaffRow]:
    """The project's staff (``project`` from ``project_for``), by department then name; filters by department and
    skill. Deactivated people only when asked."""
    profiles = profiles_with_skills().filter(project=project)
    if not include_inactive:
        profiles = profiles.filter(is_active=True)
    if department_id:
        profiles = profiles.filter(department_id=department_id)
    if skill:
        profiles = profiles.filter(skills__skill=skill)
    profiles = list(profiles.order_by("department__kind", "department_id", "role", "display_name", "id"))
    return rows_for(profiles, viewer=user, project_id=project.pk, now=now, today=today)


def member(*, user, profile_id, now: datetime, today: date) -> StaffRow:
    profile = profile_for(user, profile_id)
    return rows_for([profile], viewer=user, project_id=profile.project_id, now=now, today=today)[0]


def candidates(*, project_id: int, department_id: int, today: date) -> list[StaffProfile]:
    """Active people of one department who may take work orders, with skills and certificates: three queries."""
    return list(profiles_with_skills().filter(project_id=project_id, department_id=department_id, is_active=True,
                                   user__is_active=True).order_by("display_name", "id"))
