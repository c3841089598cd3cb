"""Reading JSON request bodies: strict, and never a 500 whatever the bytes.

(The size is bounded before parsing: DRF reads JSON bodies through Django's ``request.body``, which refuses
more than DATA_UPLOAD_MAX_MEMORY_SIZE; api.errors answers that with a 413.)"""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers

from flasky_project.inputs import strip_control_characters


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
