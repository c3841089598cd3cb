"""Reading JSON request bodies: strict, and never a 500 whatever the bytes.

(The size is bounded before parsing: DRF reads JSON bodies through Django's ``request.body``, which refuses
more than DATA_UPLOAD_MAX_MEMORY_SIZE; api.errors answers that with a 413.)"""

import json

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

from flasky_project.inputs import REPLACEMENT_CHARACTER, strip_control_characters


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def _without_control_characters(value):
    """The parsed JSON with control characters stripped from every string, as the site's forms are
    (flasky_project.inputs)."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list):
        return [_without_control_characters(item) for item in value]
    if isinstance(value, dict):
        return {strip_control_characters(k): _without_control_characters(v) for k, v in value.items()}
    return value


class JSONParser(parsers.JSONParser):
    """DRF's parser, which also turns NaN and pathological nesting (a RecursionError) into a 400, and
    strips control characters from strings."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            data = json.loads(stream.read().decode(encoding), parse_constant=_reject_constant)
            return _without_control_characters(data)
        except (ValueError, RecursionError) as error:
            raise exceptions.ParseError(
                _("The request body is not valid JSON: %(error)s") % {"error": error}
            ) from error


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, for a post's pictures: its text parts are cleaned as JSON strings are (control
    characters stripped), and text that was not valid UTF-8 (which Django decodes to U+FFFD) is a 400, as
    the site's forms refuse it (flasky_project.inputs)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        texts = [upload.name or "" for upload in parsed.files.values()]
        for key, values in parsed.data.lists():
            texts += [key, *values]
        if any(REPLACEMENT_CHARACTER in text for text in texts):
            raise exceptions.ParseError(_("The request body contains characters that are not valid text."))
        data = QueryDict(mutable=True)
        for key, values in parsed.data.lists():
            data.setlist(strip_control_characters(key), [strip_control_characters(value) for value in values])
        data._mutable = False
        return parsers.DataAndFiles(data, parsed.files)


class NoPicturesParser(parsers.BaseParser):
    """multipart/form-data where the API takes no files (a comment): a 400 that says so, rather than the 415
    of a media type the endpoint does not know, since a client sending pictures with a comment meant it."""

    media_type = "multipart/form-data"

    def parse(self, stream, media_type=None, parser_context=None):
        raise exceptions.ParseError(_("A comment cannot have pictures: send it as JSON."))
