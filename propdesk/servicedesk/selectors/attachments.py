"""Reading a stored photo: only through the scope of the request it belongs to."""

from ..models import Attachment, ServiceRequest


def attachment_get(*, user, attachment_id: int) -> Attachment:
    """The attachment when its request is in the user's scope: staff of the request's project (field staff: requests
    with an order for their department), the resident who reported it. Raises Attachment.DoesNotExist otherwise."""
    return (Attachment.objects.filter(request__in=ServiceRequest.objects.restrict(user).values("pk"))
            .only("id", "file", "content_type", "original_name", "request_id").get(pk=attachment_id))
