"""Announcements other apps subscribe to. Apps to the right of customers (stewardship: the steward's first contact
with a new resident) cannot be imported here, so they register a callable at start-up; the services call them inside
their transaction."""

from collections.abc import Callable

_occupancy_started: list[Callable] = []


def register_occupancy_started(callback: Callable) -> None:
    """``callback(occupancy=…, now=…)`` runs when a resident starts living in or owning a room (any relation)."""
    if callback not in _occupancy_started:
        _occupancy_started.append(callback)


def occupancy_started(*, occupancy, now) -> None:
    for callback in _occupancy_started:
        callback(occupancy=occupancy, now=now)
