"""One-time codes texted to residents: the completion code (the resident confirms the work) and the quote code (the
resident agrees to the price). A 6-digit code is guessable unless the guesses are counted, so:

- a code is stored as an HMAC keyed with SECRET_KEY (a stolen database does not give 6-digit codes back by trying
  all million), and works for 30 minutes;
- 5 wrong tries kill it: the technician sends a new one;
- one phone gets at most 1 code a minute and 5 an hour, whatever order or quote they are for.

Every count is a database row locked while it is checked and changed, so every web process shares it. A wrong try
is counted in a transaction of its own (``code_try``), committed before the error is raised: the caller's
transaction, rolled back by the error, must not take the count with it."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from propdesk.core.errors import ApplicationError

from ..models import CodeThrottle

CODE_VALID = timedelta(minutes=30)
MAX_WRONG = 5
SEND_GAP = timedelta(seconds=60)
SENDS_PER_HOUR = 5
HOUR = timedelta(hours=1)


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def code_digest(purpose: str, code: str) -> str:
    """The stored form of ``code`` for ``purpose`` (e.g. "wo:12"): HMAC-SHA256 keyed with SECRET_KEY."""
    return salted_hmac("propdesk.servicedesk.code", f"{purpose}:{code.strip()}", algorithm="sha256").hexdigest()


@dataclass
class CodeState:
    """What is stored of one code: its digest, when it was sent, how many wrong tries it has had."""

    purpose: str
    digest: str
    sent_at: datetime | None
    wrong: int


def code_matches(state: CodeState, code: str, now: datetime, *, valid: timedelta = CODE_VALID) -> bool:
    """Is ``code`` the live code: sent within ``valid`` (30 minutes), fewer than 5 wrong tries, the same digest."""
    fresh = state.sent_at is not None and now - state.sent_at <= valid and bool(state.digest)
    return (fresh and state.wrong < MAX_WRONG
            and constant_time_compare(code_digest(state.purpose, code or ""), state.digest))


def code_error(state: CodeState, field: str, now: datetime) -> ApplicationError:
    """The error for a code that did not match, at ``field``: expired or never sent (400), killed by wrong tries
    (429), or wrong with the tries left (400)."""
    if state.sent_at is None or not state.digest or now - state.sent_at > CODE_VALID:
        message, status = _("The code is wrong or expired; send a new one."), 400
    elif state.wrong >= MAX_WRONG:
        message, status = _("Too many wrong codes: this code no longer works. Send the resident a new one."), 429
    else:
        left = MAX_WRONG - state.wrong
        message = ngettext("The code is wrong: %(left)d more try, then a new code is needed.",
                           "The code is wrong: %(left)d more tries, then a new code is needed.", left) % {"left": left}
        status = 400
    return ApplicationError(message, {"fields": {field: [message]}}, status_code=status)


def code_try(*, load, save, field: str, code: str, now: datetime, valid: timedelta = CODE_VALID,
             error=code_error) -> None:
    """Count one try of ``code``. ``load()`` locks the row and returns its CodeState, or None when there is nothing
    to try (the caller's own checks will say why); ``save(wrong)`` stores the new count of wrong tries. A wrong
    code is counted and committed, then raised as ApplicationError at ``field``; a right one is left for the
    caller to use (in its own transaction, with code_matches). ``valid`` is how long a code works and ``error(state,
    field, now)`` words the refusal (the phone sign-in's codes live 5 minutes and speak to the resident)."""
    with transaction.atomic(durable=True):  # the count must be committed even though the caller fails
        state = load()
        if state is None or code_matches(state, code, now, valid=valid):
            return
        counted = state.sent_at is not None and state.digest and now - state.sent_at <= valid \
            and state.wrong < MAX_WRONG
        if counted:
            state.wrong += 1
            save(state.wrong)
    raise error(state, field, now)


# --- sends per phone --------------------------------------------------------------------------------------------

def _phone_key(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return salted_hmac("propdesk.servicedesk.code-phone", digits, algorithm="sha256").hexdigest()


def phone_send_allow(*, phone: str, field: str, now: datetime) -> None:
    """Count one code texted to ``phone``, or raise a 429 ApplicationError at ``field`` when the phone had a code in
    the last minute or 5 in the last hour. Call it inside the transaction that sends: the phone's row stays locked
    until then, and a refused send (rolled back) is not counted."""
    key = _phone_key(phone)
    CodeThrottle.objects.get_or_create(phone_key=key)
    row = CodeThrottle.objects.select_for_update().get(phone_key=key)
    recent = sorted(at for at in (datetime.fromisoformat(value) for value in row.sent) if now - at < HOUR)
    if recent and now - recent[-1] < SEND_GAP:
        wait = int((recent[-1] + SEND_GAP - now).total_seconds()) + 1
        message = ngettext("A code was just sent to this phone. Wait %(seconds)d second before sending another.",
                           "A code was just sent to this phone. Wait %(seconds)d seconds before sending another.",
                           wait) % {"seconds": wait}
        raise ApplicationError(message, {"fields": {field: [message]}, "retry_after": wait}, status_code=429)
    if len(recent) >= SENDS_PER_HOUR:
        wait = int((recent[0] + HOUR - now).total_seconds()) + 1
        message = _("%(count)d codes were sent to this phone in the last hour. Send the next one after %(time)s, or "
                    "ask the resident to sign.") % {
            "count": SENDS_PER_HOUR, "time": f"{timezone.localtime(recent[0] + HOUR):%H:%M}"}
        raise ApplicationError(message, {"fields": {field: [message]}, "retry_after": wait}, status_code=429)
    row.sent = [at.isoformat() for at in [*recent, now]]
    row.save(update_fields=["sent"])
