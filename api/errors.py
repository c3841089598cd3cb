"""Every API error is Flasky's JSON: ``{"error": "<status name>", "message": "<what went wrong>"}``."""

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status, views
from rest_framework.settings import api_settings

from api.authentication import INVALID_CREDENTIALS, TwoFactorRequired

# Flasky's names (the HTTP reason phrase in lower case), also for the statuses Flasky never sent.
ERROR_NAMES = {
    400: "bad request",
    401: "unauthorized",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    413: "request entity too large",
    415: "unsupported media type",
    429: "too many requests",
    500: "internal server error",
    503: "service unavailable",  # (answered by flasky_project.errors when the database is down)
}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "request_too_large"


def exception_handler(exc, context):
    """DRF's handler (status, Allow, Retry-After and WWW-Authenticate headers), with Flasky's body.

    Exceptions DRF does not know are left to Django, whose handler500 answers JSON under /api/."""
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    response = views.exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    if isinstance(exc, TwoFactorRequired):
        message = str(exc.detail)
    elif status == 401:
        message = str(INVALID_CREDENTIALS)  # Flasky's one message, whatever was wrong with them
    elif isinstance(exc, exceptions.ValidationError):
        message = validation_message(exc.detail)
    else:
        # DRF turned Django's Http404 and PermissionDenied into its own, with the message in "detail".
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        message = str(detail or _("The request could not be completed."))
    response.data = {"error": ERROR_NAMES.get(status, "error"), "message": message}
    return response


def validation_message(detail, field=None):
    """One sentence or a few from a serializer's errors: "body: Ensure this field has no more than …"."""
    if isinstance(detail, dict):  # an item of a list field is keyed by its index: named by the list's field
        return " ".join(
            validation_message(value, field if isinstance(key, int) else key) for key, value in detail.items()
        )
    if isinstance(detail, list):
        return " ".join(validation_message(value, field) for value in detail)
    if field is None or field == api_settings.NON_FIELD_ERRORS_KEY:
        return str(detail)
    return f"{field}: {detail}"
