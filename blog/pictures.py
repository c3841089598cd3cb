"""Pictures in posts: checked, re-encoded and stripped of metadata with Pillow, stored in default_storage.

A picture is checked from its header before its pixels are decoded (size in bytes, format, pixel count), then
decoded (a big JPEG at a reduced scale: draft), turned upright, cut to at most MAX_SIDE pixels and saved
as WebP with no metadata, with a thumbnail of THUMBNAIL_SIDE pixels. An animated GIF keeps its first frame.
Files are only ever written and removed through ``default_storage``: media may be on S3.
"""

import io
import logging
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.avatars import ACCEPTED_FORMATS
from blog.models import PostPicture

logger = logging.getLogger(__name__)

MAX_PICTURES = 4
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
THUMBNAIL_SIDE = 400
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


@dataclass
class Processed:
    """A re-encoded picture and its thumbnail, ready to store."""

    image: bytes
    width: int
    height: int
    thumbnail: bytes
    thumbnail_width: int
    thumbnail_height: int


def process_picture(upload):
    """Check and re-encode one uploaded picture; raise ValidationError saying what is wrong with it."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The picture is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_BYTES)},
            code="file_too_large",
        )
    image = _open_header(upload)
    try:
        if image.width * image.height > MAX_PIXELS:
            raise _too_many_pixels()
        # A JPEG is decoded at 1/2 to 1/8 of its size when that still covers the largest side we keep.
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        image.seek(0)  # an animated GIF or WebP keeps its first frame
        image.load()
        image = ImageOps.exif_transpose(image)
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
        thumbnail = image.copy()
        thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
        return Processed(
            image=_webp(image),
            width=image.width,
            height=image.height,
            thumbnail=_webp(thumbnail),
            thumbnail_width=thumbnail.width,
            thumbnail_height=thumbnail.height,
        )
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise ValidationError(
            _("The picture could not be read. Please upload another one."), code="bad_image"
        ) from error
    finally:
        image.close()


def _webp(image):
    output = io.BytesIO()
    # Saving without exif/icc arguments drops all metadata (camera, location) from the new file.
    image.save(output, format="WEBP", quality=85, method=4)
    return output.getvalue()


def _open_header(upload):
    """The picture opened from its header only (format and size known, no pixels decoded)."""
    not_an_image = ValidationError(
        _("The file is not a picture. Please upload a JPEG, PNG, GIF or WebP image."), code="not_an_image"
    )
    try:
        upload.seek(0)
        image = Image.open(upload)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise not_an_image from error
    if image.format not in ACCEPTED_FORMATS:
        image.close()
        raise not_an_image
    return image


def _too_many_pixels():
    return ValidationError(
        _("The picture has too many pixels. Please upload one of at most %(megapixels)s megapixels.")
        % {"megapixels": MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def attach(post, pictures, *, start=0):
    """Store ``pictures`` (a list of (Processed, alt)) for ``post`` from ``position`` on, and make their rows.
    Call inside the transaction that saves the post: if anything fails, the files stored so far are removed
    and the error goes on (the transaction then saves nothing)."""
    stored = []
    try:
        rows = []
        for position, (processed, alt) in enumerate(pictures, start=start):
            key = f"posts/{post.pk}/{uuid.uuid4().hex}"
            image = default_storage.save(f"{key}.webp", ContentFile(processed.image))
            stored.append(image)
            thumbnail = default_storage.save(f"{key}-thumb.webp", ContentFile(processed.thumbnail))
            stored.append(thumbnail)
            rows.append(
                PostPicture(
                    post=post,
                    position=position,
                    image=image,
                    thumbnail=thumbnail,
                    width=processed.width,
                    height=processed.height,
                    thumbnail_width=processed.thumbnail_width,
                    thumbnail_height=processed.thumbnail_height,
                    alt=alt,
                )
            )
        PostPicture.objects.bulk_create(rows)
    except BaseException:
        remove_files(stored)
        raise
    return stored


def remove_files_of_deleted_picture(sender, instance, **kwargs):
    """post_delete of PostPicture: its files leave storage once the deletion is saved, however the row went
    (a post deleted through blog.services.delete_post, a picture removed by editing, the admin, or the
    cascade from a deleted account). Connected in BlogConfig.ready."""
    names = file_names([instance])
    transaction.on_commit(lambda: remove_files(names))


def file_names(pictures):
    """The storage names of ``pictures``' images and thumbnails."""
    return [name for picture in pictures for name in (picture.image, picture.thumbnail)]


def remove_files(names):
    """Remove stored files; a file already gone, or a storage error, is logged and does not stop the rest."""
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("Could not remove the picture %s from storage", name)
