"""How long an API token lives, and when it may be used. Pure: the caller passes the time."""

from datetime import datetime, timedelta

# Lifetimes offered when a token is issued: the default is a quarter; nothing lives longer than a year, so a
# forgotten integration's token dies on its own.
LIFETIME_DAYS = (30, 90, 180, 365)
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365

# last_used_at is written at most once a minute: a busy integration must not turn every read into a write.
TOUCH_EVERY = timedelta(minutes=1)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def expiry(issued_at: datetime, days: int) -> datetime:
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise ValueError(f"a token lives 1 to {MAX_LIFETIME_DAYS} days, not {days}")
    return issued_at + timedelta(days=days)


def needs_touch(last_used_at: datetime | None, now: datetime) -> bool:
    return last_used_at is None or now - last_used_at >= TOUCH_EVERY


def method_allowed(*, read_only: bool, method: str) -> bool:
    return not read_only or method.upper() in SAFE_METHODS
