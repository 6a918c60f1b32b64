"""How often a resident may have a message read: the app's report calls triage as they type (debounced), so a
resident gets at most ``RESIDENT_LIMIT`` readings a minute; staff are not limited. Counted in Django's cache, one
key per user and minute window (``cache.add`` then ``cache.incr``), the window taken from ``timezone.now()``."""

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

RESIDENT_LIMIT = 30
WINDOW_SECONDS = 60


def resident_call_count(user) -> None:
    """Count one call of ``user`` (a resident) in the current minute; over the limit, a 429 with ``retry_after``,
    the seconds until the next minute."""
    now = timezone.now().timestamp()
    window = int(now // WINDOW_SECONDS)
    key = f"triage:resident:{user.pk}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: this call starts the window again
        cache.add(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count > RESIDENT_LIMIT:
        wait = max(1, (window + 1) * WINDOW_SECONDS - int(now))
        raise ApplicationError(
            _("Too many messages read in a minute (at most %(limit)d). Try again in %(seconds)d seconds.")
            % {"limit": RESIDENT_LIMIT, "seconds": wait}, {"retry_after": wait}, status_code=429)
