"""One module a part; each part adds its import line here."""

from .rosters import RosterEntry, ShiftKind

__all__ = ["RosterEntry", "ShiftKind"]
