"""Reading JSON request bodies: bounded in size, strict, and never a 500 whatever the bytes."""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


class JSONParser(parsers.JSONParser):
    """DRF's parser reads the whole stream; this one stops past DATA_UPLOAD_MAX_MEMORY_SIZE, and turns
    invalid encodings, NaN and pathological nesting (RecursionError) into a 400 too."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            return json.loads(raw.decode(encoding), parse_constant=_reject_constant)
        except (ValueError, RecursionError) as error:
            raise exceptions.ParseError(
                _("The request body is not valid JSON: %(error)s") % {"error": error}
            ) from error
