"""The ceiling: the smallest Django site served the same way as Flasky (bench/compare.py).

Same Python, same Django, same gunicorn settings and worker count; no middleware, no database, no templates:
one view that answers "hello". What a page of Flasky reaches as a share of this is what rendering it costs.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="ceiling-benchmark-only",  # noqa: S106 - never serves anything but "hello" on loopback
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def hello(request, **_ignored):
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [path("", hello), path("<path:anything>", hello)]

application = get_wsgi_application()
