"""One module a part; each part adds its import line here."""

from .patrols import PatrolCheckpoint, PatrolFinding, PatrolPlan, PatrolRound, PatrolVisit
from .zones import ZoneAssignment

__all__ = ["PatrolCheckpoint", "PatrolFinding", "PatrolPlan", "PatrolRound", "PatrolVisit", "ZoneAssignment"]
