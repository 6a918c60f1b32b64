"""Renovation 装修, one module a part: the application and its settings, workers, items and photos (applications
part), inspections, rectification, acceptance and linked complaints (inspections part)."""

from .applications import ACTIVE_STATUSES, OPEN_STATUSES, Channel, Decision, Renovation, RenovationStatus
from .inspections import (
    AcceptanceApproval,
    InspectionKind,
    RectificationStatus,
    RenovationAcceptance,
    RenovationComplaint,
    RenovationInspection,
    RenovationInspectionItem,
    RenovationInspectionPhoto,
    RenovationRectification,
)
from .settings import RenovationSettings
from .workers import PhotoKind, RenovationItem, RenovationPhoto, RenovationWorker

__all__ = ["ACTIVE_STATUSES", "OPEN_STATUSES", "AcceptanceApproval", "Channel", "Decision", "InspectionKind",
           "PhotoKind", "RectificationStatus", "Renovation", "RenovationAcceptance", "RenovationComplaint",
           "RenovationInspection", "RenovationInspectionItem", "RenovationInspectionPhoto", "RenovationItem",
           "RenovationPhoto", "RenovationRectification", "RenovationSettings", "RenovationStatus", "RenovationWorker"]
