"""Test pictures made with Pillow, as browsers would upload them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def picture(name="me.png", size=(640, 480), image_format="PNG", color=(200, 40, 40), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=image_format, **options)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}[
        image_format
    ]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def exif_with_location():
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPS
    return exif
