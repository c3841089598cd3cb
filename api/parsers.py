"""Reading JSON request bodies: strict, and never a 500 whatever the bytes.

(The size is bounded before parsing: DRF reads JSON bodies through Django's ``request.body``, which refuses
more than DATA_UPLOAD_MAX_MEMORY_SIZE; api.errors answers that with a 413.)"""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


class JSONParser(parsers.JSONParser):
    """DRF's parser, which also turns NaN and pathological nesting (a RecursionError) into a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            return json.loads(stream.read().decode(encoding), parse_constant=_reject_constant)
        except (ValueError, RecursionError) as error:
            raise exceptions.ParseError(
                _("The request body is not valid JSON: %(error)s") % {"error": error}
            ) from error
