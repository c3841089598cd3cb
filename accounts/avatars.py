"""Avatar uploads: verified, re-encoded, stripped of metadata and cut to a square with Pillow."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def process_avatar(upload):
    """Return the upload as a square WebP of AVATAR_SIZE pixels, or raise ValidationError saying why not."""
    if upload.size > settings.AVATAR_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The picture is too large (%(size)s). The limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.AVATAR_MAX_UPLOAD_BYTES),
            },
            code="file_too_large",
        )
    image = _open_verified(upload)
    if image.width * image.height > settings.AVATAR_MAX_PIXELS:
        raise _too_many_pixels()
    size = settings.AVATAR_SIZE
    try:
        # A JPEG is decoded at 1/2 to 1/8 of its size when that still leaves twice the avatar's pixels:
        # a 16-megapixel photo then costs about a megapixel of memory instead of 48 MB.
        image.draft("RGB", (2 * size, 2 * size))
        image.load()
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
        image = _square(image, size)
        output = io.BytesIO()
        # Saving without exif/icc arguments drops all metadata (camera, location) from the new file.
        image.save(output, format="WEBP", quality=85, method=4)
    except (OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            _("The picture could not be read. Please upload another one."), code="bad_image"
        ) from error
    return ContentFile(output.getvalue(), name="avatar.webp")


def _square(image, size):
    """The centre square of ``image`` at ``size`` pixels; big pictures are first reduced by whole factors
    (a fast box filter) to near the target, then resampled with Lanczos."""
    side = min(image.width, image.height)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    box = (left, top, left + side, top + side)
    return image.resize((size, size), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def _open_verified(upload):
    not_an_image = ValidationError(
        _("The file is not a picture. Please upload a JPEG, PNG, GIF or WebP image."), code="not_an_image"
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise not_an_image
            probe.verify()
        upload.seek(0)
        # verify() leaves the image unusable; open again (this reads only the header, not the pixels).
        return Image.open(upload)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise not_an_image from error


def _too_many_pixels():
    megapixels = settings.AVATAR_MAX_PIXELS // 1_000_000
    return ValidationError(
        _("The picture has too many pixels. Please upload one of at most %(megapixels)s megapixels.")
        % {"megapixels": megapixels},
        code="too_many_pixels",
    )
