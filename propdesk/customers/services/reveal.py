"""Reveal a masked number: only for roles that need it, and every reveal is logged (DESIGN §4)."""

from django.db import transaction
from django.utils.translation import gettext as _

from propdesk.core.errors import PermissionDenied
from propdesk.core.models import AuditAction, AuditLog
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import Phone, Resident


@transaction.atomic
def phone_reveal(*, user, phone: Phone, ip: str | None = None) -> str:
    if not user_can(user, Capability.REVEAL_PHONE):
        raise PermissionDenied(_("Your role may not see full phone numbers."))
    AuditLog.objects.create(actor=user, action=AuditAction.REVEAL_PHONE, target_type="customers.phone",
                            target_id=str(phone.pk), target_label=phone.masked,
                            detail={"resident_id": phone.resident_id}, ip=ip)
    return phone.number


@transaction.atomic
def id_number_reveal(*, user, resident: Resident, ip: str | None = None) -> str:
    if not user_can(user, Capability.REVEAL_ID):
        raise PermissionDenied(_("Your role may not see full ID numbers."))
    AuditLog.objects.create(actor=user, action=AuditAction.REVEAL_ID, target_type="customers.resident",
                            target_id=str(resident.pk), target_label=resident.masked_id_number,
                            detail={"resident_id": resident.pk}, ip=ip)
    return resident.id_number
