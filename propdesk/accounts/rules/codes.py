"""The sign-in code's life: 6 digits, 5 minutes, single use, 5 wrong tries. Pure: whether a code matches its digest
is the caller's (servicedesk.services.codes.code_digest, keyed with SECRET_KEY); this says what state the stored code
is in at ``now``."""

from datetime import datetime, timedelta

CODE_VALID = timedelta(minutes=5)
MAX_WRONG = 5

LIVE, EXPIRED, DEAD = "live", "expired", "dead"


def code_state(*, digest: str, sent_at: datetime | None, wrong: int, now: datetime) -> str:
    """``expired``: none sent, already used (digest cleared) or older than 5 minutes; ``dead``: 5 wrong tries;
    ``live``: it may still be tried."""
    if not digest or sent_at is None or now - sent_at > CODE_VALID:
        return EXPIRED
    if wrong >= MAX_WRONG:
        return DEAD
    return LIVE


def tries_left(wrong: int) -> int:
    return max(MAX_WRONG - wrong, 0)
