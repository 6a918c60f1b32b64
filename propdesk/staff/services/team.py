"""Writes of the project staff page (issue 13): add a staff member (a user with a temporary password shown once, or
sign-in by mobile), change their department, role, mobile and skills, record and remove certificates, deactivate
(never delete: a person with open work orders must hand them over first).

Every function checks that the actor may manage staff (MANAGE_STAFF) and may give the role; the object comes from
``selectors.team`` already restricted to the actor's projects. Bad input raises ApplicationError with the field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.org.models import Department, Project

from .. import hooks
from ..models import CertificateKindChoice, SkillChoice, StaffCertificate, StaffProfile, StaffSkill
from ..permissions import user_can, user_role
from ..rules.roles import Capability
from ..rules.team import NEEDS_DEPARTMENT, InvalidMobile, givable_roles, normalize_mobile, temporary_password

User = get_user_model()
SIGN_IN_PASSWORD = "password"
SIGN_IN_MOBILE = "mobile"
NAME_MAX = StaffProfile._meta.get_field("display_name").max_length
NUMBER_MAX = StaffCertificate._meta.get_field("number").max_length


def _refuse(errors: dict) -> None:
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})


def _check_actor(actor) -> tuple[str, ...]:
    if not user_can(actor, Capability.MANAGE_STAFF):
        raise PermissionDenied(_("You may not manage staff."))
    return givable_roles(user_role(actor))


def _check_may_edit(actor, profile: StaffProfile) -> tuple[str, ...]:
    roles = _check_actor(actor)
    if profile.role not in roles or profile.user_id == actor.pk:
        raise PermissionDenied(_("Only an administrator can change a %(role)s.") % {"role": profile.get_role_display()})
    return roles


def _department(project: Project, value, errors: dict, role: str) -> Department | None:
    if value in (None, ""):
        if role in NEEDS_DEPARTMENT:
            errors["department_id"] = [_("A technician or department member works in a department: choose it.")]
        return None
    text = str(value)
    found = (Department.objects.filter(project=project, pk=int(text)).first()
             if text.isdigit() and len(text) <= 18 else None)
    if found is None:
        errors["department_id"] = [_("Choose a department of this project.")]
    return found


def _mobile(value, errors: dict, *, required: bool, exclude_profile_id=None) -> str:
    try:
        mobile = normalize_mobile(value or "")
    except InvalidMobile:
        errors["mobile"] = [_("Enter an 11-digit mainland mobile number, e.g. 13812345678.")]
        return ""
    if not mobile:
        if required:
            errors["mobile"] = [_("Signing in by mobile needs the mobile number.")]
        return ""
    taken = StaffProfile.objects.filter(mobile=mobile, is_active=True).exclude(pk=exclude_profile_id)
    if taken.exists():
        errors["mobile"] = [_("Another active staff member has this mobile number.")]
    return mobile


def _name(value, errors: dict) -> str:
    name = (value or "").strip()
    if not name:
        errors["display_name"] = [_("Enter the person's name.")]
    elif len(name) > NAME_MAX:
        errors["display_name"] = [_("At most %(limit)s characters.") % {"limit": NAME_MAX}]
    return name


def _role(value, roles, errors: dict) -> str:
    if value not in roles:
        errors["role"] = [_("Choose one of the roles you may give: %(roles)s.")
                          % {"roles": "、".join(str(_role_label(r)) for r in roles)}]
    return value


def _role_label(role: str) -> str:
    from ..models import Role

    return Role(role).label if role in Role.values else role


def _skills(values, errors: dict) -> list[str]:
    values = [str(v) for v in (values or [])]
    unknown = [v for v in values if v not in SkillChoice.values]
    if unknown or len(values) > len(SkillChoice.values):
        errors["skills"] = [_("Choose skills from the list.")]
        return []
    return sorted(set(values))


def _set_skills(profile: StaffProfile, skills: list[str]) -> None:
    StaffSkill.objects.filter(profile=profile).exclude(skill__in=skills).delete()
    have = set(StaffSkill.objects.filter(profile=profile).values_list("skill", flat=True))
    StaffSkill.objects.bulk_create([StaffSkill(profile=profile, skill=s) for s in skills if s not in have])


@dataclass
class Created:
    profile: StaffProfile
    temporary_password: str  # '' when the person signs in by mobile


@transaction.atomic
def staff_create(*, actor, project: Project, display_name: str, role: str, department_id=None, mobile: str = "",
                 username: str = "", skills=(), sign_in: str = SIGN_IN_PASSWORD) -> Created:
    """A new staff member of ``project`` and their user. With ``sign_in="password"`` the user gets a temporary
    password, returned to be shown once; with ``"mobile"`` no password at all: they sign in with a code texted to
    the mobile."""
    roles = _check_actor(actor)
    errors: dict[str, list[str]] = {}
    name = _name(display_name, errors)
    role = _role(role, roles, errors)
    department = _department(project, department_id, errors, role)
    if sign_in not in (SIGN_IN_PASSWORD, SIGN_IN_MOBILE):
        errors["sign_in"] = [_("Choose a password or sign-in by mobile.")]
    mobile = _mobile(mobile, errors, required=sign_in == SIGN_IN_MOBILE)
    skill_list = _skills(skills, errors)
    username = (username or "").strip() or (f"m{mobile}" if mobile else "")
    if not username:
        errors["username"] = [_("Enter a user name, or a mobile number to make one from.")]
    elif len(username) > 150 or not all(ch.isalnum() or ch in "@.+-_" for ch in username):
        errors["username"] = [_("Letters, digits and @ . + - _ only, at most 150.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This user name is taken.")]
    _refuse(errors)
    password = temporary_password() if sign_in == SIGN_IN_PASSWORD else ""
    user = User(username=username, first_name=name[:150])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    profile = StaffProfile(user=user, role=role, company_id=project.company_id, branch_id=project.branch_id,
                           project=project, department=department, display_name=name, mobile=mobile)
    profile.save()
    _set_skills(profile, skill_list)
    return Created(profile=profile, temporary_password=password)


@transaction.atomic
def staff_update(*, actor, profile: StaffProfile, display_name=None, role=None, department_id=None,
                 clear_department: bool = False, mobile=None, skills=None) -> StaffProfile:
    """Change what is given (None: unchanged). The department stays in the profile's project."""
    roles = _check_may_edit(actor, profile)
    errors: dict[str, list[str]] = {}
    if display_name is not None:
        profile.display_name = _name(display_name, errors)
    if role is not None:
        profile.role = _role(role, roles, errors)
    if department_id not in (None, "") or clear_department:
        profile.department = _department(profile.project, None if clear_department else department_id, errors,
                                         profile.role)
    elif profile.role in NEEDS_DEPARTMENT and profile.department_id is None:
        _department(profile.project, None, errors, profile.role)
    if mobile is not None:
        profile.mobile = _mobile(mobile, errors, required=not profile.user.has_usable_password(),
                                 exclude_profile_id=profile.pk)
    skill_list = _skills(skills, errors) if skills is not None else None
    _refuse(errors)
    if profile.department_id is None:
        profile.project_id, profile.branch_id = profile.project.pk, profile.project.branch_id
    profile.save()
    if display_name is not None:
        User.objects.filter(pk=profile.user_id).update(first_name=profile.display_name[:150])
    if skill_list is not None:
        _set_skills(profile, skill_list)
    return profile


@transaction.atomic
def staff_deactivate(*, actor, profile: StaffProfile, now: datetime) -> StaffProfile:
    """Take the person off the staff: they cannot sign in any more, nothing of theirs is deleted. Someone still
    holding open work orders must hand them over first (409)."""
    _check_may_edit(actor, profile)
    profile = StaffProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if not profile.is_active:
        return profile
    load = hooks.workload(project_id=profile.project_id, user_ids=[profile.user_id], now=now)
    count = load.get(profile.user_id, hooks.NOBODY).open_orders
    if count:
        raise ApplicationError(
            _("%(name)s still has %(count)s open work orders: reassign them to someone else first.")
            % {"name": profile.display_name, "count": count}, {"open_orders": count}, status_code=409)
    profile.is_active = False
    profile.save(update_fields=["is_active", "updated_at"])
    User.objects.filter(pk=profile.user_id).update(is_active=False)
    return profile


@transaction.atomic
def staff_reactivate(*, actor, profile: StaffProfile) -> StaffProfile:
    _check_may_edit(actor, profile)
    errors: dict[str, list[str]] = {}
    if profile.mobile:
        _mobile(profile.mobile, errors, required=False, exclude_profile_id=profile.pk)
    _refuse(errors)
    profile.is_active = True
    profile.save(update_fields=["is_active", "updated_at"])
    User.objects.filter(pk=profile.user_id).update(is_active=True)
    return profile


def _valid_until(value, errors: dict) -> date | None:
    if isinstance(value, date):
        found = value
    else:
        try:
            found = date.fromisoformat(str(value or "").strip())
        except ValueError:
            found = None
    if found is None:
        errors["valid_until"] = [_("Enter the date the certificate is valid until, e.g. 2028-06-30.")]
    elif not 2000 <= found.year <= 2099:
        errors["valid_until"] = [_("Enter a date between 2000 and 2099.")]
        found = None
    return found


@transaction.atomic
def certificate_add(*, actor, profile: StaffProfile, kind: str, number: str, valid_until) -> StaffCertificate:
    _check_may_edit(actor, profile)
    errors: dict[str, list[str]] = {}
    if kind not in CertificateKindChoice.values:
        errors["kind"] = [_("Choose a certificate from the list.")]
    number = (number or "").strip()
    if not number:
        errors["number"] = [_("Enter the certificate number.")]
    elif len(number) > NUMBER_MAX:
        errors["number"] = [_("At most %(limit)s characters.") % {"limit": NUMBER_MAX}]
    until = _valid_until(valid_until, errors)
    if not errors and StaffCertificate.objects.filter(profile=profile, kind=kind, number=number).exists():
        errors["number"] = [_("This certificate is already recorded.")]
    _refuse(errors)
    return StaffCertificate.objects.create(profile=profile, kind=kind, number=number, valid_until=until)


@transaction.atomic
def certificate_remove(*, actor, profile: StaffProfile, certificate_id) -> None:
    """Remove a certificate recorded by mistake (an expired one can simply stay: it shows as expired)."""
    _check_may_edit(actor, profile)
    text = str(certificate_id)
    deleted = 0
    if text.isdigit() and len(text) <= 18:
        deleted, _rows = StaffCertificate.objects.filter(profile=profile, pk=int(text)).delete()
    if not deleted:
        raise ApplicationError(_("No such certificate."), status_code=404)
