"""Signing in with a verified phone: as which person (a home's resident or the staff member), the resident's login
account made on first sign-in, the app's token, and switching homes later without a new code.

Decision (the issue is silent): a phone that is both a staff member's and a resident's signs in as the staff member
when no home is named — the staff profile's mobile is a link the administrator made on purpose, and staff work from
the console; the answer lists the homes too, and naming one (``home``) signs in as that home's resident instead. The
browser asks which one (the home picker lists the staff console beside the homes)."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, NotFound
from propdesk.core.models import AuditAction, AuditLog
from propdesk.customers.models import Resident
from propdesk.servicedesk.services.codes import CodeState
from propdesk.staff.models import ApiToken, TokenState

from .. import selectors
from ..models import AppToken
from .codes import code_refusal, mobile_or_422, signin_code_try, signin_code_use

APP_TOKEN_NAME = "住这儿 App"  # the resident app's name, as residents know it
APP_TOKEN_DAYS = 30
APP_TOKENS_PER_USER = 5  # live app tokens one person keeps (phones, a tablet); signing in again retires the oldest


@dataclass
class PhoneSignIn:
    """A verified phone and who it signs in as: ``user`` with ``home`` (an Occupancy, None for staff), or no one
    yet when the caller lets the person choose (``user`` None, several ``choices``)."""

    key: str
    choices: selectors.Choices
    user: object = None
    home: object = None
    issued: "IssuedToken | None" = None


def _no_such_home() -> NotFound:
    message = _("This home is not one of this phone's homes.")
    return NotFound(message, {"fields": {"home": [message]}})


def _pick(choices: selectors.Choices, home, *, default: bool):
    """(user-to-be, home) for ``home`` (an Occupancy id) among the choices; without it the staff account, else the
    first home (``default``), or (None, None) for the caller to ask."""
    if home is not None:
        try:
            wanted = int(home)
        except (TypeError, ValueError):
            raise _no_such_home() from None
        chosen = next((o for o in choices.homes if o.pk == wanted), None)
        if chosen is None:
            raise _no_such_home()
        return "resident", chosen
    if not default and len(choices.homes) + (choices.staff is not None) > 1:
        return None, None
    if choices.staff is not None:
        return "staff", None
    return ("resident", choices.homes[0]) if choices.homes else (None, None)


def phone_sign_in(*, phone: str, code: str, ip: str | None, home=None, default: bool = True,
                  issue_token: bool = False, now: datetime | None = None) -> PhoneSignIn:
    """Check ``code`` for ``phone`` and use it up. ``home`` (an Occupancy id) picks the person; without it, with
    ``default``, the staff account else the first home; without ``default`` and with several choices nobody is
    picked (the browser's home picker). A home that is not the phone's is a 404 and leaves the code unused.
    ``issue_token``: the app's token is issued in the same transaction (``issued``)."""
    now = now or timezone.now()
    number = mobile_or_422(phone)
    key = signin_code_try(number=number, code=code, ip=ip, now=now)  # a wrong code: counted, committed, raised
    with transaction.atomic():
        signin_code_use(key=key, code=code, now=now)
        choices = selectors.phone_choices(number=number, on=timezone.localdate(now))
        if choices.empty:  # never texted (the number is unknown, or left the archive since): as a wrong code
            raise code_refusal(CodeState(purpose="", digest="", sent_at=None, wrong=0), "code", now)
        kind, chosen = _pick(choices, home, default=default)  # a home not the phone's: 404, the code unused
        result = PhoneSignIn(key=key, choices=choices, home=chosen)
        if kind == "staff":
            result.user = choices.staff
        elif kind == "resident":
            result.user = resident_user_ensure(resident=chosen.resident)
        if issue_token:
            result.issued = app_token_issue(user=result.user, key=key, choices=choices, home=chosen, ip=ip, now=now)
        return result


def resident_user_ensure(*, resident: Resident):
    """The resident's login account, made on first sign-in: a user name that says nothing about the phone
    (``r<resident id>``), an unusable password (they sign in with codes), linked to the record. Locked, so two
    first sign-ins at once make one."""
    with transaction.atomic():
        locked = Resident.objects.select_for_update(of=("self",)).select_related("user").get(pk=resident.pk)
        if locked.user is not None:
            return locked.user
        users = get_user_model()
        username = f"r{locked.pk}"
        if users.objects.filter(username=username).exists():
            username = f"r{locked.pk}-{secrets.token_hex(3)}"
        user = users(username=username)
        user.set_unusable_password()
        user.save()
        locked.user = user
        locked.save(update_fields=["user"])
        resident.user = user
        return user


def home_claim(*, key: str, home_id, on) -> tuple[object, object]:
    """(user, home) for switching to ``home_id`` with an already verified phone (``key``): the home must be current
    and one of the phone's (a phone of its resident has that key); else a 404."""
    home = selectors.home_of(occupancy_id=home_id, on=on)
    if home is None or not selectors.phone_owns_home(key=key, home=home):
        raise _no_such_home()
    return resident_user_ensure(resident=home.resident), home


@dataclass
class IssuedToken:
    token: ApiToken
    raw: str


@transaction.atomic
def app_token_issue(*, user, key: str, choices: selectors.Choices, home=None, ip: str | None = None,
                    now: datetime | None = None) -> IssuedToken:
    """An API token for the app (30 days) for ``user``, remembering the verified phone, its choices and the home it
    acts for; the person's oldest app tokens beyond five are revoked. The sign-in goes to the audit log."""
    now = now or timezone.now()
    if not user.is_active:
        raise ApplicationError(_("This account is disabled. Please contact the service center."), status_code=403)
    token, raw = ApiToken.issue(user=user, name=APP_TOKEN_NAME, days=APP_TOKEN_DAYS, now=now)
    AppToken.objects.create(token=token, phone_key=key, choices=choices.as_ids(), home=home)
    live = [t for t in (ApiToken.objects.select_for_update().select_related("user")
                        .filter(user=user, name=APP_TOKEN_NAME, revoked=False, phone_sign_in__isnull=False)
                        .order_by("-created_at", "-id"))
            if t.state(now) == TokenState.ACTIVE]
    retired = [t.pk for t in live[APP_TOKENS_PER_USER:]]
    if retired:
        ApiToken.objects.filter(pk__in=retired).update(revoked=True)
    AuditLog.objects.create(actor=user, action=AuditAction.LOGIN, target_type="auth.user", target_id=str(user.pk),
                            target_label=user.get_username()[:200], ip=ip, detail={"via": "phone", "app": True})
    return IssuedToken(token, raw)


@transaction.atomic
def app_token_switch(*, token: ApiToken, home_id, ip: str | None = None, now: datetime | None = None) -> tuple:
    """A token for another home of the phone that signed ``token`` in (same verified phone, no new code); the old
    token is revoked. A token not signed in by phone, or a home not the phone's: 404. Returns (IssuedToken,
    Choices, home)."""
    now = now or timezone.now()
    link = AppToken.objects.select_for_update().filter(token=token).first()
    if link is None:
        raise _no_such_home()
    user, home = home_claim(key=link.phone_key, home_id=home_id, on=timezone.localdate(now))
    choices = selectors.verified_choices(key=link.phone_key, ids=link.choices, on=timezone.localdate(now))
    if all(o.pk != home.pk for o in choices.homes):
        choices.homes.append(home)
    issued = app_token_issue(user=user, key=link.phone_key, choices=choices, home=home, ip=ip, now=now)
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    return issued, choices, home
