"""A stored photo through the API (/api/desk/attachments/{id}), for integrations with a token: the same scope and
the same headers as the page ``servicedesk:attachment``."""

from ninja import Router

from propdesk.core.views_utils import scoped_404

from ..selectors.attachments import attachment_get
from ..views.attachments import attachment_response

router = Router(tags=["servicedesk"])

IMAGE_CONTENT = {200: {"description": "The photo, as the decoded image's type",
                       "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                                   for kind in ("image/jpeg", "image/png", "image/webp")}},
                 404: {"description": "No such photo in the caller's scope"}}


@router.get("/{int:attachment_id}", summary="A photo of a request in the caller's scope (404 outside it)",
            openapi_extra={"responses": IMAGE_CONTENT})
def attachment_download(request, attachment_id: int):
    with scoped_404():
        attachment = attachment_get(user=request.user, attachment_id=attachment_id)
    return attachment_response(attachment)
