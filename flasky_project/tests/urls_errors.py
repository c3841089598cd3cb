"""The site's URLs plus views that fail in each way, for the error page tests."""

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import path

from flasky_project import urls as site


def not_found(request):
    raise Http404("no such thing")


def forbidden(request):
    raise PermissionDenied


def bad_request(request):
    raise BadRequest("bad")


def suspicious(request):
    raise SuspiciousOperation("suspicious")


def bug(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/404/", not_found),
    path("test-errors/403/", forbidden),
    path("test-errors/400/", bad_request),
    path("test-errors/400-suspicious/", suspicious),
    path("test-errors/500/", bug),
    *site.urlpatterns,
]
handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
