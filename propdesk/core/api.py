from ninja import Router, Schema

from propdesk.core.scoping import scope_of
from propdesk.staff.permissions import user_role

router = Router(tags=["me"])


class MeOut(Schema):
    username: str
    role: str | None
    scope: str


@router.get("/me", response=MeOut, summary="The signed-in user, their role and scope level")
def me(request):
    return {"username": request.user.get_username(), "role": user_role(request.user),
            "scope": scope_of(request.user).level}
