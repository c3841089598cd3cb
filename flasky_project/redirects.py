"""Sending a form back where it came from, never to another site."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request, fallback):
    """Redirect to the form's ``next`` field when it is an address on this site, else to ``fallback``
    (anything ``redirect()`` takes): ``next=//evil.example`` or ``next=https://evil.example`` falls back."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect(fallback)
