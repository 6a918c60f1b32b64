"""Renovation 装修, one module a part: the application and its settings (skeleton), workers and items
(applications part), inspections, rectification and acceptance (inspections part)."""

from .applications import ACTIVE_STATUSES, OPEN_STATUSES, Channel, Decision, Renovation, RenovationStatus
from .inspections import (
    AcceptanceApproval,
    InspectionKind,
    RectificationStatus,
    RenovationAcceptance,
    RenovationComplaint,
    RenovationInspection,
    RenovationInspectionItem,
    RenovationPhoto,
    RenovationRectification,
)
from .settings import RenovationSettings

__all__ = ["ACTIVE_STATUSES", "AcceptanceApproval", "InspectionKind", "RectificationStatus", "RenovationAcceptance",
           "RenovationComplaint", "RenovationInspection", "RenovationInspectionItem", "RenovationPhoto",
           "RenovationRectification", "OPEN_STATUSES", "Channel", "Decision", "Renovation", "RenovationSettings",
           "RenovationStatus"]
