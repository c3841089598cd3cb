"""The site's URLs and three cached views that each leave something with the visitor."""

import itertools

from django.contrib import messages
from django.http import HttpResponse
from django.urls import path

from flasky_project.pagecache import cached_for_visitors
from flasky_project.urls import urlpatterns as site_urlpatterns

_renders = itertools.count()


@cached_for_visitors
def sets_a_cookie(request):
    response = HttpResponse(f"render {next(_renders)}")
    response.set_cookie("seen", "1")
    return response


@cached_for_visitors
def adds_a_message(request):
    messages.info(request, "Hello")
    return HttpResponse(f"render {next(_renders)}")


@cached_for_visitors
def touches_the_session(request):
    request.session["seen"] = True
    return HttpResponse(f"render {next(_renders)}")


urlpatterns = [
    path("sets-a-cookie/", sets_a_cookie),
    path("adds-a-message/", adds_a_message),
    path("touches-the-session/", touches_the_session),
    *site_urlpatterns,
]
