"""Sign-in under brute force (django-axes, settings "brute force"): the answer to a locked-out sign-in, and the lock
that takes the sign-ins of one user name from one address one at a time.

Axes checks the failure count before the password is hashed and records the failure after: two processes signing
in at once would both pass the check at 4 failures and both try a password. Holding a lock named after the user
name and address over the whole sign-in (a PostgreSQL advisory lock, so every process and machine shares it; a
thread lock on SQLite, the one-process setup) makes the count exact."""

import hashlib
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .views_utils import client_ip


def cool_off_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a page in the user's language (JSON under /api/), status 429, Retry-After."""
    minutes = cool_off_minutes()
    message = _("Too many failed sign-ins with this user name from your address. Try again in %(minutes)d "
                "minutes, or ask your administrator to unlock it.") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"message": message, "extra": {"retry_after": minutes * 60}}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


_thread_locks: dict[str, list] = {}  # name -> [lock, users]
_thread_locks_guard = threading.Lock()


@contextmanager
def named_lock(name: str):
    """Hold a lock on ``name``: across processes on PostgreSQL (a session advisory lock, released at the end or
    when the connection dies), across the threads of this process elsewhere."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except DatabaseError:  # the connection is gone, and its session's locks with it
                connection.close()
        return
    with _thread_locks_guard:
        entry = _thread_locks.setdefault(name, [threading.Lock(), 0])
        entry[1] += 1
    try:
        with entry[0]:
            yield
    finally:
        with _thread_locks_guard:
            entry[1] -= 1
            if not entry[1]:
                _thread_locks.pop(name, None)


def _sign_in_paths() -> set[str]:
    paths = set()
    for name in ("login", "admin:login"):
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            pass
    return paths


class SerializedSignInMiddleware:
    """A POST to a sign-in form runs under the lock of its user name and address (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.paths = None

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        if self.paths is None:
            self.paths = _sign_in_paths()
        if request.path_info not in self.paths:
            return self.get_response(request)
        username = request.POST.get("username", "")[:150]
        with named_lock(f"sign-in:{username}:{client_ip(request)}"):
            return self.get_response(request)
