"""Audit rows written on signals (signals are for audit logging only)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import AuditAction, AuditLog
from .views_utils import client_ip


@receiver(user_logged_in, dispatch_uid="propdesk.core.login_logged")
def login_logged(sender, request, user, **kwargs):
    """Every sign-in (console, admin, portal) with the address it came from: the client's own behind a trusted proxy
    (`propdesk serve` with TRUSTED_PROXY), the peer's otherwise; X-Forwarded-For is never read here."""
    AuditLog.objects.create(actor=user, action=AuditAction.LOGIN, target_type="auth.user", target_id=str(user.pk),
                            target_label=user.get_username()[:200], ip=client_ip(request) if request else None)
