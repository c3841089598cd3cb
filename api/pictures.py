"""A post's pictures sent to the API: multipart/form-data fields checked as the site's post form checks them.

The files go through blog.pictures.process_picture (format, size, pixels, re-encoding without metadata)
while the request is validated, before anything is saved; blog.services then stores them with the post in
one transaction. Help texts are the schema's documentation, in English like its summaries."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers

from blog import pictures as blog_pictures
from blog.models import PICTURE_ALT_MAX_LENGTH


class PictureUploadFields(serializers.Serializer):
    """The fields a post's input gains for pictures. ``context["existing"]`` is the edited post's pictures
    (in order, as its JSON lists them); ``context["talk"]`` is true when the post is a talk, which has no
    pictures (its editor on the site has none). After validation, ``pictures`` is a list of
    (blog.pictures.Processed, alt) and ``remove_pictures`` a list of PostPicture rows."""

    pictures = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        required=False,
        help_text="multipart/form-data only: up to 4 JPEG, PNG, WebP or GIF files of at most 10 MB and 40 "
        "megapixels each, one `pictures` part per file. Each is re-encoded, without its metadata.",
    )
    alt = serializers.ListField(
        child=serializers.CharField(max_length=PICTURE_ALT_MAX_LENGTH, allow_blank=True),
        required=False,
        help_text="One description (alt text) for each picture, in the same order: required.",
    )
    remove_pictures = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=blog_pictures.MAX_PICTURES - 1),
        required=False,
        help_text="When editing: the positions (from 0) in the post's `pictures` list of those to remove.",
    )

    def to_internal_value(self, data):
        # A JSON body's "pictures" is the post's own JSON sent back (read-only there): ignored, as the other
        # read-only keys are. Files only come in a multipart body (a QueryDict).
        if not isinstance(data, QueryDict) and isinstance(data, dict) and "pictures" in data:
            data = {key: value for key, value in data.items() if key != "pictures"}
        return super().to_internal_value(data)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        uploads = attrs.pop("pictures", [])
        alts = [alt.strip() for alt in attrs.pop("alt", [])]
        remove = attrs.pop("remove_pictures", [])
        existing = self.context.get("existing", [])
        if (uploads or alts or remove) and self.context.get("talk"):
            raise serializers.ValidationError({"pictures": [_("A talk cannot have pictures.")]})
        if len(alts) != len(uploads):
            message = _("Give one description (alt text) for each picture, in the same order.")
            raise serializers.ValidationError({"alt": [message]})
        if not all(alts):
            message = _("Describe the picture for people who cannot see it (alt text).")
            raise serializers.ValidationError({"alt": [message]})
        attrs["remove_pictures"] = _pictures_at(existing, remove)
        kept = len(existing) - len(attrs["remove_pictures"])
        if kept + len(uploads) > blog_pictures.MAX_PICTURES:
            raise serializers.ValidationError({"pictures": [_too_many(bool(existing))]})
        attrs["pictures"] = [(_processed(upload), alt) for upload, alt in zip(uploads, alts, strict=True)]
        return attrs


def _pictures_at(existing, positions):
    missing = sorted({position for position in positions if position >= len(existing)})
    if missing:
        message = _("The post has no picture at position %(positions)s.") % {
            "positions": ", ".join(map(str, missing))
        }
        raise serializers.ValidationError({"remove_pictures": [message]})
    return [existing[position] for position in sorted(set(positions))]


def _too_many(editing):
    count = {"count": blog_pictures.MAX_PICTURES}
    if editing:
        return _("A post can have at most %(count)s pictures. Remove some first.") % count
    return _("You can attach at most %(count)s pictures to a post.") % count


def _processed(upload):
    try:
        return blog_pictures.process_picture(upload)
    except DjangoValidationError as error:
        message = f"{upload.name}: {' '.join(error.messages)}"  # which file, when several were sent
        raise serializers.ValidationError({"pictures": [message]}) from error
