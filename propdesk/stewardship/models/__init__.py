"""One module a part; each part adds its import line here."""

from .vacant import VacantChecklist, VacantInspection, VacantInspectionItem, VacantInspectionResult
from .zones import ZoneAssignment

__all__ = ["ZoneAssignment"]
__all__ += ["VacantChecklist", "VacantInspection", "VacantInspectionItem", "VacantInspectionResult"]  # vacant
