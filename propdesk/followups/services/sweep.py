"""Visits overdue by 3 days are handed to the project manager, who visits in person (DESIGN §4). Run by the worker's
periodic sweep; rows are found by index and locked with SKIP LOCKED, each handed over once."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.notify.services import notify_user
from propdesk.servicedesk.choices import EventKind
from propdesk.servicedesk.services import people
from propdesk.servicedesk.services.timeline import event_add

from ..choices import VisitStatus
from ..models import FollowUpVisit
from ..rules.schedule import OVERDUE_HANDOVER


def visit_handover_sweep(*, now: datetime | None = None, batch: int = 200) -> int:
    now = now or timezone.now()
    handed = 0
    with transaction.atomic():
        visits = list(FollowUpVisit.objects.select_for_update(skip_locked=True, of=("self",))
                      .select_related("request", "project")
                      .filter(status=VisitStatus.PENDING, handed_over_at__isnull=True,
                              due_by__lte=now - OVERDUE_HANDOVER).order_by("due_by")[:batch])
        for visit in visits:
            managers = people.project_managers(visit.project_id)
            if not managers:
                continue
            manager = managers[0]
            visit.visitor, visit.handed_over_at = manager, now
            visit.save(update_fields=["visitor", "handed_over_at"])
            notify_user(user=manager, kind="visit_overdue", key=f"visit-handover:{visit.pk}",
                        url=reverse("followups:visit_detail", args=[visit.pk]),
                        title=_("Follow-up visit overdue by 3 days: %(number)s — please visit in person")
                        % {"number": visit.request.number})
            event_add(request=visit.request, kind=EventKind.ESCALATION, at=now, action="visit_handover",
                      message=_("Follow-up visit overdue by 3 days: handed to the project manager."))
            handed += 1
    return handed
