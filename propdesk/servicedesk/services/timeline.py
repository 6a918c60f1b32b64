from django.utils import timezone

from ..models import TimelineEvent


def event_add(*, request, kind: str, actor=None, work_order=None, action: str = "", message: str = "",
              internal: bool = False, data: dict | None = None, at=None) -> TimelineEvent:
    """Append to the request's timeline (the only way entries are written; they are never changed)."""
    return TimelineEvent.objects.create(request=request, work_order=work_order, kind=kind, action=action, actor=actor,
                                        message=message, internal=internal, data=data or {}, at=at or timezone.now())
