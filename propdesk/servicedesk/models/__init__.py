from .policy import ServicePolicy, WorkingHours
from .requests import IdempotencyKey, Incident, ServiceRequest
from .timeline import Attachment, TimelineEvent
from .workorders import WorkOrder

__all__ = ["Attachment", "IdempotencyKey", "Incident", "ServicePolicy", "ServiceRequest", "TimelineEvent",
           "WorkOrder", "WorkingHours"]
