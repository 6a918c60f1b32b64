"""Sliding-window counts (sends a client address may ask for, wrong codes it may try): which hits still count, and
whether one more is allowed. Pure: the caller passes the stored times and ``now``."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Window:
    limit: int
    span: timedelta


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    recent: list[datetime]  # the hits still inside the window, oldest first
    retry_after: int  # seconds until one more is allowed (0 when it is)


def window_check(hits: list[datetime], *, window: Window, now: datetime) -> Verdict:
    recent = sorted(at for at in hits if now - window.span < at <= now)
    if len(recent) < window.limit:
        return Verdict(True, recent, 0)
    oldest_that_counts = recent[len(recent) - window.limit]
    wait = int((oldest_that_counts + window.span - now).total_seconds()) + 1
    return Verdict(False, recent, max(wait, 1))
