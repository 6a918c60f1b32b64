from .billing import AgreementMethod, Payment, PaymentMethod, PriceItem, Quote, QuoteLine
from .codes import CodeThrottle
from .holidays import HolidayCalendarDay, HolidayDayKind, HolidayYear
from .incidents import IncidentUpdate, IncidentUpdateKind
from .policy import DispatchRule, ServicePolicy, WorkingHours
from .requests import IdempotencyKey, Incident, ServiceRequest
from .timeline import Attachment, TimelineEvent
from .workorders import WorkOrder

__all__ = ["Attachment", "DispatchRule", "IdempotencyKey", "Incident", "ServicePolicy", "ServiceRequest",
           "TimelineEvent", "WorkOrder", "WorkingHours"]
__all__ += ["AgreementMethod", "IncidentUpdate", "IncidentUpdateKind", "Payment", "PaymentMethod", "PriceItem",
            "Quote", "QuoteLine"]
__all__ += ["HolidayCalendarDay", "HolidayDayKind", "HolidayYear"]
__all__ += ["CodeThrottle"]
