"""Limits per client address, counted in the database (SignInThrottle rows, locked while they are checked and
changed) so that every web process shares them."""

from datetime import datetime, timedelta

from django.utils.translation import ngettext

from propdesk.core.errors import ApplicationError

from ..keys import address_key
from ..models import SignInThrottle
from ..rules.limits import Window, window_check

HOUR = timedelta(hours=1)
# Codes one client address may ask for in an hour, whatever the numbers, and wrong codes it may try. Mobile networks
# put many phones behind one address (carrier NAT), so these are generous for people and still cut a script that
# walks through numbers or guesses codes across many numbers down to a trickle.
SENDS_PER_ADDRESS = Window(limit=30, span=HOUR)
WRONG_PER_ADDRESS = Window(limit=30, span=HOUR)


def _row(name: str, ip: str | None, now: datetime) -> SignInThrottle:
    key = f"{name}:{address_key(ip)}"
    SignInThrottle.objects.get_or_create(key=key, defaults={"updated_at": now})
    return SignInThrottle.objects.select_for_update().get(key=key)


def _refuse(name: str, retry_after: int, field: str) -> ApplicationError:
    minutes = max(1, (retry_after + 59) // 60)
    if name == "send":
        message = ngettext("Too many codes were asked for from your network. Please try again in %(minutes)d minute.",
                           "Too many codes were asked for from your network. Please try again in %(minutes)d "
                           "minutes.", minutes) % {"minutes": minutes}
    else:
        message = ngettext("Too many wrong codes from your network. Please try again in %(minutes)d minute.",
                           "Too many wrong codes from your network. Please try again in %(minutes)d minutes.",
                           minutes) % {"minutes": minutes}
    return ApplicationError(message, {"fields": {field: [message]}, "retry_after": retry_after}, status_code=429)


def address_check(*, name: str, window: Window, ip: str | None, field: str, now: datetime,
                  count: bool) -> tuple[SignInThrottle, list[datetime]]:
    """Lock the address's row of limit ``name``; raise a 429 at ``field`` when it is used up; with ``count``, add
    this hit. Returns the row and the hits inside the window. Call it inside the caller's transaction (a refused or
    rolled-back action is not counted)."""
    row = _row(name, ip, now)
    verdict = window_check([datetime.fromisoformat(at) for at in row.hits], window=window, now=now)
    if not verdict.allowed:
        raise _refuse(name, verdict.retry_after, field)
    if count:
        address_hit(row, verdict.recent, now)
    return row, verdict.recent


def address_hit(row: SignInThrottle, recent: list[datetime], now: datetime) -> None:
    row.hits = [at.isoformat() for at in [*recent, now]]
    row.updated_at = now
    row.save(update_fields=["hits", "updated_at"])


def throttle_prune(*, now: datetime) -> None:
    """Rows nobody hit for a day count nothing any more."""
    SignInThrottle.objects.filter(updated_at__lt=now - timedelta(days=1)).delete()
