"""JSON API of a project's staff (issue 13, staffdesk): /api/staff/….

GET  /api/staff/choices                          skills and certificate kinds (codes and labels)
GET  /api/staff/members?project=&department=&skill=&include_inactive=
GET  /api/staff/members/{id}
POST /api/staff/members                          add (201; ``temporary_password`` shown this once)
PATCH /api/staff/members/{id}                    department, role, name, mobile, skills
POST /api/staff/members/{id}/deactivate          409 while they hold open work orders
POST /api/staff/members/{id}/reactivate
POST /api/staff/members/{id}/certificates        record a certificate (201)
DELETE /api/staff/members/{id}/certificates/{certificate_id}

MANAGE_STAFF (a project manager: their project; an admin: the company's). Another scope's member is a 404 (a
project in the list's filter a 400 on ``project``); a
mobile is masked unless the caller may reveal numbers.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.core.views_utils import scoped_404
from propdesk.org.models import Project

from ..models import CertificateKindChoice, SkillChoice
from ..permissions import user_can
from ..rules.roles import Capability
from ..selectors import team as selectors
from ..services import team as services

router = Router(tags=["staff"])
BIG = 2**63 - 1


def _require(request) -> None:
    if not user_can(request.user, Capability.MANAGE_STAFF):
        raise PermissionDenied(_("Your role may not manage staff."))


class StaffChoiceOut(Schema):
    code: str
    label: str


class StaffChoicesOut(Schema):
    skills: list[StaffChoiceOut]
    certificate_kinds: list[StaffChoiceOut]
    roles: list[StaffChoiceOut] = Field(..., description="The roles the caller may give.")


class StaffCertificateOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    valid_until: date
    state: str = Field(..., description="valid, expiring (within 30 days) or expired (counts for nothing).")


class StaffMemberOut(Schema):
    id: int
    user_id: int
    username: str
    display_name: str
    role: str
    role_label: str
    project_id: int | None
    department_id: int | None
    department_name: str
    mobile: str = Field(..., description="Masked unless the caller may reveal phone numbers.")
    is_active: bool
    skills: list[str]
    certificates: list[StaffCertificateOut]
    on_duty: bool
    open_orders: int


class StaffMemberCreatedOut(StaffMemberOut):
    temporary_password: str = Field(..., description="Shown this once ('' when the person signs in by mobile).")


class StaffMemberIn(Schema):
    project_id: int | None = Field(None, ge=1, le=BIG, description="Default: the caller's (first) project.")
    display_name: str = Field(..., max_length=200)
    role: str = Field(..., max_length=32)
    department_id: int | None = Field(None, ge=1, le=BIG)
    mobile: str = Field("", max_length=30)
    username: str = Field("", max_length=150, description="Default: m + the mobile number.")
    skills: list[str] = Field(default_factory=list, max_length=20)
    sign_in: str = Field("password", description="`password`: a temporary password is returned once; `mobile`: "
                                                 "no password, a code texted to the mobile.")


class StaffMemberPatch(Schema):
    display_name: str | None = Field(None, max_length=200)
    role: str | None = Field(None, max_length=32)
    department_id: int | None = Field(None, ge=1, le=BIG)
    mobile: str | None = Field(None, max_length=30)
    skills: list[str] | None = Field(None, max_length=20)


class StaffCertificateIn(Schema):
    kind: str = Field(..., max_length=32)
    number: str = Field(..., max_length=200)
    valid_until: date


class StaffMemberFilters(Schema):
    project: int | None = Field(None, ge=1, le=BIG)
    department: int | None = Field(None, ge=1, le=BIG)
    skill: str = Field("", max_length=32)
    include_inactive: bool = False


def _out(row, temporary_password=None) -> dict:
    p = row.profile
    data = {
        "id": p.pk, "user_id": p.user_id, "username": p.user.username, "display_name": p.display_name,
        "role": p.role, "role_label": str(p.get_role_display()), "project_id": p.project_id,
        "department_id": p.department_id, "department_name": p.department.name if p.department else "",
        "mobile": row.mobile, "is_active": p.is_active, "skills": [s.skill for s in row.skills],
        "certificates": [{"id": c.certificate.pk, "kind": c.certificate.kind,
                          "kind_label": str(c.certificate.get_kind_display()), "number": c.certificate.number,
                          "valid_until": c.certificate.valid_until, "state": str(c.state)} for c in row.certificates],
        "on_duty": row.on_duty, "open_orders": row.open_orders,
    }
    if temporary_password is not None:
        data["temporary_password"] = temporary_password
    return data


def _member(request, member_id: int):
    now = timezone.now()
    with scoped_404():
        return selectors.member(user=request.user, profile_id=member_id, now=now, today=timezone.localdate(now))


def _profile(request, member_id: int):
    with scoped_404():
        return selectors.profile_for(request.user, member_id)


@router.get("choices", response=StaffChoicesOut, summary="Skills, certificate kinds and the roles the caller may "
                                                         "give (MANAGE_STAFF)")
def staff_choices(request):
    _require(request)
    from ..models import Role
    from ..permissions import user_role
    from ..rules.team import givable_roles

    return {"skills": [{"code": c, "label": str(label)} for c, label in SkillChoice.choices],
            "certificate_kinds": [{"code": c, "label": str(label)} for c, label in CertificateKindChoice.choices],
            "roles": [{"code": r, "label": str(Role(r).label)} for r in givable_roles(user_role(request.user))]}


@router.get("members", response=list[StaffMemberOut], summary="A project's staff by department (MANAGE_STAFF)")
def staff_member_list(request, filters: Query[StaffMemberFilters]):
    _require(request)
    now = timezone.now()
    errors = {}
    try:
        project = selectors.project_for(request.user, filters.project)
    except Project.DoesNotExist:  # a filter, not the object of the path: a 400 on the field, as for reports
        project, errors["project"] = None, [_("Choose a project you manage.")]
    if filters.skill and filters.skill not in SkillChoice.values:
        errors["skill"] = [_("Choose skills from the list.")]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    rows = selectors.team(user=request.user, project=project, now=now, today=timezone.localdate(now),
                          department_id=filters.department, skill=filters.skill,
                          include_inactive=filters.include_inactive)
    return [_out(row) for row in rows]


@router.get("members/{int:member_id}", response=StaffMemberOut, summary="One staff member (MANAGE_STAFF)")
def staff_member_get(request, member_id: int):
    _require(request)
    return _out(_member(request, member_id))


@router.post("members", response={201: StaffMemberCreatedOut},
             summary="Add a staff member to a project (MANAGE_STAFF; a PM gives agent, steward, technician or "
                     "department staff)")
def staff_member_create(request, payload: StaffMemberIn):
    _require(request)
    with scoped_404():
        project = selectors.project_for(request.user, payload.project_id)
    created = services.staff_create(
        actor=request.user, project=project, display_name=payload.display_name, role=payload.role,
        department_id=payload.department_id, mobile=payload.mobile, username=payload.username,
        skills=payload.skills, sign_in=payload.sign_in)
    return Status(201, _out(_member(request, created.profile.pk), created.temporary_password))


@router.patch("members/{int:member_id}", response=StaffMemberOut,
              summary="Change a staff member's name, role, department, mobile or skills (MANAGE_STAFF)")
def staff_member_update(request, member_id: int, payload: StaffMemberPatch):
    _require(request)
    profile = _profile(request, member_id)
    services.staff_update(actor=request.user, profile=profile, display_name=payload.display_name,
                          role=payload.role, department_id=payload.department_id, mobile=payload.mobile,
                          skills=payload.skills)
    return _out(_member(request, member_id))


@router.post("members/{int:member_id}/deactivate", response=StaffMemberOut,
             summary="Deactivate a staff member (never deleted; 409 while they hold open work orders)")
def staff_member_deactivate(request, member_id: int):
    _require(request)
    services.staff_deactivate(actor=request.user, profile=_profile(request, member_id), now=timezone.now())
    return _out(_member(request, member_id))


@router.post("members/{int:member_id}/reactivate", response=StaffMemberOut,
             summary="Let a deactivated staff member sign in again (MANAGE_STAFF)")
def staff_member_reactivate(request, member_id: int):
    _require(request)
    services.staff_reactivate(actor=request.user, profile=_profile(request, member_id))
    return _out(_member(request, member_id))


@router.post("members/{int:member_id}/certificates", response={201: StaffCertificateOut},
             summary="Record a certificate of a staff member (MANAGE_STAFF)")
def staff_certificate_add(request, member_id: int, payload: StaffCertificateIn):
    _require(request)
    certificate = services.certificate_add(actor=request.user, profile=_profile(request, member_id),
                                           kind=payload.kind, number=payload.number,
                                           valid_until=payload.valid_until)
    row = next(c for c in _member(request, member_id).certificates if c.certificate.pk == certificate.pk)
    return Status(201, {"id": certificate.pk, "kind": certificate.kind,
                        "kind_label": str(certificate.get_kind_display()), "number": certificate.number,
                        "valid_until": certificate.valid_until, "state": str(row.state)})


@router.delete("members/{int:member_id}/certificates/{int:certificate_id}", response={204: None},
               summary="Remove a certificate recorded by mistake (MANAGE_STAFF)")
def staff_certificate_remove(request, member_id: int, certificate_id: int):
    _require(request)
    services.certificate_remove(actor=request.user, profile=_profile(request, member_id),
                                certificate_id=certificate_id)
    return Status(204, None)
