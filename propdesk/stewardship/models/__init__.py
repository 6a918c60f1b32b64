"""The steward's day, one module a part: zones and first contact, home visits, patrols, vacant homes."""

from .contacts import ContactTask
from .patrols import PatrolCheckpoint, PatrolFinding, PatrolPlan, PatrolRound, PatrolVisit
from .vacant import VacantChecklist, VacantInspection, VacantInspectionItem, VacantInspectionResult
from .visits import HomeVisit, HomeVisitNeed, HomeVisitPlan
from .zones import ZoneAssignment

__all__ = ["ContactTask", "HomeVisit", "HomeVisitNeed", "HomeVisitPlan", "PatrolCheckpoint", "PatrolFinding",
           "PatrolPlan", "PatrolRound", "PatrolVisit", "VacantChecklist", "VacantInspection", "VacantInspectionItem",
           "VacantInspectionResult", "ZoneAssignment"]
