"""One module a part; each part adds its import line here."""

from .rosters import RosterEntry, ShiftKind
from .logs import Log, LogComment, LogItem, LogKind, LogStatus  # noqa: I001  (issue 13: logs)

__all__ = ["RosterEntry", "ShiftKind"]
__all__ += ["Log", "LogComment", "LogItem", "LogKind", "LogStatus"]
