"""One module a part; each part adds its import line here."""

from .logs import Log, LogComment, LogItem, LogKind, LogStatus  # issue 13: logs
from .rosters import RosterEntry, ShiftKind

__all__ = ["RosterEntry", "ShiftKind"]
__all__ += ["Log", "LogComment", "LogItem", "LogKind", "LogStatus"]
