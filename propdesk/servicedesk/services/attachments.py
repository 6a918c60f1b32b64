"""Photos on a request or a work order: what counts as one, and storing them.

One check serves every way a photo arrives (the intake form, the completion form on the phone, the API): each file
must open as an image of a common format, within the size limit, and at most ``MAX_PHOTOS`` come at once.
``attachments_add`` checks again before it stores anything, so no caller can keep a non-image.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError

from ..models import Attachment

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 6
# What phones and cameras produce; Pillow reads more (EPS, PDF …) that is no photo.
PHOTO_FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp",
                 "GIF": "image/gif", "BMP": "image/bmp"}


def photo_problems(files) -> list[str]:
    """One message per file that is not a photo we keep, and one when there are too many; empty when all is well.
    Every file is left at its start, ready to be stored. Each file's detected type is set as ``content_type``."""
    from PIL import Image, UnidentifiedImageError

    problems = []
    if len(files) > MAX_PHOTOS:
        problems.append(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
    for upload in files:
        if upload.size > MAX_PHOTO_BYTES:
            problems.append(_("“%(name)s” is larger than 5 MB.") % {"name": upload.name})
            continue
        try:
            upload.seek(0)
            with Image.open(upload) as image:
                found = image.format
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            found = None
        finally:
            upload.seek(0)
        if found not in PHOTO_FORMATS:
            problems.append(_("“%(name)s” is not a photo (JPEG, PNG …).") % {"name": upload.name})
        else:
            upload.content_type = PHOTO_FORMATS[found]
    return problems


@transaction.atomic
def attachments_add(*, request, files, actor, work_order=None, field: str = "photos") -> list[Attachment]:
    """Store photos on the request (and the work order); a file that is not a photo refuses them all, naming
    ``field``."""
    problems = photo_problems(files)
    if problems:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {field: problems}})
    return [Attachment.objects.create(request=request, work_order=work_order, file=upload,
                                      content_type=upload.content_type, size=upload.size, uploaded_by=actor)
            for upload in files]
