"""Error pages in the site's layout, or JSON for clients that ask for JSON and not HTML (and under /api/),
whether DEBUG is on or off."""

import logging
import sys

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

ERRORS = {
    400: ("bad request", gettext_lazy("Bad Request"), gettext_lazy("The request could not be understood.")),
    403: (
        "forbidden",
        gettext_lazy("Forbidden"),
        gettext_lazy("You do not have permission to do that."),
    ),
    404: (
        "not found",
        gettext_lazy("Not Found"),
        gettext_lazy("The page you asked for does not exist. It may have been moved or deleted."),
    ),
    405: (
        "method not allowed",
        gettext_lazy("Method Not Allowed"),
        gettext_lazy("This address does not accept that kind of request."),
    ),
    429: (
        "too many requests",
        gettext_lazy("Too Many Requests"),
        gettext_lazy(
            "You have done that too many times in a short while. Please wait a few minutes and try again."
        ),
    ),
    503: (
        "service unavailable",
        gettext_lazy("Service Unavailable"),
        gettext_lazy("Flasky cannot reach its database right now. Please try again in a minute."),
    ),
    500: (
        "internal server error",
        gettext_lazy("Internal Server Error"),
        gettext_lazy("Something went wrong on our side. We have been told and will look into it."),
    ),
}


def wants_json(request):
    """API paths, and clients whose Accept header takes JSON but not HTML (as Flasky negotiated)."""
    if request.path_info.startswith("/api/"):
        return True
    return request.accepts("application/json") and not request.accepts("text/html")


def error_response(request, status, message=None):
    error, title, default_message = ERRORS[status]
    message = str(message or default_message)
    if wants_json(request):
        return JsonResponse({"error": error, "message": message}, status=status)
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status=status
    )


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def too_many_requests(request, exception=None):
    # allauth answers its rate limits through the URLconf's handler429.
    return error_response(request, 429)


def server_error(request):
    # Django calls this while the exception is being handled, so it can tell a database outage (a 503
    # that says to come back soon, rendered without touching the database) from a bug (a 500).
    return _server_error(request, sys.exc_info()[1])


def _server_error(request, exception):
    if isinstance(exception, DatabaseError):
        return database_unavailable(request)
    try:
        return error_response(request, 500)
    except Exception:
        # The layout itself may be what failed (a database outage, say): fall back to a page with no queries.
        logger.exception("The 500 page could not be rendered in the site's layout")
        return HttpResponse(render_to_string("500_plain.html"), status=500)


def database_unavailable(request):
    error, _title, message = ERRORS[503]
    if wants_json(request):
        response = JsonResponse({"error": error, "message": str(message)}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


def csrf_failure(request, reason=""):
    message = _(
        "Your form expired or was sent from another site, so it was not accepted. "
        "Please go back, reload the page and try again."
    )
    return error_response(request, 403, message)


class ErrorPagesMiddleware:
    """The site's own error pages, with DEBUG on as with it off; and a real page for Django's empty 405s.

    With DEBUG on (as `dev.py serve` runs), Django answers a URL that matches nothing, an Http404, a bad
    request and a bug with its technical pages: HTML even under /api/, where Flasky's clients expect JSON,
    and pages that do not look like the site. This middleware (the innermost) replaces those with what the
    handlers in flasky_project.urls answer in production. Django has already logged them by then, so a
    500's traceback is in the console log as before. (PermissionDenied is answered by handler403 either way.)
    """

    # The statuses of the technical pages Django answers with DEBUG on (403 is handler403's either way).
    DEBUG_STATUSES = (400, 404, 500)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            page = error_response(request, 405)
            page["Allow"] = response["Allow"]
            return page
        if settings.DEBUG and response.status_code in self.DEBUG_STATUSES:
            page = self._site_page(request, response)
            if page is not None:
                page._has_been_logged = getattr(response, "_has_been_logged", False)  # (logged once)
                return page
        return response

    def process_exception(self, request, exception):
        # Only noted here: Django goes on to log the exception (and tell error trackers) as usual.
        request._flasky_exception = exception

    @staticmethod
    def _site_page(request, response):
        """The site's page for a technical page Django answered, or None when it is not one."""
        status = response.status_code
        exception = getattr(request, "_flasky_exception", None)
        if exception is None:
            # No URL matched (Django resolves before any view runs, and sets resolver_match if one does).
            return page_not_found(request) if status == 404 and request.resolver_match is None else None
        if status == 400:
            return bad_request(request, exception)
        if status == 404:
            return page_not_found(request, exception)
        return _server_error(request, exception)
