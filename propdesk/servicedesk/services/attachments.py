"""Photos on a request or a work order: what counts as one, and storing them.

One check serves every way a photo arrives (the intake form, the completion form on the phone, the API): each file
must decode as a JPEG, PNG or WebP image within the size and pixel limits, and at most ``MAX_PHOTOS`` come at once.
The type is the decoded image's, never the file name's or the browser's. Every photo is re-encoded from its pixels:
bytes appended after the image (an HTML page behind a PNG), EXIF (the phone's GPS position) and other metadata are
not kept. The stored name is random (``attachments/2026/11/<uuid>.jpg``); the client's name is kept, cleaned, for
display only. ``attachments_add`` prepares again whatever was not prepared, so no caller can store a non-image.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.core.files import clean_original_name

from ..models import Attachment

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 6
# A 48-megapixel phone camera (8064×6048) passes; a few bytes declaring 30000×30000 pixels (a decompression bomb)
# are refused from the header, before any pixel is decoded.
MAX_PHOTO_PIXELS = 50_000_000
MAX_STORED_SIDE = 4096  # larger photos are scaled down when re-encoded: plenty to see a crack or a leak
# Decoded format → (stored type, extension, how it is re-encoded). MPO is what some cameras call a JPEG.
PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", "jpg", {"format": "JPEG", "quality": 85}),
    "MPO": ("image/jpeg", "jpg", {"format": "JPEG", "quality": 85}),
    "PNG": ("image/png", "png", {"format": "PNG"}),
    "WEBP": ("image/webp", "webp", {"format": "WEBP", "quality": 85}),
}


@dataclass
class Photo:
    """A photo decoded and re-encoded, ready to store."""

    content: bytes
    content_type: str
    extension: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)


def photo_prepare(upload) -> tuple[Photo | None, str | None]:
    """The upload as a re-encoded Photo, or None and the reason it is refused (naming the file)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    name = clean_original_name(getattr(upload, "name", ""))
    if upload.size > MAX_PHOTO_BYTES:
        return None, _("“%(name)s” is larger than 5 MB.") % {"name": name}
    not_a_photo = _("“%(name)s” is not a photo (JPEG, PNG …).") % {"name": name}
    too_many = _("“%(name)s” has too many pixels: at most %(max)s million.") % {
        "name": name, "max": MAX_PHOTO_PIXELS // 1_000_000}
    heic = _("“%(name)s” is a HEIC photo, which cannot be read here. Send it as JPEG (on an iPhone: Settings, "
             "Camera, Formats, “Most Compatible”).") % {"name": name}
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                found = image.format
                if found not in PHOTO_FORMATS:
                    return None, not_a_photo
                width, height = image.size
                if width * height > MAX_PHOTO_PIXELS:
                    return None, too_many
                content_type, extension, save_options = PHOTO_FORMATS[found]
                if found in ("JPEG", "MPO"):
                    image.draft("RGB", (MAX_STORED_SIDE, MAX_STORED_SIDE))  # decode big photos at reduced size
                image.load()
                pixels = ImageOps.exif_transpose(image)  # upright as taken, then the EXIF is left behind
                pixels.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE))
                if save_options["format"] == "JPEG" and pixels.mode not in ("RGB", "L"):
                    pixels = pixels.convert("RGB")
                elif pixels.mode not in ("RGB", "RGBA", "L", "LA", "P", "I;16", "I"):
                    pixels = pixels.convert("RGBA")
                icc = image.info.get("icc_profile")  # the colours as shot (a wide-gamut iPhone photo)
                out = io.BytesIO()
                pixels.save(out, **save_options, **({"icc_profile": icc} if icc and len(icc) <= 65536 else {}))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None, too_many
    except UnidentifiedImageError:
        return None, (heic if _is_heic(upload) else not_a_photo)
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
        return None, not_a_photo
    finally:
        upload.seek(0)
    return Photo(out.getvalue(), content_type, extension, name), None


def _is_heic(upload) -> bool:
    """An iPhone's HEIC/HEIF photo, which this Pillow cannot decode (no HEIF plugin is installed)."""
    upload.seek(0)
    head = upload.read(12)
    return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim",
                                                   b"heis", b"avif")


def photos_prepare(files) -> tuple[list[Photo], list[str]]:
    """Every file re-encoded, and one message per file that is not a photo we keep (and one when there are too
    many); the messages are empty when all is well. Files already prepared pass through."""
    if len(files) > MAX_PHOTOS:
        return [], [_("At most %(n)s photos.") % {"n": MAX_PHOTOS}]
    photos, problems = [], []
    for upload in files:
        if isinstance(upload, Photo):
            photos.append(upload)
            continue
        photo, problem = photo_prepare(upload)
        if problem:
            problems.append(problem)
        else:
            photos.append(photo)
    return photos, problems


@transaction.atomic
def attachments_add(*, request, files, actor, work_order=None, field: str = "photos",
                    for_resident: bool = False) -> list[Attachment]:
    """Store photos on the request (and the work order); a file that is not a photo refuses them all, naming
    ``field``. ``for_resident``: shown to the resident in the portal (the photos of the finished work); their own
    photos are shown to them anyway."""
    photos, problems = photos_prepare(files)
    if problems:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": {field: problems}})
    added = []
    for photo in photos:
        attachment = Attachment(request=request, work_order=work_order, content_type=photo.content_type,
                                size=photo.size, original_name=photo.original_name, uploaded_by=actor,
                                for_resident=for_resident)
        # The storage API writes it: the local folder by default, S3-compatible storage by setting.
        attachment.file.save(f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False)
        attachment.save()
        added.append(attachment)
    return added
