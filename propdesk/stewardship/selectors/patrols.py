"""Patrol rounds read by other pages. The patrols part owns this module."""


def rounds_of_day(*, user, day) -> list:
    """Patrol rounds scheduled on ``day`` that ``user`` may see, as dicts {"plan_name", "window_start", "window_end",
    "assignee_name", "status", "url"}."""
    return []
