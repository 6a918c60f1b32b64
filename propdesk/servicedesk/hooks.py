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


_intake_recorded: list[Callable] = []


def register_intake_recorded(callback: Callable) -> None:
    """``callback(request=…, actor=…, text=…, suggested=…, chosen=…, now=…)`` runs after the intake form has recorded
    a request (committed): ``suggested`` is what the form's suggestions panel showed (as posted, unchecked text),
    ``chosen`` the labels the agent recorded. A callback must never make the recording fail."""
    if callback not in _intake_recorded:
        _intake_recorded.append(callback)


def intake_recorded(**kwargs) -> None:
    for callback in _intake_recorded:
        callback(**kwargs)
