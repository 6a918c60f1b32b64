"""One module a part; each part adds its import line here."""

from .zones import ZoneAssignment

__all__ = ["ZoneAssignment"]
