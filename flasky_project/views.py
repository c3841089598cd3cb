"""Site-wide views that belong to no app."""

from django.shortcuts import redirect
from django.templatetags.static import static


def favicon(request):
    # Resolved per request: the fingerprinted name exists only once static files are collected.
    return redirect(static("favicon.ico"))
