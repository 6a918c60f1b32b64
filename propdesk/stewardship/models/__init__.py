"""One module a part; each part adds its import line here."""

from .contacts import ContactTask
from .zones import ZoneAssignment

__all__ = ["ContactTask", "ZoneAssignment"]
from .visits import HomeVisit, HomeVisitNeed, HomeVisitPlan
from .zones import ZoneAssignment

__all__ = ["HomeVisit", "HomeVisitNeed", "HomeVisitPlan", "ZoneAssignment"]
from .patrols import PatrolCheckpoint, PatrolFinding, PatrolPlan, PatrolRound, PatrolVisit
from .zones import ZoneAssignment

__all__ = ["PatrolCheckpoint", "PatrolFinding", "PatrolPlan", "PatrolRound", "PatrolVisit", "ZoneAssignment"]
from .vacant import VacantChecklist, VacantInspection, VacantInspectionItem, VacantInspectionResult
from .zones import ZoneAssignment

__all__ = ["ZoneAssignment"]
__all__ += ["VacantChecklist", "VacantInspection", "VacantInspectionItem", "VacantInspectionResult"]  # vacant
