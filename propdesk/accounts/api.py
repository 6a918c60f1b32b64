"""Phone sign-in for the app: /api/auth/…. ``sms-code`` and ``sms-login`` need no sign-in (they are how one signs
in); ``switch-home`` takes the app token that ``sms-login`` gave."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import field_validator

from propdesk.core.errors import NotFound
from propdesk.core.views_utils import client_ip

from . import selectors
from .services import app_token_switch, phone_sign_in, signin_code_send

router = Router(tags=["auth"])


def _text(value):
    """Anything but text is treated as empty, so that a wrong type gets the same Chinese field message as a wrong
    number (the service's), not the schema library's English."""
    return value if isinstance(value, str) else ""


class PhoneIn(Schema):
    phone: str = Field("", description="A mainland mobile: 13812345678, 138 1234 5678, +86 138-1234-5678.")

    @field_validator("phone", mode="before")
    @classmethod
    def phone_as_text(cls, value):
        return _text(value)


class SignInIn(PhoneIn):
    code: str = Field("", description="The six digits of the text message.")
    home: int | None = Field(None, description="An id of `homes` to sign in for (default: the staff account if "
                                               "the phone has one, else the first home).")

    @field_validator("code", mode="before")
    @classmethod
    def code_as_text(cls, value):
        return _text(value)


class HomeIn(Schema):
    home: int


class CodeSentOut(Schema):
    message: str
    resend_after: int = Field(..., description="Seconds before another code may be asked for.")


class SignInHomeOut(Schema):
    id: int = Field(..., description="The occupancy id: send it as `home`.")
    project: str
    room: str
    relation_label: str
    current: bool


class SignInOut(Schema):
    token: str = Field(..., description="Send as `Authorization: Bearer <token>`.")
    expires_at: datetime
    name: str
    homes: list[SignInHomeOut]
    staff: bool = Field(..., description="The phone is also a staff member's.")
    signed_in_as: str = Field(..., description="`staff` or `resident`.")


class SignInErrorOut(Schema):
    message: str
    extra: dict


def _answer(*, issued, user, choices: selectors.Choices, home) -> dict:
    profile = getattr(user, "staff_profile", None) if home is None else None
    name = profile.display_name if profile is not None else home.resident.name if home is not None else ""
    return {
        "token": issued.raw, "expires_at": issued.token.expires_at, "name": name,
        "homes": [{"id": o.pk, "project": o.project.name, "room": o.room.code,
                   "relation_label": str(o.get_relation_display()), "current": home is not None and o.pk == home.pk}
                  for o in choices.homes],
        "staff": choices.staff is not None, "signed_in_as": "resident" if home is not None else "staff",
    }


@router.post("/sms-code", auth=None, response=CodeSentOut)
def sms_code(request, payload: PhoneIn):
    """Text a six-digit sign-in code to the phone. The same answer whether or not the number is in the archive;
    only a known number gets the text. Limited per phone (a minute apart, five an hour) and per client address."""
    sent = signin_code_send(phone=payload.phone, ip=client_ip(request))
    return {"message": sent.message, "resend_after": sent.resend_after}


@router.post("/sms-login", auth=None, response={200: SignInOut, 404: SignInErrorOut})
def sms_login(request, payload: SignInIn):
    """Sign in with the phone and its code: a token for the app (30 days), the phone's homes (owner, tenant, family
    alike, in every project) and whether it is also a staff member's. A wrong, expired or used code is a 400 on
    `code`; five wrong tries or too many from one address a 429; a `home` that is not the phone's a 404."""
    ip = client_ip(request)
    result = phone_sign_in(phone=payload.phone, code=payload.code, home=payload.home, ip=ip, issue_token=True)
    return _answer(issued=result.issued, user=result.user, choices=result.choices, home=result.home)


@router.post("/switch-home", response={200: SignInOut, 404: SignInErrorOut})
def switch_home(request, payload: HomeIn):
    """With an app token from `sms-login`: a token for another home of the same verified phone (no new code); the
    old token is revoked. Another phone's home, or a token not signed in by phone: 404."""
    token = getattr(request, "api_token", None)
    if token is None:
        raise NotFound(_("Switching homes needs the app's token from the phone sign-in."))
    issued, choices, home = app_token_switch(token=token, home_id=payload.home, ip=client_ip(request),
                                             now=timezone.now())
    return _answer(issued=issued, user=issued.token.user, choices=choices, home=home)
