"""What a steward finds on a round (a patrol checkpoint, a vacant home, a home visit) becomes a request in one step:
recorded with the finder as the recorder, numbered and held to the same deadlines as any other, with the photos, and
dispatched by the project's rules (the dispatch queue has it when no rule matches)."""

from datetime import datetime

from django.db import transaction

from propdesk.servicedesk.services.attachments import attachments_add
from propdesk.servicedesk.services.dispatch import request_dispatch_by_rule
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability


@transaction.atomic
def finding_to_request(*, actor, project, description: str, now: datetime, channel: str = "patrol",
                       kind: str = "repair", room_id: int | None = None, common_area_id: int | None = None,
                       location_note: str = "", reporter_id: int | None = None, photos=(), urgent: bool | None = None):
    """A request for one finding; raises ApplicationError (nothing written) when the request or a photo is refused."""
    request = request_submit(actor=actor, project=project, now=now, data=RequestInput(
        channel=channel, kind=kind, description=description, room_id=room_id, common_area_id=common_area_id,
        location_note=location_note, reporter_id=reporter_id, urgent=urgent))
    if photos:
        attachments_add(request=request, actor=actor, files=list(photos))
    # A steward may not dispatch by hand (no DISPATCH): the project's rules dispatch their finding by themselves.
    request_dispatch_by_rule(request=request, actor=actor if user_can(actor, Capability.DISPATCH) else None,
                             now=now)
    return request
