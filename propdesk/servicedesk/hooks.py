"""Announcements other apps subscribe to. Apps to the right of the service desk (follow-ups) cannot be imported here,
so they register a callable at start-up; the service calls them inside its transaction."""

from collections.abc import Callable

_request_handled: list[Callable] = []


def register_request_handled(callback: Callable) -> None:
    """``callback(request=…, now=…)`` runs when a request's work is done (resolved) or it is closed."""
    if callback not in _request_handled:
        _request_handled.append(callback)


def request_handled(*, request, now) -> None:
    for callback in _request_handled:
        callback(request=request, now=now)
