"""Sign-in codes: ask for one (``signin_code_send``) and try one (``signin_code_try``).

The answer to "send me a code" is the same for every well-formed mobile: the code row is written and the limits are
counted whether or not the number is known; only a known number (a current occupancy's resident, an active staff
member) is actually texted. A code is 6 digits, works 5 minutes and once; a new code voids the last; 5 wrong tries
void it. Sends are limited per phone (servicedesk's ``phone_send_allow``: a minute apart, 5 an hour, shared with the
completion and quote codes, so one phone's text budget is one) and per client address; wrong codes per client
address too. Every count is a locked database row, so every web process shares it."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from propdesk.core.errors import ApplicationError
from propdesk.notify.services import outbox_add
from propdesk.servicedesk.services import codes as desk_codes

from .. import selectors
from ..keys import phone_key
from ..models import SignInCode
from ..rules import codes as rules
from ..rules.phones import signin_mobile
from .throttle import SENDS_PER_ADDRESS, WRONG_PER_ADDRESS, address_check, address_hit, throttle_prune

RESEND_AFTER = int(desk_codes.SEND_GAP.total_seconds())


def mobile_or_422(raw: str, field: str = "phone") -> str:
    number = signin_mobile(raw)
    if number is None:
        message = _("Enter a mainland mobile number (11 digits, starting with 1).")
        raise ApplicationError(message, {"fields": {field: [message]}}, status_code=422)
    return number


def _purpose(key: str) -> str:
    return f"signin:{key}"


@dataclass(frozen=True)
class CodeSent:
    message: str
    resend_after: int


def _phone_limit(number: str, now: datetime) -> None:
    """servicedesk's per-phone limit, its refusal reworded for the person signing in (it speaks to technicians)."""
    try:
        desk_codes.phone_send_allow(phone=number, field="phone", now=now)
    except ApplicationError as refused:
        wait = int(refused.extra.get("retry_after") or RESEND_AFTER)
        if wait <= RESEND_AFTER:
            message = ngettext("A code was just sent. Please wait %(seconds)d second before asking for another.",
                               "A code was just sent. Please wait %(seconds)d seconds before asking for another.",
                               wait) % {"seconds": wait}
        else:
            message = _("Too many codes for this number in the last hour. Please try again after %(time)s.") % {
                "time": f"{timezone.localtime(now + timedelta(seconds=wait)):%H:%M}"}
        extra = {"fields": {"phone": [message]}, "retry_after": wait}
        if wait <= RESEND_AFTER:
            extra["code_sent"] = True  # one went out a moment ago (or would have): the page asks for it
        raise ApplicationError(message, extra, status_code=429) from None


@transaction.atomic
def signin_code_send(*, phone: str, ip: str | None, now: datetime | None = None) -> CodeSent:
    """Make a new sign-in code for ``phone`` and text it when the number is known. The same answer for every
    well-formed mobile; 422 for anything else, 429 (with ``retry_after``) when a limit is reached."""
    now = now or timezone.now()
    number = mobile_or_422(phone)
    address_check(name="send", window=SENDS_PER_ADDRESS, ip=ip, field="phone", now=now, count=True)
    _phone_limit(number, now)
    key = phone_key(number)
    code = desk_codes.new_code()
    SignInCode.objects.get_or_create(phone_key=key)
    row = SignInCode.objects.select_for_update().get(phone_key=key)
    row.digest, row.sent_at, row.wrong = desk_codes.code_digest(_purpose(key), code), now, 0
    row.save(update_fields=["digest", "sent_at", "wrong"])
    if selectors.phone_known(number=number, on=timezone.localdate(now)):
        # urgent: someone is holding the phone waiting for it, whatever the hour
        outbox_add(channel="sms", to=number, key=f"signin:{row.pk}:{now.timestamp():.6f}", urgent=True, now=now,
                   template="signin_code", params={"code": code})
    SignInCode.objects.filter(sent_at__lt=now - timedelta(days=1)).delete()
    throttle_prune(now=now)
    return CodeSent(_("The code has been sent; please check your text messages."), RESEND_AFTER)


def _state(row: SignInCode) -> desk_codes.CodeState:
    return desk_codes.CodeState(purpose=_purpose(row.phone_key), digest=row.digest, sent_at=row.sent_at,
                                wrong=row.wrong)


def code_refusal(state: desk_codes.CodeState, field: str, now: datetime) -> ApplicationError:
    """Why the code did not work, in the signing-in person's words: expired, used or never sent (400), voided by
    wrong tries (429), or wrong with the tries left (400)."""
    verdict = rules.code_state(digest=state.digest, sent_at=state.sent_at, wrong=state.wrong, now=now)
    extra = {}
    if verdict == rules.EXPIRED:
        message, status = _("The code is wrong or has expired; please ask for a new one."), 400
    elif verdict == rules.DEAD:
        message, status = _("Too many wrong codes: this code no longer works. Please ask for a new one."), 429
        extra["retry_after"] = max(0, int((state.sent_at + desk_codes.SEND_GAP - now).total_seconds()) + 1)
    else:
        left = rules.tries_left(state.wrong)
        message = ngettext("The code is wrong: %(left)d more try.", "The code is wrong: %(left)d more tries.",
                           left) % {"left": left}
        status = 400
    return ApplicationError(message, {"fields": {field: [message]}, **extra}, status_code=status)


def _code_format(code: str) -> str:
    code = (code or "").strip() if isinstance(code, str) else ""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        message = _("Enter the 6-digit code from the text message.")
        raise ApplicationError(message, {"fields": {"code": [message]}}, status_code=422)
    return code


def signin_code_try(*, number: str, code: str, ip: str | None, now: datetime) -> str:
    """Count one try of ``code`` for ``number`` (normalised): a wrong one is counted against the code and the client
    address and committed, then raised (400; 429 once the code or the address is used up). Returns the phone's key
    for a right one, which the caller uses — and clears — under its own lock (``signin_code_use``)."""
    code = _code_format(code)
    key = phone_key(number)
    throttle = {}

    def load():
        throttle["row"], throttle["recent"] = address_check(name="wrong", window=WRONG_PER_ADDRESS, ip=ip,
                                                            field="code", now=now, count=False)
        row = SignInCode.objects.select_for_update().filter(phone_key=key).first()
        throttle["code"] = row
        return _state(row) if row is not None else desk_codes.CodeState(_purpose(key), "", None, 0)

    def save(wrong: int) -> None:
        SignInCode.objects.filter(pk=throttle["code"].pk).update(wrong=wrong)
        address_hit(throttle["row"], throttle["recent"], now)

    desk_codes.code_try(load=load, save=save, field="code", code=code, now=now, valid=rules.CODE_VALID,
                        error=code_refusal)
    return key


def signin_code_use(*, key: str, code: str, now: datetime) -> SignInCode:
    """Inside the caller's transaction: lock the phone's code, check it again (a concurrent sign-in may have used it),
    and clear it — single use. Raises the refusal when it no longer works."""
    row = SignInCode.objects.select_for_update().filter(phone_key=key).first()
    state = _state(row) if row is not None else desk_codes.CodeState(_purpose(key), "", None, 0)
    if row is None or not desk_codes.code_matches(state, code.strip(), now, valid=rules.CODE_VALID):
        raise code_refusal(state, "code", now)
    row.digest, row.wrong = "", 0
    row.save(update_fields=["digest", "wrong"])
    return row
