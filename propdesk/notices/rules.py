"""What a notice may hold and where it stands at a given time. Pure Python: no Django, no ``now()`` (the caller
passes the time). The service turns the problem codes of :func:`problems` into messages in the reader's language.

A notice is plain text (no HTML, no Markdown: it is shown as written, line breaks kept), a title a phone shows on one
or two lines, a text of up to 2,000 characters, valid for at most a year ahead (an open end is allowed for a standing
reminder), starting at most a week in the past (a notice back-dated further says nothing to anyone).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

LIMITS = {"title": 80, "body": 2000}
AHEAD_AT_MOST = timedelta(days=366)
BACK_AT_MOST = timedelta(days=7)

SCOPES = ("project", "buildings", "units")
KINDS = ("outage", "tip", "activity", "other")


@dataclass(frozen=True)
class Draft:
    kind: str
    scope: str
    title: str
    body: str
    valid_from: datetime
    valid_until: datetime | None
    buildings: int  # how many buildings were chosen (scope "buildings")
    units: int  # how many units were chosen (scope "units")
    expected_restore_at: datetime | None = None


def problems(draft: Draft, *, now: datetime) -> dict[str, str]:
    """``{field: problem code}`` for everything wrong with the draft; empty when it may be published."""
    found: dict[str, str] = {}
    if draft.kind not in KINDS:
        found["kind"] = "kind"
    if not draft.title.strip():
        found["title"] = "required"
    elif len(draft.title) > LIMITS["title"]:
        found["title"] = "too_long"
    if not draft.body.strip():
        found["body"] = "required"
    elif len(draft.body) > LIMITS["body"]:
        found["body"] = "too_long"
    if draft.scope not in SCOPES:
        found["scope"] = "scope"
    elif draft.scope == "buildings" and not draft.buildings:
        found["buildings"] = "no_buildings"
    elif draft.scope == "units" and not draft.units:
        found["units"] = "no_units"
    if draft.valid_from < now - BACK_AT_MOST:
        found["valid_from"] = "too_early"
    elif draft.valid_from > now + AHEAD_AT_MOST:
        found["valid_from"] = "too_late"
    if draft.valid_until is not None:
        if draft.valid_until <= draft.valid_from:
            found["valid_until"] = "before_start"
        elif draft.valid_until > now + AHEAD_AT_MOST:
            found["valid_until"] = "too_late"
    if draft.expected_restore_at is not None and draft.expected_restore_at > now + AHEAD_AT_MOST:
        found["expected_restore_at"] = "too_late"
    return found


def notice_state(*, valid_from: datetime, valid_until: datetime | None, withdrawn: bool, now: datetime) -> str:
    """scheduled, active, expired or withdrawn (NoticeState)."""
    if withdrawn:
        return "withdrawn"
    if valid_from > now:
        return "scheduled"
    if valid_until is not None and valid_until <= now:
        return "expired"
    return "active"
