"""JSON API of the caller's own API tokens: /api/me/tokens….

A user sees and revokes only their own tokens; anyone else's id is a 404. Issuing a token needs a signed-in session
(a password was typed): a token cannot mint tokens, or revoking a stolen one would not end it.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from propdesk.core.errors import PermissionDenied

from .. import selectors, services
from ..models import ApiToken, TokenScope, TokenState
from ..rules.tokens import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS

router = Router(tags=["me"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(..., description="The first characters of the token, to tell tokens apart.")
    scope: TokenScope
    state: TokenState = Field(..., description="active, or why the token no longer works.")
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = Field(..., description="Recorded at most once a minute.")

    @staticmethod
    def resolve_state(token: ApiToken) -> str:
        return token.state(timezone.now())


class TokenIn(Schema):
    name: str = Field(..., max_length=100, description="What uses the token, e.g. 呼叫中心集成.")
    scope: TokenScope = Field(TokenScope.READ_WRITE, description="`read`: GET only; `read_write`: everything the "
                                                                "user may do.")
    days: int = Field(DEFAULT_LIFETIME_DAYS, ge=1, le=MAX_LIFETIME_DAYS, description="Lifetime in days.")


class TokenIssuedOut(TokenOut):
    token: str = Field(..., description="The token itself: shown this once, stored only as a hash.")


@router.get("", response=list[TokenOut], summary="The caller's API tokens (not revoked), newest first")
def token_list(request):
    return list(selectors.token_list(user=request.user))


@router.post("", response={201: TokenIssuedOut}, summary="Issue an API token for the caller (signed-in staff; not "
                                                           "with a token)")
def token_issue(request, payload: TokenIn):
    if getattr(request, "api_token", None) is not None:
        raise PermissionDenied(_("Sign in with your password to issue a token; a token cannot issue tokens."))
    token, raw = services.token_issue(user=request.user, name=payload.name, scope=payload.scope, days=payload.days)
    token.token = raw
    return Status(201, token)


@router.delete("/{int:token_id}", response={204: None}, summary="Revoke one of the caller's API tokens")
def token_revoke(request, token_id: int):
    services.token_revoke(user=request.user, token_id=token_id)
    return Status(204, None)
