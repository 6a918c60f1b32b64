"""Serving a stored photo to someone who may see its request. Media is never served raw: the page and the API
(``propdesk.servicedesk.api.attachments``) both answer through ``attachment_response``."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from propdesk.core.views_utils import scoped_404

from ..selectors.attachments import attachment_get

IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif",
               "image/bmp": "bmp"}
# Should a browser be led to open a photo as a document, it may run nothing and load nothing.
SANDBOX_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"


def attachment_response(attachment) -> FileResponse:
    """The stored bytes, streamed from the storage (local folder or S3 alike), with the type of the decoded image,
    ``nosniff`` and a file name that cannot break the header. A type that is not an image (none is stored now;
    rows from before may say anything) is offered as a download of opaque bytes."""
    content_type = attachment.content_type if attachment.content_type in IMAGE_TYPES else "application/octet-stream"
    extension = IMAGE_TYPES.get(content_type, "bin")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("photo file missing") from None
    filename = f"photo-{attachment.pk}.{extension}"
    response = FileResponse(handle, content_type=content_type, as_attachment=content_type not in IMAGE_TYPES,
                            filename=filename)
    response["Content-Disposition"] = (f'{"inline" if content_type in IMAGE_TYPES else "attachment"}; '
                                       f'filename="{filename}"')
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_safe
@login_required
def attachment_file(request, pk):
    with scoped_404():
        attachment = attachment_get(user=request.user, attachment_id=pk)
    return attachment_response(attachment)
