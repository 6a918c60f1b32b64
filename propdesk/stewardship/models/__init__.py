"""One module a part; each part adds its import line here."""

from .contacts import ContactTask
from .zones import ZoneAssignment

__all__ = ["ContactTask", "ZoneAssignment"]
