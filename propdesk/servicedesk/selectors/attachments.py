"""Reading a stored photo: only through the scope of the request it belongs to."""

from django.db.models import Q

from propdesk.core.scoping import scope_of

from ..models import Attachment, ServiceRequest


def resident_visible(user) -> Q:
    """The photos of a request its resident is shown: the photos of what was reported (on the request, not on a
    work order: theirs, or the ones they sent the agent), their own, and the ones marked for them (the finished
    work). Photos a technician took during the work stay with the staff."""
    return Q(work_order__isnull=True) | Q(uploaded_by_id=user.pk) | Q(for_resident=True)


def attachment_get(*, user, attachment_id: int) -> Attachment:
    """The attachment when its request is in the user's scope: staff of the request's project (field staff: requests
    with an order for their department); for the resident who reported it, only what :func:`resident_visible`
    allows. Raises Attachment.DoesNotExist otherwise."""
    found = Attachment.objects.filter(request__in=ServiceRequest.objects.restrict(user).values("pk"))
    if scope_of(user).resident_id:
        found = found.filter(resident_visible(user))
    return found.only("id", "file", "content_type", "original_name", "request_id").get(pk=attachment_id)
