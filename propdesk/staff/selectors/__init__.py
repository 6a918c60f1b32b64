"""Reads of the staff app: a user's own API tokens, and the token a bearer header names."""

from datetime import datetime

from ..models import ApiToken, TokenState, hash_token
from ..permissions import user_role


def token_list(*, user):
    """The user's tokens that were not revoked, newest first: working ones and those that expired or went void
    (with ``state`` telling which), so that the user sees why an integration stopped."""
    return ApiToken.objects.filter(user=user, revoked=False).select_related("user").order_by("-created_at", "-id")


def token_for_bearer(raw: str, *, now: datetime) -> ApiToken | None:
    """The working token whose raw key is ``raw``, or None: unknown, revoked, expired, its user's password changed
    since it was issued, the user deactivated (the account or the staff profile)."""
    if not raw or len(raw) > 200:
        return None
    token = (ApiToken.objects.select_related("user", "user__staff_profile")
             .filter(key_hash=hash_token(raw), revoked=False, expires_at__gt=now).first())
    if token is None or token.state(now) != TokenState.ACTIVE or user_role(token.user) is None:
        return None
    return token
