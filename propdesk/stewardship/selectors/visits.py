"""Home visits read by other pages. The visits part owns this module."""


def visits_due(*, user, day) -> list:
    """Home visits due on or before ``day`` for what ``user`` may see (a steward: their own; a manager: the project's),
    as dicts {"resident_id", "resident_name", "room_code", "reason", "due_on", "steward_name", "url"}."""
    return []


def visits_due_count_by_steward(*, project_id: int, day) -> dict:
    """{steward user id: number of home visits due on or before ``day``} in a project (the PM's load view)."""
    return {}
