"""Writes of the staff app: a user's own API tokens."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, NotFound, PermissionDenied

from ..models import ApiToken, TokenScope, TokenState
from ..permissions import user_role
from ..rules.tokens import MAX_LIFETIME_DAYS, needs_touch

# Live tokens one user may hold: enough for every integration, few enough that a list of them can be read.
MAX_LIVE_TOKENS = 20


@transaction.atomic
def token_issue(*, user, name: str, scope: str, days: int, now: datetime | None = None) -> tuple[ApiToken, str]:
    """Issue a token for ``user`` (staff only); returns it with the raw key, which is shown once and stored nowhere."""
    now = now or timezone.now()
    if user_role(user) in (None, "resident"):
        raise PermissionDenied(_("Only staff members can issue API tokens."))
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Name the token after what uses it, e.g. 呼叫中心集成.")]
    elif len(name) > ApiToken._meta.get_field("name").max_length:
        errors["name"] = [_("At most %(limit)s characters.") % {"limit": ApiToken._meta.get_field("name").max_length}]
    if scope not in TokenScope.values:
        errors["scope"] = [_("Choose read only or read and write.")]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_LIFETIME_DAYS:
        errors["days"] = [_("A token lives 1 to %(max)s days.") % {"max": MAX_LIFETIME_DAYS}]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    mine = list(ApiToken.objects.select_for_update().filter(user=user, revoked=False).select_related("user"))
    if sum(1 for token in mine if token.state(now) == TokenState.ACTIVE) >= MAX_LIVE_TOKENS:
        raise ApplicationError(_("You already hold %(count)s working tokens; revoke one you no longer use first.")
                               % {"count": MAX_LIVE_TOKENS}, status_code=409)
    return ApiToken.issue(user=user, name=name, scope=scope, days=days, now=now)


@transaction.atomic
def token_revoke(*, user, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s own tokens; another user's token is not there (404). Revoking twice is harmless."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound(_("No such token."))
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
    return token


def token_touch(token: ApiToken, now: datetime) -> None:
    """Record that the token was used: one write a minute at most, without touching anything else on the row."""
    if needs_touch(token.last_used_at, now):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
