"""Site-wide pages that belong to no app yet."""

from django.shortcuts import redirect, render
from django.templatetags.static import static


def home(request):
    return render(request, "home.html")


def favicon(request):
    # Resolved per request: the fingerprinted name exists only once static files are collected.
    return redirect(static("favicon.ico"))
