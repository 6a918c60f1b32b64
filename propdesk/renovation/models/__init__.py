"""Renovation 装修, one module a part: the application and its settings (skeleton), workers and items
(applications part), inspections, rectification and acceptance (inspections part)."""

from .applications import ACTIVE_STATUSES, OPEN_STATUSES, Channel, Decision, Renovation, RenovationStatus
from .settings import RenovationSettings
from .workers import PhotoKind, RenovationItem, RenovationPhoto, RenovationWorker

__all__ = ["ACTIVE_STATUSES", "OPEN_STATUSES", "Channel", "Decision", "PhotoKind", "Renovation", "RenovationItem",
           "RenovationPhoto", "RenovationSettings", "RenovationStatus", "RenovationWorker"]
