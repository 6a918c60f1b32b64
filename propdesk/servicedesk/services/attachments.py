from django.db import transaction

from ..models import Attachment


@transaction.atomic
def attachments_add(*, request, files, actor, work_order=None) -> list[Attachment]:
    """Store photos already checked by forms.validate_photos (an image, at most 5 MB)."""
    return [Attachment.objects.create(request=request, work_order=work_order, file=upload,
                                      content_type=getattr(upload, "content_type", "") or "image",
                                      size=upload.size, uploaded_by=actor) for upload in files]
